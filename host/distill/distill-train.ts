/**
 * Student training on a teacher's soft targets (Hinton, Vinyals & Dean 2015): the trainer's epochs
 * (host/train/trainer.ts trainEpochs, through the epoch plan: same shuffle, schedule, evaluation, report
 * and checkpoint hook) with every step on
 *   L = α·T²·CE(q, softmax(z/T)) + (1 − α)·CE(onehot(label), softmax(z))
 * z the student's logits, q = softmax(z_teacher/T). Its gradient with respect to z,
 *   δ_k = α·T·(softmax(z/T)_k − q_k) + (1 − α)·(p_k − [k = label]),
 * is formed on the host from the module's z and p = softmax(z) (the student's softmax runs at T = 1)
 * and handed back through the soft-target path (SpintrainEngine.trainOutputGradient), so the module's
 * backward pass and update run on exactly this δ (to Q16) with the configured learning rates.
 * α = 0 is plain training, bit for bit.
 */
import type { Dataset } from '../data/index.ts';
import { SpintrainEngine, type Draws } from '../engine/wasm-engine.ts';
import type { NetworkConfig } from '../engine/config.ts';
import { trainEpochs, type EpochReport, type TrainResult } from '../train/trainer.ts';
import type { TrainStep } from '../train/epoch-plan.ts';
import { softmaxAt, type Teacher } from './teacher.ts';
import { DistillationError } from './errors.ts';

export interface DistillOptions {
  epochs: number;
  teacher: Teacher;
  /** Temperature T ≥ 1 of the soft targets. */
  temperature: number;
  /** Weight α ∈ [0, 1] of the soft targets (1 − α on the hard label). */
  alpha: number;
  draws?: Draws;
  onEpoch?: (r: EpochReport) => void;
  /** Continue this engine (a resumed checkpoint) instead of a fresh student. */
  engine?: SpintrainEngine;
  /** First epoch to train (a resumed run: the checkpoint's epoch + 1); the shuffles of the earlier ones are skipped. */
  startEpoch?: number;
  /** After each epoch, e.g. to save a checkpoint. */
  onEpochEnd?: (engine: SpintrainEngine, epoch: number, testAccuracy: number) => Promise<void> | void;
}

/** The student's configuration: the network's own, with the softmax at T = 1 (the temperature is the loss's). */
export function studentConfig(config: NetworkConfig): NetworkConfig {
  const { temperature: _unused, ...student } = config;
  return student;
}

/**
 * δ = ∂L/∂z of the distillation loss above, written into out: z the student's logits and p its
 * probabilities softmax(z) (both Q16, as the module holds them), q the teacher's soft targets at T.
 */
export function distillationGradient(
  zQ16: ArrayLike<number>, pQ16: ArrayLike<number>, q: ArrayLike<number>, label: number, temperature: number, alpha: number, out: Float64Array,
): Float64Array {
  const n = out.length;
  for (let k = 0; k < n; k++) out[k] = (1 - alpha) * (pQ16[k] / 65536 - (k === label ? 1 : 0));
  if (alpha > 0) {
    const z = new Float64Array(n);
    for (let k = 0; k < n; k++) z[k] = zQ16[k] / 65536;
    const pT = softmaxAt(z, temperature, z);
    for (let k = 0; k < n; k++) out[k] += alpha * temperature * (pT[k] - q[k]);
  }
  return out;
}

export async function trainWithTeacher(data: Dataset, config: NetworkConfig, opts: DistillOptions): Promise<TrainResult> {
  const { teacher, temperature: T, alpha } = opts;
  if (!(T >= 1 && T <= 100)) throw new DistillationError(`temperature must be in [1, 100], got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new DistillationError(`alpha must be in [0, 1], got ${alpha}`);
  if (teacher.inputs !== data.inputs || teacher.classes !== data.classes) {
    throw new DistillationError(`the teacher is ${teacher.inputs} → ${teacher.classes}, the data set ${data.inputs} → ${data.classes}`);
  }
  if (config.output !== 'softmax') throw new DistillationError('the student needs a softmax output for soft targets');
  const student = studentConfig(config);
  const engine = opts.engine ?? new SpintrainEngine(student, opts.draws ?? { kind: 'prng' });
  // Soft targets once per sample (the teacher is fixed): n × classes floats.
  const n0 = data.inputs;
  const C = data.classes;
  const targets = new Float64Array(data.train.n * C);
  if (alpha > 0) for (let i = 0; i < data.train.n; i++) teacher.softTarget(data.train.x.subarray(i * n0, (i + 1) * n0), T, targets.subarray(i * C, (i + 1) * C));
  return trainEpochs(engine, data, student, opts, distillationStep(engine, data, targets, T, alpha));
}

/**
 * The epoch plan's step on the distillation loss (host/train/epoch-plan.ts): one sample at a time through
 * trainOutputGradient, δ from distillationGradient. The module adds no loss for such a step
 * (assembly/loss.ts), so the step sums the hard-label cross-entropy −ln p_y [nats] of its epoch itself.
 */
function distillationStep(engine: SpintrainEngine, data: Dataset, targets: Float64Array, T: number, alpha: number): TrainStep {
  const n0 = data.inputs;
  const C = data.classes;
  let loss = 0;
  return {
    startEpoch: () => {
      loss = 0;
    },
    lossSum: () => loss,
    run(order, from, to) {
      let correct = 0;
      for (let s = from; s < to; s++) {
        const i = order[s];
        const label = data.train.y[i];
        const q = targets.subarray(i * C, (i + 1) * C);
        const y = engine.trainOutputGradient(data.train.x.subarray(i * n0, (i + 1) * n0), (z, p, delta) => {
          loss -= Math.log(Math.max(p[label], 1) / 65536);
          distillationGradient(z, p, q, label, T, alpha, delta);
        });
        if (y === label) correct++;
      }
      return correct;
    },
  };
}
