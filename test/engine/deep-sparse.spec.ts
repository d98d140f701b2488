// The deep module's sparse-backprop baselines (issue 18; assembly/select.ts, deep.ts): topk (meProp), random
// (each hidden unit kept with probability p, δ/p) and adaptive (TinyProp), against the float64 reference
// (test/harness/reference-deep.ts) within the bounds of test/engine/deep-step-check.ts, and against exact
// replays of the module's documented rules on the engine's own δ.
//
// The δ a hidden node had before its selection (preSelection): topk keeps, for the kept units, exactly the δ
// bp's formula gives, and nothing else reaches a node below; so a random engine at p = 1 whose device keeps
// precisely topk's masks above node i, and every unit of node i and below, from the same weights and sample,
// holds topk's pre-selection δ of node i in its D after the step, bit for bit. The selection's rule (the k
// largest |δ|, ties to the lower index: topKMask, by sorting) and its comparison count (selectionCount, the
// quickselect of select.ts's header) are then checked on those exact Q24 values.
import { describe, it, expect } from 'vitest';
import { DeepEngine, DeepRegion } from '../../host/engine/deep-engine.ts';
import { sparsityQ16, validateDeepConfig, type DeepConfig } from '../../host/engine/deep-config.ts';
import { decodeCounters, COUNTER_SLOTS, backwardMulAdd, type OpCounters } from '../../host/engine/counters.ts';
import { energyPerSample } from '../../host/energy/energy-model.ts';
import { HOROWITZ_45NM } from '../../host/energy/energy-table.ts';
import type { Activation } from '../../host/engine/config.ts';
import { ReferenceDeep, countsFrom, topKMask, selectionCount, tinyPropRatio } from '../harness/reference-deep.ts';
import { Rng } from '../../host/rng.ts';
import { NETS, ACTIVATIONS, Q24, wasm, deepConfig, engineFor, inputU8, snapshot, step, checkLeftOut, compareCounters, dense, type Sample, type Net } from './deep-step-check.ts';

type Snap = { w: Int32Array[]; b: Int32Array[] };

function restore(e: DeepEngine, s: Snap): void {
  for (const i of e.weightNodes) {
    e.weights(i).set(s.w[i]);
    e.biases(i).set(s.b[i]);
  }
}

/** Hidden nodes (activation and mask) in order: the module's ordinal h of env.mtj_sample. */
const hiddenNodes = (config: DeepConfig): number[] => {
  const ref = new ReferenceDeep(config);
  return ref.geo.map((_g, i) => i).filter((i) => ref.hidden(i));
};

/** A device that hands node hid[h] the bits bitsOf(node, n) (one draw per unit: random). */
function deviceOf(config: DeepConfig, get: () => DeepEngine, bitsOf: (node: number, n: number) => ArrayLike<number>, seen?: { h: number; n: number; p: number[]; draws: number }[]): Sample {
  const hid = hiddenNodes(config);
  return (h, n, p, bits, draws) => {
    const mem = get().exports.memory.buffer;
    seen?.push({ h, n, p: Array.from(new Int32Array(mem, p, n)), draws });
    new Uint8Array(mem, bits, n * draws).set(bitsOf(hid[h], n));
  };
}

/** A random engine at p = 1 from the weights `w` whose device keeps masks[i] for node i (all ones where masks has none). */
function maskedEngine(config: DeepConfig, w: Snap, masks: (node: number, n: number) => ArrayLike<number>): DeepEngine {
  let e: DeepEngine | undefined;
  const c: DeepConfig = { ...config, algorithm: 'random', sparsity: 1 };
  e = new DeepEngine(c, deviceOf(c, () => e as DeepEngine, masks), wasm);
  restore(e, w);
  return e;
}

/** Node i's δ before topk's or adaptive's selection in a step from `w` on (x, label) whose masks were `masks` (header). */
function preSelection(config: DeepConfig, w: Snap, x: Uint8Array, label: number, masks: Uint8Array[], node: number): Int32Array {
  const e = maskedEngine(config, w, (i, n) => (i > node ? masks[i] : new Uint8Array(n).fill(1)));
  e.trainSample(x, label);
  return e.region(DeepRegion.D, node, e.units[node]).slice();
}

