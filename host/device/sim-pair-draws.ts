/**
 * The pair algorithm's source when no board is given: a SimMtj with one MTJ pair per hidden neuron
 * (pair-iv-model.ts defaults: gain CV 2 %, offset σ 2 µA, read noise 0.5 mV) and the nominal scale
 * I_z = 1/b per pre-activation unit, V_u = a per activation unit, so the nominal activation is
 * tanh(z) + (c/(a·b))·z. With `calibrate` (default), the twins' difference D(I) is measured first
 * (MtjPairSource.calibrateTwins) and removed from every read.
 */
import type { Draws } from '../engine/wasm-engine.ts';
import { SimMtj } from './sim-mtj.ts';
import { MtjPairSource } from './mtj-pair-source.ts';
import type { PairIvConfig } from './pair-iv-model.ts';

export function simPairDraws(hiddenWidths: readonly number[], stepZ: number, seed: number, iv: Partial<PairIvConfig> = {}, calibrate = true): Draws & { kind: 'pair' } {
  const sim = new SimMtj({ pairCount: hiddenWidths.reduce((s, w) => s + w, 0), pairIv: iv }, seed);
  sim.openSync();
  const source = new MtjPairSource(sim, hiddenWidths, stepZ, { currentPerUnitA: 1 / sim.pairIv.saturationPerA, voltsPerUnit: sim.pairIv.swingV });
  if (calibrate) void source.calibrateTwins(); // synchronous on SimMtj
  return { kind: 'pair', source, via: 'import' };
}
