// Shared checks of the deep module's training step (assembly/deep.ts, graph.ts, conv.ts, pool.ts, select.ts)
// against the float64 reference (test/harness/reference-deep.ts): test/engine/deep-gradient.spec.ts (bp, pgaf)
// and test/engine/deep-sparse.spec.ts (topk, random, adaptive) use them.
//
// An engine step is compared twice with the reference's (weights and inputs are exact in both: the reference
// reads them from the engine; pgaf and random: the engine's own counts c_j, topk and adaptive: the engine's own
// masks, read from its CNT region after the step):
//  1. the reference's own forward and backward pass: activations, δ, Δw and Δb within a first-order bound
//     from the Q formats (errorBounds), node by node. assembly/fixed.ts: half an ulp u16 = 2^-17 per Q16
//     rounding, u24 = 2^-25 per Q24 rounding; activation.ts: sigmoid LUT ≤ 1e-4, tanh ≤ 2e-4, exp ≤ 1e-4.
//       z   E_z = u16 + E_a(in)·max_co Σ|w| + E_a(skip source)
//       a   sigmoid 1e-4 + E_z/4 · tanh 2e-4 + E_z · ReLU and linear E_z · max pool E_a(in) · mean E_a(in) + u16
//       p   softmax: 2·E_z + (n + 1)(1e-4 + u16) + u16          (Σe ≥ 1: the largest term is e^0 = 1)
//       g   ∂L/∂a, over its consumers: conv E_δ·max_ci Σ|w| + Co·kh·kw·u24 · skip E_δ · max pool E_δ ·
//           mean pool E_δ/s² + u24
//       δ   output E_p · bp (topk, adaptive) f′max·E_g + max|g|·E_f′ + u24 (E_f′: sigmoid E_a + u16, tanh 2E_a +
//           2u16, ReLU 0) · random ι·(bp's) + max|g|·f′max·|ι − 1/p| + u24 (ι = round(2^32/p_Q16)/2^16, the
//           module's 1/p) · pgaf max(2^e·c/K)·E_g + u24 · pool and linear E_g
//       Δw  η(E_a(in)·Σ_{u∈co}|δ_u| + E_δ·Σ_{ci}(|a| + E_a) + P·E_δ·E_a) + u24·Σ_{ci}(|a| + E_a) + P·u24
//           (P = Ho·Wo terms per weight; η·δ and (η·δ)·a are each rounded to Q24); Δb η·P·E_δ + P·u24.
//     The bound is a worst case (every error aligned): measured errors reach all of it for activations
//     (a first ReLU layer's z is off by its one rounding, up to u16) but only 0.03 (δ) and 0.2 (Δw) of it
//     elsewhere, where the LUT terms dominate. Max-pool routing and the ReLU kink are discontinuous: the engine must
//     take the reference's branch first (same chosen inputs, same mask; branchMismatches).
//  2. the reference's backward pass on the engine's own forward values (a, z, p and max-pool routes, Q16
//     → float; loadForwardFrom): the same bound with every E_a = 0, i.e. the Q24 roundings of the backward
//     pass alone (rigorous: only products of two roundings, ~1e-12, are left out); measured errors reach
//     0.997 of it, so it catches a single missing term or a rounding done the wrong way.
// Every comparison allows 1e-12 more, for the float64 evaluation of the reference.
import { expect } from 'vitest';
import { DeepEngine, DeepRegion, readDeepWasm } from '../../host/engine/deep-engine.ts';
import { defaultDeepConfig, sparsityQ16, type DeepConfig, type DeepNode } from '../../host/engine/deep-config.ts';
import type { Activation } from '../../host/engine/config.ts';
import { ReferenceDeep, countsFrom, loadForwardFrom } from '../harness/reference-deep.ts';
import { Rng } from '../../host/rng.ts';

export const Q24 = 2 ** 24;
export const U16 = 2 ** -17;
export const U24 = 2 ** -25;
export const LUT: Record<Activation, number> = { sigmoid: 1e-4, tanh: 2e-4, relu: 0 };
export const SLOPE: Record<Activation, number> = { sigmoid: 0.25, tanh: 1, relu: 1 };
export const ACTIVATIONS: Activation[] = ['sigmoid', 'tanh', 'relu'];

