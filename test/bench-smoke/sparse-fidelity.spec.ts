// Gradient fidelity (test/bench/lib/sparse-fidelity.ts, issue 18), without MNIST:
// - the closed forms (pgaf K, random p, per-unit rates, the oracle) against an independent Monte Carlo simulation
//   of each mechanism (p-GAF: pairs of Bernoulli(a) draws, counting the (1,0) pairs) on 20 synthetic units, to
//   within 5 standard errors of the simulation (fixed seed, so the test is deterministic);
// - topk's R is the left-out energy exactly, on a hand example; topk's and adaptive's k against the deep module's
//   own masks on a 16-8-3 net (adaptive's first step: Y = Y_max, so k = ⌊n·S_max·ζ^λ⌋ with λ = 1);
// - the oracle's rates sum to κ, stay ≤ 1, and its variance is below pgaf's and random's at the same κ;
// - the float64 snapshot reader's forward and gradients against DeepEngine's own Q16/Q24 values on a 16-8-3 net,
//   to within bounds derived from the engine's rounding and its sigmoid/exp tables (assembly/activation.ts).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../host/rng.ts';
import { DeepEngine, DeepRegion } from '../../host/engine/deep-engine.ts';
import type { DeepConfig, DeepSparsity } from '../../host/engine/deep-config.ts';
import {
  adaptiveCount, expectedError, fidelityMarkdown, fidelityRows, forwardSample, INPUT_SCALE, oracleError, oracleLevel, ratesError, sigmoid,
  snapshotOf, summarize, topkCount, unitGradients, type FidelityRecord, type UnitGradients,
} from '../bench/lib/sparse-fidelity.ts';

/** 20 units: g ~ N(0, 1), z ~ N(0, 3) (a few saturated), a = σ(z), σ′ = a(1 − a). */
function synthetic(seed: number, n = 20): { a: Float64Array; u: UnitGradients } {
  const rng = new Rng(seed);
  const g = new Float64Array(n);
  const a = new Float64Array(n);
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    g[j] = rng.normal();
    a[j] = sigmoid(rng.normal(0, 3));
    s[j] = a[j] * (1 - a[j]);
  }
  return { a, u: unitGradients(g, s) };
}

interface Simulated {
  /** Mean and standard error of Σ_j (δ̂_j − δ_j)². */
  err: number;
  errSe: number;
  /** Mean and standard error of the kept count. */
  kept: number;
  keptSe: number;
  /** Per unit: mean δ̂_j − δ_j and the sample standard error of that mean. */
  bias: Float64Array;
  biasSe: Float64Array;
}

/** Runs `draws` independent estimates; `draw(j)` returns unit j's δ̂_j and whether it was kept. */
function simulate(n: number, delta: Float64Array, draws: number, draw: (j: number) => [number, boolean]): Simulated {
  let e1 = 0;
  let e2 = 0;
  let k1 = 0;
  let k2 = 0;
  const m1 = new Float64Array(n);
  const m2 = new Float64Array(n);
  for (let t = 0; t < draws; t++) {
    let err = 0;
    let kept = 0;
    for (let j = 0; j < n; j++) {
      const [est, k] = draw(j);
      const d = est - delta[j];
      err += d * d;
      m1[j] += d;
      m2[j] += d * d;
      if (k) kept++;
    }
    e1 += err;
    e2 += err * err;
    k1 += kept;
    k2 += kept * kept;
  }
  const se = (s1: number, s2: number): number => Math.sqrt(Math.max(0, s2 / draws - (s1 / draws) ** 2) / draws);
  return {
    err: e1 / draws, errSe: se(e1, e2), kept: k1 / draws, keptSe: se(k1, k2),
    bias: m1.map((v) => v / draws), biasSe: m1.map((v, j) => se(v, m2[j])),
  };
}

/** |simulated − closed| ≤ 5 standard errors (plus a float floor for exact zeros). */
function within(simulated: number, se: number, closed: number): void {
  expect(Math.abs(simulated - closed)).toBeLessThanOrEqual(5 * se + 1e-12);
}

function expectUnbiased(sim: Simulated): void {
  sim.bias.forEach((b, j) => within(b, sim.biasSe[j], 0));
}

