/**
 * Configuration of a deep network (the deep module, assembly/deep.ts and assembly/graph.ts): a C×H×W
 * input, then a chain of conv, dense and pool nodes; identity skips add an earlier node's activations
 * into a node's pre-activations. The last node must be dense or conv: it is the softmax output.
 */
import { ConfigError, ACTIVATIONS, ALGORITHMS, type Activation } from './config.ts';

/**
 * The deep module's algorithms: the release engine's bp and pgaf (config.ts ALGORITHMS, unchanged) and three
 * sparse-backprop baselines (issue 18, assembly/select.ts): topk (meProp: the k = ⌈f·n⌉ units of largest |δ| of
 * each hidden node), random (each hidden unit kept with probability p, δ/p) and adaptive (TinyProp: top-k
 * with k from the node's error each step). Their ids in the module are their indices here.
 */
export const DEEP_ALGORITHMS = [...ALGORITHMS, 'topk', 'random', 'adaptive'] as const;
export type DeepAlgorithm = (typeof DEEP_ALGORITHMS)[number];
/** The algorithms that take a sparsity knob. */
export const SPARSE_ALGORITHMS = ['topk', 'random', 'adaptive'] as const satisfies readonly DeepAlgorithm[];

/** TinyProp's parameters (adaptive): the ratio runs from minRatio (S_min) to maxRatio (S_max), times damping (ζ) per layer of depth. */
export interface AdaptiveSparsity {
  minRatio: number;
  maxRatio: number;
  damping: number;
}

/** topk: the kept fraction f ∈ (0, 1]; random: the keep probability p ∈ (0, 1]; adaptive: TinyProp's parameters. */
export type DeepSparsity = number | AdaptiveSparsity;

export type DeepNode =
  | { kind: 'conv'; channels: number; kernel: number; stride?: number; pad?: number; skip?: number; linear?: boolean; learningRate?: number }
  | { kind: 'dense'; units: number; skip?: number; linear?: boolean; learningRate?: number }
  | { kind: 'maxpool' | 'avgpool'; size: number };

export interface DeepConfig {
  /** Input shape [channels, height, width]. */
  input: [number, number, number];
  /**
   * Nodes 1…L (node 0 is the input); `skip` names an earlier node by its index (0 = the input); `linear`: no
   * activation and no p-GAF mask (a = z; with a skip, a pre-activation ResNet block's output); `learningRate`:
   * this node's own rate (default: the network's), decayed with it.
   */
  nodes: DeepNode[];
  activation: Activation;
  algorithm: DeepAlgorithm;
  /**
   * The knob of topk, random and adaptive (required for them, refused for bp and pgaf): topk the kept fraction
   * f ∈ (0, 1] of each hidden node's units (k = max(1, ⌈f·n⌉), f taken down to Q16); random the keep probability
   * p ∈ (0, 1] (to the nearest Q16); adaptive {minRatio, maxRatio, damping}: 0 ≤ S_min ≤ S_max ≤ 1, 0 < ζ ≤ 1 (Q16).
   */
  sparsity?: DeepSparsity;
  /** pgaf pairs per unit K (1, 2, 4 or 8). */
  pairs: number;
  /** ReLU with pgaf: draw Bernoulli(σ(z)) (softplus′) instead of the exact mask. */
  reluSampled: boolean;
  learningRate: number;
  /** η(epoch) = η0 / (1 + decay·epoch). */
  decay: number;
  seed: number;
}

export const defaultDeepConfig: Omit<DeepConfig, 'input' | 'nodes'> = {
  activation: 'tanh',
  algorithm: 'bp',
  pairs: 1,
  reluSampled: false,
  learningRate: 0.01,
  decay: 0,
  seed: 1,
};

const MAX_NODES = 15;