export const wasm = readDeepWasm();

export type Net = { input: [number, number, number]; nodes: DeepNode[] };
export const conv = (channels: number, kernel: number, stride = 1, pad = 0, skip?: number): Extract<DeepNode, { kind: 'conv' }> => ({ kind: 'conv', channels, kernel, stride, pad, skip });
export const dense = (units: number, skip?: number): Extract<DeepNode, { kind: 'dense' }> => ({ kind: 'dense', units, skip });

export const NETS: Record<string, Net> = {
  'conv 3×3 stride 1 pad 1': { input: [2, 5, 5], nodes: [conv(3, 3, 1, 1), dense(3)] },
  'conv 5×5 stride 2': { input: [1, 9, 9], nodes: [conv(2, 5, 2, 0), dense(3)] },
  'conv 5×5 stride 2 pad 2': { input: [2, 8, 8], nodes: [conv(2, 5, 2, 2), dense(3)] },
  'conv 7×7 pad 3, conv 3×3 stride 2 pad 1': { input: [1, 7, 7], nodes: [conv(2, 7, 1, 3), conv(2, 3, 2, 1), dense(3)] },
  'conv output over 2×2 positions, kernel 1': { input: [1, 6, 6], nodes: [conv(2, 3, 2, 0), conv(2, 1)] },
  'max pool 2': { input: [1, 6, 6], nodes: [conv(2, 3, 1, 1), { kind: 'maxpool', size: 2 }, dense(3)] },
  'max pool 3': { input: [1, 7, 7], nodes: [conv(2, 3, 1, 1), { kind: 'maxpool', size: 3 }, dense(3)] },
  'average pool 2': { input: [1, 8, 8], nodes: [conv(2, 3, 1, 1), { kind: 'avgpool', size: 2 }, dense(3)] },
  'average pool 4': { input: [1, 8, 8], nodes: [conv(2, 3, 1, 1), { kind: 'avgpool', size: 4 }, dense(3)] },
  'pool on the input, pool after pool': {
    input: [1, 8, 8],
    nodes: [{ kind: 'avgpool', size: 2 }, conv(2, 3, 1, 1), { kind: 'maxpool', size: 2 }, { kind: 'avgpool', size: 2 }, dense(3)],
  },
  'dense 12-5-4-3': { input: [3, 2, 2], nodes: [dense(5), dense(4), dense(3)] },
  'skip over a pair of conv layers': { input: [1, 5, 5], nodes: [conv(2, 3, 1, 1), conv(2, 3, 1, 1), conv(2, 3, 1, 1, 1), dense(3)] },
  'skip over a pair of dense layers': { input: [4, 1, 1], nodes: [dense(5), dense(5), dense(5, 1), dense(3)] },
  'skip into the output': { input: [2, 3, 3], nodes: [dense(4), dense(4), dense(4, 1)] },
  'linear residual blocks (pre-activation)': {
    input: [1, 5, 5],
    nodes: [conv(2, 3, 1, 1), conv(2, 3, 1, 1), { ...conv(2, 3, 1, 1, 1), linear: true }, conv(2, 3, 1, 1), { ...dense(50, 3), linear: true }, dense(3)],
  },
  'even kernels 2 and 4': { input: [1, 8, 8], nodes: [conv(2, 4, 2, 1), conv(3, 2, 1, 0), dense(3)] },
  'skips from the input and from a pool, conv output': {
    input: [2, 6, 6],
    nodes: [conv(2, 3, 1, 1), conv(2, 3, 1, 1, 0), { kind: 'maxpool', size: 2 }, conv(2, 3, 1, 1), conv(2, 3, 1, 1, 3), conv(3, 3, 1, 0)],
  },
  mixed: {
    input: [1, 8, 8],
    nodes: [conv(3, 3, 1, 1), conv(3, 3, 1, 1), conv(3, 3, 1, 1, 1), { kind: 'maxpool', size: 2 }, conv(4, 5, 2, 2), { kind: 'avgpool', size: 2 }, dense(4), dense(3)],
  },
};

