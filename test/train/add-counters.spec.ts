// addCounters (host/train/trainer.ts), the sum of two epochs' counters: every field summed, and the deep
// module's selection comparisons (PhaseOps.compares, topk and adaptive) kept when present, absent when neither
// side has them (bp, pgaf, random and the release engine: their reports keep their shape). Through the deep
// epoch loop (host/train/deep-trainer.ts): a run's ops are the sum of its epochs', comparisons included.
import { describe, expect, it } from 'vitest';
import { emptyCounters, type OpCounters } from '../../host/engine/counters.ts';
import type { DeepConfig } from '../../host/engine/deep-config.ts';
import { DeepEngine } from '../../host/engine/deep-engine.ts';
import { Rng } from '../../host/rng.ts';
import { trainDeep } from '../../host/train/deep-trainer.ts';
import { addCounters } from '../../host/train/trainer.ts';

/** Counters whose fields are all distinct: phase p, kind k → base + 10·p + k. */
function counters(base: number, compares?: number): OpCounters {
  const c = emptyCounters(2);
  (['forward', 'activationGradient', 'deltaPropagation', 'weightUpdate'] as const).forEach((p, i) => {
    c[p] = { mul: base + 10 * i, add: base + 10 * i + 1, draws: base + 10 * i + 2, writes: base + 10 * i + 3 };
  });
  c.kept = [base + 100, base + 101];
  c.seen = [base + 200, base + 201];
  if (compares !== undefined) c.activationGradient.compares = compares;
  return c;
}

describe('addCounters', () => {
  it('sums every field', () => {
    const s = addCounters(counters(1), counters(1000));
    expect(s.forward).toEqual({ mul: 1001, add: 1003, draws: 1005, writes: 1007 });
    expect(s.weightUpdate).toEqual({ mul: 1061, add: 1063, draws: 1065, writes: 1067 });
    expect(s.kept).toEqual([1201, 1203]);
    expect(s.seen).toEqual([1401, 1403]);
  });

  it('without comparisons on either side: no compares field anywhere (the shape bp, pgaf and release reports had)', () => {
    const s = addCounters(counters(1), counters(2));
    for (const p of ['forward', 'activationGradient', 'deltaPropagation', 'weightUpdate'] as const) expect('compares' in s[p], p).toBe(false);
    expect(JSON.stringify(s)).toBe(JSON.stringify(addCounters(counters(2), counters(1))));
  });

  it('keeps activationGradient.compares: summed, a side without it counting 0', () => {
    expect(addCounters(counters(1, 7), counters(2, 35)).activationGradient.compares).toBe(42);
    expect(addCounters(counters(1, 7), counters(2)).activationGradient.compares).toBe(7);
    expect(addCounters(counters(1), counters(2, 0)).activationGradient.compares).toBe(0);
    expect('compares' in addCounters(counters(1, 7), counters(2, 35)).forward).toBe(false);
  });

  it('does not change its arguments', () => {
    const a = counters(1, 3);
    const b = counters(2, 4);
    const before = JSON.stringify([a, b]);
    addCounters(a, b);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});

describe('the deep epoch loop sums the comparisons of its epochs', () => {
  /** Random u8 4×4 images of 2 classes (class 1 brighter in its lower half). */
  function split(n: number, seed: number): { x: Uint8Array; y: Uint8Array; n: number } {
    const rng = new Rng(seed);
    const x = new Uint8Array(n * 16);
    const y = new Uint8Array(n);
    for (let s = 0; s < n; s++) {
      y[s] = s % 2;
      for (let p = 0; p < 16; p++) x[s * 16 + p] = rng.int(100) + (y[s] === 1 && p >= 8 ? 120 : 0);
    }
    return { x, y, n };
  }
  const data = { train: split(24, 1), test: split(8, 2) };
  const base: DeepConfig = {
    input: [1, 4, 4],
    nodes: [{ kind: 'dense', units: 12 }, { kind: 'dense', units: 8 }, { kind: 'dense', units: 2 }],
    activation: 'tanh',
    algorithm: 'bp',
    pairs: 1,
    reluSampled: false,
    learningRate: 0.05,
    decay: 0,
    seed: 3,
  };

  it.each([
    ['topk', { algorithm: 'topk', sparsity: 0.25 }],
    ['adaptive', { algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.9, damping: 0.5 } }],
  ] as const)('%s: ops.activationGradient.compares = Σ of the epochs\' (> 0)', (_name, extra) => {
    const r = trainDeep(new DeepEngine({ ...base, ...extra }), data, { epochs: 3 });
    const per = r.epochs.map((e) => e.ops.activationGradient.compares!);
    expect(per.every((c) => c > 0)).toBe(true);
    expect(r.ops.activationGradient.compares).toBe(per.reduce((a, b) => a + b, 0));
    expect(r.ops.activationGradient.add).toBe(r.epochs.reduce((s, e) => s + e.ops.activationGradient.add, 0));
  });

  it.each([
    ['bp', { algorithm: 'bp' }],
    ['pgaf', { algorithm: 'pgaf' }],
    ['random', { algorithm: 'random', sparsity: 0.5 }],
  ] as const)('%s: no compares field in the run\'s ops', (_name, extra) => {
    const r = trainDeep(new DeepEngine({ ...base, ...extra }), data, { epochs: 2 });
    expect('compares' in r.ops.activationGradient).toBe(false);
  });
});
