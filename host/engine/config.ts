/** Typed network and training configuration, and its validation (once, at setup). */
import type { BitSource } from './bit-source.ts';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;
export const OUTPUTS = ['softmax', 'sigmoid'] as const;
/** The algorithms that train with the module alone: bp (exact backprop), pgaf (p-GAF-BP, sampled f′). */
export const ALGORITHMS = ['bp', 'pgaf'] as const;
/** Every algorithm, by engine id: also pair, MTJ-pair finite differences (device a and f′, needs a PairSource). */
export const TRAINING_ALGORITHMS = [...ALGORITHMS, 'pair'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export type Output = (typeof OUTPUTS)[number];
export type Algorithm = (typeof ALGORITHMS)[number];
export type TrainingAlgorithm = (typeof TRAINING_ALGORITHMS)[number];

/** Fractional bits of the engine's Q formats (assembly/fixed.ts). */
export const Q_ACT = 16;
export const Q_WEIGHT = 24;
export const MAX_LAYERS = 6;
export const MAX_WIDTH = 8192;

/** A network and its training; A = TrainingAlgorithm admits the device-driven pair algorithm. */
export interface NetworkConfig<A extends TrainingAlgorithm = Algorithm> {
  /** Widths n[0..L]: inputs, 1 to 4 hidden layers, outputs. */
  layout: number[];
  /** Hidden activation. */
  activation: Activation;
  /** softmax + cross-entropy, or sigmoid + squared error (XOR-style tasks). */
  output: Output;
  algorithm: A;
  /** pgaf with ReLU: one Bernoulli(σ(z)) draw (softplus′) instead of the exact 0/1 mask. */
  reluSampled: boolean;
  /** Learning rate per weight layer (a single number applies to all). */
  learningRate: number | number[];
  /** Momentum μ in [0, 1); 0 = plain SGD. */
  momentum: number;
  /** Learning-rate decay d: lr(epoch) = lr0 / (1 + d·epoch). */
  decay: number;
  /**
   * Probability floor ε in [0, 0.5): pgaf draws with p clamped to [ε, 1 − ε] (kept probability
   * ≥ ε(1 − ε)); bp uses the same derivative floor f′ ← max(f′, ε(1 − ε)). 0 = none.
   */
  probabilityFloor: number;
  /**
   * pgaf: independent pairs per neuron K ∈ {1, 2, 4, 8}; δ_j = s_j · c_j/K with c_j the number of
   * (1,0) pairs (unbiased, variance /K, ~K× the kept work). K = 1 is the paper's p-GAF-BP.
   */
  pairs: number;
  /** Bound c on every hidden δ_j (clamped to [−c, c]) in both algorithms; 0 = none. */
  deltaClip: number;
  /** Seed of weight initialisation and of every random draw. */
  seed: number;
  /**
   * Trainable activation a = f(k_j·(z_j + c_j)) per hidden neuron (bp and pgaf; with pgaf the sampled
   * probability is σ(k(z + c))). Starts at k = 1, c = 0. Default false.
   */
  trainableActivation?: boolean;
  /** Range of k and c the device realises (e.g. from a board profile); training clamps into it. Default none. */
  activationRange?: ActivationRange;
  /** pair: finite-difference step Δz = ΔI / (dI/dz) in pre-activation units. Default 0.1. */
  pairStep?: number;
  /** Softmax temperature T used in training (knowledge distillation); prediction is unaffected. Default 1. */
  temperature?: number;
}

/** Slope k and shift c bounds of a trainable activation. */
export interface ActivationRange {
  kMin: number;
  kMax: number;
  cMin: number;
  cMax: number;
}

export const DEFAULT_PAIR_STEP = 0.1;

export const defaultNetworkConfig: Omit<NetworkConfig, 'layout'> = {
  activation: 'sigmoid',
  output: 'softmax',
  algorithm: 'pgaf',
  reluSampled: false,
  learningRate: 0.1,
  momentum: 0,
  decay: 0,
  probabilityFloor: 0,
  deltaClip: 0,
  pairs: 1,
  seed: 1,
};

/** A configuration field that cannot be used, with what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function learningRates(c: NetworkConfig<TrainingAlgorithm>): number[] {
  const L = c.layout.length - 1;
  const lr = c.learningRate;
  return Array.isArray(lr) ? lr : new Array<number>(L).fill(lr);
}

/** Checks every field; throws ConfigError naming the first bad one. */
export function validateNetworkConfig<A extends TrainingAlgorithm>(c: NetworkConfig<A>): NetworkConfig<A> {
  const { layout } = c;
  if (!Array.isArray(layout) || layout.length < 3 || layout.length > MAX_LAYERS) {
    throw new ConfigError('layout', `expected inputs, 1 to 4 hidden layers and outputs (3 to 6 widths), got ${JSON.stringify(layout)}`);
  }
  layout.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > MAX_WIDTH) throw new ConfigError(`layout[${i}]`, `expected an integer width in 1..${MAX_WIDTH}, got ${n}`);
  });
  if (!ACTIVATIONS.includes(c.activation)) throw new ConfigError('activation', `expected one of ${ACTIVATIONS.join(', ')}, got ${c.activation}`);
  if (!OUTPUTS.includes(c.output)) throw new ConfigError('output', `expected one of ${OUTPUTS.join(', ')}, got ${c.output}`);
  if (!TRAINING_ALGORITHMS.includes(c.algorithm)) throw new ConfigError('algorithm', `expected one of ${TRAINING_ALGORITHMS.join(', ')}, got ${c.algorithm}`);
  if (c.output === 'softmax' && layout[layout.length - 1] < 2) throw new ConfigError('layout', 'a softmax output needs at least 2 classes');
  const lrs = learningRates(c);
  if (lrs.length !== layout.length - 1) throw new ConfigError('learningRate', `expected one rate per weight layer (${layout.length - 1}), got ${lrs.length}`);
  lrs.forEach((x, i) => {
    if (!(x > 0 && x < 32768)) throw new ConfigError(`learningRate[${i}]`, `expected a number in (0, 32768), got ${x}`);
  });
  if (!(c.momentum >= 0 && c.momentum < 1)) throw new ConfigError('momentum', `expected a number in [0, 1), got ${c.momentum}`);
  if (!(c.decay >= 0 && c.decay < 32768)) throw new ConfigError('decay', `expected a number in [0, 32768), got ${c.decay}`);
  if (!(c.probabilityFloor >= 0 && c.probabilityFloor < 0.5)) throw new ConfigError('probabilityFloor', `expected a number in [0, 0.5), got ${c.probabilityFloor}`);
  if (![1, 2, 4, 8].includes(c.pairs)) throw new ConfigError('pairs', `expected 1, 2, 4 or 8, got ${c.pairs}`);
  if (!(c.deltaClip >= 0 && c.deltaClip < 128)) throw new ConfigError('deltaClip', `expected a number in [0, 128), got ${c.deltaClip}`);
  if (c.trainableActivation && c.algorithm === 'pair') throw new ConfigError('trainableActivation', 'the pair algorithm takes its activation from the device; use bp or pgaf');
  if (c.activationRange !== undefined) {
    const r = c.activationRange;
    const ok = (x: number): boolean => Number.isFinite(x) && Math.abs(x) < 128;
    if (![r.kMin, r.kMax, r.cMin, r.cMax].every(ok) || r.kMin > r.kMax || r.cMin > r.cMax) {
      throw new ConfigError('activationRange', `expected kMin ≤ kMax and cMin ≤ cMax, all in (−128, 128), got ${JSON.stringify(r)}`);
    }
  }
  if (c.pairStep !== undefined && !(c.pairStep >= 2 / 65536 && c.pairStep <= 16)) throw new ConfigError('pairStep', `expected a step in [2^-15, 16], got ${c.pairStep}`);
  if (c.temperature !== undefined && !(c.temperature >= 1 / 256 && c.temperature <= 65536)) throw new ConfigError('temperature', `expected a number in [1/256, 65536], got ${c.temperature}`);
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) throw new ConfigError('seed', `expected an integer in 0..2^32-1, got ${c.seed}`);
  return c;
}

/** Where the p-GAF draws come from: the module's PRNG, a synchronous host source, or an asynchronous one. */
export type DrawSource = { kind: 'prng' } | { kind: 'host'; source: BitSource };
