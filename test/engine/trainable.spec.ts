// Trainable activation a = f(k(z + c)): the fixed-point step of w, k and c against the float
// reference, the reference against central finite differences of the loss, pgaf with the same
// draws, the device range, and determinism.
//
// Tolerance (gradient.spec.ts reasoning, one more factor): t_j = s_j·f′(u) carries the bp hidden
// error ≤ n_up·5e-4/2 plus u's rounding (k·(z + c) in Q16: |k|·2^-16 + 2^-17, through f″ ≤ 0.1)
// and δ = t·k scales it by |k| ≤ 1.5; the k step multiplies t by |z + c| ≤ ~4 here. So we allow
// (1e-3 + 5e-4·n_up/2)·6 on every step: w, k and c.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { ReferenceMlp } from '../harness/reference-mlp.ts';
import { defaultNetworkConfig, type NetworkConfig, type Activation, type Output } from '../../host/engine/config.ts';
import type { BitSource } from '../../host/engine/bit-source.ts';
import { Rng } from '../../host/rng.ts';
import { engineInput, loss, referenceFrom } from '../support/float-reference.ts';

const Q16 = 65536;
const Q24 = 2 ** 24;

function config(layout: number[], activation: Activation, output: Output, extra: Partial<NetworkConfig> = {}): NetworkConfig {
  return { ...defaultNetworkConfig, layout, activation, output, algorithm: 'bp', learningRate: 1, seed: 5, trainableActivation: true, ...extra };
}

/** Engine with k ~ U(0.5, 1.5), c ~ U(−0.3, 0.3) in every hidden layer. */
function engineWithSlopes(c: NetworkConfig, rng: Rng, draws?: ConstructorParameters<typeof SpintrainEngine>[1]): SpintrainEngine {
  const e = new SpintrainEngine(c, draws);
  for (let k = 1; k < c.layout.length - 1; k++) {
    e.slopes(k).set(Array.from({ length: c.layout[k] }, () => Math.round(rng.uniform(0.5, 1.5) * Q24)));
    e.shifts(k).set(Array.from({ length: c.layout[k] }, () => Math.round(rng.uniform(-0.3, 0.3) * Q24)));
  }
  return e;
}




const cases: [number[], Activation, Output][] = [
  [[6, 5, 4, 3], 'sigmoid', 'softmax'],
  [[6, 5, 4, 3], 'tanh', 'softmax'],
  [[6, 5, 4, 3], 'relu', 'softmax'],
  [[3, 4, 1], 'sigmoid', 'sigmoid'],
];

describe.each(cases)('trainable activation, bp, layout %j, %s hidden, %s output', (layout, act, out) => {
  const c = config(layout, act, out);

  it('fixed-point step of w, k and c equals the float reference step within the Q-format tolerance', () => {
    const rng = new Rng(13);
    for (let trial = 0; trial < 4; trial++) {
      const ct = { ...c, seed: 5 + trial };
      const e = engineWithSlopes(ct, rng);
      const ref = referenceFrom(e, ct);
      const x = Uint8Array.from({ length: layout[0] }, () => rng.int(256));
      const label = rng.int(layout[layout.length - 1] === 1 ? 2 : layout[layout.length - 1]);
      const before = e.exportParameters();
      e.trainSample(x, label);
      const after = e.exportParameters();
      const w0 = ref.W.map((w) => w.slice());
      const k0 = ref.K.map((k) => k.slice());
      const c0 = ref.C.map((v) => v.slice());
      ref.setInput(engineInput(x));
      ref.trainStep(label);
      for (let l = 0; l < layout.length - 1; l++) {
        const nUp = l === layout.length - 2 ? 1 : layout[l + 2];
        const tol = (1e-3 + (5e-4 * nUp) / 2) * 6;
        for (let i = 0; i < ref.W[l].length; i++) {
          const got = (after.weights[l][i] - before.weights[l][i]) / Q24;
          expect(Math.abs(got - (ref.W[l][i] - w0[l][i])), `W${l}[${i}]`).toBeLessThanOrEqual(tol);
        }
      }
      for (let k = 1; k < layout.length - 1; k++) {
        const tol = (1e-3 + (5e-4 * layout[k + 1]) / 2) * 6;
        for (let j = 0; j < layout[k]; j++) {
          const dk = (after.slopes![k - 1][j] - before.slopes![k - 1][j]) / Q24;
          const dc = (after.shifts![k - 1][j] - before.shifts![k - 1][j]) / Q24;
          expect(Math.abs(dk - (ref.K[k][j] - k0[k][j])), `k[${k}][${j}]`).toBeLessThanOrEqual(tol);
          expect(Math.abs(dc - (ref.C[k][j] - c0[k][j])), `c[${k}][${j}]`).toBeLessThanOrEqual(tol);
        }
      }
    }
  });

  it('reference gradients of w, k and c equal central finite differences of the loss', () => {
    const rng = new Rng(17);
    const L = layout.length - 1;
    const ref = new ReferenceMlp(c, {
      weights: layout.slice(0, L).map((n, l) => Float64Array.from({ length: n * layout[l + 1] }, () => rng.uniform(-0.8, 0.8))),
      biases: layout.slice(1).map((n) => Float64Array.from({ length: n }, () => rng.uniform(-0.2, 0.2))),
      slopes: layout.slice(1, L).map((n) => Float64Array.from({ length: n }, () => rng.uniform(0.5, 1.5))),
      shifts: layout.slice(1, L).map((n) => Float64Array.from({ length: n }, () => rng.uniform(-0.3, 0.3))),
    });
    ref.setInput(Float64Array.from({ length: layout[0] }, () => rng.next()));
    const label = rng.int(layout[L] === 1 ? 2 : layout[L]);
    const h = 1e-6;
    const numeric = (arr: Float64Array, i: number): number => {
      const keep = arr[i];
      arr[i] = keep + h;
      const lp = loss(ref, label);
      arr[i] = keep - h;
      const lm = loss(ref, label);
      arr[i] = keep;
      return (lp - lm) / (2 * h);
    };
    const params = [...ref.W, ...ref.K.slice(1, L), ...ref.C.slice(1, L)];
    const grads = params.map((p) => Array.from(p, (_v, i) => numeric(p, i)));
    const before = params.map((p) => p.slice());
    ref.trainStep(label);
    params.forEach((p, q) => {
      for (let i = 0; i < p.length; i++) {
        const analytic = before[q][i] - p[i];
        expect(Math.abs(analytic - grads[q][i]), `param ${q}[${i}]`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(grads[q][i]));
      }
    });
  });
});