const magnitudes = (d: Int32Array): number[] => Array.from(d, (v) => Math.abs(v));
const ones = (m: ArrayLike<number>): number => Array.from(m).reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);

/** Per hidden node of a step: the comparisons and writes of select.ts's selection (0 when k = n). */
function selectionCost(pre: Int32Array, k: number): { compares: number; writes: number; mask: Uint8Array } {
  const n = pre.length;
  if (k >= n) return { compares: 0, writes: 0, mask: new Uint8Array(n).fill(1) };
  const s = selectionCount(magnitudes(pre), k);
  return { compares: s.compares, writes: 3 * n - k + 2 * s.swaps, mask: s.mask };
}

/** TinyProp's k by select.ts's integer form (header: floors in Q16), from Y and Y_max in Q24 and the Q16 knob. */
function tinyPropKeepQ16(n: number, y: bigint, yMax: bigint, [sMin, sMax, zeta]: [number, number, number], depth: number): number {
  let ys = y;
  let ms = yMax;
  if (ms >= 1n << 46n) {
    ys >>= 6n;
    ms >>= 6n;
  }
  const q = (ys << 16n) / ms;
  const r = BigInt(sMin) + ((q * BigInt(sMax - sMin)) >> 16n);
  let z = 65536n;
  for (let t = 0; t < depth; t++) z = (z * BigInt(zeta)) >> 16n;
  const k = Number((BigInt(n) * ((r * z) >> 16n)) >> 16n);
  return Math.min(n, Math.max(1, k));
}

function topk(net: Net, act: Activation, fraction: number, extra: Partial<DeepConfig> = {}): DeepConfig {
  return deepConfig(net, act, { algorithm: 'topk', sparsity: fraction, ...extra });
}

const SPARSE_NETS = ['mixed', 'skip over a pair of dense layers', 'skips from the input and from a pool, conv output', 'linear residual blocks (pre-activation)', 'dense 12-5-4-3', 'max pool 2'] as const;


/** Three steps of a and b on the same samples (from Rng(seed + 1)): the same predictions, then the same weights, biases and δ. */
function trainSideBySide(a: DeepEngine, b: DeepEngine, seed: number): void {
    const rng = new Rng(seed + 1);
    a.resetCounters();
    b.resetCounters();
    for (let t = 0; t < 3; t++) {
      const x = inputU8(a.units[0], rng);
      const label = rng.int(a.units[a.units.length - 1]);
      expect(a.trainSample(x, label)).toBe(b.trainSample(x, label));
    }
    for (const i of a.weightNodes) {
      expect(Array.from(a.weights(i))).toEqual(Array.from(b.weights(i)));
      expect(Array.from(a.biases(i))).toEqual(Array.from(b.biases(i)));
    }
    for (let i = 1; i < a.units.length; i++) expect(Array.from(a.region(DeepRegion.D, i, a.units[i]))).toEqual(Array.from(b.region(DeepRegion.D, i, b.units[i])));
}

