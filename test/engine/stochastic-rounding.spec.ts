// Narrow weights (issue 16): the stochastically rounded update of the 16- and 8-bit modules against the
// exact update (assembly/stochastic-rounding.ts's error model), and a narrow step against the float reference.
//
// Error model under test: for the exact Q24 update Δ (w −= Δ), s = 24 − F and y = w·2^s − Δ = q·2^s + r
// (0 ≤ r < 2^s), every rounded weight is q or q + 1, and q + 1 with probability r/2^s, so the mean of the
// rounded weights is y/2^s exactly; an update below one step moves the weight by one step with probability
// |Δ|/2^s, toward −sign Δ, and never elsewhere.
//
// Δ is computed here independently, in integers, from what the module exposes after the step: the deltas δ
// (D[k], Q24), the inputs of the layer (A[k], Q16) and the rate η (Q16): g = ⌊(δ·η + 2^15)/2^16⌋,
// Δ = ⌊(g·a + 2^15)/2^16⌋ (the release's update, backward.ts). Each trial restores the same parameters, so δ
// and Δ are the same every trial and only the generator's rounding draws differ.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine, Region } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type NetworkConfig, type Activation, type Output } from '../../host/engine/config.ts';
import { weightFormat, type WeightBits } from '../../host/engine/weight-format.ts';
import { Rng } from '../../host/rng.ts';
import { engineInput, referenceFrom } from '../support/float-reference.ts';

const Q24 = 2 ** 24;
const shr16 = (x: number): number => Math.floor((x + 32768) / 65536);

function config(bits: WeightBits, lr: number, layout = [5, 6, 3], activation: Activation = 'sigmoid', output: Output = 'softmax'): NetworkConfig {
  return { ...defaultNetworkConfig, layout, activation, output, algorithm: 'bp', learningRate: lr, seed: 5, weightBits: bits };
}

/** Region view as i32 (A, D). */
function region(e: SpintrainEngine, r: number, k: number, n: number): Int32Array {
  return new Int32Array(e.exports.memory.buffer, e.exports.regionPtr(r, k), n).slice();
}

interface Trials {
  /** Exact update Δ per weight of each layer (Q24), and the stored weights before. */
  delta: number[][];
  w0: number[][];
  /** Rounded weights of every trial, per layer, flattened trial-major. */
  after: Int32Array[];
  trials: number;
}

function runTrials(bits: WeightBits, lr: number, trials: number): Trials {
  const c = config(bits, lr);
  const e = new SpintrainEngine(c);
  const L = c.layout.length - 1;
  const p0 = e.exportParameters();
  const w0 = Array.from({ length: L }, (_v, l) => Array.from(e.weights(l)));
  const x = Uint8Array.from([200, 0, 37, 255, 90]); // one zero input: its weights are never touched
  const label = 1;
  const after = Array.from({ length: L }, (_v, l) => new Int32Array(trials * w0[l].length));
  let delta: number[][] = [];
  for (let t = 0; t < trials; t++) {
    e.importParameters(p0);
    e.trainSample(x, label);
    if (t === 0) {
      const eta = Math.round(lr * 65536);
      delta = Array.from({ length: L }, (_v, l) => {
        const nIn = c.layout[l];
        const a = region(e, Region.A, l, nIn);
        const d = region(e, Region.D, l + 1, c.layout[l + 1]);
        return w0[l].map((_w, i) => shr16(shr16(d[Math.floor(i / nIn)] * eta) * a[i % nIn]));
      });
    }
    for (let l = 0; l < L; l++) after[l].set(e.weights(l), t * w0[l].length);
  }
  return { delta, w0, after, trials };
}

/** Checks every trial's bracket and every weight's mean; returns the largest |Δ| in steps. */
function checkTrials(r: Trials, bits: WeightBits): number {
  const s = 2 ** (24 - weightFormat(bits).fracBits);
  let maxSteps = 0;
  let checked = 0;
  r.w0.forEach((w0, l) => {
    const n = w0.length;
    for (let i = 0; i < n; i++) {
      const y = w0[i] * s - r.delta[l][i];
      const q = Math.floor(y / s);
      const frac = (y - q * s) / s;
      maxSteps = Math.max(maxSteps, Math.abs(r.delta[l][i]) / s);
      let sum = 0;
      for (let t = 0; t < r.trials; t++) {
        const v = r.after[l][t * n + i];
        if (v !== q && v !== q + 1) expect.fail(`layer ${l} weight ${i} trial ${t}: ${v} outside {${q}, ${q + 1}} (w0 ${w0[i]}, Δ ${r.delta[l][i]})`);
        sum += v - q;
      }
      // the mean of the rounded weights vs the exact y/2^s: 5σ of r/2^s Bernoulli draws, σ² = f(1 − f)/N
      const mean = sum / r.trials;
      expect(Math.abs(mean - frac), `layer ${l} weight ${i}: mean ${q + mean} vs exact ${y / s}`).toBeLessThanOrEqual(5 * Math.sqrt((frac * (1 - frac)) / r.trials) + 1e-12);
      if (r.delta[l][i] === 0) expect(mean).toBe(0);
      checked++;
    }
  });
  expect(checked).toBeGreaterThan(40);
  return maxSteps;
}

