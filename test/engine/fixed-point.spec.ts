// Golden values for the engine's fixed-point kernels (assembly/fixed.ts, activation.ts), exported by
// the engine's test build (assembly/kernels-test.ts), not by the release module.
import { describe, it, expect } from 'vitest';
import { instantiateEngine } from '../../host/engine/wasm-engine.ts';
import { instantiateKernels } from '../support/kernels-module.ts';

const e = instantiateKernels();
const Q16 = 65536;

describe('mulShift: (a·b) >> s, rounded half up, saturated', () => {
  it.each([
    [65536, 65536, 16, 65536], // 1.0 · 1.0
    [3, 1, 1, 2], // 1.5 → 2 (half up)
    [-3, 1, 1, -1], // −1.5 → −1 (half up, toward +∞)
    [5, 1, 2, 1], // 1.25 → 1
    [7, 1, 2, 2], // 1.75 → 2
    [-7, 1, 2, -2],
    [98304, 43691, 16, 65537], // 1.5 · 0.666672 = 1.000008 → 65536.5 → 65537
    [0x40000000, 0x40000000, 16, 0x7fffffff], // overflow saturates high
    [-0x40000000, 0x40000000, 16, -0x80000000], // and low
  ])('mulShift(%i, %i, %i) = %i', (a, b, s, want) => {
    expect(e.qMulShift(a, b, s)).toBe(want);
  });
});

describe('sigmoid (Q16, |error| ≤ 1e-4)', () => {
  it('is exact to the table at the grid points z = i/16', () => {
    for (let i = -256; i <= 256; i++) {
      const want = i <= 0 ? Math.round(Q16 / (1 + Math.exp(-i / 16))) : Q16 - Math.round(Q16 / (1 + Math.exp(i / 16)));
      expect(e.qSigmoid(i * 4096)).toBe(want);
    }
  });
  it('stays within the documented bound on a dense grid and saturates beyond ±16', () => {
    let worst = 0;
    for (let z = -20 * Q16; z <= 20 * Q16; z += 97) worst = Math.max(worst, Math.abs(e.qSigmoid(z) / Q16 - 1 / (1 + Math.exp(-z / Q16))));
    expect(worst).toBeLessThanOrEqual(1e-4);
    expect(e.qSigmoid(0x7fffffff)).toBe(Q16);
    expect(e.qSigmoid(-0x80000000)).toBe(0);
  });
  it('is monotone and symmetric: σ(−z) = 1 − σ(z)', () => {
    let prev = -1;
    for (let z = -17 * Q16; z <= 17 * Q16; z += 331) {
      const s = e.qSigmoid(z);
      expect(s).toBeGreaterThanOrEqual(prev);
      prev = s;
      expect(e.qSigmoid(-z)).toBe(Q16 - s);
    }
  });
});

describe('tanh = 2σ(2z) − 1 (Q16, |error| ≤ 2e-4)', () => {
  it('stays within the bound', () => {
    let worst = 0;
    for (let z = -10 * Q16; z <= 10 * Q16; z += 89) worst = Math.max(worst, Math.abs(e.qTanh(z) / Q16 - Math.tanh(z / Q16)));
    expect(worst).toBeLessThanOrEqual(2e-4);
    expect(e.qTanh(0)).toBe(0);
  });
});

describe('e^x for x ≤ 0 (Q16, |error| ≤ 1e-4)', () => {
  it('stays within the bound and reaches 0 far left', () => {
    let worst = 0;
    for (let x = -25 * Q16; x <= 0; x += 53) worst = Math.max(worst, Math.abs(e.qExpNeg(x) / Q16 - Math.exp(x / Q16)));
    expect(worst).toBeLessThanOrEqual(1e-4);
    expect(e.qExpNeg(0)).toBe(Q16);
    expect(e.qExpNeg(-0x80000000)).toBe(0);
  });
});

describe('module generator matches host/rng.ts', () => {
  it('gives the same xoshiro128** stream for the same seed (release module)', async () => {
    const { Rng } = await import('../../host/rng.ts');
    const m = instantiateEngine();
    for (const seed of [0, 1, 0xdeadbeef]) {
      const r = new Rng(seed);
      m.rngSeed(seed);
      for (let i = 0; i < 100; i++) expect(m.rngNext() >>> 0).toBe(r.nextU32());
    }
  });
});