export function deepConfig(net: Net, activation: Activation, extra: Partial<DeepConfig> = {}): DeepConfig {
  return { ...defaultDeepConfig, ...net, activation, algorithm: 'bp', learningRate: 1, seed: 5, ...extra };
}

/**
 * An engine with weights U(±√(6/(fan-in + Co))) and biases U(±0.25) from rng, in Q24: the tests do not
 * lean on the module's initialisation (a skip node starts at W = 0, which would cut the path through it).
 */
export function engineFor(config: DeepConfig, rng: Rng, sample?: ConstructorParameters<typeof DeepEngine>[1]): DeepEngine {
  const e = new DeepEngine(config, sample, wasm);
  for (const i of e.weightNodes) {
    const w = e.weights(i);
    const b = e.biases(i);
    const r = Math.sqrt(6 / (w.length / b.length + b.length));
    w.set(Array.from(w, () => Math.round(rng.uniform(-r, r) * Q24)));
    b.set(Array.from(b, () => Math.round(rng.uniform(-0.25, 0.25) * Q24)));
  }
  return e;
}

/** u8 features, about one in five zero (zero inputs are skipped work in the module). */
export const inputU8 = (n: number, rng: Rng): Uint8Array => Uint8Array.from({ length: n }, () => (rng.next() < 0.2 ? 0 : rng.int(256)));

export interface Bounds {
  Ea: number[];
  Ez: number[];
  Ed: number[];
  /** Per weight node: tolerance of each weight's and bias's step. */
  tolW: Float64Array[];
  tolB: Float64Array[];
}

/**
 * First-order error bounds of the engine against the reference after its forward and backward pass (header).
 * engineForward: the reference ran its backward pass on the engine's own forward values (a, z, p, max-pool
 * routes; loadForwardFrom), so every E_a is 0 and only the Q24 roundings of the backward pass remain.
 */