/** Checks the fields the module cannot check itself (names, ranges); the module checks the shapes. */
export function validateDeepConfig(c: DeepConfig): DeepConfig {
  if (!Array.isArray(c.input) || c.input.length !== 3 || !c.input.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ConfigError('input', `expected [channels, height, width] of positive integers, got ${JSON.stringify(c.input)}`);
  }
  if (!Array.isArray(c.nodes) || c.nodes.length < 1 || c.nodes.length > MAX_NODES) throw new ConfigError('nodes', `expected 1 to ${MAX_NODES} nodes`);
  const last = c.nodes[c.nodes.length - 1];
  if (last.kind !== 'dense' && last.kind !== 'conv') throw new ConfigError('nodes', 'the last node (the softmax output) must be dense or conv');
  c.nodes.forEach((n, i) => {
    const at = `nodes[${i}]`;
    if ('skip' in n && n.skip !== undefined && (!Number.isInteger(n.skip) || n.skip < 0 || n.skip >= i)) {
      throw new ConfigError(`${at}.skip`, `an earlier node before the previous one (0..${i - 1}; node ${i + 1} is this one), got ${n.skip}`);
    }
    if ('linear' in n && n.linear && i === c.nodes.length - 1) throw new ConfigError(`${at}.linear`, 'the output node is the softmax; it cannot be linear');
    if ('learningRate' in n && n.learningRate !== undefined && !(n.learningRate > 0 && n.learningRate < 32768)) {
      throw new ConfigError(`${at}.learningRate`, `a positive number, got ${n.learningRate}`);
    }
    if (n.kind === 'conv') {
      if (!Number.isInteger(n.kernel) || n.kernel < 1 || n.kernel > 7) throw new ConfigError(`${at}.kernel`, `an integer 1..7, got ${n.kernel}`);
      if (n.stride !== undefined && n.stride !== 1 && n.stride !== 2) throw new ConfigError(`${at}.stride`, `1 or 2, got ${n.stride}`);
      if (n.pad !== undefined && (!Number.isInteger(n.pad) || n.pad < 0 || n.pad > n.kernel >> 1)) throw new ConfigError(`${at}.pad`, `an integer 0..${n.kernel >> 1} (kernel/2), got ${n.pad}`);
    }
    if ((n.kind === 'maxpool' && ![2, 3, 4].includes(n.size)) || (n.kind === 'avgpool' && ![2, 4].includes(n.size))) {
      throw new ConfigError(`${at}.size`, `${n.kind === 'maxpool' ? '2, 3 or 4' : '2 or 4'}, got ${n.size}`);
    }
  });
  if (!ACTIVATIONS.includes(c.activation)) throw new ConfigError('activation', `one of ${ACTIVATIONS.join(', ')}`);
  if (!DEEP_ALGORITHMS.includes(c.algorithm)) throw new ConfigError('algorithm', `one of ${DEEP_ALGORITHMS.join(', ')} (the deep module has no pair algorithm)`);
  sparsityQ16(c);
  if (![1, 2, 4, 8].includes(c.pairs)) throw new ConfigError('pairs', `1, 2, 4 or 8, got ${c.pairs}`);
  if (!(c.learningRate > 0 && c.learningRate < 32768)) throw new ConfigError('learningRate', `a positive number, got ${c.learningRate}`);
  if (!(c.decay >= 0)) throw new ConfigError('decay', `≥ 0, got ${c.decay}`);
  return c;
}

const Q16 = 65536;

/** A Q16 value of the knob: at least `min` once rounded (`round`: Math.floor for topk's fraction, else Math.round). */
function knob(v: unknown, field: string, what: string, min: number, round: (x: number) => number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (min > 0 && v === 0) || v > 1) throw new ConfigError(field, `${what} in ${min > 0 ? '(0, 1]' : '[0, 1]'}, got ${JSON.stringify(v)}`);
  const q = round(v * Q16);
  if (q < min) throw new ConfigError(field, `${v} rounds to 0 in Q16 (the smallest is 2^-16 = 1.5e-5)`);
  return q;
}

/**
 * The module's setSparsity(a, b, c) arguments (Q16) of a configuration, checked (ConfigError naming the field);
 * undefined for bp and pgaf. topk: [⌊f·2^16⌋, 0, 0] (down, so that an f·n that is a whole number stays k = f·n);
 * random: [round(p·2^16), 0, 0]; adaptive: [S_min, S_max, ζ] each round(·2^16).
 */
export function sparsityQ16(c: Pick<DeepConfig, 'algorithm' | 'sparsity'>): [number, number, number] | undefined {
  const s = c.sparsity;
  if (c.algorithm === 'bp' || c.algorithm === 'pgaf') {
    if (s !== undefined) throw new ConfigError('sparsity', `only ${SPARSE_ALGORITHMS.join(', ')} take a sparsity knob (algorithm ${c.algorithm})`);
    return undefined;
  }
  if (s === undefined) throw new ConfigError('sparsity', `required for ${c.algorithm}: ${c.algorithm === 'adaptive' ? '{minRatio, maxRatio, damping}' : c.algorithm === 'topk' ? 'the kept fraction in (0, 1]' : 'the keep probability in (0, 1]'}`);
  if (c.algorithm === 'topk') return [knob(s, 'sparsity', 'the kept fraction', 1, Math.floor), 0, 0];
  if (c.algorithm === 'random') return [knob(s, 'sparsity', 'the keep probability', 1, Math.round), 0, 0];
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new ConfigError('sparsity', `{minRatio, maxRatio, damping} for adaptive, got ${JSON.stringify(s)}`);
  for (const key of Object.keys(s)) if (!['minRatio', 'maxRatio', 'damping'].includes(key)) throw new ConfigError(`sparsity.${key}`, 'unknown field (expected minRatio, maxRatio, damping)');
  const min = knob(s.minRatio, 'sparsity.minRatio', 'S_min', 0, Math.round);
  const max = knob(s.maxRatio, 'sparsity.maxRatio', 'S_max', 0, Math.round);
  if (max < min) throw new ConfigError('sparsity.maxRatio', `at least minRatio (${s.minRatio}), got ${s.maxRatio}`);
  const damping = knob(s.damping, 'sparsity.damping', 'the damping ζ', 1, Math.round);
  return [min, max, damping];
}
