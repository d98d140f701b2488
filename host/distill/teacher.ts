/**
 * A teacher network for knowledge distillation (Hinton, Vinyals & Dean 2015): a spintrain weights
 * file (host/io/weights-file.ts, e.g. from `spintrain train --save`) loaded into its own engine on the
 * host. Its soft targets at temperature T:
 *   q_k = softmax(z / T)_k              z the teacher's output logits (the engine's Z[L], Q16)
 * (the student's loss that uses them: distill-train.ts).
 */
import { SpintrainEngine } from '../engine/wasm-engine.ts';
import { applyWeightsFile, loadCheckpoint } from '../engine/checkpoint.ts';
import { savedInputTransform } from '../engine/saved-model.ts';
import type { InputTransform } from '../data/input-transform.ts';
import { DistillationError } from './errors.ts';

export class Teacher {
  private readonly reflected?: Uint8Array;

  /**
   * `inputTransform`: the teacher's saved input transform (meta.inputTransform). The teacher is given the
   * data set's u8 inputs and applies its own reflection to them, so a teacher trained with
   * --normalize reflect computes the network it trained. (Its min-max scale cannot be re-applied to
   * inputs already quantised: the data set's own scale is used, as it always was.)
   */
  constructor(readonly engine: SpintrainEngine, readonly inputTransform?: InputTransform) {
    if (engine.config.output !== 'softmax') throw new DistillationError('the teacher must have a softmax output');
    if (inputTransform?.reflect) this.reflected = new Uint8Array(engine.layout[0]);
  }

  static async load(path: string): Promise<Teacher> {
    const { file, config } = await loadCheckpoint(path);
    // The teacher only predicts: its own module PRNG (never drawn from in prediction).
    const engine = new SpintrainEngine({ ...config, algorithm: config.algorithm === 'pgaf' ? 'pgaf' : 'bp' });
    const { transform, weights } = savedInputTransform(file, path);
    applyWeightsFile(engine, weights, path);
    return new Teacher(engine, transform);
  }

  get inputs(): number {
    return this.engine.layout[0];
  }

  get classes(): number {
    return this.engine.layout[this.engine.layout.length - 1];
  }

  /** Output logits z (float) for one input. */
  logits(x: Uint8Array): Float64Array {
    const r = this.inputTransform?.reflect;
    if (r && this.reflected) {
      for (let i = 0; i < r.length; i++) this.reflected[i] = r[i] ? 255 - x[i] : x[i];
      x = this.reflected;
    }
    this.engine.predict(x);
    return Float64Array.from(this.engine.preActivations(this.engine.layout.length - 1), (v) => v / 65536);
  }

  /** Soft targets q = softmax(z/T) of the teacher's logits z, written into out. */
  softTarget(x: Uint8Array, temperature: number, out = new Float64Array(this.classes)): Float64Array {
    return softmaxAt(this.logits(x), temperature, out);
  }
}

/** softmax(z/T) in float, written into out. */
export function softmaxAt(z: ArrayLike<number>, temperature: number, out = new Float64Array(z.length)): Float64Array {
  let m = -Infinity;
  for (let k = 0; k < z.length; k++) if (z[k] > m) m = z[k];
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += out[k] = Math.exp((z[k] - m) / temperature);
  for (let k = 0; k < z.length; k++) out[k] /= sum;
  return out;
}
