// Initialisation scaled to the layer's fan: w ~ U(−r, r), r = √(6/(n_in + n_out)), Var(w) = 2/(n_in + n_out)
// (Glorot) for sigmoid and tanh; r = √(6/n_in), Var(w) = 2/n_in (He) for ReLU; biases 0, one draw per
// weight from the seeded generator.
// The engine (assembly/index.ts initWeights, Q24) and the float reference (test/harness/reference-mlp.ts
// initRange) run the same rule on the same draws, so they agree weight by weight to Q24 rounding.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { ReferenceMlp, initRange } from '../harness/reference-mlp.ts';
import { defaultNetworkConfig, type Activation, type NetworkConfig } from '../../host/engine/config.ts';

const Q24 = 2 ** 24;
const config = (layout: number[], activation: Activation, seed = 1): NetworkConfig => ({
  ...defaultNetworkConfig, layout, activation, algorithm: 'pgaf', learningRate: 0.01, seed,
});

describe('Glorot/He initialisation', () => {
  it('is r = √(6/(n_in + n_out)) for sigmoid and tanh, √(6/n_in) for ReLU', () => {
    expect(initRange('sigmoid', 784, 128)).toBeCloseTo(Math.sqrt(6 / 912), 15);
    expect(initRange('tanh', 128, 10)).toBeCloseTo(Math.sqrt(6 / 138), 15);
    expect(initRange('relu', 784, 128)).toBeCloseTo(Math.sqrt(6 / 784), 15);
  });

  it.each([
    [[784, 128, 10], 'sigmoid'],
    [[784, 128, 10], 'relu'],
    [[6, 5, 4, 3], 'tanh'],
    [[2, 4, 2], 'sigmoid'],
    [[4, 16, 16, 3], 'relu'],
  ] as [number[], Activation][])('engine and float reference give the same weights, %j %s', (layout, act) => {
    for (const seed of [1, 7, 0xdeadbeef]) {
      const c = config(layout, act, seed);
      const p = new SpintrainEngine(c).exportParameters();
      const ref = new ReferenceMlp(c);
      for (let l = 0; l < layout.length - 1; l++) {
        // engine: ⌊(u >> 8)·2R / 2^24⌋ − R with R = ⌊r·2^24⌋ (Q24); reference: −r + 2r·u/2^32. They differ by
        // < 1 (R) + 2r·2^24·2^8/2^32 = 2r (u's low 8 bits) + 1 (floor) Q24 units.
        const tol = 2 + 2 * initRange(act, layout[l], layout[l + 1]);
        let worst = 0;
        for (let i = 0; i < ref.W[l].length; i++) worst = Math.max(worst, Math.abs(p.weights[l][i] - ref.W[l][i] * Q24));
        expect(worst, `seed ${seed} layer ${l}`).toBeLessThanOrEqual(tol);
        expect(Array.from(p.biases[l])).toEqual(new Array(layout[l + 1]).fill(0));
        expect(Array.from(ref.B[l])).toEqual(new Array(layout[l + 1]).fill(0));
      }
    }
  });

  // Sample mean and variance of U(−r, r) over N weights: E = 0, sd(mean) = r/√(3N); E[w²] = r²/3,
  // sd(mean of w²) = r²·√(4/45)/√N. Bounds at 4.5 standard errors.
  it.each(['sigmoid', 'tanh', 'relu'] as Activation[])('784-128-10 %s: mean ≈ 0 and variance r²/3 within the sampling bound', (act) => {
    const c = config([784, 128, 10], act);
    const p = new SpintrainEngine(c).exportParameters();
    for (let l = 0; l < 2; l++) {
      const w = Array.from(p.weights[l], (v) => v / Q24);
      const N = w.length;
      const r = initRange(act, c.layout[l], c.layout[l + 1]);
      const mean = w.reduce((s, v) => s + v, 0) / N;
      const m2 = w.reduce((s, v) => s + v * v, 0) / N;
      expect(Math.abs(mean), `layer ${l} mean`).toBeLessThanOrEqual((4.5 * r) / Math.sqrt(3 * N));
      expect(Math.abs(m2 - (r * r) / 3), `layer ${l} E[w²]`).toBeLessThanOrEqual((4.5 * r * r * Math.sqrt(4 / 45)) / Math.sqrt(N));
      expect(Math.max(...w.map(Math.abs)), `layer ${l} max |w|`).toBeLessThanOrEqual(r);
    }
  });

  // Golden values of the release module, seed 1, 784-128-10: the first weights, Σw and Σw² (Q24 integers).
  // They pin the rule and the draw order (Σw²/2^48/N is r²/3 within the bound above).
  it.each([
    ['sigmoid', [[186719, 691098, 1059783, -27161], [-3456364, 1564888, -1610732, -295034]], [-456479574, -53252878], ['61926752242168052', '5152544285455804']],
    ['relu', [[201385, 745382, 1143026, -29294], [-3588839, 1624866, -1672468, -306342]], [-492331040, -55293916], ['72037274206521606', '5555085451841158']],
  ] as [Activation, number[][], number[], string[]][])('golden values, %s', (act, first, sums, squares) => {
    const p = new SpintrainEngine(config([784, 128, 10], act)).exportParameters();
    for (let l = 0; l < 2; l++) {
      expect(Array.from(p.weights[l].slice(0, 4))).toEqual(first[l]);
      expect(p.weights[l].reduce((s, v) => s + v, 0)).toBe(sums[l]);
      expect(p.weights[l].reduce((s, v) => s + BigInt(v) * BigInt(v), 0n).toString()).toBe(squares[l]);
    }
  });
});
