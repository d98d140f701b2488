/**
 * The stored form of a deep network (host/engine/deep-config.ts) in JSON: its shape {input, nodes}
 * (a deep weights file's meta.deep, and a `spintrain deep train --net FILE.json` file) and its training
 * settings {activation, algorithm, sparsity, pairs, reluSampled, learningRate, decay, seed} (the file's
 * meta.config). `sparsity` is the knob of topk, random and adaptive (deep-config.ts DeepSparsity): a number
 * (topk's kept fraction f, random's keep probability p) or {minRatio, maxRatio, damping} (adaptive: S_min, S_max,
 * ζ); stored only for those algorithms, so the settings of bp and pgaf are stored as before issue 18.
 *
 * Rules: objects only where objects are expected; every node names a known kind and has that kind's fields
 * and no other; every field has its JSON type (numbers are numbers, flags are booleans); an unknown field is
 * refused (a file from a newer spintrain is refused rather than half understood). The ranges the deep module
 * knows (kernel and pool sizes, skips, rates) are then checked by validateDeepConfig, and the shapes by the
 * module itself (DeepEngine). Failures throw ConfigError naming the field, e.g. "nodes[2].kernel".
 */
import { shown } from '../io/show-value.ts';
import { ACTIVATIONS, ConfigError } from './config.ts';
import { DEEP_ALGORITHMS, type DeepConfig, type DeepNode, type DeepSparsity } from './deep-config.ts';

/** A network's shape: the input [C, H, W] (optional in a net file: the data gives it) and its nodes. */
export interface DeepNet {
  input?: [number, number, number];
  nodes: DeepNode[];
}

/** The training settings of a DeepConfig (everything but the shape). */
export type DeepTraining = Omit<DeepConfig, 'input' | 'nodes'>;

/** Largest channel or unit count a node may name (the module refuses what does not fit its memory). */
const MAX_UNITS = 1 << 24;

const NODE_FIELDS: Record<DeepNode['kind'], { required: string[]; optional: string[] }> = {
  conv: { required: ['kind', 'channels', 'kernel'], optional: ['stride', 'pad', 'skip', 'linear', 'learningRate'] },
  dense: { required: ['kind', 'units'], optional: ['skip', 'linear', 'learningRate'] },
  maxpool: { required: ['kind', 'size'], optional: [] },
  avgpool: { required: ['kind', 'size'], optional: [] },
};

function object(x: unknown, field: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ConfigError(field, `expected a JSON object, got ${shown(x)}`);
  return x as Record<string, unknown>;
}

function onlyFields(o: Record<string, unknown>, at: string, required: readonly string[], optional: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!required.includes(key) && !optional.includes(key)) throw new ConfigError(at === '' ? key : `${at}.${key}`, `unknown field (expected ${[...required, ...optional].join(', ')})`);
  }
  for (const key of required) if (!Object.hasOwn(o, key)) throw new ConfigError(at === '' ? key : `${at}.${key}`, 'missing');
}

function integer(x: unknown, field: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) throw new ConfigError(field, `expected an integer in ${min}..${max}, got ${shown(x)}`);
  return x;
}

function positive(x: unknown, field: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) throw new ConfigError(field, `expected a positive number, got ${shown(x)}`);
  return x;
}

function flag(x: unknown, field: string): boolean {
  if (typeof x !== 'boolean') throw new ConfigError(field, `expected true or false, got ${shown(x)}`);
  return x;
}

/** An input shape [C, H, W] of positive integers. */
export function parseInputShape(x: unknown, field = 'input'): [number, number, number] {
  if (!Array.isArray(x) || x.length !== 3) throw new ConfigError(field, `expected [channels, height, width], got ${shown(x)}`);
  return x.map((v, i) => integer(v, `${field}[${i}]`, 1, MAX_UNITS)) as [number, number, number];
}

/** One node (`at` names it, e.g. "nodes[2]"). */
export function parseDeepNode(raw: unknown, at: string): DeepNode {
  const o = object(raw, at);
  const kind = o.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(NODE_FIELDS, kind)) {
    throw new ConfigError(`${at}.kind`, `expected one of ${Object.keys(NODE_FIELDS).join(', ')}, got ${shown(kind)}`);
  }
  const k = kind as DeepNode['kind'];
  onlyFields(o, at, NODE_FIELDS[k].required, NODE_FIELDS[k].optional);
  if (k === 'maxpool' || k === 'avgpool') return { kind: k, size: integer(o.size, `${at}.size`, 1, MAX_UNITS) };
  const extra: { skip?: number; linear?: boolean; learningRate?: number } = {};
  if (o.skip !== undefined) extra.skip = integer(o.skip, `${at}.skip`, 0, MAX_UNITS);
  if (o.linear !== undefined) extra.linear = flag(o.linear, `${at}.linear`);
  if (o.learningRate !== undefined) extra.learningRate = positive(o.learningRate, `${at}.learningRate`);
  if (k === 'dense') return { kind: k, units: integer(o.units, `${at}.units`, 1, MAX_UNITS), ...extra };
  const conv: Extract<DeepNode, { kind: 'conv' }> = { kind: k, channels: integer(o.channels, `${at}.channels`, 1, MAX_UNITS), kernel: integer(o.kernel, `${at}.kernel`, 1, MAX_UNITS) };
  if (o.stride !== undefined) conv.stride = integer(o.stride, `${at}.stride`, 1, MAX_UNITS);
  if (o.pad !== undefined) conv.pad = integer(o.pad, `${at}.pad`, 0, MAX_UNITS);
  return { ...conv, ...extra };
}

