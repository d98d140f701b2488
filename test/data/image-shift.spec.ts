// Random-shift augmentation (host/data/image-shift.ts): against the formula written pixel by pixel, a hand-worked
// 3×3 case, shift 0 as the identity, the draws' range and spread, and the refusals.
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_SHIFT, shiftImages } from '../../host/data/image-shift.ts';
import { Rng } from '../../host/rng.ts';

/** out[n,c,y,x] = in[n,c,y−dy,x−dx] inside the frame, else 0; (dy, dx) drawn as the module draws them. */
function reference(input: Uint8Array, [c, h, w]: [number, number, number], s: number, rng: Rng): { out: Uint8Array; shifts: [number, number][] } {
  const size = c * h * w;
  const out = new Uint8Array(input.length);
  const shifts: [number, number][] = [];
  for (let n = 0; n < input.length / size; n++) {
    const dy = rng.int(2 * s + 1) - s;
    const dx = rng.int(2 * s + 1) - s;
    shifts.push([dy, dx]);
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const sy = y - dy;
          const sx = x - dx;
          out[n * size + ch * h * w + y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? input[n * size + ch * h * w + sy * w + sx] : 0;
        }
  }
  return { out, shifts };
}

const random = (len: number, seed: number): Uint8Array => {
  const r = new Rng(seed);
  return Uint8Array.from({ length: len }, () => 1 + r.int(255));
};

describe('shiftImages', () => {
  it('equals the pixel-by-pixel formula for every shift range, shape and channel count', () => {
    for (const shape of [[1, 28, 28], [3, 5, 7], [2, 8, 8], [1, 1, 9]] as [number, number, number][]) {
      for (let s = 0; s <= MAX_IMAGE_SHIFT; s++) {
        const input = random(40 * shape[0] * shape[1] * shape[2], s + 1);
        const out = new Uint8Array(input.length);
        shiftImages(input, shape, s, new Rng(99), out);
        const ref = reference(input, shape, s, new Rng(99));
        expect(Buffer.from(out).equals(Buffer.from(ref.out)), `${shape} s=${s}`).toBe(true);
      }
    }
  });

  it('moves a 3×3 image down one and left one, zeros shifted in', () => {
    // find a seed whose first draw is (dy, dx) = (+1, −1) with s = 1
    let seed = 1;
    for (; ; seed++) {
      const r = new Rng(seed);
      if (r.int(3) - 1 === 1 && r.int(3) - 1 === -1) break;
    }
    const out = new Uint8Array(9);
    shiftImages(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 3, 3], 1, new Rng(seed), out);
    expect([...out]).toEqual([0, 0, 0, 2, 3, 0, 5, 6, 0]);
  });

  it('is the identity at shift 0 and draws every shift in range about equally often', () => {
    const input = random(100 * 64, 5);
    const out = new Uint8Array(input.length);
    shiftImages(input, [1, 8, 8], 0, new Rng(3), out);
    expect(Buffer.from(out).equals(Buffer.from(input))).toBe(true);
    const { shifts } = reference(new Uint8Array(9000 * 4), [1, 2, 2], 2, new Rng(4));
    const counts = new Map<string, number>();
    for (const [dy, dx] of shifts) {
      expect(Math.abs(dy)).toBeLessThanOrEqual(2);
      expect(Math.abs(dx)).toBeLessThanOrEqual(2);
      counts.set(`${dy},${dx}`, (counts.get(`${dy},${dx}`) ?? 0) + 1);
    }
    expect(counts.size).toBe(25);
    for (const c of counts.values()) expect(Math.abs(c - 360)).toBeLessThan(5 * Math.sqrt(360)); // 9000/25 each, 5 sd
  });

  it('refuses a bad shift, a partial sample and a wrong output size', () => {
    const out = new Uint8Array(8);
    expect(() => shiftImages(new Uint8Array(8), [1, 2, 2], -1, new Rng(1), out)).toThrow(/shift: expected an integer 0\.\.7, got -1/);
    expect(() => shiftImages(new Uint8Array(8), [1, 2, 2], 8, new Rng(1), out)).toThrow(/shift/);
    expect(() => shiftImages(new Uint8Array(8), [1, 2, 2], 1.5, new Rng(1), out)).toThrow(/shift/);
    expect(() => shiftImages(new Uint8Array(7), [1, 2, 2], 1, new Rng(1), new Uint8Array(7))).toThrow(/not a whole number of 1×2×2 samples/);
    expect(() => shiftImages(new Uint8Array(8), [1, 2, 2], 1, new Rng(1), new Uint8Array(4))).toThrow(/out: expected 8 bytes, got 4/);
  });
});
