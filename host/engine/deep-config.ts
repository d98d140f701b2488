/**
 * Configuration of a deep network (the deep module, assembly/deep.ts and assembly/graph.ts): a C×H×W
 * input, then a chain of conv, dense and pool nodes; identity skips add an earlier node's activations
 * into a node's pre-activations. The last node must be dense or conv: it is the softmax output.
 */
import { ConfigError, ACTIVATIONS, ALGORITHMS, type Activation, type Algorithm } from './config.ts';

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
  algorithm: Algorithm;
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
  if (!ALGORITHMS.includes(c.algorithm)) throw new ConfigError('algorithm', `one of ${ALGORITHMS.join(', ')} (the deep module has no pair algorithm)`);
  if (![1, 2, 4, 8].includes(c.pairs)) throw new ConfigError('pairs', `1, 2, 4 or 8, got ${c.pairs}`);
  if (!(c.learningRate > 0 && c.learningRate < 32768)) throw new ConfigError('learningRate', `a positive number, got ${c.learningRate}`);
  if (!(c.decay >= 0)) throw new ConfigError('decay', `≥ 0, got ${c.decay}`);
  return c;
}
