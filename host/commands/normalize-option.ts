/**
 * `--normalize reflect|none` of `spintrain train`: the input reflection of host/data/feature-reflection.ts.
 * Default: reflect for IDX files given by path (user data; MNIST's own files have no pixel to reflect),
 * none for the built-in data sets and CSV files (their quantisation is min-max, CSV's own choice), and
 * none with --teacher, whose soft targets come from the raw inputs.
 */
import type { Dataset } from '../data/index.ts';
import { encodeReflection, reflectDataset, reflectedCount, type Reflection } from '../data/feature-reflection.ts';
import { WeightsFileError } from '../io/errors.ts';
import { describeInputTransform, INPUT_TRANSFORM_META, sameInputTransform, type InputTransform } from '../data/input-transform.ts';
import { CliError, choiceOption } from './errors.ts';

export const NORMALIZE_USAGE = `  --normalize reflect|none   reflect: x → 255 − x for each feature that is 255 more often than 0 in the train split
                             (dense inputs such as inverted images become sparse; zeros stay zeros; saved weights
                             take raw inputs) (default reflect for IDX files, none otherwise)`;

/** Whether `spec` names IDX files by path (not a built-in data set, not CSV). */
function isIdxPaths(spec: string): boolean {
  const paths = spec.split(',').map((p) => p.trim().toLowerCase());
  return paths.length >= 2 && !paths.some((p) => /\.csv(\.gz)?$/.test(p));
}

/** The data set the run trains on, and the reflection applied to it (undefined: none). */
export function normalizeOption(value: string | undefined, spec: string, dataset: Dataset, teacher: boolean): { dataset: Dataset; reflection?: Reflection } {
  const mode = choiceOption('--normalize', value, ['reflect', 'none'] as const, isIdxPaths(spec) && !teacher ? 'reflect' : 'none');
  if (mode === 'none') return { dataset };
  if (teacher) throw new CliError('--normalize', 'reflect does not combine with --teacher (the teacher takes raw inputs)');
  const r = reflectDataset(dataset);
  return reflectedCount(r.reflection) === 0 ? { dataset } : r;
}

/**
 * A checkpoint resumes only with the input transform it was trained with (meta.inputTransform: the same
 * quantisation and reflection, refitted from the same data). A file that recorded none (older than the
 * field) is checked for its reflection alone (none unless it has the legacy meta.reflect).
 */
export function checkResumeInputTransform(recorded: InputTransform | undefined, run: InputTransform, file: string): void {
  const a = recorded?.reflect ? encodeReflection(recorded.reflect) : '';
  const b = run.reflect ? encodeReflection(run.reflect) : '';
  const say = (s: string): string => (s === '' ? 'no features' : `features ${s.length > 40 ? s.slice(0, 40) + '…' : s}`);
  if (a !== b) {
    throw new WeightsFileError(file, `meta.${INPUT_TRANSFORM_META}.reflect`, `the checkpoint was trained with ${say(a)} reflected, this run reflects ${say(b)}: resume on the same data with the same --normalize`);
  }
  if (recorded && !sameInputTransform(recorded, run)) {
    throw new WeightsFileError(file, `meta.${INPUT_TRANSFORM_META}`, `the checkpoint's inputs were ${describeInputTransform(recorded)}, this run's are ${describeInputTransform(run)}${recorded.kind === run.kind ? ' with other per-feature bounds' : ''}: resume on the same data`);
  }
}
