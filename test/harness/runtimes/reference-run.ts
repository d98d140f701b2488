/**
 * A fixed training run (config, seed, data, epochs, draw source) and its reference result in V8
 * through SpintrainEngine, the host path. Every other runtime must reproduce these weights bit for bit.
 */
import { SpintrainEngine, type Parameters, type Draws } from '../../../host/engine/wasm-engine.ts';
import { DEFAULT_PAIR_STEP, type NetworkConfig, type TrainingAlgorithm } from '../../../host/engine/config.ts';
import { SimulatedMtjHal, SimulatedMtjPairHal } from './simulated-mtj-hal.ts';
import type { StreamSplit } from '../../../host/deploy/serial-stream.ts';

export interface TrainingRun {
  name: string;
  network: NetworkConfig<TrainingAlgorithm>;
  data: StreamSplit;
  epochs: number;
  /**
   * 'prng': the module's generator (source 0); 'sim-hal': env.mtj_sample served by SimulatedMtjHal(halSeed);
   * 'sim-hal-pair' (algorithm pair): env.mtj_sample with draws = 0 served by SimulatedMtjPairHal(halSeed).
   */
  draws: 'prng' | 'sim-hal' | 'sim-hal-pair';
  halSeed: number;
}

export interface RunResult {
  parameters: Parameters;
  correctPerEpoch: number[];
  /** Wall time per training sample [s]. */
  secondsPerSample: number;
}

export function drawsOf(run: TrainingRun): Draws {
  if (run.draws === 'sim-hal-pair') {
    const n = run.network;
    return { kind: 'pair', source: new SimulatedMtjPairHal(run.halSeed, n.layout.slice(1, -1), n.pairStep ?? DEFAULT_PAIR_STEP), via: 'import' };
  }
  return run.draws === 'prng' ? { kind: 'prng' } : { kind: 'host', source: new SimulatedMtjHal(run.halSeed), via: 'import' };
}

/** Trains in V8: epochs in natural order, setEpoch(e) before each (the stream sends 'E' e). */
export async function runInV8(run: TrainingRun, wasm?: Uint8Array): Promise<RunResult> {
  const engine = new SpintrainEngine(run.network, drawsOf(run), wasm);
  const split = engine.loadSplit(run.data);
  const correctPerEpoch: number[] = [];
  const t0 = performance.now();
  for (let e = 0; e < run.epochs; e++) {
    engine.setEpoch(e);
    correctPerEpoch.push(await engine.trainEpoch(split));
  }
  const seconds = (performance.now() - t0) / 1000;
  return { parameters: engine.exportParameters(), correctPerEpoch, secondsPerSample: seconds / (run.epochs * run.data.n) };
}
