/**
 * `spintrain train --resume FILE`: the run continues the checkpoint's own configuration, so an option given
 * together with --resume must agree with it. Rules (each refusal a CliError naming the option, exit 2):
 *   - a network option (--hidden, --lr, --algo, ...) whose value differs from the checkpoint's is refused,
 *     never silently ignored; repeating the original options is fine;
 *   - --epochs must exceed the epochs the checkpoint has finished (there is nothing left to train otherwise);
 *   - a distillation checkpoint resumes only with the same --teacher, --temperature and --alpha, and a plain
 *     one only without --teacher (the soft targets are part of the run).
 */
import type { NetworkConfig, TrainingAlgorithm } from '../engine/config.ts';
import { learningRates } from '../engine/config.ts';
import { WeightsFileError } from '../io/errors.ts';
import { CliError } from './errors.ts';

/** The option → the checkpoint's value it sets, as comparable JSON. */
const NETWORK_FIELDS: Record<string, (c: NetworkConfig<TrainingAlgorithm>) => unknown> = {
  layout: (c) => c.layout,
  hidden: (c) => c.layout.slice(1, -1),
  activation: (c) => c.activation,
  output: (c) => c.output,
  algo: (c) => c.algorithm,
  'relu-sampled': (c) => c.reluSampled,
  'pair-step': (c) => c.pairStep,
  'trainable-activation': (c) => c.trainableActivation ?? false,
  'activation-range': (c) => c.activationRange,
  lr: (c) => learningRates(c),
  decay: (c) => c.decay,
  momentum: (c) => c.momentum,
  'p-floor': (c) => c.probabilityFloor,
  'delta-clip': (c) => c.deltaClip,
  'draw-pairs': (c) => c.pairs,
  seed: (c) => c.seed,
  'weight-bits': (c) => c.weightBits ?? 32,
};

/**
 * Refuses a given network option (name without --) whose value in `mine` differs from `theirs`, the
 * configuration of `what` (a checkpoint, a weights file) that the command uses instead.
 */
export function checkSameConfig(given: Set<string>, mine: NetworkConfig<TrainingAlgorithm>, theirs: NetworkConfig<TrainingAlgorithm>, what: string, why: string): void {
  for (const [option, field] of Object.entries(NETWORK_FIELDS)) {
    if (!given.has(option)) continue;
    const a = JSON.stringify(field(mine));
    const b = JSON.stringify(field(theirs));
    if (a !== b) throw new CliError(`--${option}`, `${a} differs from ${what} (${b}); ${why}: drop --${option} or give that value`);
  }
}

/** The distillation a run used, as recorded in its checkpoint's meta.distill (JSON). */
export interface DistillRecord {
  /** sha256 of the teacher's weights file. */
  teacherSha256: string;
  temperature: number;
  alpha: number;
}

export interface ResumeCheck {
  file: string;
  /** Epochs the checkpoint has finished (its meta.epoch + 1). */
  finished: number;
  config: NetworkConfig<TrainingAlgorithm>;
  distill?: DistillRecord;
}

export function checkResumeOptions(
  job: { given: Set<string>; config: NetworkConfig<TrainingAlgorithm>; epochs: number; teacher?: { file: string; temperature: number; alpha: number } },
  teacherSha256: string | undefined,
  cp: ResumeCheck,
): void {
  checkSameConfig(job.given, job.config, cp.config, `the checkpoint ${cp.file}`, '--resume continues the checkpoint\'s configuration');
  if (!(cp.finished < job.epochs)) {
    throw new CliError('--epochs', `${job.epochs}, but the checkpoint ${cp.file} (--resume) has already finished ${cp.finished} epochs; give --epochs > ${cp.finished} to train on`);
  }
  if (cp.distill && !job.teacher) throw new CliError('--teacher', `required: the checkpoint ${cp.file} (--resume) was distilled from a teacher; give the same --teacher, --temperature and --alpha`);
  if (!cp.distill && job.teacher) throw new CliError('--teacher', `the checkpoint ${cp.file} (--resume) was trained without a teacher; resume it without --teacher`);
  if (cp.distill && job.teacher) {
    if (cp.distill.teacherSha256 !== teacherSha256) throw new CliError('--teacher', `${job.teacher.file} is not the teacher the checkpoint ${cp.file} was distilled from`);
    for (const o of ['temperature', 'alpha'] as const) {
      if (cp.distill[o] !== job.teacher[o]) throw new CliError(`--${o}`, `${job.teacher[o]} differs from the checkpoint ${cp.file} (${cp.distill[o]})`);
    }
  }
}

/** meta.distill of a checkpoint: undefined for a plain run; a malformed record is a file error naming the field. */
export function distillRecordOf(meta: Record<string, string | number> | undefined, file: string): DistillRecord | undefined {
  const raw = meta?.distill;
  if (raw === undefined) return undefined;
  let r: Partial<DistillRecord> | undefined;
  try {
    r = typeof raw === 'string' ? (JSON.parse(raw) as Partial<DistillRecord>) : undefined;
  } catch {
    r = undefined;
  }
  if (!r || typeof r.teacherSha256 !== 'string' || typeof r.temperature !== 'number' || typeof r.alpha !== 'number') {
    throw new WeightsFileError(file, 'meta.distill', 'expected JSON {teacherSha256, temperature, alpha}');
  }
  return r as DistillRecord;
}
