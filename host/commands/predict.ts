/**
 * `spintrain predict --weights W --input FILE|-`: a saved model's class for each raw feature row of a CSV
 * file (or standard input), one JSON line per row: {"line": L, "class": k, "name": "…"}. A row holds exactly
 * the model's feature count of numbers, comma-separated; blank lines are skipped, and a first line with a
 * cell that is not a number is taken as a header. The model's input transform (meta.inputTransform) maps
 * the raw values to its u8 inputs, as in training.
 */
import { readFileSync } from 'node:fs';
import { DatasetError } from '../data/errors.ts';
import { loadModel, modelInputs } from '../engine/saved-model.ts';
import { CliError } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { classNamesOf } from './class-names.ts';
import { readRegularTextSync, RegularFileError } from '../io/regular-file.ts';

export const PREDICT_USAGE = `spintrain predict --weights FILE --input FILE|-
  --weights FILE             a weights file written by spintrain train --save (or a checkpoint)
  --input FILE|-             CSV rows of raw feature values (the model's feature count per row, no label column;
                             an optional header line), or - for standard input; prints one JSON line per row:
                             {"line": L, "class": k, "name": "<class name>"}`;

export const PREDICT_OPTIONS = { weights: { type: 'string' }, input: { type: 'string' } } as const;

/** Raw feature rows of CSV text, each of `features` numbers; errors name the file, line and column. */
export function parseFeatureRows(text: string, file: string, features: number): { rows: number[][]; lines: number[] } {
  const rows: number[][] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const cells = line.split(',').map((c) => c.trim());
    const values = cells.map((c) => (c === '' ? NaN : Number(c)));
    if (rows.length === 0 && lines.length === 0 && values.some((v) => Number.isNaN(v)) && cells.some((c) => c !== '' && Number.isNaN(Number(c)))) {
      lines.push(-(i + 1)); // the header line, remembered only to skip it
      return;
    }
    if (cells.length !== features) throw new DatasetError(file, `line ${i + 1}: expected ${features} comma-separated feature values (the model's inputs), found ${cells.length}`);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DatasetError(file, `line ${i + 1}, column ${bad + 1}: expected a number, found ${JSON.stringify(cells[bad])}`);
    rows.push(values);
    lines.push(i + 1);
  });
  return { rows, lines: lines.filter((l) => l > 0) };
}

export async function predictCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, PREDICT_OPTIONS);
  const weights = pathOption('--weights', values.weights);
  if (!weights) throw new CliError('--weights', 'required: the weights file to predict with');
  const input = pathOption('--input', values.input);
  if (!input) throw new CliError('--input', 'required: a CSV file of feature rows, or - for standard input');
  const model = await loadModel(weights);
  const features = model.engine.layout[0];
  let text: string;
  try {
    text = input === '-' ? readFileSync(0, 'utf8') : readRegularTextSync(input, { maxBytes: 2 ** 28 });
  } catch (e) {
    if (e instanceof RegularFileError) throw new DatasetError(input, e.reason);
    throw e;
  }
  const { rows, lines } = parseFeatureRows(text, input === '-' ? '(stdin)' : input, features);
  const outputs = model.engine.layout[model.engine.layout.length - 1];
  const names = classNamesOf(model, undefined, outputs === 1 ? 2 : outputs);
  const x = modelInputs(model, rows);
  const out: string[] = [];
  for (let s = 0; s < rows.length; s++) {
    const k = model.engine.predict(x.subarray(s * features, (s + 1) * features));
    out.push(JSON.stringify({ line: lines[s], class: k, name: names[k] }));
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  return 0;
}
