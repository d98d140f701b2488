/** Typed network and training configuration, and its validation (once, at setup). */
import { shown } from '../io/show-value.ts';
import { WEIGHT_BITS, type WeightBits } from './weight-format.ts';

export { shown };

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
  /**
   * Bits per stored weight W: 32 (i32 Q24, the release module), 16 (i16 Q3.12) or 8 (i8 Q1.6), each a
   * module build of its own, with stochastically rounded updates (host/engine/weight-format.ts). Narrow
   * weights need momentum 0. Default 32.
   */
  weightBits?: WeightBits;
}

/** Slope k and shift c bounds of a trainable activation. */
export interface ActivationRange {
  kMin: number;
  kMax: number;
  cMin: number;
  cMax: number;
}

/**
 * The pair algorithm's default step Δz. Every setup passes the step to the module (setPairStep:
 * engine-setup.ts here, boards/glue/portable/st_session.c with ST_MTJ_PAIR_STEP_DEFAULT_Q16 = q16(0.1) on a
 * board), so the module's own initial 1/16 (assembly/pair-gradient.ts) is never trained with.
 */
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

/** A number (never a numeric string or a boolean) in the given range; NaN fails every range. */
function isNumberIn(x: unknown, ok: (v: number) => boolean): x is number {
  return typeof x === 'number' && ok(x);
}

/**
 * Checks every field's type and range; throws ConfigError naming the first bad one. Types are strict:
 * a number field takes only a number (not "0.5" nor true), a flag only true or false.
 */
export function validateNetworkConfig<A extends TrainingAlgorithm>(c: NetworkConfig<A>): NetworkConfig<A> {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ConfigError('(config)', `expected an object, got ${shown(c)}`);
  const { layout } = c;
  if (!Array.isArray(layout) || layout.length < 3 || layout.length > MAX_LAYERS) {
    throw new ConfigError('layout', `expected inputs, 1 to 4 hidden layers and outputs (3 to 6 widths), got ${shown(layout)}`);
  }
  layout.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > MAX_WIDTH) throw new ConfigError(`layout[${i}]`, `expected an integer width in 1..${MAX_WIDTH}, got ${shown(n)}`);
  });
  if (!ACTIVATIONS.includes(c.activation)) throw new ConfigError('activation', `expected one of ${ACTIVATIONS.join(', ')}, got ${shown(c.activation)}`);
  if (!OUTPUTS.includes(c.output)) throw new ConfigError('output', `expected one of ${OUTPUTS.join(', ')}, got ${shown(c.output)}`);
  if (!TRAINING_ALGORITHMS.includes(c.algorithm)) throw new ConfigError('algorithm', `expected one of ${TRAINING_ALGORITHMS.join(', ')}, got ${shown(c.algorithm)}`);
  if (c.output === 'softmax' && layout[layout.length - 1] < 2) throw new ConfigError('layout', 'a softmax output needs at least 2 classes');
  // Flags: true or false (absent means false); "false" is not false.
  for (const flag of ['reluSampled', 'trainableActivation'] as const) {
    if (c[flag] !== undefined && typeof c[flag] !== 'boolean') throw new ConfigError(flag, `expected true or false, got ${shown(c[flag])}`);
  }
  const lr: unknown = c.learningRate;
  if (!(typeof lr === 'number' || Array.isArray(lr))) throw new ConfigError('learningRate', `expected a number or one number per weight layer, got ${shown(lr)}`);
  const lrs = learningRates(c);
  if (lrs.length !== layout.length - 1) throw new ConfigError('learningRate', `expected one rate per weight layer (${layout.length - 1}), got ${lrs.length}`);
  lrs.forEach((x, i) => {
    if (!isNumberIn(x, (v) => v > 0 && v < 32768)) throw new ConfigError(`learningRate[${i}]`, `expected a number in (0, 32768), got ${shown(x)}`);
  });
  if (!isNumberIn(c.momentum, (v) => v >= 0 && v < 1)) throw new ConfigError('momentum', `expected a number in [0, 1), got ${shown(c.momentum)}`);
  if (!isNumberIn(c.decay, (v) => v >= 0 && v < 32768)) throw new ConfigError('decay', `expected a number in [0, 32768), got ${shown(c.decay)}`);
  if (!isNumberIn(c.probabilityFloor, (v) => v >= 0 && v < 0.5)) throw new ConfigError('probabilityFloor', `expected a number in [0, 0.5), got ${shown(c.probabilityFloor)}`);
  if (![1, 2, 4, 8].includes(c.pairs)) throw new ConfigError('pairs', `expected 1, 2, 4 or 8, got ${shown(c.pairs)}`);
  if (!isNumberIn(c.deltaClip, (v) => v >= 0 && v < 128)) throw new ConfigError('deltaClip', `expected a number in [0, 128), got ${shown(c.deltaClip)}`);
  if (c.trainableActivation && c.algorithm === 'pair') throw new ConfigError('trainableActivation', 'the pair algorithm takes its activation from the device; use bp or pgaf');
  if (c.activationRange !== undefined) {
    const r: unknown = c.activationRange;
    const ok = (x: unknown): boolean => isNumberIn(x, (v) => Number.isFinite(v) && Math.abs(v) < 128);
    const o = (typeof r === 'object' && r !== null ? r : {}) as Partial<ActivationRange>;
    if (![o.kMin, o.kMax, o.cMin, o.cMax].every(ok) || o.kMin! > o.kMax! || o.cMin! > o.cMax!) {
      throw new ConfigError('activationRange', `expected kMin ≤ kMax and cMin ≤ cMax, all in (−128, 128), got ${shown(r)}`);
    }
  }
  if (c.pairStep !== undefined && !isNumberIn(c.pairStep, (v) => v >= 2 / 65536 && v <= 16)) throw new ConfigError('pairStep', `expected a step in [2^-15, 16], got ${shown(c.pairStep)}`);
  if (c.temperature !== undefined && !isNumberIn(c.temperature, (v) => v >= 1 / 256 && v <= 65536)) throw new ConfigError('temperature', `expected a number in [1/256, 65536], got ${shown(c.temperature)}`);
  if (c.weightBits !== undefined) {
    if (!(WEIGHT_BITS as readonly unknown[]).includes(c.weightBits)) throw new ConfigError('weightBits', `expected 32, 16 or 8, got ${shown(c.weightBits)}`);
    if (c.weightBits !== 32 && c.momentum !== 0) throw new ConfigError('momentum', `expected 0 with ${c.weightBits}-bit weights (the narrow modules keep no velocities), got ${shown(c.momentum)}`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) throw new ConfigError('seed', `expected an integer in 0..2^32-1, got ${shown(c.seed)}`);
  return c;
}

