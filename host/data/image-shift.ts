/**
 * Random-shift augmentation of image samples (LeCun et al. 1998, Simard et al. 2003: translated copies of
 * the training digits): each sample of a split is moved by (dy, dx), drawn uniformly from
 * {−s … s}², with zeros shifted in at the borders; every channel of a sample moves together.
 *
 *   out[n, c, y, x] = in[n, c, y − dy, x − dx]   if 0 ≤ y − dy < H and 0 ≤ x − dx < W, else 0
 *
 * Used by the deep trainer (host/train/deep-trainer.ts) once per epoch on the training split only; the test
 * split is never shifted. The draws come from the caller's generator, two per sample (dy, then dx), so a
 * run is reproducible from its seed.
 */
import type { Rng } from '../rng.ts';

/** Largest shift accepted [pixels]: a quarter of MNIST's 28 (beyond it a digit leaves its frame). */
export const MAX_IMAGE_SHIFT = 7;

/**
 * Writes into `out` each of the n = in.length / (C·H·W) samples of `input`, shifted by its own random
 * (dy, dx) ∈ {−maxShift … maxShift}² (see the module comment). `out` must not alias `input`.
 */
export function shiftImages(input: Uint8Array, shape: readonly [number, number, number], maxShift: number, rng: Rng, out: Uint8Array): void {
  const [c, h, w] = shape;
  const size = c * h * w;
  if (!(Number.isInteger(maxShift) && maxShift >= 0 && maxShift <= MAX_IMAGE_SHIFT)) throw new RangeError(`shift: expected an integer 0..${MAX_IMAGE_SHIFT}, got ${maxShift}`);
  if (size === 0 || input.length % size !== 0) throw new RangeError(`images: ${input.length} bytes is not a whole number of ${c}×${h}×${w} samples`);
  if (out.length !== input.length) throw new RangeError(`out: expected ${input.length} bytes, got ${out.length}`);
  const n = input.length / size;
  const span = 2 * maxShift + 1;
  for (let s = 0; s < n; s++) {
    const dy = rng.int(span) - maxShift;
    const dx = rng.int(span) - maxShift;
    const base = s * size;
    for (let ch = 0; ch < c; ch++) {
      const plane = base + ch * h * w;
      for (let y = 0; y < h; y++) {
        const row = plane + y * w;
        const sy = y - dy;
        if (sy < 0 || sy >= h) {
          out.fill(0, row, row + w);
          continue;
        }
        const from = plane + sy * w;
        // x − dx within 0..w−1: x from max(0, dx) to min(w, w + dx)
        const x0 = Math.max(0, dx);
        const x1 = Math.min(w, w + dx);
        out.fill(0, row, row + x0);
        if (x1 > x0) out.set(input.subarray(from + x0 - dx, from + x1 - dx), row + x0);
        out.fill(0, row + Math.max(x0, x1), row + w);
      }
    }
  }
}
