/**
 * `spintrain train --validation F`: holds out a stratified fraction F of the TRAINING split (never the
 * test split) as a validation part. Every class of the training split contributes round(count · F) of its
 * samples (stratifiedSplit), drawn with a generator seeded from the run's seed, so the same --seed gives
 * the same parts. Both parts must hold every class the training split holds; otherwise the caller gets a
 * ValidationSplitError naming the data set, the class and the counts.
 */
import { Rng } from '../rng.ts';
import { selectSamples, type Dataset, type Split } from './dataset.ts';
import { stratifiedSplit } from './stratified-split.ts';

/** The generator seed of the validation split of run seed `seed` (distinct from the data sets' own test splits, which use Rng(seed)). */
export function validationSeed(seed: number): number {
  return (Math.imul(seed ^ 0x56414c49, 0x85ebca6b) + 0x6a09e667) >>> 0; // "VALI"
}

/** The hold-out cannot be made: a part would be empty or miss a class. */
export class ValidationSplitError extends Error {
  override name = 'ValidationSplitError';
}

export interface ValidationHoldOut {
  /** The data set with its training split reduced to the samples not held out (test split unchanged). */
  dataset: Dataset;
  /** The held-out validation part. */
  validation: Split;
}

/** Splits `fraction` (0 < fraction < 1) of d's training split off as validation, stratified, seeded by `seed`. */
export function holdOutValidation(d: Dataset, fraction: number, seed: number): ValidationHoldOut {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`validation fraction must lie in (0, 1), got ${fraction}`);
  const idx = stratifiedSplit(d.train.y, fraction, new Rng(validationSeed(seed)));
  const count = (labels: ArrayLike<number>, at: number[]): Map<number, number> => {
    const m = new Map<number, number>();
    for (const i of at) m.set(labels[i], (m.get(labels[i]) ?? 0) + 1);
    return m;
  };
  const all = count(d.train.y, Array.from({ length: d.train.n }, (_v, i) => i));
  const held = count(d.train.y, idx.test);
  const kept = count(d.train.y, idx.train);
  const classes = [...all.keys()].sort((a, b) => a - b);
  const name = (c: number): string => (d.classNames?.[c] !== undefined ? `${c} ("${d.classNames[c]}")` : String(c));
  for (const [part, m] of [['validation part', held], ['remaining training part', kept]] as const) {
    const missing = classes.filter((c) => !m.has(c));
    if (missing.length === 0) continue;
    const perClass = classes.map((c) => `${c}: ${all.get(c)}`).join(', ');
    throw new ValidationSplitError(
      `${fraction} of the ${d.name} training split (${d.train.n} samples; per class ${perClass}) leaves the ${part} ` +
        `${m.size === 0 ? 'empty' : `without class ${missing.map(name).join(', ')}`}: each class gets round(count · ${fraction}) validation samples; ` +
        `give ${part === 'validation part' ? 'a larger' : 'a smaller'} fraction or more training samples`,
    );
  }
  return {
    dataset: { ...d, train: selectSamples(d.train, d.inputs, idx.train) },
    validation: selectSamples(d.train, d.inputs, idx.test),
  };
}