describe('topk: each hidden node keeps the k = max(1, ⌈f·n⌉) units of largest |δ|', () => {
  const cases: [string, Activation, number][] = [
    ['mixed', 'tanh', 0.25],
    ['mixed', 'relu', 0.1],
    ['mixed', 'relu', 0.7],
    ['mixed', 'sigmoid', 0.5],
    ['skip over a pair of dense layers', 'tanh', 0.4],
    ['skips from the input and from a pool, conv output', 'relu', 0.3],
    ['linear residual blocks (pre-activation)', 'tanh', 0.2],
    ['dense 12-5-4-3', 'sigmoid', 0.5],
    ['max pool 2', 'relu', 0.05],
  ];
  it.each(cases)('%s, %s, f = %f: exactly k kept, the k largest |δ| of the exact δ (ties: the lower index), kept δ as bp computes them; comparisons and writes as replayed', (name, act, f) => {
    const rng = new Rng(300 + name.length + act.length + Math.round(f * 100));
    const config = topk(NETS[name], act, f);
    const q = (sparsityQ16(config) as number[])[0];
    expect(q).toBe(Math.floor(f * 65536));
    let ties = 0;
    for (let trial = 0; trial < 2; trial++) {
      const e = engineFor({ ...config, seed: 40 + trial }, rng);
      const before = snapshot(e);
      const x = inputU8(e.units[0], rng);
      const label = rng.int(e.units[e.units.length - 1]);
      e.resetCounters();
      e.trainSample(x, label);
      const masks = countsFrom(e);
      let compares = 0;
      let writes = e.units[e.units.length - 1]; // the output δ
      let keptSum = 0;
      let seenSum = 0;
      for (const i of hiddenNodes(config)) {
        const n = e.units[i];
        const k = Math.max(1, Math.ceil((q * n) / 65536));
        const what = `${name} ${act} f ${f} trial ${trial} node ${i} (n ${n}, k ${k})`;
        expect(ones(masks[i]), `${what}: kept`).toBe(k);
        const pre = preSelection(config, before, x, label, masks, i);
        expect(Array.from(masks[i]), `${what}: the k largest |δ|, ties to the lower index`).toEqual(Array.from(topKMask(pre, k)));
        const sel = selectionCost(pre, k);
        expect(Array.from(sel.mask), `${what}: the replayed quickselect`).toEqual(Array.from(masks[i]));
        // kept units: bp's δ bit for bit; the others 0
        const d = e.region(DeepRegion.D, i, n);
        expect(Array.from(d), `${what}: δ`).toEqual(Array.from(pre, (v, j) => (masks[i][j] ? v : 0)));
        const threshold = Math.min(...magnitudes(pre).filter((_v, j) => masks[i][j]));
        ties += magnitudes(pre).filter((v, j) => v === threshold && !masks[i][j]).length;
        compares += sel.compares;
        writes += n + sel.writes;
        keptSum += k;
        seenSum += n;
      }
      const c = e.counters();
      expect(c.activationGradient.compares, 'comparisons').toBe(compares);
      expect(c.activationGradient.writes, 'writes of the activation-gradient phase').toBe(writes);
      expect([c.kept[0], c.seen[0]]).toEqual([keptSum, seenSum]);
      expect(compares).toBeGreaterThan(0);
    }
    // ReLU: units with δ = 0 tie at the threshold 0 when fewer than k are nonzero
    if (act === 'relu' && f > 0.5) expect(ties).toBeGreaterThan(0);
  });

  it.each(SPARSE_NETS.flatMap((name) => ACTIVATIONS.map((act) => [name, act] as const)))('%s, %s: the units left out are untouched downstream, bit for bit (the step of bp masked by topk\'s own masks)', (name, act) => {
    const rng = new Rng(400 + name.length * 3 + act.length);
    const config = topk(NETS[name], act, 0.3);
    const e = engineFor(config, rng);
    const before = snapshot(e);
    const x = inputU8(e.units[0], rng);
    const label = rng.int(e.units[e.units.length - 1]);
    e.trainSample(x, label);
    const masks = countsFrom(e);
    const m = maskedEngine(config, before, (i) => masks[i]);
    m.trainSample(x, label);
    for (const i of e.weightNodes) {
      expect(Array.from(e.weights(i)), `node ${i} weights`).toEqual(Array.from(m.weights(i)));
      expect(Array.from(e.biases(i)), `node ${i} biases`).toEqual(Array.from(m.biases(i)));
    }
    for (let i = 1; i < e.units.length; i++) expect(Array.from(e.region(DeepRegion.D, i, e.units[i])), `node ${i} δ`).toEqual(Array.from(m.region(DeepRegion.D, i, m.units[i])));
    const ref = ReferenceDeep.fromEngine(e);
    const left = checkLeftOut({ e, ref, counts: masks, before, x, label }, `${name} ${act}`);
    expect(left.units).toBeGreaterThan(0);
  });

  it.each(SPARSE_NETS.flatMap((name) => ACTIVATIONS.map((act) => [name, act] as const)))('%s, %s: f = 1 is bp, bit for bit (weights, biases, δ, counters)', (name, act) => {
    const seed = 500 + name.length + act.length;
    const a = engineFor(topk(NETS[name], act, 1), new Rng(seed));
    const b = engineFor(deepConfig(NETS[name], act), new Rng(seed));
    trainSideBySide(a, b, seed);
    const ca = a.counters();
    expect(ca.activationGradient.compares).toBe(0);
    delete ca.activationGradient.compares;
    expect(ca).toEqual(b.counters());
  });

  it.each(SPARSE_NETS.flatMap((name) => ACTIVATIONS.map((act) => [name, act] as const)))('%s, %s: the step equals the reference\'s with the same masks, within the Q-format bound', (name, act) => {
    const rng = new Rng(600 + name.length + act.length);
    for (let trial = 0; trial < 2; trial++) step(topk(NETS[name], act, trial === 0 ? 0.25 : 0.6, { seed: 11 + trial }), rng, `${name} ${act} topk trial ${trial}`);
  });

  it('the reference\'s own choice (by sorting its float δ) is the engine\'s, but for units within 1e-6 of the threshold', () => {
    const rng = new Rng(650);
    let agreed = 0;
    for (const name of SPARSE_NETS) {
      for (const act of ACTIVATIONS) {
        const s = step(topk(NETS[name], act, 0.3), rng, `${name} ${act}`);
        restore(s.e, s.before);
        const own = ReferenceDeep.fromEngine(s.e);
        own.setInputU8(s.x);
        own.forward();
        own.backward(s.label);
        // top node first: below a node whose choice differs, the two backward passes no longer see the same g
        for (const i of hiddenNodes(s.e.config).reverse()) {
          const engine = (s.counts as Uint8Array[])[i];
          const differ = Array.from(own.C[i].keys()).filter((j) => (own.C[i][j] !== 0) !== (engine[j] !== 0));
          if (differ.length === 0) {
            agreed++;
            continue;
          }
          const a = own.A[i];
          const f = (j: number): number => (act === 'sigmoid' ? a[j] * (1 - a[j]) : act === 'tanh' ? 1 - a[j] * a[j] : own.Z[i][j] > 0 ? 1 : 0);
          const pre = Array.from(own.G[i], (g, j) => Math.abs(g * f(j)));
          const threshold = [...pre].sort((x, y) => y - x)[own.K[i] - 1];
          for (const j of differ) expect(Math.abs(pre[j] - threshold), `${name} ${act} node ${i} unit ${j}: |δ| ${pre[j]}, threshold ${threshold}`).toBeLessThanOrEqual(1e-6);
          break;
        }
      }
    }
    expect(agreed).toBeGreaterThan(20);
  });
});

