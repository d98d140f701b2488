/** The spintrain WebAssembly engine as a benchmark trainer: the split lives in module memory, in-module PRNG draws. */
import { SpintrainEngine } from '../../../host/engine/wasm-engine.ts';
import type { OpCounters } from '../../../host/engine/counters.ts';
import type { Algorithm } from '../../../host/engine/config.ts';
import type { Split } from '../../../host/data/index.ts';
import { benchNetworkConfig, cyclicOrder } from './bench-network.ts';

export interface BenchTrainer {
  /** Trains on the next `count` samples (cyclic over the split), batch 1 unless said otherwise. */
  run(count: number): Promise<void>;
}

export interface SpintrainBenchTrainer extends BenchTrainer {
  engine: SpintrainEngine;
  /** Counters since the last resetCounters. */
  counters(): OpCounters;
  resetCounters(): void;
}

export function spintrainTrainer(algorithm: Algorithm, data: Split, wasm?: Uint8Array): SpintrainBenchTrainer {
  const engine = new SpintrainEngine(benchNetworkConfig(algorithm), { kind: 'prng' }, wasm);
  const split = engine.loadSplit(data);
  let pos = 0;
  return {
    engine,
    async run(count: number): Promise<void> {
      await engine.trainEpoch(split, cyclicOrder(pos, count, data.n));
      pos = (pos + count) % data.n;
    },
    counters: () => engine.counters(),
    resetCounters: () => engine.resetCounters(),
  };
}