describe('trainable activation with pgaf', () => {
  it('samples p = σ(k(z + c)) and matches the float reference with the same draws over 30 steps', () => {
    const rng = new Rng(9);
    const c = config([10, 12, 8, 3], 'sigmoid', 'softmax', { algorithm: 'pgaf', learningRate: 0.2 });
    const recorded: Uint8Array[] = [];
    const probs: Int32Array[] = [];
    const source: BitSource = {
      sampleLayer: (_h, p, draws, out) => {
        for (let i = 0; i < out.length; i++) out[i] = rng.next() < p[Math.floor(i / draws)] / Q16 ? 1 : 0;
        recorded.push(out.slice());
        probs.push(p.slice());
      },
    };
    const e = engineWithSlopes(c, new Rng(3), { kind: 'host', source, via: 'import' });
    let replay = 0;
    const refProbs: Float64Array[] = [];
    const ref = referenceFrom(e, c, (_h, p, _d, out) => {
      refProbs.push(p.slice());
      out.set(recorded[replay++]);
    });
    const xr = new Rng(4);
    for (let s = 0; s < 30; s++) {
      const x = Uint8Array.from({ length: 10 }, () => xr.int(256));
      const y = xr.int(3);
      e.trainSample(x, y);
      ref.setInput(engineInput(x));
      ref.trainStep(y);
    }
    // the sampled probability is σ(k(z + c)) on both sides (first step, before any update)
    probs[0].forEach((p, j) => expect(Math.abs(p / Q16 - refProbs[0][j])).toBeLessThanOrEqual(3e-4));
    const after = e.exportParameters();
    let worst = 0;
    ref.W.forEach((w, l) => w.forEach((v, i) => (worst = Math.max(worst, Math.abs(after.weights[l][i] / Q24 - v)))));
    for (let k = 1; k <= 2; k++) ref.K[k].forEach((v, j) => (worst = Math.max(worst, Math.abs(after.slopes![k - 1][j] / Q24 - v))));
    for (let k = 1; k <= 2; k++) ref.C[k].forEach((v, j) => (worst = Math.max(worst, Math.abs(after.shifts![k - 1][j] / Q24 - v))));
    expect(worst).toBeLessThanOrEqual(30 * 0.2 * 3e-3);
  });
});