describe('random: each hidden unit kept with probability p, δ = g·f′/p', () => {
  it.each(SPARSE_NETS.flatMap((name) => ACTIVATIONS.map((act) => [name, act] as const)))('%s, %s: p = 1 is bp, bit for bit (weights, biases, δ; one draw per hidden unit)', (name, act) => {
    const seed = 700 + name.length + act.length;
    const a = engineFor(deepConfig(NETS[name], act, { algorithm: 'random', sparsity: 1 }), new Rng(seed));
    const b = engineFor(deepConfig(NETS[name], act), new Rng(seed));
    trainSideBySide(a, b, seed);
    const ca = a.counters();
    const cb = b.counters();
    const hiddenUnits = hiddenNodes(a.config).reduce((s, i) => s + a.units[i], 0);
    expect(ca.activationGradient.draws).toBe(3 * hiddenUnits);
    expect(ca.activationGradient.writes).toBe(cb.activationGradient.writes + 3 * hiddenUnits); // P_j = p
    expect({ ...ca, activationGradient: { ...ca.activationGradient, draws: 0, writes: 0 } }).toEqual({ ...cb, activationGradient: { ...cb.activationGradient, writes: 0 } });
    expect('compares' in ca.activationGradient).toBe(false);
  });

  it('the device import gets P_j = p and one draw per unit; its bits are the mask', () => {
    const config = deepConfig(NETS.mixed, 'tanh', { algorithm: 'random', sparsity: 0.3 });
    const seen: { h: number; n: number; p: number[]; draws: number }[] = [];
    const pattern = (i: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_v, j) => ((i * 7 + j * 3) % 5 < 2 ? 1 : 0));
    let e: DeepEngine | undefined;
    e = engineFor(config, new Rng(71), deviceOf(config, () => e as DeepEngine, pattern, seen));
    e.trainSample(inputU8(e.units[0], new Rng(72)), 1);
    const hid = hiddenNodes(config);
    expect(seen.map((s) => [s.h, s.n, s.draws])).toEqual(hid.map((i, h) => [h, e.units[i], 1]));
    for (const s of seen) expect(new Set(s.p)).toEqual(new Set([Math.round(0.3 * 65536)]));
    const masks = countsFrom(e);
    for (const i of hid) expect(Array.from(masks[i]), `node ${i}`).toEqual(Array.from(pattern(i, e.units[i])));
  });

  it.each([0.5, 0.3, 0.8])('p = %f: with the draws fed through env.mtj_sample, the step equals the reference\'s with the same draws, within the Q-format bound', (p) => {
    const rng = new Rng(750 + Math.round(p * 10));
    for (const name of SPARSE_NETS) {
      for (const act of ACTIVATIONS) {
        const config = deepConfig(NETS[name], act, { algorithm: 'random', sparsity: p });
        const draws = new Rng(751);
        const sample = (engine: () => DeepEngine): Sample => deviceOf(config, engine, (_i, n) => Uint8Array.from({ length: n }, () => (draws.next() < p ? 1 : 0)));
        const s = step(config, rng, `${name} ${act} p ${p}`, sample);
        checkLeftOut(s, `${name} ${act} p ${p}`);
      }
    }
  });

  it('the mean step over many draws is bp\'s step (unbiased), per weight within 5 standard errors', () => {
    const net: Net = { input: [3, 2, 2], nodes: [dense(6), dense(5), dense(3)] };
    const N = 3000;
    const p = 0.5;
    const rng = new Rng(77);
    const e = engineFor(deepConfig(net, 'tanh', { algorithm: 'random', sparsity: p, learningRate: 0.5 }), rng);
    const b = engineFor(deepConfig(net, 'tanh', { learningRate: 0.5 }), new Rng(77));
    const before = snapshot(e);
    expect(snapshot(b)).toEqual(before);
    const x = inputU8(e.units[0], rng);
    b.trainSample(x, 2);
    const exact = e.weightNodes.map((i) => Array.from(b.weights(i), (v, t) => v - before.w[i][t]));
    const sum = exact.map((g) => new Float64Array(g.length));
    const sq = exact.map((g) => new Float64Array(g.length));
    for (let t = 0; t < N; t++) {
      restore(e, before);
      e.exports.rngSeed(1000 + t);
      e.trainSample(x, 2);
      e.weightNodes.forEach((i, k) => {
        e.weights(i).forEach((v, j) => {
          const dw = v - before.w[i][j];
          sum[k][j] += dw;
          sq[k][j] += dw * dw;
        });
      });
    }
    let checked = 0;
    e.weightNodes.forEach((i, k) => {
      exact[k].forEach((want, j) => {
        const mean = sum[k][j] / N;
        const sd = Math.sqrt(Math.max(0, sq[k][j] / N - mean * mean));
        // 5 standard errors, plus 16 Q24 ulps of rounding (each δ is rounded once more, after ×1/p)
        expect(Math.abs(mean - want), `node ${i} weight ${j}: mean ${mean / Q24}, bp ${want / Q24}`).toBeLessThanOrEqual((5 * sd) / Math.sqrt(N) + 16);
        if (want !== 0) checked++;
      });
    });
    expect(checked).toBeGreaterThan(40);
  });
});

