/**
 * Student training on a teacher's soft targets: the trainer's loop (host/train/trainer.ts: same
 * shuffle, schedule, evaluation and report) with every step on y = α·softmax(z_teacher/T) + (1 − α)·onehot.
 * The student's softmax runs at the same T during training (config.temperature; prediction does not
 * depend on T), so δ = p_T − y; the T² of Hinton's loss becomes a factor T on the learning rates
 * (∂(T²·CE)/∂z = T·(p_T − y)).
 */
import type { Dataset } from '../data/index.ts';
import { Rng } from '../rng.ts';
import { SpintrainEngine, type Draws } from '../engine/wasm-engine.ts';
import { learningRates, type NetworkConfig } from '../engine/config.ts';
import type { OpCounters } from '../engine/counters.ts';
import { addCounters, epochReport, type EpochReport, type TrainResult } from '../train/trainer.ts';
import type { Teacher } from './teacher.ts';
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
}

/** The student's configuration for distillation: temperature T and learning rates × T. */
export function studentConfig(config: NetworkConfig, temperature: number): NetworkConfig {
  return { ...config, temperature, learningRate: learningRates(config).map((lr) => lr * temperature) };
}

export async function trainWithTeacher(data: Dataset, config: NetworkConfig, opts: DistillOptions): Promise<TrainResult> {
  const { teacher, temperature: T, alpha } = opts;
  if (!(T >= 1 && T <= 100)) throw new DistillationError(`temperature must be in [1, 100], got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new DistillationError(`alpha must be in [0, 1], got ${alpha}`);
  if (teacher.inputs !== data.inputs || teacher.classes !== data.classes) {
    throw new DistillationError(`the teacher is ${teacher.inputs} → ${teacher.classes}, the data set ${data.inputs} → ${data.classes}`);
  }
  if (config.output !== 'softmax') throw new DistillationError('the student needs a softmax output for soft targets');
  const student = studentConfig(config, T);
  const engine = new SpintrainEngine(student, opts.draws ?? { kind: 'prng' });
  // Soft targets once per sample (the teacher is fixed): n × classes floats.
  const n0 = data.inputs;
  const targets = new Float64Array(data.train.n * data.classes);
  for (let i = 0; i < data.train.n; i++) {
    teacher.softTarget(data.train.x.subarray(i * n0, (i + 1) * n0), data.train.y[i], T, alpha, targets.subarray(i * data.classes, (i + 1) * data.classes));
  }
  const testSplit = engine.loadSplit(data.test);
  const shuffleRng = new Rng((config.seed * 2654435761) >>> 0);
  const epochs: EpochReport[] = [];
  let total: OpCounters | undefined;
  let seconds = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    engine.setEpoch(epoch);
    engine.resetCounters();
    const order = shuffleRng.shuffle(Int32Array.from({ length: data.train.n }, (_v, i) => i));
    let correct = 0;
    const t0 = performance.now();
    for (const i of order) {
      const y = engine.trainSoftTarget(data.train.x.subarray(i * n0, (i + 1) * n0), targets.subarray(i * data.classes, (i + 1) * data.classes));
      if (y === data.train.y[i]) correct++;
    }
    const dt = (performance.now() - t0) / 1000;
    const report = epochReport(engine, epoch, correct / data.train.n, testSplit, data.test.n, dt);
    const ops = report.ops;
    epochs.push(report);
    opts.onEpoch?.(report);
    total = total ? addCounters(total, ops) : ops;
    seconds += dt;
  }
  engine.freeSplits();
  const last = epochs[epochs.length - 1];
  return {
    dataset: data.name,
    config: student,
    epochs,
    trainAccuracy: last?.trainAccuracy ?? 0,
    testAccuracy: last?.testAccuracy ?? 0,
    samples: data.train.n * opts.epochs,
    trainSeconds: seconds,
    ops: total ?? engine.counters(),
    planBytes: engine.planBytes,
    curve: [],
    engine,
  };
}