describe('closed forms against Monte Carlo (20 synthetic units)', () => {
  const { a, u } = synthetic(2026);
  const rng = new Rng(18);

  it.each([1, 2, 4, 8])('pgaf K=%i: unbiased, Σ g²σ′(1−σ′)/K, kept Σ 1 − (1−σ′)^K, from pairs of Bernoulli(a) draws', (K) => {
    const sim = simulate(u.n, u.delta, Math.round(200_000 / K), (j) => {
      let c = 0;
      for (let t = 0; t < K; t++) {
        const b1 = rng.next() < a[j];
        const b2 = rng.next() < a[j];
        if (b1 && !b2) c++;
      }
      return [(u.g[j] * c) / K, c > 0];
    });
    const e = expectedError({ method: 'pgaf', pairs: K }, u);
    expect(e.bias2).toBe(0);
    within(sim.err, sim.errSe, e.variance);
    within(sim.kept, sim.keptSe, e.kept);
    expectUnbiased(sim);
    // the σ′-importance identity: p-GAF K is per-unit keeping at rate σ′_j, with K times less variance
    expect(e.variance).toBeCloseTo(ratesError(u, u.s).variance / K, 10);
  });

  it.each([0.1, 0.35])('random p=%s: unbiased, Σ δ²(1−p)/p, kept n·p', (p) => {
    const sim = simulate(u.n, u.delta, 200_000, (j) => {
      const keep = rng.next() < p;
      return [keep ? u.delta[j] / p : 0, keep];
    });
    const e = expectedError({ method: 'random', p }, u);
    within(sim.err, sim.errSe, e.variance);
    within(sim.kept, sim.keptSe, e.kept);
    expect(e.kept).toBeCloseTo(u.n * p, 12);
    expectUnbiased(sim);
    expect(e.variance / u.energy).toBeCloseTo((1 - p) / p, 12);
  });

  it('the oracle at κ = 5: rates min(1, λ|δ|) sum to κ, simulated error equals the closed form', () => {
    const kappa = 5;
    const { lambda, capped } = oracleLevel(u, kappa);
    const q = u.delta.map((d) => Math.min(1, lambda * Math.abs(d)));
    expect(q.reduce((x, y) => x + y, 0)).toBeCloseTo(kappa, 10);
    expect(q.filter((v) => v === 1).length).toBe(capped);
    const sim = simulate(u.n, u.delta, 200_000, (j) => {
      const keep = rng.next() < q[j];
      return [keep ? u.delta[j] / q[j] : 0, keep];
    });
    const e = oracleError(u, kappa);
    expect(e.variance).toBeCloseTo(ratesError(u, q).variance, 10);
    within(sim.err, sim.errSe, e.variance);
    within(sim.kept, sim.keptSe, kappa);
    expectUnbiased(sim);
  });
});

describe('the oracle is the least-variance unbiased keep', () => {
  const { u } = synthetic(7, 40);
  it.each([1, 2, 4, 8])('below pgaf K=%i and random at pgaf\'s κ, and below any feasible perturbation of its rates', (K) => {
    const pg = expectedError({ method: 'pgaf', pairs: K }, u);
    const or = oracleError(u, pg.kept);
    const rnd = expectedError({ method: 'random', p: pg.kept / u.n }, u);
    expect(or.variance).toBeLessThanOrEqual(pg.variance);
    expect(or.variance).toBeLessThanOrEqual(rnd.variance);
    const { lambda } = oracleLevel(u, pg.kept);
    const q = Array.from(u.delta, (d) => Math.min(1, lambda * Math.abs(d)));
    const free = q.flatMap((v, j) => (v < 1 && v > 0.02 ? [j] : []));
    for (let t = 0; t + 1 < free.length; t += 2) {
      const moved = [...q];
      moved[free[t]] += 0.01;
      moved[free[t + 1]] -= 0.01;
      expect(ratesError(u, moved).variance).toBeGreaterThan(or.variance);
    }
  });
});