describe('adaptive (TinyProp): k from the node\'s error each step, then top-k', () => {
  const knob = { minRatio: 0.25, maxRatio: 0.75, damping: 0.5 };
  const net: Net = { input: [4, 1, 1], nodes: [dense(8), dense(6), dense(3)] };

  it('follows the rule on a hand-worked example (dense 4-8-6-3, S_min 0.25, S_max 0.75, ζ 0.5)', () => {
    const config = deepConfig(net, 'tanh', { algorithm: 'adaptive', sparsity: knob, learningRate: 0.5 });
    expect(sparsityQ16(config)).toEqual([16384, 49152, 32768]);
    const rng = new Rng(81);
    const e = engineFor(config, rng);
    // step 1: Y = Y_max, so bpr = S_max·ζ^λ: node 2 (λ = 1, the output above it) 0.75·0.5 = 0.375, k = ⌊6·0.375⌋ = 2;
    // node 1 (λ = 2) 0.75·0.25 = 0.1875, k = ⌊8·0.1875⌋ = 1. In Q16: r = 49152, z_1 = 32768, r_1 = 24576,
    // ⌊6·24576/2^16⌋ = ⌊2.25⌋ = 2; z_2 = 16384, r_2 = 12288, ⌊8·12288/2^16⌋ = ⌊1.5⌋ = 1.
    const samples = Array.from({ length: 6 }, () => ({ x: inputU8(4, rng), label: rng.int(3) }));
    const yMax = [1n, 1n, 1n]; // the module's Y_max starts at one Q24 ulp (select.ts)
    const want: number[][] = [];
    const got: number[][] = [];
    for (const [t, s] of samples.entries()) {
      const before = snapshot(e);
      e.trainSample(s.x, s.label);
      const masks = countsFrom(e);
      const ks: number[] = [];
      for (const i of [1, 2]) {
        const pre = preSelection(config, before, s.x, s.label, masks, i);
        const y = magnitudes(pre).reduce((a, v) => a + BigInt(v), 0n);
        yMax[i] = y > yMax[i] ? y : yMax[i];
        const depth = 3 - i;
        const k = tinyPropKeepQ16(e.units[i], y, yMax[i], [16384, 49152, 32768], depth);
        // the float rule on the same Y: k is ⌊n·bpr⌋, or one less within n·(λ + 3)·2^-16 above a whole number
        const exact = tinyPropRatio(e.units[i], Number(y) / Q24, Number(yMax[i]) / Q24, 0.25, 0.75, 0.5, depth);
        const slack = e.units[i] * exact.ratio - Math.floor(e.units[i] * exact.ratio);
        expect(k === exact.k || (k === exact.k - 1 && slack < (e.units[i] * (depth + 3)) / 65536), `step ${t} node ${i}: k ${k}, float ${exact.k}`).toBe(true);
        expect(Array.from(masks[i]), `step ${t} node ${i}: the k largest |δ|`).toEqual(Array.from(topKMask(pre, k)));
        ks.push(k);
      }
      want.push(ks);
      got.push([ones(masks[1]), ones(masks[2])]);
    }
    expect(want[0]).toEqual([1, 2]);
    expect(got).toEqual(want);
    // the error fell below its maximum at some step: a smaller ratio than S_max·ζ^λ, k below step 1's
    expect(want.some((k) => k[1] < 2)).toBe(true);
  });

  it.each(SPARSE_NETS.flatMap((name) => (['tanh', 'relu'] as const).map((act) => [name, act] as const)))('%s, %s: over steps, k follows the integer rule, the masks are the k largest |δ|, and the comparisons and multiplies are counted exactly', (name, act) => {
    const config = deepConfig(NETS[name], act, { algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.9, damping: 0.8 }, learningRate: 0.25 });
    const q = sparsityQ16(config) as [number, number, number];
    const rng = new Rng(900 + name.length + act.length);
    const e = engineFor(config, rng);
    const hid = hiddenNodes(config);
    const ref = new ReferenceDeep(config);
    const yMax = new Map<number, bigint>();
    for (let t = 0; t < 3; t++) {
      const before = snapshot(e);
      const x = inputU8(e.units[0], rng);
      const label = rng.int(e.units[e.units.length - 1]);
      e.resetCounters();
      e.trainSample(x, label);
      const masks = countsFrom(e);
      let compares = 0;
      let rule = 0;
      for (const i of hid) {
        const n = e.units[i];
        const pre = preSelection(config, before, x, label, masks, i);
        const y = magnitudes(pre).reduce((a, v) => a + BigInt(v), 0n);
        const m = yMax.get(i) ?? 1n;
        yMax.set(i, y > m ? y : m);
        const k = tinyPropKeepQ16(n, y, yMax.get(i) as bigint, q, ref.depth(i));
        expect(ones(masks[i]), `step ${t} node ${i}`).toBe(k);
        const sel = selectionCost(pre, k);
        expect(Array.from(masks[i])).toEqual(Array.from(sel.mask));
        expect(Array.from(masks[i])).toEqual(Array.from(topKMask(pre, k)));
        compares += sel.compares + 4;
        rule += 4 + ref.depth(i);
      }
      const c = e.counters();
      expect(c.activationGradient.compares, `step ${t}: comparisons`).toBe(compares);
      // f′ of every hidden unit (2 per sigmoid/tanh unit, 1 per ReLU unit) and the rule's multiplies
      const fPrime = hid.reduce((s, i) => s + (act === 'relu' ? 1 : 2) * e.units[i], 0);
      expect(c.activationGradient.mul, `step ${t}: multiplies`).toBe(fPrime + rule);
    }
  });

  it.each(SPARSE_NETS.flatMap((name) => ACTIVATIONS.map((act) => [name, act] as const)))('%s, %s: one step equals the reference\'s with the same masks, within the Q-format bound; the reference\'s own k is the engine\'s', (name, act) => {
    const rng = new Rng(950 + name.length + act.length);
    const s = step(deepConfig(NETS[name], act, { algorithm: 'adaptive', sparsity: { minRatio: 0.2, maxRatio: 0.6, damping: 0.75 }, seed: 12 }), rng, `${name} ${act} adaptive`);
    // first step: Y = Y_max, bpr = S_max·ζ^λ in both (the Q16 values 0.6 → 39322, 0.75 → 49152)
    for (const i of hiddenNodes(s.e.config)) {
      const n = s.e.units[i];
      const k = tinyPropKeepQ16(n, 1n, 1n, sparsityQ16(s.e.config) as [number, number, number], s.ref.depth(i));
      expect(ones((s.counts as Uint8Array[])[i]), `node ${i}`).toBe(k);
      expect(Math.abs(s.ref.K[i] - k), `node ${i}: reference k ${s.ref.K[i]}`).toBeLessThanOrEqual(1);
    }
  });
});