export function errorBounds(ref: ReferenceDeep, network: number, engineForward = false): Bounds {
  const { geo, L } = ref;
  const act = ref.config.activation;
  const n = L + 1;
  const Ea = new Array<number>(n).fill(0);
  const Ez = new Array<number>(n).fill(0);
  const Eg = new Array<number>(n).fill(0);
  const Ed = new Array<number>(n).fill(0);
  const taps = (i: number): number => geo[i - 1].c * geo[i].kh * geo[i].kw;
  const rowNorm = (i: number): number => {
    let m = 0;
    for (let co = 0; co < geo[i].c; co++) m = Math.max(m, ref.W[i].subarray(co * taps(i), (co + 1) * taps(i)).reduce((s, v) => s + Math.abs(v), 0));
    return m;
  };
  const colNorm = (i: number): number => {
    const k = geo[i].kh * geo[i].kw;
    const sums = new Array<number>(geo[i - 1].c).fill(0);
    ref.W[i].forEach((v, t) => (sums[Math.floor(t / k) % geo[i - 1].c] += Math.abs(v)));
    return Math.max(...sums);
  };
  for (let i = 1; i <= L && !engineForward; i++) {
    const g = geo[i];
    if (g.kind !== 'conv') {
      Ea[i] = Ea[i - 1] + (g.kind === 'avgpool' ? U16 : 0);
      continue;
    }
    Ez[i] = U16 + Ea[i - 1] * rowNorm(i) + (g.skip >= 0 ? Ea[g.skip] : 0);
    if (i === L) Ea[i] = 2 * Ez[i] + (ref.A[L].length + 1) * (1e-4 + U16) + U16;
    else Ea[i] = ref.hidden(i) ? LUT[act] + SLOPE[act] * Ez[i] : Ez[i]; // a linear node copies z
  }
  Ed[L] = Ea[L];
  const { algorithm, pairs, reluSampled } = ref.config;
  for (let i = L; i >= 1; i--) {
    const g = geo[i];
    if (g.kind === 'conv') {
      if (g.skip > 0) Eg[g.skip] += Ed[i];
      if (i > 1) Eg[i - 1] += Ed[i] * colNorm(i) + g.c * g.kh * g.kw * U24;
    } else if (i > 1) Eg[i - 1] += g.kind === 'maxpool' ? Ed[i] : Ed[i] / (g.stride * g.stride) + U24;
    if (i === 1) break;
    const b = i - 1;
    if (!ref.hidden(b)) {
      Ed[b] = Eg[b];
      continue;
    }
    if (algorithm !== 'pgaf') {
      const gMax = Math.max(...ref.G[b].map(Math.abs));
      const ef = act === 'sigmoid' ? Ea[b] + U16 : act === 'tanh' ? 2 * Ea[b] + 2 * U16 : 0;
      Ed[b] = SLOPE[act] * Eg[b] + gMax * ef + U24;
      if (algorithm === 'random') {
        // the module multiplies by ι = round(2^32/p_Q16)/2^16 instead of dividing by p, then rounds to Q24
        const pQ16 = (sparsityQ16(ref.config) as [number, number, number])[0];
        const iota = Math.round(2 ** 32 / pQ16) / 65536;
        Ed[b] = iota * Ed[b] + gMax * SLOPE[act] * Math.abs(iota - 65536 / pQ16) + U24;
      }
    } else {
      const cMax = Math.max(...ref.C[b]);
      const sMax = act === 'relu' ? (reluSampled ? cMax / pairs : 1) : ((act === 'tanh' ? 4 : 1) * cMax) / pairs;
      Ed[b] = sMax * Eg[b] + U24;
    }
  }
  const tolW: Float64Array[] = [];
  const tolB: Float64Array[] = [];
  for (let i = 0; i <= L; i++) {
    const g = geo[i];
    if (i === 0 || g.kind !== 'conv') {
      tolW.push(new Float64Array(0));
      tolB.push(new Float64Array(0));
      continue;
    }
    const inp = geo[i - 1];
    const P = g.h * g.w;
    const plane = inp.h * inp.w;
    const sD = Array.from({ length: g.c }, (_v, co) => ref.D[i].subarray(co * P, (co + 1) * P).reduce((s, v) => s + Math.abs(v), 0));
    const sA = Array.from({ length: inp.c }, (_v, ci) => ref.A[i - 1].subarray(ci * plane, (ci + 1) * plane).reduce((s, v) => s + Math.abs(v) + Ea[i - 1], 0));
    const k = g.kh * g.kw;
    const eta = ref.rate(i, network);
    tolW.push(
      Float64Array.from(ref.W[i], (_v, t) => {
        const co = Math.floor(t / (inp.c * k));
        const ci = Math.floor(t / k) % inp.c;
        return eta * (Ea[i - 1] * sD[co] + Ed[i] * sA[ci] + P * Ed[i] * Ea[i - 1]) + U24 * sA[ci] + P * U24;
      }),
    );
    tolB.push(new Float64Array(g.c).fill(ref.rate(i, network) * P * Ed[i] + P * U24));
  }
  return { Ea, Ez, Ed, tolW, tolB };
}

/**
 * The discontinuities the first-order bound cannot cover: the ReLU kink and max-pool routing. The engine
 * and the reference must take the same branch (the engine's Z of a max pool holds the input it chose);
 * a different branch is named a near-tie (the case is invalid, not the engine wrong) when the reference's
 * margin is within the bound: |z| ≤ E_z, or the runner-up within 2·E_a of the maximum.
 */
export function branchMismatches(e: DeepEngine, ref: ReferenceDeep, b: Bounds): string[] {
  const out: string[] = [];
  for (let i = 1; i < ref.L; i++) {
    const g = ref.geo[i];
    const z = e.region(DeepRegion.Z, i, ref.Z[i].length);
    if (ref.hidden(i) && ref.config.activation === 'relu') {
      ref.Z[i].forEach((zr, u) => {
        if (zr > 0 !== z[u] > 0) out.push(`node ${i} unit ${u}: ReLU z = ${zr} (engine ${z[u] / 65536})${Math.abs(zr) <= b.Ez[i] ? ', within the bound of 0: a near-tie' : ''}`);
      });
    }
    if (g.kind === 'maxpool') {
      ref.route[i].forEach((j, u) => {
        if (z[u] === j) return;
        const gap = ref.A[i - 1][j] - ref.A[i - 1][z[u]];
        out.push(`node ${i} unit ${u}: max pool took input ${z[u]}, the reference ${j}${gap <= 2 * b.Ea[i - 1] ? ` (gap ${gap}: a near-tie)` : ''}`);
      });
    }
  }
  return out;
}

