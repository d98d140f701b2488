// The paper-setup kernel of the trainable-activation benchmark: float64 SIMD WebAssembly against
// the scalar TypeScript iteration, and one run that learns.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../host/data/mnist.ts';
import { FullBatchKernel } from '../bench/lib/full-batch-kernel.ts';
import { csr, FB, initialParams, kernelAgainstReference, referenceIteration } from '../bench/lib/full-batch-reference.ts';

describe('full-batch trainable-activation kernel', () => {
  const data = loadMnist({ trainLimit: 500 });
  const train = csr(data.train, FB.nIn);
  const test = csr({ ...data.test, n: 200 }, FB.nIn);

  it('matches the scalar TypeScript iteration (losses and every parameter) to 1e-9 relative', async () => {
    expect(await kernelAgainstReference(train, test, 4)).toBeLessThan(1e-9);
  });

  it('keeps k and c fixed when they are not trained, and moves them when they are', async () => {
    for (const trainable of [false, true]) {
      const p = initialParams(trainable ? 'slope1' : 'fixed', 1);
      const kernel = await FullBatchKernel.create(p, train, test);
      kernel.iterate(FB.lr, trainable);
      const after = kernel.read();
      const moved = after.k.some((v, j) => v !== p.k[j]) || after.c.some((v, j) => v !== p.c[j]);
      expect(moved).toBe(trainable);
      expect(after.w1t.some((v, q) => v !== p.w1t[q])).toBe(true);
    }
  });

  it('lowers the training loss over 30 iterations, as the reference does', async () => {
    const kernel = await FullBatchKernel.create(initialParams('slope1', 2), train, test);
    const first = kernel.iterate(FB.lr, true);
    let last = first;
    for (let i = 0; i < 29; i++) last = kernel.iterate(FB.lr, true);
    expect(last).toBeLessThan(first);
    const ref = initialParams('slope1', 2);
    expect(referenceIteration(ref, train, true)).toBeCloseTo(first, 9);
  });
});
