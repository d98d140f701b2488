/**
 * The one network every speed benchmark trains: 784-128-10, sigmoid hidden, softmax + cross-entropy,
 * plain SGD at batch 1 (TF.js also at batch 32), on the first MNIST training samples, fixed seeds.
 * Learning rates are the CLI defaults (host/commands/train.ts): bp 0.1 everywhere; pgaf 0.01 hidden, 0.1 output.
 */
import { defaultNetworkConfig, type Algorithm, type NetworkConfig } from '../../../host/engine/config.ts';
import { loadDataset, type Split } from '../../../host/data/index.ts';

export const BENCH_LAYOUT = [784, 128, 10];
export const BENCH_SEED = 20240611;

export function benchNetworkConfig(algorithm: Algorithm): NetworkConfig {
  return {
    ...defaultNetworkConfig,
    layout: [...BENCH_LAYOUT],
    activation: 'sigmoid',
    output: 'softmax',
    algorithm,
    learningRate: algorithm === 'pgaf' ? [0.01, 0.1] : [0.1, 0.1],
    momentum: 0,
    decay: 0,
    seed: BENCH_SEED,
  };
}

/** The first `n` MNIST training samples (u8 pixels, labels 0..9). */
export function benchSamples(n: number): Split {
  return loadDataset('mnist', { trainLimit: n, testLimit: 1 }).train;
}

/** Sample indices s, s+1, … taken cyclically over a split of n samples: the order every trainer follows. */
export function cyclicOrder(start: number, count: number, n: number): Int32Array {
  return Int32Array.from({ length: count }, (_v, i) => (start + i) % n);
}
