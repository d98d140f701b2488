// bp gradients of the fixed-point engine against the float reference, and the reference
// against central finite differences of the loss (micrograd style).
//
// One SGD step with learning rate 1 moves every weight by exactly −∂loss/∂w (up to Q24 rounding),
// so the step's weight change is the gradient. Tolerance from the Q formats (assembly/fixed.ts):
// activations carry ≤ 2e-4 (tanh LUT; sigmoid 1e-4) + 2^-17 rounding, output probabilities
// ≤ 3e-4 (exp LUT 1e-4 relative, normalisation 2^-17), so an output-layer gradient δ·a is off
// by ≤ |δ|·ε_a + |a|·ε_δ ≤ 5e-4; a hidden gradient sums n_up such terms through |w| ≤ 1, scaled
// by f′ ≤ 1: ≤ n_up · 5e-4 · 0.5. We allow 1e-3 + 5e-4·n_up/2 absolute.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { ReferenceMlp } from '../harness/reference-mlp.ts';
import { defaultNetworkConfig, type NetworkConfig, type Activation, type Output } from '../../host/engine/config.ts';
import { Rng } from '../../host/rng.ts';
import { engineInput, loss, referenceFrom } from '../support/float-reference.ts';

const Q24 = 2 ** 24;

function config(layout: number[], activation: Activation, output: Output): NetworkConfig {
  return { ...defaultNetworkConfig, layout, activation, output, algorithm: 'bp', learningRate: 1, seed: 7 };
}




const cases: [number[], Activation, Output][] = [
  [[6, 5, 4, 3], 'sigmoid', 'softmax'],
  [[6, 5, 4, 3], 'tanh', 'softmax'],
  [[6, 5, 4, 3], 'relu', 'softmax'],
  [[6, 8, 3], 'sigmoid', 'softmax'],
  [[3, 4, 1], 'sigmoid', 'sigmoid'],
  [[4, 6, 5, 4, 3, 2], 'tanh', 'sigmoid'],
];

describe.each(cases)('bp gradient, layout %j, %s hidden, %s output', (layout, act, out) => {
  const c = config(layout, act, out);
  const rng = new Rng(11);

  it('fixed-point step equals the float reference step within the Q-format tolerance', () => {
    for (let trial = 0; trial < 5; trial++) {
      const engine = new SpintrainEngine({ ...c, seed: 7 + trial });
      const ref = referenceFrom(engine, { ...c, seed: 7 + trial });
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
        const tol = 1e-3 + (5e-4 * nUp) / 2;
        for (let i = 0; i < ref.W[l].length; i++) {
          const stepFixed = (after.weights[l][i] - before.weights[l][i]) / Q24;
          const stepRef = ref.W[l][i] - w0[l][i];
          expect(Math.abs(stepFixed - stepRef), `layer ${l} weight ${i}: ${stepFixed} vs ${stepRef}`).toBeLessThanOrEqual(tol);
        }
      }
    }
  });

  it('reference gradient equals central finite differences of the loss', () => {
    const ref = new ReferenceMlp(c);
    const x = Float64Array.from({ length: layout[0] }, () => rng.next());
    const label = rng.int(layout[layout.length - 1] === 1 ? 2 : layout[layout.length - 1]);
    ref.setInput(x);
    const h = 1e-6;
    const numeric: number[][] = ref.W.map((w) =>
      Array.from(w, (_v, i) => {
        const keep = w[i];
        w[i] = keep + h;
        const lp = loss(ref, label);
        w[i] = keep - h;
        const lm = loss(ref, label);
        w[i] = keep;
        return (lp - lm) / (2 * h);
      }),
    );
    const w0 = ref.W.map((w) => Float64Array.from(w));
    ref.trainStep(label);
    ref.W.forEach((w, l) => {
      for (let i = 0; i < w.length; i++) {
        const analytic = w0[l][i] - w[i];
        // ReLU has a kink at 0; away from it the match is to float rounding.
        expect(Math.abs(analytic - numeric[l][i])).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(numeric[l][i]));
      }
    });
  });
});

describe('bp with a derivative floor and a delta clip matches the reference', () => {
  it.each(['sigmoid', 'tanh'] as Activation[])('%s', (act) => {
    const c = { ...config([6, 5, 4, 3], act, 'softmax'), probabilityFloor: 0.2, deltaClip: 0.004 };
    const rng = new Rng(21);
    const engine = new SpintrainEngine(c);
    const ref = referenceFrom(engine, c);
    const x = Uint8Array.from({ length: 6 }, () => rng.int(256));
    const before = engine.exportParameters();
    engine.trainSample(x, 1);
    const after = engine.exportParameters();
    const w0 = ref.W.map((w) => Float64Array.from(w));
    ref.setInput(engineInput(x));
    ref.trainStep(1);
    let clipped = 0;
    for (let l = 0; l < 2; l++) {
      for (let i = 0; i < ref.W[l].length; i++) {
        const stepFixed = (after.weights[l][i] - before.weights[l][i]) / Q24;
        expect(Math.abs(stepFixed - (ref.W[l][i] - w0[l][i]))).toBeLessThanOrEqual(2e-3);
      }
    }
    // the clip binds: some hidden deltas sit exactly at ±c
    for (const k of [1, 2]) for (const d of ref.D[k]) if (Math.abs(Math.abs(d) - 0.004) < 1e-12) clipped++;
    expect(clipped).toBeGreaterThan(0);
  });
});