describe('topk and adaptive: exact left-out energy', () => {
  // δ = [3, −1, 0.5, −4, 2] from σ′ = 1/4, g = 4δ: Σ δ² = 30.25
  const u = unitGradients(Float64Array.from([12, -4, 2, -16, 8]), new Float64Array(5).fill(0.25));

  it('keeps the k of largest |δ|; R = Σ over the left-out δ² / Σ δ²', () => {
    expect(u.energy).toBe(30.25);
    expect(topkCount(0.4, 5)).toBe(2);
    expect(expectedError({ method: 'topk', f: 0.4 }, u)).toEqual({ bias2: 4 + 1 + 0.25, variance: 0, kept: 2 });
    expect(expectedError({ method: 'topk', f: 0.2 }, u)).toEqual({ bias2: 9 + 4 + 1 + 0.25, variance: 0, kept: 1 });
    expect(expectedError({ method: 'topk', f: 1 }, u)).toEqual({ bias2: 0, variance: 0, kept: 5 });
    const s = summarize({ method: 'topk', f: 0.4 }, [u]);
    expect(s.rMean).toBe(5.25 / 30.25);
    expect(s.rBiasMean).toBe(5.25 / 30.25);
    expect(s.rVarMean).toBe(0);
    expect(s.keptFraction).toBe(0.4);
  });

  it('the engine\'s k: ⌈⌊f·2^16⌋·n / 2^16⌉ (f = 0.01 of 256: 3; 0.1: 26; 0.2: 52)', () => {
    expect([0.01, 0.03, 0.1, 0.2].map((f) => topkCount(f, 256))).toEqual([3, 8, 26, 52]);
  });

  it('adaptive: k = ⌊n·(S_min + (Y/Y_max)(S_max − S_min))·ζ^λ⌋, clamped to 1..n', () => {
    // Y = Σ|δ| = 10.5; against Y_max = 21: ratio ½
    const m = { minRatio: 0.2, maxRatio: 0.6, damping: 1, depth: 1 };
    expect(u.y).toBe(10.5);
    expect(adaptiveCount(m, u.y, 21, 5)).toBe(2); // ⌊5·0.4⌋
    expect(expectedError({ method: 'adaptive', ...m }, u, 21)).toEqual({ bias2: 5.25, variance: 0, kept: 2 });
    expect(adaptiveCount({ ...m, damping: 0.5 }, u.y, 21, 5)).toBe(1); // ⌊5·0.2⌋
    expect(adaptiveCount({ ...m, minRatio: 0, maxRatio: 0.01 }, u.y, 21, 5)).toBe(1); // at least 1
    expect(adaptiveCount({ ...m, maxRatio: 1 }, u.y, u.y, 5)).toBe(5);
    // summarize takes Y_max over the samples: with a second sample of twice the δ, the first reads ratio ½
    const twice = unitGradients(u.g.map((g) => 2 * g), u.s);
    expect(summarize({ method: 'adaptive', ...m }, [u, twice]).keptFraction).toBeCloseTo((2 + 3) / 2 / 5, 12);
  });
});

