/**
 * Input normalisation that keeps zeros zero: per-feature reflection x → 255 − x, fitted on the train
 * split and applied unchanged to the test split. Still u8, so the module's input path, its sparse
 * gather of nonzero inputs and every board runtime are unchanged.
 *
 * Rule: feature i is reflected when the train split holds it at 255 more often than at 0 (the
 * reflection makes it sparser); on a tie, when its mean is above 127.5 (the reflection lowers its
 * mean and its second moment). It centres a feature on its usual extreme, which is what dense
 * inputs need: on inverted MNIST (every pixel 255 − p) the background of ~630 pixels per image sits at
 * 255, so a hidden unit's every SGD step moves ~630 weights the same way, and the common direction
 * (the input mean, Hessian eigenvalue ∝ ‖E x‖² ≈ 8× MNIST's) saturates the units within an epoch, for
 * bp as well as pgaf (bp 15–22 %, pgaf 14–17 % with a kept fraction of 0.2–1.6 % on a 10k/2k, 3-epoch
 * run). Reflected, inverted MNIST is plain MNIST again, bit for bit. On MNIST no pixel qualifies (the
 * closest one is at 0 in 13,732 more training images than at 255), so MNIST runs exactly as before.
 *
 * The network trains on the reflected inputs. Weights files hold that network as trained and record
 * the reflection in their input transform (meta.inputTransform, host/data/input-transform.ts), which the
 * host (host/engine/saved-model.ts), a teacher and the board glue (st_input.c) apply to raw inputs.
 * Files written before it folded the reflection into the first layer and recorded meta.reflect; they
 * still load, unfolded exactly (host/engine/input-reflection.ts).
 */
import type { Dataset, Split } from './dataset.ts';

/** 1 for each reflected feature, 0 otherwise (length = features per sample). */
export type Reflection = Uint8Array;

/** The reflection fitted on `split` (see the module comment). */
export function fitReflection(split: Split, inputs: number): Reflection {
  const zeros = new Float64Array(inputs);
  const full = new Float64Array(inputs);
  const sum = new Float64Array(inputs);
  for (let s = 0; s < split.n; s++) {
    const row = s * inputs;
    for (let i = 0; i < inputs; i++) {
      const v = split.x[row + i];
      if (v === 0) zeros[i]++;
      else if (v === 255) full[i]++;
      sum[i] += v;
    }
  }
  return Uint8Array.from({ length: inputs }, (_v, i) => (full[i] > zeros[i] || (full[i] === zeros[i] && sum[i] > 127.5 * split.n) ? 1 : 0));
}

/** Number of reflected features. */
export function reflectedCount(r: Reflection): number {
  return r.reduce((s, v) => s + v, 0);
}

/** `split` with its reflected features mapped to 255 − x (a copy; the split itself when nothing is reflected). */
export function applyReflection(split: Split, r: Reflection): Split {
  if (reflectedCount(r) === 0) return split;
  const n = r.length;
  const x = Uint8Array.from(split.x);
  for (let k = 0; k < x.length; k++) if (r[k % n]) x[k] = 255 - x[k];
  return { ...split, x };
}

/** The data set with the reflection fitted on its train split applied to both splits. */
export function reflectDataset(d: Dataset): { dataset: Dataset; reflection: Reflection } {
  const reflection = fitReflection(d.train, d.inputs);
  return { dataset: { ...d, train: applyReflection(d.train, reflection), test: applyReflection(d.test, reflection) }, reflection };
}

/** Compact text form for a weights file's meta: sorted index ranges, e.g. "0-27,30,35-40" ("" for none). */
export function encodeReflection(r: Reflection): string {
  const parts: string[] = [];
  for (let i = 0; i < r.length; i++) {
    if (!r[i]) continue;
    let j = i;
    while (j + 1 < r.length && r[j + 1]) j++;
    parts.push(i === j ? String(i) : `${i}-${j}`);
    i = j;
  }
  return parts.join(',');
}

/** Inverse of encodeReflection for `inputs` features; null when `s` is not such a list. */
export function decodeReflection(s: string, inputs: number): Reflection | null {
  const r = new Uint8Array(inputs);
  if (s === '') return r;
  let last = -1;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a <= last || b < a || b >= inputs) return null;
    r.fill(1, a, b + 1);
    last = b;
  }
  return r;
}
