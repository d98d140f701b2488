// The training loss the module sums in counter slot 24 (assembly/loss.ts): its −ln kernel against
// Math.log over every Q16 probability, and the loss of a training step against the float reference
// (test/support/float-reference.ts) evaluated before the step.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type NetworkConfig, type Activation, type Output } from '../../host/engine/config.ts';
import { Rng } from '../../host/rng.ts';
import { engineInput, loss, referenceFrom } from '../support/float-reference.ts';
import { instantiateKernels } from '../support/kernels-module.ts';

const k = instantiateKernels();
const Q16 = 65536;

describe('−ln p in Q16 (assembly/loss.ts)', () => {
  it('is within 0.001 nats of −ln(P/65536) for every P in 1..65536', () => {
    let worst = 0;
    for (let p = 1; p <= Q16; p++) worst = Math.max(worst, Math.abs(k.qNegLn(p) / Q16 + Math.log(p / Q16)));
    expect(worst).toBeLessThanOrEqual(0.001);
    expect(worst).toBeGreaterThan(0); // the bound is met by an approximation, not by a table of Math.log
  });
  it('golden values: 0 at p = 1, 16 ln 2 at p ≤ 2^−16, ln 2 at p = ½', () => {
    expect(k.qNegLn(Q16)).toBe(0);
    expect(k.qNegLn(1)).toBe(16 * 45426); // ln 2 = 45426/65536 (45426.09), times 16
    expect(k.qNegLn(0)).toBe(k.qNegLn(1));
    expect(k.qNegLn(Q16 / 2)).toBe(Math.round(Math.LN2 * Q16)); // 45426
  });
  it('decreases with p', () => {
    for (let p = 2; p <= Q16; p++) expect(k.qNegLn(p)).toBeLessThanOrEqual(k.qNegLn(p - 1));
  });
});

const cases: [number[], Activation, Output][] = [
  [[6, 5, 4, 3], 'sigmoid', 'softmax'],
  [[6, 8, 3], 'relu', 'softmax'],
  [[3, 4, 1], 'sigmoid', 'sigmoid'],
  [[4, 6, 3], 'tanh', 'sigmoid'],
];

describe.each(cases)('the loss of a training step, layout %j, %s hidden, %s output', (layout, act, out) => {
  it('sums the float reference loss of each step, before its update, within the Q-format error', () => {
    const c: NetworkConfig = { ...defaultNetworkConfig, layout, activation: act, output: out, algorithm: 'bp', learningRate: 0.5, seed: 3 };
    const engine = new SpintrainEngine(c);
    const rng = new Rng(5);
    const classes = layout[layout.length - 1] === 1 ? 2 : layout[layout.length - 1];
    let want = 0;
    let bound = 0;
    engine.resetCounters();
    for (let s = 0; s < 20; s++) {
      const x = Uint8Array.from({ length: layout[0] }, () => rng.int(256));
      const label = rng.int(classes);
      const ref = referenceFrom(engine, c);
      ref.setInput(engineInput(x));
      const l = loss(ref, label);
      want += l;
      // probabilities carry ≤ 3e-4 (gradient.spec.ts): −ln p moves by ≤ 3e-4/p, plus 0.001 from the kernel
      const p = ref.A[ref.A.length - 1];
      bound += out === 'softmax' ? 0.001 + 3e-4 / p[label] : 3e-4 * p.length;
      engine.trainSample(x, label);
      expect(Math.abs(engine.lossSum() - want), `after ${s + 1} steps`).toBeLessThanOrEqual(bound);
    }
    expect(want).toBeGreaterThan(0);
    engine.resetCounters();
    expect(engine.lossSum()).toBe(0);
  });

  it('adds nothing while evaluating or predicting', () => {
    const c: NetworkConfig = { ...defaultNetworkConfig, layout, activation: act, output: out, algorithm: 'pgaf', learningRate: 0.5, seed: 4 };
    const engine = new SpintrainEngine(c);
    const x = Uint8Array.from({ length: layout[0] }, (_v, i) => (i * 37) % 256);
    engine.trainSample(x, 0);
    const after = engine.lossSum();
    expect(after).toBeGreaterThan(0);
    engine.predict(x);
    const split = engine.loadSplit({ x, y: Uint8Array.of(0), n: 1 });
    engine.evaluate(split);
    expect(engine.lossSum()).toBe(after);
  });
});
