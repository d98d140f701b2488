/**
 * scikit-learn's 8×8 digits for the benchmarks (the data set nobody tuned on), as Debian's python3-sklearn ships
 * them: 1,797 rows of 64 pixel counts 0..16 and a label. Pixels are scaled to 0..255 (round(v/16·255)); the split
 * is the seeded 80/20 of robust.ts's seed 1 (a Fisher–Yates shuffle from Rng(1), the first 360 rows the test set):
 * 1,437 training and 360 test images.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Rng } from '../../../host/rng.ts';

export const DIGITS_CSV = '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';

export interface DigitsSplit { x: Uint8Array; y: Uint8Array; n: number }

export function loadDigits(): { train: DigitsSplit; test: DigitsSplit } {
  const lines = gunzipSync(readFileSync(DIGITS_CSV)).toString('utf8').trim().split('\n').filter((l) => l.includes(','));
  const rows = lines.map((l) => l.split(',').map(Number));
  const idx = new Rng(1).shuffle(rows.map((_, i) => i));
  const nTest = Math.round(rows.length * 0.2);
  const pick = (ids: number[]): DigitsSplit => {
    const x = new Uint8Array(ids.length * 64);
    const y = new Uint8Array(ids.length);
    ids.forEach((r, s) => {
      for (let f = 0; f < 64; f++) x[s * 64 + f] = Math.round((rows[r][f] / 16) * 255);
      y[s] = rows[r][64];
    });
    return { x, y, n: ids.length };
  };
  return { train: pick(idx.slice(nTest)), test: pick(idx.slice(0, nTest)) };
}