export function snapshot(e: DeepEngine): { w: Int32Array[]; b: Int32Array[] } {
  return { w: e.units.map((_n, i) => (e.weightNodes.includes(i) ? e.weights(i).slice() : new Int32Array(0))), b: e.units.map((_n, i) => (e.weightNodes.includes(i) ? e.biases(i).slice() : new Int32Array(0))) };
}

/**
 * One engine step against the reference's step with the same counts: activations, δ (the engine's D after
 * the step) and every weight and bias change within the bounds. Returns the worst ratio error/bound of each.
 */
export function compareStep(e: DeepEngine, ref: ReferenceDeep, before: { w: Int32Array[]; b: Int32Array[] }, eta: number, label: string, engineForward = false): Record<'a' | 'd' | 'w', number> {
  const b = errorBounds(ref, eta, engineForward);
  if (!engineForward) expect(branchMismatches(e, ref, b), `${label}: ReLU masks and max-pool routes`).toEqual([]);
  const worst = { a: 0, d: 0, w: 0 };
  const within = (got: number, want: number, tol: number, what: string): void => {
    const err = Math.abs(got - want);
    const k = what.includes(' a[') ? 'a' : what.includes('δ') ? 'd' : 'w';
    worst[k] = Math.max(worst[k], err === 0 ? 0 : err / tol);
    if (!(err <= tol + 1e-12)) expect.fail(`${label}: ${what}: engine ${got}, reference ${want}, |Δ| = ${err} > ${tol}`);
  };
  for (let i = 1; i <= ref.L; i++) {
    const a = e.activations(i);
    if (!engineForward) ref.A[i].forEach((v, u) => within(a[u] / 65536, v, b.Ea[i], `node ${i} a[${u}]`));
    const d = e.region(DeepRegion.D, i, ref.D[i].length);
    ref.D[i].forEach((v, u) => within(d[u] / Q24, v, b.Ed[i], `node ${i} δ[${u}]`));
  }
  const after = snapshot(e);
  for (const i of e.weightNodes) {
    const rate = ref.rate(i, eta);
    ref.GW[i].forEach((gw, t) => within((after.w[i][t] - before.w[i][t]) / Q24, -rate * gw, b.tolW[i][t], `node ${i} Δw[${t}]`));
    ref.GB[i].forEach((gb, t) => within((after.b[i][t] - before.b[i][t]) / Q24, -rate * gb, b.tolB[i][t], `node ${i} Δb[${t}]`));
  }
  return worst;
}

export type Sample = NonNullable<ConstructorParameters<typeof DeepEngine>[1]>;

export interface Step {
  e: DeepEngine;
  /** The reference's own forward and backward pass (its counters hold this step). */
  ref: ReferenceDeep;
  counts?: Uint8Array[];
  before: { w: Int32Array[]; b: Int32Array[] };
  /** The sample the step trained on. */
  x: Uint8Array;
  label: number;
}

/**
 * One engine step on a random sample against the reference: (1) the reference's own forward pass, within
 * the Q-format bound; (2) the reference's backward pass on the engine's forward values, within the Q24
 * rounding of the backward pass alone (errorBounds with engineForward). pgaf: the reference uses the
 * engine's counts c_j, read from its CNT region after the step (random: its draws; topk, adaptive: its masks).
 */
