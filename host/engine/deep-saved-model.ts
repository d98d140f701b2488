/**
 * A deep network (DeepEngine, host/engine/deep-engine.ts) ↔ a spintrain weights file (host/io/weights-file.ts,
 * the STWT format unchanged, version 1: every tensor i32 Q24).
 *
 *   layout      units per node, input first (node 0 = C·H·W inputs … the output node's classes)
 *   activation  "<algorithm>-<activation>", e.g. "pgaf-tanh", "topk-relu"
 *   fracBits    weights 24 (Q7.24), activations 16 (Q15.16)
 *   tensors     W<i>, B<i> for each weight node i (conv or dense; i counts nodes from 1, node 0 is the input):
 *               conv W [Co][Ci][kh][kw], dense W [n][inputs], B one per output channel or unit
 *   meta        deep            JSON {input: [C, H, W], nodes: [...]} (the DeepConfig's shape)
 *               config          JSON {activation, algorithm, pairs, reluSampled, learningRate, decay, seed}, and for
 *                               topk, random and adaptive their knob `sparsity` (deep-config-schema.ts), e.g.
 *                               "algorithm": "topk", "sparsity": 0.25 or "algorithm": "adaptive", "sparsity":
 *                               {"minRatio": 0.1, "maxRatio": 0.9, "damping": 0.5}
 *               epoch, testAccuracy, dataset, classNames, inputTransform: as the dense model's file
 *               (host/engine/checkpoint.ts, host/engine/saved-model.ts)
 *
 * Loading rebuilds the engine from meta.deep and meta.config and refuses a file whose header, meta or tensors
 * do not match that network (WeightsFileError naming the file and the field: "meta.deep.nodes[2].kernel",
 * "layout", "tensors.W3", …), before any tensor is copied. The dense engine refuses these files (meta.deep,
 * configOf), and this loader refuses a dense model's file (no meta.deep). A knob out of its range, one missing
 * for topk/random/adaptive or one given for bp/pgaf is refused at "meta.config.sparsity" (or its field,
 * "meta.config.sparsity.maxRatio"), as validateDeepConfig words it.
 *
 * The file holds the parameters, not the module's training state: a loaded model evaluates as the saved one and,
 * for bp, pgaf, topk and random, continues training bit for bit (their steps depend on the weights, the epoch's
 * rate and the epoch's draw seed only). adaptive's running maximum error Y_max per node (assembly/select.ts) is
 * not stored: a loaded adaptive model starts it afresh, as the module does at configure.
 */
import { loadWeights, saveWeights, type WeightsFile } from '../io/weights-file.ts';
import { WeightsFileError } from '../io/errors.ts';
import { shown } from '../io/show-value.ts';
import { encodeInputTransform, INPUT_TRANSFORM_META, parseInputTransform, type InputTransform } from '../data/input-transform.ts';
import { ConfigError, Q_ACT, Q_WEIGHT } from './config.ts';
import { DEEP_META, runEpochOf } from './checkpoint.ts';
import type { DeepConfig } from './deep-config.ts';
import { parseDeepNet, parseDeepTraining, storedDeepTraining } from './deep-config-schema.ts';
import { DeepEngine } from './deep-engine.ts';
import { EngineError } from './errors.ts';

/** The meta key of the training settings (the dense model's key for its configuration). */
export const DEEP_CONFIG_META = 'config';

/** A deep network's weights file for `engine` as it is now; `meta` adds the run's fields (epoch, testAccuracy, …). */
export function deepToWeightsFile(engine: DeepEngine, meta: Record<string, string | number> = {}, inputTransform?: InputTransform): WeightsFile {
  const c = engine.config;
  const tensors: WeightsFile['tensors'] = [];
  for (const i of engine.weightNodes) tensors.push({ name: `W${i}`, data: engine.weights(i).slice() }, { name: `B${i}`, data: engine.biases(i).slice() });
  return {
    layout: [...engine.units],
    activation: `${c.algorithm}-${c.activation}`,
    fracBits: { weights: Q_WEIGHT, activations: Q_ACT },
    tensors,
    meta: {
      [DEEP_META]: JSON.stringify({ input: c.input, nodes: c.nodes }),
      [DEEP_CONFIG_META]: JSON.stringify(storedDeepTraining(c)),
      ...meta,
      ...(inputTransform ? { [INPUT_TRANSFORM_META]: encodeInputTransform(inputTransform) } : {}),
    },
  };
}

/** Writes the engine's network and weights atomically (host/io/atomic-write.ts): the old file or the new, never half. */
export async function saveDeepModel(path: string, engine: DeepEngine, meta: Record<string, string | number> = {}, inputTransform?: InputTransform): Promise<void> {
  await saveWeights(path, deepToWeightsFile(engine, meta, inputTransform));
}

/** A deep network read from a weights file: an engine holding its weights, and what the file records. */
export interface DeepModel {
  file: string;
  weights: WeightsFile;
  engine: DeepEngine;
  /** The last finished epoch (−1: none recorded). */
  epoch: number;
  /** The input transform its inputs need (meta.inputTransform; undefined: none recorded, inputs taken as u8). */
  transform?: InputTransform;
}

