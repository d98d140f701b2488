/**
 * The in-memory dataset every loader produces and the engine consumes.
 *
 * Features are stored quantised as u8 0..255; the engine converts them to its fixed-point format.
 * MNIST pixels are kept as they are; real-valued features (Iris) are min-max scaled on the train
 * split and the same scale is applied to the test split.
 */
import { DatasetError } from './errors.ts';
import type { MinMaxInputScale } from './feature-scaling.ts';

/** One split: `n` samples of `inputs` u8 features each, and their class labels. */
/**
 * The most features a sample may have: the engine's widest layer (MAX_WIDTH in host/engine/config.ts, one
 * layer up; test/data/datasets.spec.ts ties the two). Readers refuse wider data with the file named.
 */
export const MAX_FEATURES = 8192;

export interface Split {
  /** Row-major features, length n·inputs, sample i at [i·inputs, (i+1)·inputs). */
  x: Uint8Array;
  /** Class labels 0..classes-1, length n. */
  y: Uint8Array;
  /** Number of samples. */
  n: number;
}

/** A classification dataset with a train and a test split. */
export interface Dataset {
  name: string;
  /** Features per sample. */
  inputs: number;
  /** Number of classes; every label is < classes. */
  classes: number;
  train: Split;
  test: Split;
  /** Optional human-readable class names, length = classes. */
  classNames?: string[];
  /**
   * How real-valued features were quantised to u8, when they were (CSV, Iris): the per-feature min and
   * max fitted on the train split and applied unchanged to the test split (host/data/feature-scaling.ts).
   * A model deployed elsewhere must quantise its inputs with the same scale.
   */
  inputScale?: MinMaxInputScale;
  /**
   * The test split's raw feature rows, before quantisation, when the loader quantised real values (CSV,
   * Iris): a saved model's own transform is applied to them by `spintrain eval`.
   */
  testRaw?: number[][];
}

/** The first `limit` samples of a split (the split itself if limit is undefined or ≥ n). */
export function limitSplit(split: Split, inputs: number, limit?: number): Split {
  if (limit === undefined || limit >= split.n) return split;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`sample limit must be a non-negative integer, got ${limit}`);
  return { x: split.x.subarray(0, limit * inputs), y: split.y.subarray(0, limit), n: limit };
}

/** The samples at `indices`, copied, in that order. */
export function selectSamples(split: Split, inputs: number, indices: ArrayLike<number>): Split {
  const n = indices.length;
  const x = new Uint8Array(n * inputs);
  const y = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    x.set(split.x.subarray(i * inputs, (i + 1) * inputs), k * inputs);
    y[k] = split.y[i];
  }
  return { x, y, n };
}

/** Throw a DatasetError unless the dataset's arrays agree with its n, inputs and classes. */
export function assertDatasetShape(d: Dataset): void {
  if (!Number.isInteger(d.inputs) || d.inputs < 1) throw new DatasetError(d.name, `expected inputs ≥ 1, found ${d.inputs}`);
  if (!Number.isInteger(d.classes) || d.classes < 2 || d.classes > 256) {
    throw new DatasetError(d.name, `expected 2..256 classes, found ${d.classes}`);
  }
  for (const [which, s] of [['train', d.train], ['test', d.test]] as const) {
    // An empty split trains on nothing or measures accuracy over no samples (0/0): refused.
    if (!(s.n >= 1)) throw new DatasetError(d.name, `${which} split: expected at least 1 sample, found ${s.n}`);
    if (s.x.length !== s.n * d.inputs) {
      throw new DatasetError(d.name, `${which} split: expected ${s.n}×${d.inputs} = ${s.n * d.inputs} feature bytes, found ${s.x.length}`);
    }
    if (s.y.length !== s.n) throw new DatasetError(d.name, `${which} split: expected ${s.n} labels, found ${s.y.length}`);
    const bad = s.y.findIndex((c) => c >= d.classes);
    if (bad >= 0) {
      throw new DatasetError(d.name, `${which} split: expected labels < ${d.classes}, found ${s.y[bad]} at sample ${bad}`);
    }
  }
}