describe('operation counters of one sparse step equal the reference\'s independent count', () => {
  const cases: [string, Activation, Partial<DeepConfig>][] = [
    ['mixed', 'tanh', { algorithm: 'topk', sparsity: 0.3 }],
    ['mixed', 'relu', { algorithm: 'topk', sparsity: 0.5 }],
    ['skip over a pair of conv layers', 'sigmoid', { algorithm: 'topk', sparsity: 0.2 }],
    ['linear residual blocks (pre-activation)', 'relu', { algorithm: 'topk', sparsity: 0.4 }],
    ['mixed', 'tanh', { algorithm: 'random', sparsity: 0.5 }],
    ['mixed', 'relu', { algorithm: 'random', sparsity: 0.7 }],
    ['skip over a pair of dense layers', 'sigmoid', { algorithm: 'random', sparsity: 0.4 }],
    ['mixed', 'tanh', { algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.5, damping: 0.9 } }],
    ['skips from the input and from a pool, conv output', 'relu', { algorithm: 'adaptive', sparsity: { minRatio: 0, maxRatio: 1, damping: 0.7 } }],
  ];
  it.each(cases)('%s, %s, %j', (name, act, extra) => {
    const rng = new Rng(990 + name.length + act.length);
    for (let trial = 0; trial < 2; trial++) {
      const what = `${name} ${act} ${JSON.stringify(extra)} trial ${trial}`;
      compareCounters(step(deepConfig(NETS[name], act, { seed: 31 + trial, ...extra }), rng, what), what);
    }
  });
});