describe.each([16, 8] as const)('%i-bit weights: stochastic rounding', (bits) => {
  it('updates below one step: each weight moves one step toward −sign Δ with probability |Δ|/step, the mean is exact', () => {
    // a small rate: every |Δ| is a fraction of a step (checked), so without rounding nothing would move
    const r = runTrials(bits, bits === 16 ? 0.0004 : 0.02, 6000);
    const maxSteps = checkTrials(r, bits);
    expect(maxSteps).toBeLessThan(1);
    expect(maxSteps).toBeGreaterThan(0.05);
    // weights of the zero input (input 1) are not updated and draw nothing: exactly their start value
    r.w0.forEach((w0, l) => {
      if (l > 0) return;
      for (let t = 0; t < r.trials; t++) for (let j = 0; j < 6; j++) expect(r.after[0][t * w0.length + j * 5 + 1]).toBe(w0[j * 5 + 1]);
    });
  });

  it('updates of several steps: floor or ceiling of the exact value, with the exact mean', () => {
    const r = runTrials(bits, 0.1, 3000);
    expect(checkTrials(r, bits)).toBeGreaterThan(1.5);
  });

  it('the mean over all weights and trials matches Σ Δ (golden: a tight aggregate bound)', () => {
    const r = runTrials(bits, bits === 16 ? 0.02 : 0.05, 4000);
    const s = 2 ** (24 - weightFormat(bits).fracBits);
    let got = 0;
    let want = 0;
    let variance = 0;
    r.w0.forEach((w0, l) =>
      w0.forEach((w, i) => {
        const y = w * s - r.delta[l][i];
        const f = y / s - Math.floor(y / s);
        want += y / s - w;
        variance += f * (1 - f);
        let sum = 0;
        for (let t = 0; t < r.trials; t++) sum += r.after[l][t * w0.length + i] - w;
        got += sum / r.trials;
      }),
    );
    expect(Math.abs(got - want)).toBeLessThanOrEqual(5 * Math.sqrt(variance / r.trials));
  });
});

describe('16-bit step against the float reference', () => {
  // The reference starts from the engine's (Q12-representable) weights and takes the exact float step;
  // the engine's step differs by the Q-format tolerance of gradient.spec.ts plus at most one stored step
  // (2^-12) of rounding.
  const cases: [number[], Activation, Output][] = [
    [[6, 5, 4, 3], 'sigmoid', 'softmax'],
    [[6, 5, 4, 3], 'tanh', 'softmax'],
    [[6, 8, 3], 'relu', 'softmax'],
    [[3, 4, 1], 'sigmoid', 'sigmoid'],
  ];
  it.each(cases)('layout %j, %s hidden, %s output', (layout, act, out) => {
    const rng = new Rng(17);
    for (let trial = 0; trial < 5; trial++) {
      const c = { ...config(16, 1, layout, act, out), seed: 3 + trial };
      const engine = new SpintrainEngine(c);
      const ref = referenceFrom(engine, c);
      const x = Uint8Array.from({ length: layout[0] }, () => rng.int(256));
      const label = rng.int(layout[layout.length - 1] === 1 ? 2 : layout[layout.length - 1]);
      const before = engine.exportParameters();
      engine.trainSample(x, label);
      const after = engine.exportParameters();
      const w0 = ref.W.map((w) => Float64Array.from(w));
      ref.setInput(engineInput(x));
      ref.trainStep(label);
      for (let l = 0; l < layout.length - 1; l++) {
        const nUp = l === layout.length - 2 ? 1 : layout[l + 2];
        const tol = 1e-3 + (5e-4 * nUp) / 2 + 2 ** -12;
        for (let i = 0; i < ref.W[l].length; i++) {
          const stepFixed = (after.weights[l][i] - before.weights[l][i]) / Q24;
          expect(Math.abs(stepFixed - (ref.W[l][i] - w0[l][i])), `layer ${l} weight ${i}`).toBeLessThanOrEqual(tol);
          expect(Math.abs(after.weights[l][i]) % 4096, 'a Q12 weight').toBe(0);
        }
      }
    }
  });
});
