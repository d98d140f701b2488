/**
 * The fixed training runs of the deep module (build/spintrain.deep.wasm) that every runtime must reproduce
 * bit for bit (test/deploy/deep-runtimes.spec.ts): a small CNN on 8×8 u8 images of four synthetic classes,
 *   0 input 1×8×8 · 1 conv 4 k5 p2 · 2 conv 4 k3 p1 · 3 conv 4 k3 p1 + skip from 1 · 4 max pool 2
 *   · 5 conv 8 k3 s2 p1 · 6 average pool 2 · 7 dense 8 · 8 dense 8 + skip from 6 (a pool node) · 9 dense 4
 * (kernels 5 and 3, strides 1 and 2, both pool kinds, a conv skip and a dense skip), trained with bp, with
 * pgaf (sigmoid K = 2 with the output at its own rate; sampled ReLU K = 4 with node 3 linear), and with the
 * sparse-backprop baselines of issue 18 (assembly/select.ts): topk (f = 0.3: quickselect on conv and dense
 * nodes), random (p = 0.6, ReLU, node 3 linear: one Bernoulli draw per hidden unit) and adaptive (TinyProp,
 * sigmoid, S_min 0.2, S_max 0.8, ζ 0.7, the output at its own rate: k from each node's error and running
 * maximum). The module's own generator draws the pairs and random's keep bits (source 0: env.mtj_sample is
 * never called). Epoch 0 in natural order, epoch 1 in a fixed permutation.
 */
import { Rng } from '../../../host/rng.ts';
import { defaultDeepConfig, type DeepConfig, type DeepNode } from '../../../host/engine/deep-config.ts';

export interface DeepSplit {
  x: Uint8Array;
  y: Uint8Array;
  n: number;
}

export interface DeepRun {
  name: string;
  config: DeepConfig;
  data: DeepSplit;
  epochs: number;
  /** Sample order of each epoch (undefined: natural order, trainEpochU8's order pointer 0). */
  orders: (number[] | undefined)[];
}

export const DEEP_RUN_NODES: DeepNode[] = [
  { kind: 'conv', channels: 4, kernel: 5, stride: 1, pad: 2 },
  { kind: 'conv', channels: 4, kernel: 3, stride: 1, pad: 1 },
  { kind: 'conv', channels: 4, kernel: 3, stride: 1, pad: 1, skip: 1 },
  { kind: 'maxpool', size: 2 },
  { kind: 'conv', channels: 8, kernel: 3, stride: 2, pad: 1 },
  { kind: 'avgpool', size: 2 },
  { kind: 'dense', units: 8 },
  { kind: 'dense', units: 8, skip: 6 },
  { kind: 'dense', units: 4 },
];

/**
 * n 8×8 images, label k = i mod 4: a horizontal bar (0), a vertical bar (1), a diagonal (2) or a 3×3 block (3)
 * at a random place and brightness, on uniform noise 0..47; deterministic for a seed.
 */
export function deepImages(n: number, seed: number, side = 8): DeepSplit {
  const rng = new Rng(seed);
  const r = (m: number): number => rng.nextU32() % m;
  const x = new Uint8Array(n * side * side);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const img = x.subarray(i * side * side, (i + 1) * side * side);
    for (let p = 0; p < img.length; p++) img[p] = r(48);
    const k = i % 4;
    const v = 160 + r(96);
    const a = r(side - 2);
    const b = r(side - 2);
    for (let t = 0; t < side; t++) {
      if (k === 0) img[a * side + t] = v;
      else if (k === 1) img[t * side + a] = v;
      else if (k === 2) img[t * side + ((t + a) % side)] = v;
    }
    if (k === 3) for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) img[(a + dy) * side + b + dx] = v;
    y[i] = k;
  }
  return { x, y, n };
}

/** A permutation of 0..n−1 (Fisher–Yates on the host generator). */
export function permutation(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

export function deepRuns(): DeepRun[] {
  const data = deepImages(32, 17);
  const base = { ...defaultDeepConfig, input: [1, 8, 8] as [number, number, number], nodes: DEEP_RUN_NODES };
  const orders = [undefined, permutation(data.n, 5)];
  return [
    { name: 'cnn8-bp-tanh', config: { ...base, activation: 'tanh', algorithm: 'bp', learningRate: 0.05, decay: 0.5, seed: 3 }, data, epochs: 2, orders },
    {
      // the exact output layer at its own, larger rate (setNodeRate)
      name: 'cnn8-pgaf-sigmoid-k2-prng',
      config: { ...base, nodes: DEEP_RUN_NODES.map((n, i) => (i === 8 ? { ...n, learningRate: 0.5 } : n)), activation: 'sigmoid', algorithm: 'pgaf', pairs: 2, learningRate: 0.25, decay: 0.25, seed: 9 },
      data, epochs: 2, orders,
    },
    {
      // node 3 linear: a pre-activation ResNet block's output a3 = a1 + conv(a2), no activation and no mask
      name: 'cnn8-pgaf-relu-sampled-k4-linear-prng',
      config: { ...base, nodes: DEEP_RUN_NODES.map((n, i) => (i === 2 ? { ...n, linear: true } : n)), activation: 'relu', reluSampled: true, algorithm: 'pgaf', pairs: 4, learningRate: 0.05, decay: 0, seed: 21 },
      data, epochs: 2, orders,
    },
    // the sparse-backprop baselines (DeepEngine: configure with their algorithm id, then setSparsity)
    { name: 'cnn8-topk-tanh-f0.3', config: { ...base, activation: 'tanh', algorithm: 'topk', sparsity: 0.3, learningRate: 0.05, decay: 0.5, seed: 4 }, data, epochs: 2, orders },
    {
      name: 'cnn8-random-relu-p0.6-linear-prng',
      config: { ...base, nodes: DEEP_RUN_NODES.map((n, i) => (i === 2 ? { ...n, linear: true } : n)), activation: 'relu', algorithm: 'random', sparsity: 0.6, learningRate: 0.05, decay: 0, seed: 13 },
      data, epochs: 2, orders,
    },
    {
      name: 'cnn8-adaptive-sigmoid',
      config: {
        ...base, nodes: DEEP_RUN_NODES.map((n, i) => (i === 8 ? { ...n, learningRate: 0.5 } : n)), activation: 'sigmoid', algorithm: 'adaptive',
        sparsity: { minRatio: 0.2, maxRatio: 0.8, damping: 0.7 }, learningRate: 0.25, decay: 0.25, seed: 6,
      },
      data, epochs: 2, orders,
    },
  ];
}
