/**
 * `spintrain eval --weights W --dataset D`: a saved model's accuracy and confusion matrix on a data set's
 * test part. The part is the one `spintrain train --dataset D` tests on with the model's seed: the test
 * file(s) when D names them, the seeded stratified 80/20 split of a single CSV file, the built-in test split
 * of mnist, iris and xor. The model's own input transform (meta.inputTransform) is applied to the raw rows
 * (CSV, Iris) or its reflection to the bytes (IDX, MNIST), exactly as the model was trained; nothing is
 * refitted on the evaluated data.
 */
import { loadDataset, UnknownDatasetError, type Dataset } from '../data/index.ts';
import { applyInputTransform, reflectU8 } from '../data/input-transform.ts';
import { loadModel, type SavedModel } from '../engine/saved-model.ts';
import { CliError } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { LABEL_COLUMN_USAGE, labelColumnOption } from './label-column-option.ts';
import { classNamesOf } from './class-names.ts';

export const EVAL_USAGE = `spintrain eval --weights FILE --dataset D [--label-column C] [--json]
  --weights FILE             a weights file written by spintrain train --save (or a checkpoint)
  --dataset D                as for spintrain train (mnist|iris|xor|IDX files|CSV files); evaluated on its test part:
                             the test file(s) when given, else the split spintrain train makes with the model's seed
${LABEL_COLUMN_USAGE}
  --json                     one JSON object: accuracy, n, classNames, confusion (rows: true class, columns: predicted)`;

export const EVAL_OPTIONS = { weights: { type: 'string' }, dataset: { type: 'string' }, 'label-column': { type: 'string' }, json: { type: 'boolean' } } as const;

export interface EvalResult {
  weights: string;
  dataset: string;
  n: number;
  accuracy: number;
  classNames: string[];
  /** confusion[t][p]: test samples of true class t predicted as p. */
  confusion: number[][];
}

/** The engine's u8 inputs for the test part of `d`, through the model's transform. */
export function evalInputs(model: Pick<SavedModel, 'transform'>, d: Dataset, spec: string): Uint8Array {
  const t = model.transform;
  if (!t) return d.test.x; // a file that records no transform: the inputs as the data set gives them
  if (d.testRaw) return applyInputTransform(t, d.testRaw);
  if (t.kind === 'min-max') {
    throw new CliError('--dataset', `${spec} holds u8 bytes, but the model scales real-valued features (min-max over ${t.features}); evaluate it on data like its training data`);
  }
  return reflectU8(t, d.test.x);
}

export function evaluateModel(model: SavedModel, d: Dataset, spec: string): EvalResult {
  const inputs = model.engine.layout[0];
  const outputs = model.engine.layout[model.engine.layout.length - 1];
  if (d.inputs !== inputs) throw new CliError('--dataset', `${spec} has ${d.inputs} features; the model ${model.file} takes ${inputs}`);
  const classes = outputs === 1 ? 2 : outputs;
  if (d.classes > classes) throw new CliError('--dataset', `${spec} has ${d.classes} classes; the model ${model.file} predicts ${classes}`);
  const x = evalInputs(model, d, spec);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let s = 0; s < d.test.n; s++) {
    const p = model.engine.predict(x.subarray(s * inputs, (s + 1) * inputs));
    const y = d.test.y[s];
    confusion[y][p]++;
    if (p === y) correct++;
  }
  return { weights: model.file, dataset: d.name, n: d.test.n, accuracy: correct / Math.max(1, d.test.n), classNames: classNamesOf(model, d, classes), confusion };
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, EVAL_OPTIONS);
  const weights = pathOption('--weights', values.weights);
  if (!weights) throw new CliError('--weights', 'required: the weights file to evaluate');
  const spec = values.dataset;
  if (spec === undefined || spec.trim() === '') throw new CliError('--dataset', 'required: the data set to evaluate on');
  const labelColumn = labelColumnOption(values['label-column'], spec);
  const model = await loadModel(weights);
  let d: Dataset;
  try {
    d = loadDataset(spec, { seed: model.checkpoint.config.seed, labelColumn });
  } catch (e) {
    if (e instanceof UnknownDatasetError) throw new CliError('--dataset', e.message);
    throw e;
  }
  printEvalResult(evaluateModel(model, d, spec), spec, values.json ?? false);
  return 0;
}

/** An evaluation on stdout: one JSON object, or the accuracy line and the confusion matrix (spintrain deep eval too). */
export function printEvalResult(r: EvalResult, spec: string, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const width = Math.max(4, ...r.classNames.map((c) => c.length), ...r.confusion.flat().map((v) => String(v).length));
  const cell = (s: string): string => s.padStart(width);
  const lines = [
    `${r.weights} on ${spec} (test part, ${r.n} samples): accuracy ${(100 * r.accuracy).toFixed(2)}%`,
    'confusion (rows: true class, columns: predicted)',
    `${cell('')}  ${r.classNames.map(cell).join(' ')}`,
    ...r.confusion.map((row, t) => `${cell(r.classNames[t])}  ${row.map((v) => cell(String(v))).join(' ')}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
