/**
 * Seeded stratified train/test split: every class contributes round(count · testFraction) samples
 * to the test split, so class proportions are kept. Deterministic for a given Rng state.
 */
import type { Rng } from '../rng.ts';

/** Sample indices of the two sides of a split, each shuffled (classes interleaved). */
export interface SplitIndices {
  train: number[];
  test: number[];
}

/** Split sample indices 0..labels.length-1 by class; `testFraction` in [0, 1]. */
export function stratifiedSplit(labels: ArrayLike<number>, testFraction: number, rng: Rng): SplitIndices {
  if (!(testFraction >= 0 && testFraction <= 1)) throw new RangeError(`testFraction must be in [0, 1], got ${testFraction}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    let members = byClass.get(c);
    if (!members) byClass.set(c, (members = []));
    members.push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(byClass.get(c)!);
    const nTest = Math.round(members.length * testFraction);
    test.push(...members.slice(0, nTest));
    train.push(...members.slice(nTest));
  }
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}
