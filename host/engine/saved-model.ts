/**
 * A weights file as a model on raw inputs: its input transform (host/data/input-transform.ts,
 * meta.inputTransform) and the tensors the engine trained, ready to predict on raw feature rows.
 *
 * Files written before the transform was recorded still load:
 *   - meta.reflect without meta.inputTransform (the reflection was folded into the first layer):
 *     the tensors are unfolded (exact, host/engine/input-reflection.ts) and the transform is raw-u8
 *     with that reflection, so the model computes the network that was trained;
 *   - neither: no recorded transform (undefined); the inputs are taken as the u8 values given.
 * A file with both fields is refused (the reflection lives in meta.inputTransform).
 */
import type { WeightsFile } from '../io/weights-file.ts';
import { WeightsFileError } from '../io/errors.ts';
import { applyInputTransform, encodeInputTransform, INPUT_TRANSFORM_META, parseInputTransform, type InputTransform } from '../data/input-transform.ts';
import { reflectedCount } from '../data/feature-reflection.ts';
import { reflectionOf, unfoldReflection } from './input-reflection.ts';
import { applyWeightsFile, loadCheckpoint, type Checkpoint } from './checkpoint.ts';
import { SpintrainEngine } from './wasm-engine.ts';

/** The input transform a weights file records (undefined: none recorded) and its tensors as trained. */
export function savedInputTransform(w: WeightsFile, file: string): { transform?: InputTransform; weights: WeightsFile } {
  const meta = w.meta ?? {};
  if (Object.hasOwn(meta, INPUT_TRANSFORM_META)) {
    if (Object.hasOwn(meta, 'reflect')) throw new WeightsFileError(file, 'meta.reflect', `not expected with meta.${INPUT_TRANSFORM_META}, which records the reflection`);
    return { transform: parseInputTransform(meta[INPUT_TRANSFORM_META], w.layout[0], file), weights: w };
  }
  const r = reflectionOf(w, file);
  if (reflectedCount(r) === 0) return { weights: w };
  return { transform: { kind: 'raw-u8', features: w.layout[0], reflect: r }, weights: unfoldReflection(w, file) };
}

/** `w` recording `t` in meta.inputTransform (and no legacy meta.reflect). */
export function withInputTransform(w: WeightsFile, t: InputTransform | undefined): WeightsFile {
  const { reflect: _legacy, [INPUT_TRANSFORM_META]: _old, ...meta } = w.meta ?? {};
  return { ...w, meta: t ? { ...meta, [INPUT_TRANSFORM_META]: encodeInputTransform(t) } : meta };
}

/** A saved model: a predict-only engine holding the trained tensors, and the transform its inputs need. */
export interface SavedModel {
  file: string;
  checkpoint: Checkpoint;
  transform?: InputTransform;
  engine: SpintrainEngine;
}

/** Reads a weights file (checked as loadCheckpoint does) into a predict-only engine. */
export async function loadModel(path: string): Promise<SavedModel> {
  const checkpoint = await loadCheckpoint(path);
  const { transform, weights } = savedInputTransform(checkpoint.file, path);
  const { config } = checkpoint;
  // Prediction never draws: pgaf and bp share the forward pass; the pair algorithm's forward is bp's.
  const engine = new SpintrainEngine({ ...config, algorithm: config.algorithm === 'pgaf' ? 'pgaf' : 'bp' });
  applyWeightsFile(engine, weights, path);
  return { file: path, checkpoint, transform, engine };
}

/** The engine's u8 inputs for raw feature rows: the model's transform, or the values as u8 when it recorded none. */
export function modelInputs(model: Pick<SavedModel, 'transform' | 'engine'>, rows: readonly ArrayLike<number>[]): Uint8Array {
  return applyInputTransform(model.transform ?? { kind: 'raw-u8', features: model.engine.layout[0] }, rows);
}

/** Predicted classes of raw feature rows. */
export function predictRaw(model: Pick<SavedModel, 'transform' | 'engine'>, rows: readonly ArrayLike<number>[]): number[] {
  const x = modelInputs(model, rows);
  const n = model.engine.layout[0];
  return rows.map((_r, s) => model.engine.predict(x.subarray(s * n, (s + 1) * n)));
}

/** Accuracy on raw feature rows with their labels. */
export function evaluateRaw(model: Pick<SavedModel, 'transform' | 'engine'>, rows: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  if (labels.length !== rows.length) throw new RangeError(`expected ${rows.length} labels, found ${labels.length}`);
  const p = predictRaw(model, rows);
  return p.filter((c, i) => c === labels[i]).length / rows.length;
}