/** A network's shape {input, nodes} (`input` required unless `inputOptional`). */
export function parseDeepNet(raw: unknown, inputOptional = false): DeepNet {
  const o = object(raw, '(net)');
  onlyFields(o, '', inputOptional ? ['nodes'] : ['input', 'nodes'], inputOptional ? ['input'] : []);
  if (!Array.isArray(o.nodes)) throw new ConfigError('nodes', `expected an array of nodes, got ${shown(o.nodes)}`);
  const nodes = o.nodes.map((n, i) => parseDeepNode(n, `nodes[${i}]`));
  return o.input === undefined ? { nodes } : { input: parseInputShape(o.input), nodes };
}

const TRAINING_FIELDS = ['activation', 'algorithm', 'pairs', 'reluSampled', 'learningRate', 'decay', 'seed'] as const satisfies readonly (keyof DeepTraining)[];
const ADAPTIVE_FIELDS = ['minRatio', 'maxRatio', 'damping'] as const satisfies readonly (keyof Extract<DeepSparsity, object>)[];

function finite(x: unknown, field: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ConfigError(field, `expected a number, got ${shown(x)}`);
  return x;
}

/**
 * The sparsity knob as stored: a number, or {minRatio, maxRatio, damping} of numbers and no other field. Which
 * form an algorithm takes, whether it takes one at all, and the ranges: validateDeepConfig (sparsityQ16).
 */
function parseSparsity(x: unknown): DeepSparsity {
  if (typeof x === 'number') return finite(x, 'sparsity');
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ConfigError('sparsity', `expected a number (topk, random) or {minRatio, maxRatio, damping} (adaptive), got ${shown(x)}`);
  const o = x as Record<string, unknown>;
  onlyFields(o, 'sparsity', ADAPTIVE_FIELDS, []);
  return { minRatio: finite(o.minRatio, 'sparsity.minRatio'), maxRatio: finite(o.maxRatio, 'sparsity.maxRatio'), damping: finite(o.damping, 'sparsity.damping') };
}

/** The training settings, each field present and of its type (its range: validateDeepConfig); `sparsity` optional. */
export function parseDeepTraining(raw: unknown): DeepTraining {
  const o = object(raw, '(config)');
  onlyFields(o, '', TRAINING_FIELDS, ['sparsity']);
  if (!(ACTIVATIONS as readonly unknown[]).includes(o.activation)) throw new ConfigError('activation', `expected one of ${ACTIVATIONS.join(', ')}, got ${shown(o.activation)}`);
  if (!(DEEP_ALGORITHMS as readonly unknown[]).includes(o.algorithm)) throw new ConfigError('algorithm', `expected one of ${DEEP_ALGORITHMS.join(', ')}, got ${shown(o.algorithm)}`);
  for (const key of ['pairs', 'learningRate', 'decay'] as const) finite(o[key], key);
  return {
    activation: o.activation as DeepTraining['activation'],
    algorithm: o.algorithm as DeepTraining['algorithm'],
    ...(o.sparsity === undefined ? {} : { sparsity: parseSparsity(o.sparsity) }),
    pairs: o.pairs as number,
    reluSampled: flag(o.reluSampled, 'reluSampled'),
    learningRate: o.learningRate as number,
    decay: o.decay as number,
    seed: integer(o.seed, 'seed', 0, 0xffffffff),
  };
}

/**
 * The stored JSON of a configuration's training settings (meta.config of a deep weights file); `sparsity`
 * only when the configuration has one (topk, random, adaptive), right after the algorithm.
 */
export function storedDeepTraining(c: DeepConfig): DeepTraining {
  const knob = c.sparsity === undefined ? {} : { sparsity: typeof c.sparsity === 'number' ? c.sparsity : { minRatio: c.sparsity.minRatio, maxRatio: c.sparsity.maxRatio, damping: c.sparsity.damping } };
  return { activation: c.activation, algorithm: c.algorithm, ...knob, pairs: c.pairs, reluSampled: c.reluSampled, learningRate: c.learningRate, decay: c.decay, seed: c.seed };
}
