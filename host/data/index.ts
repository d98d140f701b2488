/**
 * One entry point for every dataset: `loadDataset(spec, opts)`.
 *
 *   spec = "mnist" | "iris" | "xor"
 *        | "<images.idx>,<labels.idx>"                                   (seeded stratified holdout as test)
 *        | "<images.idx>,<labels.idx>,<testImages.idx>,<testLabels.idx>"  (explicit test files)
 *        | "<file.csv>"                                                  (seeded stratified holdout as test)
 *        | "<train.csv>,<test.csv>"                                      (explicit test file)
 *
 * A spec is CSV when one of its paths ends in .csv or .csv.gz (host/data/csv.ts); otherwise a path list
 * is IDX. IDX and CSV paths may be gzipped. Names are case-insensitive.
 */
import { basename } from 'node:path';
import { Rng } from '../rng.ts';
import type { Dataset } from './dataset.ts';
import { assertDatasetShape, limitSplit, selectSamples } from './dataset.ts';
import { impossibleLabelColumn, isCsvSpec, loadCsvDataset, type LabelColumn } from './csv.ts';
import { DatasetError, UnknownDatasetError } from './errors.ts';
import { loadIris } from './iris.ts';
import { loadIdxPair, loadMnist } from './mnist.ts';
import { stratifiedSplit } from './stratified-split.ts';
import { loadXor } from './xor.ts';

export type { Dataset, Split } from './dataset.ts';
export { DatasetError, IdxFormatError, UnknownDatasetError } from './errors.ts';
export { CsvFormatError, isCsvSpec, type LabelColumn } from './csv.ts';

export interface LoadDatasetOptions {
  /** Keep only the first trainLimit training samples. */
  trainLimit?: number;
  /** Keep only the first testLimit test samples. */
  testLimit?: number;
  /** Seed of any random split (Iris, or an IDX pair without test files); default 1. */
  seed?: number;
  /** Test fraction of a random split (default 0.2). */
  testFraction?: number;
  /** Number of classes of an IDX dataset (default 10); labels must be below it. */
  classes?: number;
  /** CSV only: the label column, a header name or a 0-based index (−1: the last; the default). */
  labelColumn?: LabelColumn;
}

/** The built-in dataset names. */
export const DATASET_NAMES = ['mnist', 'iris', 'xor'] as const;

const SPEC_HELP = `expected one of ${DATASET_NAMES.join(', ')} or "<images.idx>,<labels.idx>[,<testImages.idx>,<testLabels.idx>]", or a CSV "<file.csv>[,<test.csv>]"`;

/** Load the dataset named by `spec` (see the module comment). */
export function loadDataset(spec: string, opts: LoadDatasetOptions = {}): Dataset {
  const trimmed = spec.trim();
  const name = trimmed.toLowerCase();
  let d: Dataset;
  const csv = isCsvSpec(trimmed);
  if (opts.labelColumn !== undefined) {
    if (!csv) throw new UnknownDatasetError(spec, 'a label column applies only to a CSV data set (<file.csv>[,<test.csv>])');
    const why = impossibleLabelColumn(opts.labelColumn);
    if (why) throw new DatasetError(spec, `label column: ${why}`);
  }
  if (csv) {
    d = loadCsvDataset(trimmed.split(',').map((p) => p.trim()), { labelColumn: opts.labelColumn, seed: opts.seed, testFraction: opts.testFraction });
  } else if (name === 'mnist') {
    d = loadMnist({ trainLimit: opts.trainLimit, testLimit: opts.testLimit });
  } else if (name === 'iris') {
    d = loadIris({ seed: opts.seed, testFraction: opts.testFraction });
  } else if (name === 'xor') {
    d = loadXor();
  } else if (trimmed.includes(',')) {
    d = loadIdxDataset(trimmed.split(',').map((p) => p.trim()), opts);
  } else {
    throw new UnknownDatasetError(spec, `unknown dataset; ${SPEC_HELP}`);
  }
  d = {
    ...d,
    train: limitSplit(d.train, d.inputs, opts.trainLimit),
    test: limitSplit(d.test, d.inputs, opts.testLimit),
  };
  assertDatasetShape(d);
  return d;
}

function loadIdxDataset(paths: string[], opts: LoadDatasetOptions): Dataset {
  if ((paths.length !== 2 && paths.length !== 4) || paths.some((p) => p === '')) {
    throw new UnknownDatasetError(paths.join(','), `expected 2 or 4 comma-separated IDX paths, found ${paths.filter((p) => p !== '').length}; ${SPEC_HELP}`);
  }
  const classes = opts.classes ?? 10;
  const train = loadIdxPair(paths[0], paths[1], { classes });
  const name = basename(paths[0]);
  if (paths.length === 4) {
    const test = loadIdxPair(paths[2], paths[3], { classes });
    if (test.inputs !== train.inputs) {
      throw new DatasetError(paths[2], `expected ${train.inputs} features per sample like ${paths[0]}, found ${test.inputs}`);
    }
    return { name, inputs: train.inputs, classes, train: train.split, test: test.split };
  }
  const rng = new Rng(opts.seed ?? 1);
  const testFraction = opts.testFraction ?? 0.2;
  const idx = stratifiedSplit(train.split.y, testFraction, rng);
  checkSplitSides(paths[0], train.split.y, idx.train.length, idx.test.length, testFraction);
  return {
    name,
    inputs: train.inputs,
    classes,
    train: selectSamples(train.split, train.inputs, idx.train),
    test: selectSamples(train.split, train.inputs, idx.test),
  };
}

/**
 * Both sides of a random split must hold samples: a split that leaves the test (or train) side
 * empty would train on nothing or report an accuracy over no samples. Names the images file.
 */
function checkSplitSides(file: string, labels: Uint8Array, trainCount: number, testCount: number, testFraction: number): void {
  if (trainCount > 0 && testCount > 0) return;
  const perClass = new Map<number, number>();
  for (const c of labels) perClass.set(c, (perClass.get(c) ?? 0) + 1);
  const counts = [...perClass.entries()].sort((a, b) => a[0] - b[0]).map(([c, k]) => `${c}: ${k}`).join(', ');
  const side = testCount === 0 ? 'test' : 'train';
  throw new DatasetError(
    file,
    `data set too small to split: ${labels.length} samples (per class ${counts}); the stratified ${Math.round(100 * (1 - testFraction))}/${Math.round(100 * testFraction)} split leaves the ${side} split empty. ` +
      'Give more samples per class, or explicit test files (<images.idx>,<labels.idx>,<test-images.idx>,<test-labels.idx>)',
  );
}