describe('host: counters, energy and configuration of the sparse algorithms', () => {
  it('decodeCounters reads the comparisons only when asked (the release engine\'s block is decoded as before)', () => {
    const slots = new BigInt64Array(COUNTER_SLOTS).map((_v, i) => BigInt(i + 1));
    const release = decodeCounters(slots, 2);
    expect('compares' in release.activationGradient).toBe(false);
    expect(release.kept).toEqual([17, 18]);
    const deep = decodeCounters(slots, 1, { compares: true });
    expect(deep.activationGradient.compares).toBe(18);
    expect(deep.kept).toEqual([17]);
    expect(backwardMulAdd(deep) - backwardMulAdd(decodeCounters(slots, 1))).toBe(18);
  });

  it('DeepEngine reports comparisons for topk and adaptive only; bp\'s and pgaf\'s counters have no such field', () => {
    const counters = (c: Partial<DeepConfig>): OpCounters => {
      const e = engineFor(deepConfig(NETS['dense 12-5-4-3'], 'tanh', c), new Rng(5));
      e.trainSample(inputU8(12, new Rng(6)), 1);
      return e.counters();
    };
    expect('compares' in counters({}).activationGradient).toBe(false);
    expect('compares' in counters({ algorithm: 'pgaf' }).activationGradient).toBe(false);
    expect('compares' in counters({ algorithm: 'random', sparsity: 0.5 }).activationGradient).toBe(false);
    expect(counters({ algorithm: 'topk', sparsity: 0.4 }).activationGradient.compares).toBeGreaterThan(0);
    expect(counters({ algorithm: 'adaptive', sparsity: knobOf(0.1, 0.5, 1) }).activationGradient.compares).toBeGreaterThan(0);
  });

  it('energy: each comparison is charged as one 32-bit add (Horowitz 45 nm, 0.1 pJ) in the activation-gradient phase; nothing else changes', () => {
    const e = engineFor(deepConfig(NETS.mixed, 'tanh', { algorithm: 'topk', sparsity: 0.25 }), new Rng(8));
    e.trainSample(inputU8(e.units[0], new Rng(9)), 2);
    const c = e.counters();
    const compares = c.activationGradient.compares as number;
    const without = structuredClone(c);
    delete without.activationGradient.compares;
    const a = energyPerSample(c, 1);
    const b = energyPerSample(without, 1);
    expect(a.phases.activationGradient.compute - b.phases.activationGradient.compute).toBeCloseTo(compares * HOROWITZ_45NM.intAdd32, 9);
    expect({ ...a.phases, activationGradient: undefined }).toEqual({ ...b.phases, activationGradient: undefined });
    expect(a.phases.activationGradient.memoryRead).toBe(b.phases.activationGradient.memoryRead);
    expect(() => energyPerSample({ ...c, activationGradient: { ...c.activationGradient, compares: -1 } }, 1)).toThrow(/compares/);
  });

  it('the knob reaches the module as Q16: topk rounds f down (k = ⌈f·n⌉ stays exact when f·n is whole), random and adaptive to the nearest', () => {
    expect(sparsityQ16({ algorithm: 'topk', sparsity: 0.1 })).toEqual([6553, 0, 0]);
    expect(Math.ceil((6553 * 100) / 65536)).toBe(10); // ⌈0.1·100⌉
    expect(sparsityQ16({ algorithm: 'random', sparsity: 0.1 })).toEqual([6554, 0, 0]);
    expect(sparsityQ16({ algorithm: 'adaptive', sparsity: knobOf(0, 1, 0.3) })).toEqual([0, 65536, 19661]);
    expect(sparsityQ16({ algorithm: 'bp' })).toBeUndefined();
    expect(validateDeepConfig(deepConfig(NETS.mixed, 'tanh', { algorithm: 'topk', sparsity: 1 }))).toBeTruthy();
  });
});

function knobOf(minRatio: number, maxRatio: number, damping: number): { minRatio: number; maxRatio: number; damping: number } {
  return { minRatio, maxRatio, damping };
}