describe('trainable activation: device range, start and determinism', () => {
  const c = config([6, 8, 3], 'sigmoid', 'softmax', { learningRate: 2, activationRange: { kMin: 0.8, kMax: 1.1, cMin: -0.05, cMax: 0.05 } });
  const data = (() => {
    const r = new Rng(2);
    return Array.from({ length: 60 }, () => ({ x: Uint8Array.from({ length: 6 }, () => r.int(256)), y: r.int(3) }));
  })();

  it('starts at k = 1, c = 0 (the fixed activation) and keeps k and c inside the range', () => {
    const e = new SpintrainEngine(c);
    expect([...e.slopes(1)].every((v) => v === Q24)).toBe(true);
    expect([...e.shifts(1)].every((v) => v === 0)).toBe(true);
    for (const s of data) e.trainSample(s.x, s.y);
    const k = [...e.slopes(1)].map((v) => v / Q24);
    const cs = [...e.shifts(1)].map((v) => v / Q24);
    for (const v of k) expect(v >= 0.8 - 1e-7 && v <= 1.1 + 1e-7).toBe(true);
    for (const v of cs) expect(v >= -0.05 - 1e-7 && v <= 0.05 + 1e-7).toBe(true);
    expect(k.some((v) => Math.abs(v - 0.8) < 1e-7 || Math.abs(v - 1.1) < 1e-7 || Math.abs(v - 1) > 1e-4)).toBe(true); // it moved
  });

  it('is bit-identical for the same seed', () => {
    const run = (): number[] => {
      const e = new SpintrainEngine({ ...c, algorithm: 'pgaf', learningRate: 0.5 });
      for (const s of data) e.trainSample(s.x, s.y);
      const p = e.exportParameters();
      return [...p.weights.flatMap((w) => [...w]), ...p.slopes![0], ...p.shifts![0]];
    };
    expect(run()).toEqual(run());
  });
});

describe('soft targets at a temperature (distillation) into a trainable-activation student', () => {
  it('fixed-point step with y = soft target, T = 3, equals the float reference step', () => {
    const rng = new Rng(31);
    const c = config([6, 5, 4], 'sigmoid', 'softmax', { temperature: 3 });
    const e = engineWithSlopes(c, rng);
    const ref = referenceFrom(e, c);
    const x = Uint8Array.from({ length: 6 }, () => rng.int(256));
    const target = [0.2, 0.7, 0.05, 0.05];
    const before = e.exportParameters();
    e.trainSoftTarget(x, target);
    const after = e.exportParameters();
    const w0 = ref.W.map((w) => w.slice());
    ref.setInput(engineInput(x));
    ref.trainStep(-1, target);
    for (let l = 0; l < 2; l++) {
      for (let i = 0; i < ref.W[l].length; i++) {
        const got = (after.weights[l][i] - before.weights[l][i]) / Q24;
        expect(Math.abs(got - (ref.W[l][i] - w0[l][i])), `W${l}[${i}]`).toBeLessThanOrEqual(6e-3);
      }
    }
    // the output delta is p_T − y with p_T = softmax(z/T)
    const z = ref.Z[2];
    const m = Math.max(...z);
    const ez = Array.from(z, (v) => Math.exp((v - m) / 3));
    const s = ez.reduce((a, b) => a + b, 0);
    ez.forEach((v, k) => expect(Math.abs(ref.D[2][k] - (v / s - target[k]))).toBeLessThanOrEqual(1e-12));
    // prediction does not depend on T: argmax of the tempered output is argmax of the logits
    const pred = e.predict(x);
    const zs = e.preActivations(2);
    expect(zs[pred]).toBe(Math.max(...zs));
  });
});

describe('trainable activation on the device: k from the anisotropy, c from the pulse width', async () => {
  const { slopeShiftOf, activationRangeOf } = await import('../../host/device/activation-range.ts');
  const { logisticBridge } = await import('../../host/device/sot-switching.ts');
  const inp = { delta0: 50, deltaMin: 40, deltaMax: 60, tau0S: 1e-9, pulseWidth0S: 10e-9, minWidthS: 1e-9, maxWidthS: 100e-9 };
  it('σ(k(z + c)) with the host mapping I = I50(t_p0, Δ0) + z/k_I(Δ0) equals the device logistic σ(k_I(I − I50))', () => {
    const nominal = logisticBridge({ tau0S: 1e-9, delta: 50, ic0A: 1e-3 }, 10e-9);
    for (const [delta, width] of [[40, 1e-9], [55, 30e-9], [60, 100e-9]]) {
      const dev = logisticBridge({ tau0S: 1e-9, delta, ic0A: 1e-3 }, width);
      const { k, c } = slopeShiftOf(delta, width, inp);
      for (const z of [-2, -0.5, 0, 0.7, 3]) {
        const I = nominal.i50A + z / nominal.kPerA;
        expect(k * (z + c)).toBeCloseTo(dev.kPerA * (I - dev.i50A), 9);
      }
    }
  });
  it('the realisable box: k ∈ [Δmin/Δ0, Δmax/Δ0], c reachable at every Δ of the range', () => {
    const r = activationRangeOf(inp);
    expect(r.kMin).toBeCloseTo(0.8, 12);
    expect(r.kMax).toBeCloseTo(1.2, 12);
    for (const d of [40, 50, 60]) {
      expect(slopeShiftOf(d, 1e-9, inp).c).toBeLessThanOrEqual(r.cMin + 1e-12);
      expect(slopeShiftOf(d, 100e-9, inp).c).toBeGreaterThanOrEqual(r.cMax - 1e-12);
    }
    expect(r.cMin).toBeLessThan(0);
    expect(r.cMax).toBeGreaterThan(0);
  });
});
