/**
 * Engine state ↔ weights file (host/io/weights-file.ts). Tensors: W<l> and B<l> per weight layer
 * (Q24, row-major n[l+1] × n[l]; with narrow weights, config.weightBits 16 or 8, W<l> is stored as i16 Q12 or
 * i8 Q6, a version-2 file: host/engine/weight-format.ts) and, with momentum, VW<l> and VB<l>; with a trainable activation,
 * K<k> and C<k> (slopes and shifts of hidden layer k ≥ 1, Q24). meta holds the network
 * configuration (JSON), the last finished epoch and the run's figures, so a checkpoint resumes.
 */
import { loadWeights, saveWeights, type WeightsFile } from '../io/weights-file.ts';
import { WeightsFileError } from '../io/errors.ts';
import { ConfigError, Q_ACT, Q_WEIGHT, shown, type NetworkConfig, type TrainingAlgorithm } from './config.ts';
import { parseStoredConfigJson, storedConfig } from './config-schema.ts';
import type { SpintrainEngine } from './wasm-engine.ts';
import { encodeInputTransform, INPUT_TRANSFORM_META, type InputTransform } from '../data/input-transform.ts';

/** The meta key of a deep network's shape (host/engine/deep-saved-model.ts): the dense engine refuses such a file. */
export const DEEP_META = 'deep';

export function engineToWeightsFile(engine: SpintrainEngine<TrainingAlgorithm>, meta: Record<string, string | number> = {}): WeightsFile {
  const { layout } = engine;
  const tensors: WeightsFile['tensors'] = [];
  for (let l = 0; l < layout.length - 1; l++) {
    const f = engine.weightFormat;
    const w = f.bits === 32 ? { name: `W${l}`, data: Int32Array.from(engine.weights(l)) } : { name: `W${l}`, data: Int32Array.from(engine.weights(l)), bits: f.bits, fracBits: f.fracBits };
    tensors.push(w, { name: `B${l}`, data: engine.biases(l).slice() });
    if (engine.config.momentum > 0) {
      tensors.push({ name: `VW${l}`, data: engine.velocityWeights(l).slice() }, { name: `VB${l}`, data: engine.velocityBiases(l).slice() });
    }
  }
  if (engine.config.trainableActivation) {
    for (let k = 1; k < layout.length - 1; k++) {
      tensors.push({ name: `K${k}`, data: engine.slopes(k).slice() }, { name: `C${k}`, data: engine.shifts(k).slice() });
    }
  }
  return {
    layout: [...layout],
    activation: `${engine.config.algorithm}-${engine.config.activation}`,
    fracBits: { weights: Q_WEIGHT, activations: Q_ACT },
    tensors,
    meta: { config: JSON.stringify(storedConfig(engine.config)), ...meta },
  };
}

/**
 * The network configuration stored in a weights file (meta.config, host/engine/config-schema.ts), checked
 * against the file's own header: same layout, activation "<algorithm>-<activation>", the engine's Q formats.
 */
export function configOf(w: WeightsFile, file: string): NetworkConfig {
  if (w.meta && Object.hasOwn(w.meta, DEEP_META)) {
    throw new WeightsFileError(file, `meta.${DEEP_META}`, 'a deep network\'s weights (spintrain deep train --save): use spintrain deep eval --weights');
  }
  const raw = w.meta?.config;
  if (typeof raw !== 'string') throw new WeightsFileError(file, 'meta.config', 'missing: not a spintrain checkpoint');
  let config: NetworkConfig<TrainingAlgorithm>;
  try {
    config = parseStoredConfigJson(raw);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const field = e.field.startsWith('(') ? 'meta.config' : `meta.config.${e.field}`;
    throw new WeightsFileError(file, field, e.message.slice(e.field.length + 2));
  }
  if (w.layout.join('-') !== config.layout.join('-')) {
    throw new WeightsFileError(file, 'layout', `the header says ${w.layout.join('-')}, meta.config says ${config.layout.join('-')}`);
  }
  const activation = `${config.algorithm}-${config.activation}`;
  if (w.activation !== activation) throw new WeightsFileError(file, 'activation', `expected "${activation}" (from meta.config), found ${shown(w.activation)}`);
  if (w.fracBits.weights !== Q_WEIGHT) throw new WeightsFileError(file, 'fracBits.weights', `expected ${Q_WEIGHT}, found ${w.fracBits.weights}`);
  if (w.fracBits.activations !== Q_ACT) throw new WeightsFileError(file, 'fracBits.activations', `expected ${Q_ACT}, found ${w.fracBits.activations}`);
  return config as NetworkConfig;
}