describe('aggregates and the table', () => {
  it('mean, median and pooled R (pooled weighs each sample by ‖x‖²)', () => {
    const a = unitGradients(Float64Array.from([4]), Float64Array.from([0.25]), 1); // δ = 1
    const b = unitGradients(Float64Array.from([8]), Float64Array.from([0.25]), 3); // δ = 2
    // random p = 0.5: R = 1 per sample; pooled (1·1 + 3·4) / (1·1 + 3·4) = 1
    const r = summarize({ method: 'random', p: 0.5 }, [a, b]);
    expect([r.rMean, r.rMedian, r.rPooled, r.rVarMean, r.rBiasMean]).toEqual([1, 1, 1, 1, 0]);
    // topk keeps the one unit: R = 0; an all-zero sample is left out
    const zero = unitGradients(Float64Array.from([0]), Float64Array.from([0.25]));
    expect(summarize({ method: 'topk', f: 1 }, [a, b, zero])).toMatchObject({ rMean: 0, samples: 2 });
  });

  it('rows at every knob, matched rows at each pgaf K\'s kept fraction, and their Markdown', () => {
    const samples = [synthetic(1, 32).u, synthetic(2, 32).u, synthetic(3, 32).u];
    const knobs = { pairs: [1, 8], topk: [0.1], random: [0.1], adaptive: [{ minRatio: 0.05, maxRatio: 0.5, damping: 1 }], depth: 1 };
    const rows = fidelityRows(samples, knobs);
    expect(rows.map((r) => `${r.group} ${r.method} ${r.knob.split(' ')[0]}`)).toEqual([
      'knob pgaf K=1', 'knob pgaf K=8', 'knob topk f=0.1', 'knob random p=0.1', 'knob adaptive 0.05–0.5',
      ...[1, 8].flatMap((K) => {
        const k = String(Number(rows[K === 1 ? 0 : 1].keptFraction.toPrecision(3)));
        return [`matched random p=${k}`, `matched topk f=${k}`, `matched oracle κ/n=${k}`];
      }),
    ]);
    for (const r of rows.filter((x) => x.group === 'matched')) {
      const pg = rows.find((x) => x.method === 'pgaf' && x.params.method === 'pgaf' && x.params.pairs === r.matchedPairs)!;
      if (r.method !== 'topk') expect(r.keptFraction).toBeCloseTo(pg.keptFraction, 12);
      expect(r.rMean).toBeCloseTo(r.rBiasMean + r.rVarMean, 12);
    }
    const rec: FidelityRecord = {
      date: '2026-12-01T00:00:00.000Z', commit: 'abc', machine: {}, command: 'x',
      network: { data: 'toy', layout: [4, 32, 3], activation: 'sigmoid', algorithm: 'bp', seed: 1, rates: [0.1, 0.1], decay: 0.1, trainSamples: 10 },
      testSamples: 3, knobs,
      snapshots: [{ epoch: 1, engineTestAccuracy: 0.9, floatAccuracy: 0.9, samples: 3, skipped: 0, sigmaPrime: { mean: 0.1, median: 0.1, saturated: 0.2, energyWeighted: 0.15 }, rows }],
    };
    const md = fidelityMarkdown(rec, 'toy.json');
    expect(md).toContain('#### After 1 epoch of bp');
    expect(md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| method') && !l.startsWith('| p-GAF K'))).toHaveLength(2 + rows.length);
  });
});

/** A 16-8-3 sigmoid net in the deep module. */
function tiny(algorithm: DeepConfig['algorithm'], sparsity?: DeepSparsity): DeepEngine {
  return new DeepEngine({
    input: [1, 4, 4], nodes: [{ kind: 'dense', units: 8 }, { kind: 'dense', units: 3 }], activation: 'sigmoid', algorithm,
    ...(sparsity !== undefined ? { sparsity } : {}), pairs: 1, reluSampled: false, learningRate: 0.5, decay: 0, seed: 7,
  });
}

function randomSample(rng: Rng): { x: Uint8Array; label: number } {
  return { x: Uint8Array.from({ length: 16 }, () => (rng.next() < 0.3 ? 0 : rng.int(256))), label: rng.int(3) };
}

describe('the float64 snapshot against the deep module (16-8-3)', () => {
  it('forward (z, a, o, p) and the step\'s δ_out and hidden δ = g·σ′ agree within the engine\'s rounding', () => {
    const e = tiny('bp');
    const rng = new Rng(99);
    // move weights and biases away from their initial values
    for (let t = 0; t < 300; t++) {
      const s = randomSample(rng);
      e.trainSample(s.x, s.label);
    }
    const tolA = 1e-4 + 2 ** -19; // sigmoid table (activation.ts header) + z's Q16 rounding (2^-17) times σ′ ≤ 1/4
    for (let t = 0; t < 6; t++) {
      const { x, label } = randomSample(rng);
      const net = snapshotOf(e);
      const f = forwardSample(net, x, label);
      e.region(DeepRegion.A, 0, 16).set(Array.from(x, (v) => v * 257));
      expect(e.exports.predict()).toBe(f.predicted);
      const z1 = e.region(DeepRegion.Z, 1, 8);
      const a1 = e.activations(1);
      const z2 = e.region(DeepRegion.Z, 2, 3);
      const p = e.activations(2);
      let xn = 0;
      for (const v of x) xn += (v * INPUT_SCALE) ** 2;
      expect(f.xNorm2).toBeCloseTo(xn, 12);
      for (let j = 0; j < 8; j++) {
        // the engine's z: the exact Q16·Q24 sum, rounded once to Q16
        expect(Math.abs(f.z[j] - z1[j] / 65536)).toBeLessThanOrEqual(2 ** -17 + 1e-12);
        expect(Math.abs(f.a[j] - a1[j] / 65536)).toBeLessThanOrEqual(tolA);
      }
      const tolZ2 = Array.from({ length: 3 }, (_v, k) => {
        let w = 0;
        for (let j = 0; j < 8; j++) w += Math.abs(net.w2[k * 8 + j]);
        return w * tolA + 2 ** -17;
      });
      // |∂p_k/∂o| summed ≤ ½; the exp table's relative error 1e-4 twice (e_k and Σe), the Q16 rounding
      const tolP = 0.5 * Math.max(...tolZ2) + 2e-4 + 2 ** -17;
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(f.o[k] - z2[k] / 65536)).toBeLessThanOrEqual(tolZ2[k]);
        expect(Math.abs(f.p[k] - p[k] / 65536)).toBeLessThanOrEqual(tolP);
      }
      // one bp step: D of the output = p − y, D of the hidden node = δ = g·σ′ from the weights before the step
      e.trainSample(x, label);
      const d2 = e.region(DeepRegion.D, 2, 3);
      const d1 = e.region(DeepRegion.D, 1, 8);
      for (let k = 0; k < 3; k++) expect(Math.abs(f.p[k] - (k === label ? 1 : 0) - d2[k] / 2 ** 24)).toBeLessThanOrEqual(tolP);
      for (let j = 0; j < 8; j++) {
        let w = 0;
        for (let k = 0; k < 3; k++) w += Math.abs(net.w2[k * 8 + j]);
        const dg = w * tolP + 3 * 2 ** -25;
        const ds = tolA * Math.abs(1 - 2 * f.a[j]) + tolA * tolA + 2 ** -17;
        const bound = Math.abs(f.g[j]) * ds + (f.s[j] + ds) * dg + 2 ** -25;
        expect(Math.abs(f.g[j] * f.s[j] - d1[j] / 2 ** 24)).toBeLessThanOrEqual(bound);
        // and the bound is tight enough to mean something: well below the δ it checks
        expect(bound).toBeLessThan(0.01 * Math.max(...Array.from(f.s, (s, i) => Math.abs(s * f.g[i]))) + 1e-6);
      }
    }
  });

  it('the engine\'s topk and adaptive masks keep the k of topkCount and adaptiveCount (λ = 1 for one hidden layer)', () => {
    const rng = new Rng(5);
    const { x, label } = randomSample(rng);
    const kept = (e: DeepEngine): number => {
      e.trainSample(x, label);
      return new Uint8Array(e.exports.memory.buffer, e.exports.regionPtr(DeepRegion.CNT, 1), 8).reduce((s, c) => s + (c ? 1 : 0), 0);
    };
    for (const f of [0.1, 0.3, 0.5]) expect(kept(tiny('topk', f))).toBe(topkCount(f, 8));
    // f·n = 3.0000008: the engine takes f down to Q16 first (24,576/2^16 · 8 = 3), so k = 3, not ⌈3.0000008⌉ = 4
    expect(topkCount(0.3750001, 8)).toBe(3);
    expect(kept(tiny('topk', 0.3750001))).toBe(3);
    // first step of a fresh engine: Y_max = Y, so k = ⌊n·S_max·ζ^λ⌋
    for (const m of [{ minRatio: 0.1, maxRatio: 0.5, damping: 0.5 }, { minRatio: 0.1, maxRatio: 0.9, damping: 0.5 }, { minRatio: 0.1, maxRatio: 0.5, damping: 1 }]) {
      const want = adaptiveCount({ ...m, depth: 1 }, 1, 1, 8);
      expect(kept(tiny('adaptive', m))).toBe(want);
      // λ = 0 or 2 would pick another k for the damped knobs
      if (m.damping !== 1) expect(adaptiveCount({ ...m, depth: 0 }, 1, 1, 8)).not.toBe(want);
    }
  });
});