/** meta[key] as JSON text; errors name the file and "meta.<key>". */
function metaJson(w: WeightsFile, key: string, file: string, missing: string): unknown {
  const raw = w.meta?.[key];
  if (raw === undefined) throw new WeightsFileError(file, `meta.${key}`, missing);
  if (typeof raw !== 'string') throw new WeightsFileError(file, `meta.${key}`, `expected JSON text, found ${shown(raw)}`);
  try {
    return JSON.parse(raw);
  } catch {
    throw new WeightsFileError(file, `meta.${key}`, `expected JSON, found ${shown(raw.length > 60 ? raw.slice(0, 60) + '…' : raw)}`);
  }
}

/** Runs `f`, turning a ConfigError into the file's error at "meta.<key>.<field>". */
function inMeta<T>(file: string, key: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const field = e.field.startsWith('(') ? `meta.${key}` : `meta.${key}.${e.field}`;
    throw new WeightsFileError(file, field, e.message.slice(e.field.length + 2));
  }
}

/** The DeepConfig a decoded weights file records, checked against its header. */
export function deepConfigOf(w: WeightsFile, file: string): DeepConfig {
  if (w.fracBits.weights !== Q_WEIGHT) throw new WeightsFileError(file, 'fracBits.weights', `expected ${Q_WEIGHT}, found ${w.fracBits.weights}`);
  if (w.fracBits.activations !== Q_ACT) throw new WeightsFileError(file, 'fracBits.activations', `expected ${Q_ACT}, found ${w.fracBits.activations}`);
  const net = inMeta(file, DEEP_META, () => parseDeepNet(metaJson(w, DEEP_META, file, "missing: not a deep network's weights (spintrain deep train --save writes them; a dense model's file is for spintrain eval)")));
  const training = inMeta(file, DEEP_CONFIG_META, () => parseDeepTraining(metaJson(w, DEEP_CONFIG_META, file, 'missing: the network\'s training settings')));
  const activation = `${training.algorithm}-${training.activation}`;
  if (w.activation !== activation) throw new WeightsFileError(file, 'activation', `expected "${activation}" (from meta.${DEEP_CONFIG_META}), found ${shown(w.activation)}`);
  return { input: net.input!, nodes: net.nodes, ...training };
}

/** Builds the engine a decoded weights file describes and loads its tensors into it; `file` names it in errors. */
export function deepModelOf(w: WeightsFile, file: string): DeepModel {
  const config = deepConfigOf(w, file);
  let engine: DeepEngine;
  try {
    engine = new DeepEngine(config);
  } catch (e) {
    if (e instanceof EngineError) throw new WeightsFileError(file, `meta.${DEEP_META}`, `the deep module refused the network: ${e.message}`);
    if (!(e instanceof ConfigError)) throw e;
    const key = /^(input|nodes)\b/.test(e.field) ? DEEP_META : DEEP_CONFIG_META;
    throw new WeightsFileError(file, `meta.${key}.${e.field}`, e.message.slice(e.field.length + 2));
  }
  if (w.layout.join('-') !== engine.units.join('-')) {
    throw new WeightsFileError(file, 'layout', `the header says ${w.layout.join('-')}, the network of meta.${DEEP_META} has ${engine.units.join('-')} units per node`);
  }
  const expected = new Map<string, Int32Array>();
  for (const i of engine.weightNodes) expected.set(`W${i}`, engine.weights(i)).set(`B${i}`, engine.biases(i));
  const names = [...expected.keys()];
  for (const t of w.tensors) {
    const into = expected.get(t.name);
    if (!into) throw new WeightsFileError(file, `tensors.${t.name}`, `not a tensor of this network (expected ${names.join(', ')})`);
    if (t.data.length !== into.length) throw new WeightsFileError(file, `tensors.${t.name}`, `expected ${into.length} elements, found ${t.data.length}`);
    const bits = t.bits ?? 32;
    const frac = t.fracBits ?? w.fracBits.weights;
    if (bits !== 32 || frac !== Q_WEIGHT) throw new WeightsFileError(file, `tensors.${t.name}`, `expected 32-bit Q${Q_WEIGHT} (the deep engine's format), found ${bits}-bit Q${frac}`);
  }
  const missing = names.find((n) => !w.tensors.some((t) => t.name === n));
  if (missing) throw new WeightsFileError(file, `tensors.${missing}`, 'missing');
  const epoch = runEpochOf(w, file);
  const meta = w.meta ?? {};
  const transform = Object.hasOwn(meta, INPUT_TRANSFORM_META) ? parseInputTransform(meta[INPUT_TRANSFORM_META], engine.units[0], file) : undefined;
  for (const t of w.tensors) {
    // a fresh view per tensor: the views above may be detached if the memory grew meanwhile
    const i = Number(t.name.slice(1));
    (t.name[0] === 'W' ? engine.weights(i) : engine.biases(i)).set(t.data);
  }
  return { file, weights: w, engine, epoch, transform };
}

/** Reads a deep network's weights file (a regular file, checked as deepModelOf does) into a new engine. */
export async function loadDeepModel(path: string): Promise<DeepModel> {
  return deepModelOf(await loadWeights(path), path);
}

/** The class the network predicts for one sample of u8 inputs (no update, nothing counted). */
export function deepPredict(engine: DeepEngine, x: ArrayLike<number>): number {
  const a = engine.activations(0);
  if (x.length !== a.length) throw new RangeError(`expected ${a.length} inputs, got ${x.length}`);
  for (let i = 0; i < a.length; i++) a[i] = x[i] * 257;
  return engine.exports.predict();
}