/** Loads a weights file's tensors into an engine of the same layout. */
export function applyWeightsFile(engine: SpintrainEngine<TrainingAlgorithm>, w: WeightsFile, file: string): void {
  const { layout } = engine;
  if (w.layout.length !== layout.length || w.layout.some((n, i) => n !== layout[i])) {
    throw new WeightsFileError(file, 'layout', `expected ${layout.join('-')}, found ${w.layout.join('-')}`);
  }
  if (w.fracBits.weights !== Q_WEIGHT) throw new WeightsFileError(file, 'fracBits.weights', `expected ${Q_WEIGHT}, found ${w.fracBits.weights}`);
  const byName = new Map(w.tensors.map((t) => [t.name, t]));
  const take = (name: string, into: Int32Array | Int16Array | Int8Array, optional = false, bits = 32, fracBits = Q_WEIGHT): void => {
    const tensor = byName.get(name);
    if (!tensor) {
      if (optional) return;
      throw new WeightsFileError(file, `tensors.${name}`, 'missing');
    }
    const t = tensor.data;
    if (t.length !== into.length) throw new WeightsFileError(file, `tensors.${name}`, `expected ${into.length} elements, found ${t.length}`);
    // a tensor is stored as the engine stores it: no silent re-rounding between formats
    const found = { bits: tensor.bits ?? 32, fracBits: tensor.fracBits ?? w.fracBits.weights };
    if (found.bits !== bits || found.fracBits !== fracBits) {
      throw new WeightsFileError(file, `tensors.${name}`, `expected ${bits}-bit Q${fracBits} (the engine's format), found ${found.bits}-bit Q${found.fracBits}`);
    }
    into.set(t);
  };
  const f = engine.weightFormat;
  for (let l = 0; l < layout.length - 1; l++) {
    take(`W${l}`, engine.weights(l), false, f.bits, f.fracBits);
    take(`B${l}`, engine.biases(l));
    if (engine.config.momentum > 0) {
      take(`VW${l}`, engine.velocityWeights(l), true);
      take(`VB${l}`, engine.velocityBiases(l), true);
    }
  }
  if (engine.config.trainableActivation) {
    for (let k = 1; k < layout.length - 1; k++) {
      take(`K${k}`, engine.slopes(k));
      take(`C${k}`, engine.shifts(k));
    }
  }
}

/**
 * Writes the engine's state as trained, with the input transform of its data (meta.inputTransform,
 * host/data/input-transform.ts; nothing is folded into the weights): the model applied to raw rows
 * through that transform computes what training measured (host/engine/saved-model.ts).
 */
export async function saveCheckpoint(path: string, engine: SpintrainEngine<TrainingAlgorithm>, meta: Record<string, string | number>, inputTransform?: InputTransform): Promise<void> {
  await saveWeights(path, engineToWeightsFile(engine, inputTransform ? { ...meta, [INPUT_TRANSFORM_META]: encodeInputTransform(inputTransform) } : meta));
}

/** Epochs a run may have: the bound of `spintrain train --epochs`. A checkpoint's epoch is below it. */
export const MAX_EPOCHS = 100_000;

/** A checkpoint read and checked: its tensors, configuration, and last finished epoch (−1: none recorded). */
export interface Checkpoint {
  file: WeightsFile;
  config: NetworkConfig;
  epoch: number;
}

/**
 * Reads a checkpoint (or any spintrain weights file with meta.config) and checks its meta fields:
 * epoch an integer in 0..MAX_EPOCHS−1 (absent in a file that was never trained, e.g. from build),
 * testAccuracy a number in [0, 1], dataset a non-empty string. Errors name the file and the field.
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  return checkpointOf(await loadWeights(path), path);
}

/** The checks of loadCheckpoint on a decoded weights file; `path` names it in errors. */
export function checkpointOf(file: WeightsFile, path: string): Checkpoint {
  const config = configOf(file, path);
  return { file, config, epoch: runEpochOf(file, path) };
}

/**
 * The run's own meta fields, as every spintrain weights file may record them (dense or deep,
 * host/engine/deep-saved-model.ts), checked: epoch an integer in 0..MAX_EPOCHS−1, testAccuracy a number in
 * [0, 1], dataset a non-empty string. Returns the last finished epoch (−1: none recorded).
 */
export function runEpochOf(file: WeightsFile, path: string): number {
  const meta = file.meta ?? {};
  const epoch = meta.epoch;
  if (epoch !== undefined && !(typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0 && epoch < MAX_EPOCHS)) {
    throw new WeightsFileError(path, 'meta.epoch', `expected the last finished epoch, an integer in 0..${MAX_EPOCHS - 1}, found ${shown(epoch)}`);
  }
  const acc = meta.testAccuracy;
  if (acc !== undefined && !(typeof acc === 'number' && acc >= 0 && acc <= 1)) {
    throw new WeightsFileError(path, 'meta.testAccuracy', `expected a number in [0, 1], found ${shown(acc)}`);
  }
  const dataset = meta.dataset;
  if (dataset !== undefined && !(typeof dataset === 'string' && dataset !== '')) {
    throw new WeightsFileError(path, 'meta.dataset', `expected the data set's name, found ${shown(dataset)}`);
  }
  return epoch === undefined ? -1 : (epoch as number);
}