export function step(config: DeepConfig, rng: Rng, what: string, sample?: (engine: () => DeepEngine) => Sample): Step {
  let engine: DeepEngine | undefined;
  const e = engineFor(config, rng, sample?.(() => engine as DeepEngine));
  engine = e;
  const ref = ReferenceDeep.fromEngine(e);
  const onEngine = ReferenceDeep.fromEngine(e);
  const before = snapshot(e);
  const x = inputU8(e.units[0], rng);
  const label = rng.int(e.units[e.units.length - 1]);
  e.resetCounters();
  const y = e.trainSample(x, label);
  // pgaf and random: the engine's draws; topk and adaptive: the engine's masks (deep-sparse.spec.ts checks them)
  const counts = config.algorithm !== 'bp' ? countsFrom(e) : undefined;
  ref.setInputU8(x);
  expect(ref.forward(), `${what}: predicted class`).toBe(y);
  ref.backward(label, counts);
  const eta = config.learningRate;
  compareStep(e, ref, before, eta, what);
  onEngine.setInputU8(x);
  loadForwardFrom(onEngine, e);
  onEngine.backward(label, counts);
  compareStep(e, onEngine, before, eta, `${what} (backward on the engine's forward pass)`, true);
  return { e, ref, counts, before, x, label };
}

/** Units c_j = 0 took nothing: δ = 0 exactly; a dense node's row and bias, a conv channel's filter and bias when none of its units was kept, bitwise unchanged. Returns how many of each it saw. */
export function checkLeftOut(s: Step, what: string): { units: number; rows: number; channels: number } {
  const { e, ref, counts, before } = s;
  const seen = { units: 0, rows: 0, channels: 0 };
  for (let i = 1; i < ref.L; i++) {
    if (!ref.hidden(i)) continue;
    const c = (counts as Uint8Array[])[i];
    const d = e.region(DeepRegion.D, i, c.length);
    c.forEach((cj, j) => {
      if (cj !== 0) return;
      seen.units++;
      expect(d[j], `${what}: node ${i} unit ${j} left out, δ`).toBe(0);
    });
    const g = ref.geo[i];
    const area = g.h * g.w;
    const taps = ref.geo[i - 1].c * g.kh * g.kw;
    const w = e.weights(i);
    const b = e.biases(i);
    for (let co = 0; co < g.c; co++) {
      if (c.subarray(co * area, (co + 1) * area).some((v) => v !== 0)) continue;
      if (g.h * g.w === 1) seen.rows++;
      else seen.channels++;
      expect(b[co], `${what}: node ${i} channel ${co} left out, bias`).toBe(before.b[i][co]);
      expect(Array.from(w.subarray(co * taps, (co + 1) * taps)), `${what}: node ${i} channel ${co} left out, weights`).toEqual(Array.from(before.w[i].subarray(co * taps, (co + 1) * taps)));
    }
  }
  return seen;
}

/** The operation counters of the module's last step against the reference's count of the same step. */
export function compareCounters(s: Step, what: string): void {
  const { e, ref } = s;
  // counting needs the same zero pattern: inputs that are 0 (skipped multiplies) and δ that are 0 (unlisted units)
  for (let i = 0; i < ref.L; i++) {
    const a = e.activations(i);
    expect(Array.from(ref.A[i], (v) => v === 0), `${what}: zero activations of node ${i}`).toEqual(Array.from(a, (v) => v === 0));
  }
  for (let i = 1; i <= ref.L; i++) {
    const d = e.region(DeepRegion.D, i, ref.D[i].length);
    const differ = Array.from(ref.D[i].keys()).filter((u) => (ref.D[i][u] === 0) !== (d[u] === 0)).map((u) => `${u}: ${ref.D[i][u]} vs ${d[u] / Q24}`);
    expect(differ, `${what}: δ = 0 in one of them only, node ${i}`).toEqual([]);
  }
  const c = e.counters();
  const r = ref.counters;
  expect(
    {
      forwardMul: c.forward.mul,
      activationGradientMul: c.activationGradient.mul,
      draws: c.activationGradient.draws,
      deltaMul: c.deltaPropagation.mul,
      deltaAdd: c.deltaPropagation.add,
      updateMul: c.weightUpdate.mul,
      updateAdd: c.weightUpdate.add,
      kept: c.kept[0],
      seen: c.seen[0],
    },
    what,
  ).toEqual({
    forwardMul: r.forwardMul,
    activationGradientMul: r.activationGradientMul,
    draws: r.draws,
    deltaMul: r.deltaMul,
    deltaAdd: r.deltaAdd,
    updateMul: r.updateMul,
    updateAdd: r.updateMul,
    kept: r.kept,
    seen: r.seen,
  });
}
