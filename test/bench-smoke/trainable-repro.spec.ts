// Smoke test of test/bench/trainable-repro.ts (issue 17): the kernel with trainable k, c in both layers
// matches the scalar iteration written as the authors' main.m writes it, the initial ranges follow their
// randInitializeWeights, and a few iterations lower the loss.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../host/data/mnist.ts';
import { csr } from '../bench/lib/full-batch-reference.ts';
import { Kc2Kernel } from '../bench/lib/full-batch-kc2-kernel.ts';
import { REPRO, reproKernelCheck, reproParams } from '../bench/trainable-repro.ts';

describe('trainable-activation repro kernel (smoke)', () => {
  const data = loadMnist({ trainLimit: 300 });
  const train = csr(data.train, REPRO.nIn);
  const test = csr({ ...data.test, n: 100 }, REPRO.nIn);

  it('matches the scalar main.m iteration (losses and every parameter) to 1e-9 relative', async () => {
    expect(await reproKernelCheck(train, test, 3)).toBeLessThan(1e-9);
  });

  it('draws the authors\' ranges: ±√(6/(L_in + L_out)), or ±0.12 with u012; fixed sets k = 1, c = 0', () => {
    const maxAbs = (v: Float64Array): number => Math.max(...v.map(Math.abs));
    const p = reproParams('authors', 1);
    expect(maxAbs(p.w1t)).toBeLessThanOrEqual(Math.sqrt(6 / 809));
    expect(maxAbs(p.w2)).toBeGreaterThan(0.12);
    expect(maxAbs(p.w2)).toBeLessThanOrEqual(Math.sqrt(6 / 35));
    expect(maxAbs(p.k1)).toBeLessThanOrEqual(Math.sqrt(6 / 25));
    expect(maxAbs(p.k2)).toBeLessThanOrEqual(Math.sqrt(6 / 10));
    expect(maxAbs(reproParams('authors', 1, 'u012').w2)).toBeLessThanOrEqual(0.12);
    const f = reproParams('fixed', 1);
    expect([...f.k1, ...f.k2].every((v) => v === 1) && [...f.c1, ...f.c2].every((v) => v === 0)).toBe(true);
  });

  it('lowers the loss and moves k2, c2 only when the output layer is trained', async () => {
    const p = reproParams('authors', 2);
    const kernel = await Kc2Kernel.create(p, train, test);
    const first = kernel.iterate(REPRO.lr, true, false);
    let last = first;
    for (let i = 0; i < 9; i++) last = kernel.iterate(REPRO.lr, true, false);
    expect(last).toBeLessThan(first);
    expect([...kernel.read().k2]).toEqual([...p.k2]);
    kernel.iterate(REPRO.lr, true, true);
    expect(kernel.read().k2.some((v, j) => v !== p.k2[j])).toBe(true);
  });
});
