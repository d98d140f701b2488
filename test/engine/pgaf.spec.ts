// p-GAF-BP in the engine: pair statistics, skipped work, determinism, and agreement with the
// float reference when both see the same draws.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { ReferenceMlp } from '../harness/reference-mlp.ts';
import { defaultNetworkConfig, type NetworkConfig, type Activation } from '../../host/engine/config.ts';
import type { BitSource } from '../../host/engine/bit-source.ts';
import { Rng } from '../../host/rng.ts';

const Q16 = 65536;
const Q24 = 2 ** 24;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function pgaf(layout: number[], activation: Activation, extra: Partial<NetworkConfig> = {}): NetworkConfig {
  return { ...defaultNetworkConfig, layout, activation, algorithm: 'pgaf', ...extra };
}

/** Engine with zero weights and hidden biases b (float): hidden z = b exactly, whatever the input. */
function biasedEngine(act: Activation, zs: number[], extra: Partial<NetworkConfig> = {}): SpintrainEngine {
  const e = new SpintrainEngine(pgaf([1, zs.length, 2], act, extra));
  e.weights(0).fill(0);
  e.biases(0).set(zs.map((z) => Math.round(z * Q24)));
  e.setInput(Uint8Array.of(0));
  return e;
}

const zs = [-4, -2, -1, -0.25, 0, 0.5, 1, 2, 4];
const N = 40_000;

/** Mean over n forward passes of each neuron's kept scale c_j/K (K = 1: the frequency of the pair (1,0)). */
function keptScale(e: SpintrainEngine, n: number, K = 1): number[] {
  const sum = new Array<number>(zs.length).fill(0);
  for (let s = 0; s < n; s++) {
    e.exports.trainForward();
    const b = e.bits(1);
    zs.forEach((_z, j) => {
      let c = 0;
      for (let t = 0; t < K; t++) c += b[2 * (j * K + t)] === 1 && b[2 * (j * K + t) + 1] === 0 ? 1 : 0;
      sum[j] += c / K;
    });
  }
  return sum.map((x) => x / n);
}

describe('pair statistics of the on-module generator', () => {
  // Binomial bound: |f̂ − p| ≤ 4.5·√(p(1−p)/N) + quantisation of p (σ LUT 1e-4, 16-bit threshold 2^-16).
  const bound = (p: number): number => 4.5 * Math.sqrt((p * (1 - p)) / N) + 3e-4;

  it('sigmoid: P(1,0) = σ(z)(1 − σ(z)) = σ′', () => {
    const f = keptScale(biasedEngine('sigmoid', zs), N);
    zs.forEach((z, j) => {
      const want = sigmoid(z) * (1 - sigmoid(z));
      expect(Math.abs(f[j] - want), `z = ${z}`).toBeLessThanOrEqual(bound(want));
    });
  });

  it('tanh: p = σ(2z), P(1,0) = tanh′/4', () => {
    const f = keptScale(biasedEngine('tanh', zs), N);
    zs.forEach((z, j) => {
      const want = (1 - Math.tanh(z) ** 2) / 4;
      expect(Math.abs(f[j] - want), `z = ${z}`).toBeLessThanOrEqual(bound(want));
    });
  });

  it('probabilistic ReLU: one draw, P(1) = σ(z) (softplus′)', () => {
    const e = biasedEngine('relu', zs, { reluSampled: true });
    const hits = new Array<number>(zs.length).fill(0);
    for (let s = 0; s < N / 4; s++) {
      e.exports.trainForward();
      const b = e.bits(1);
      zs.forEach((_z, j) => (hits[j] += b[j]));
    }
    zs.forEach((z, j) => {
      const want = sigmoid(z);
      expect(Math.abs(hits[j] / (N / 4) - want), `z = ${z}`).toBeLessThanOrEqual(4.5 * Math.sqrt((want * (1 - want)) / (N / 4)) + 3e-4);
    });
  });

  it('with a probability floor ε, p is clamped to [ε, 1 − ε]: P(1,0) ≥ ε(1 − ε)', () => {
    const f = keptScale(biasedEngine('sigmoid', zs, { probabilityFloor: 0.1 }), N);
    zs.forEach((z, j) => {
      const p = Math.min(0.9, Math.max(0.1, sigmoid(z)));
      expect(Math.abs(f[j] - p * (1 - p)), `z = ${z}`).toBeLessThanOrEqual(bound(p * (1 - p)));
    });
  });

  it('K = 4 pairs: the kept scale c/K is unbiased for σ′ with variance σ′(1 − σ′)/K', () => {
    const K = 4;
    const e = biasedEngine('sigmoid', zs, { pairs: K });
    expect(e.bits(1).length).toBe(zs.length * 2 * K);
    const f = keptScale(e, N / 4, K);
    zs.forEach((z, j) => {
      const d = sigmoid(z) * (1 - sigmoid(z));
      expect(Math.abs(f[j] - d), `z = ${z}`).toBeLessThanOrEqual(4.5 * Math.sqrt((d * (1 - d)) / (K * (N / 4))) + 3e-4);
    });
  });

  it('the probabilities handed to a device are σ(z) (sigmoid) and σ(2z) (tanh) in Q16', () => {
    const s = biasedEngine('sigmoid', zs);
    s.exports.trainForward();
    const t = biasedEngine('tanh', zs);
    t.exports.trainForward();
    zs.forEach((z, j) => {
      expect(Math.abs(s.probabilities(1)[j] / Q16 - sigmoid(z))).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(t.probabilities(1)[j] / Q16 - sigmoid(2 * z))).toBeLessThanOrEqual(2e-4);
    });
  });
});

/** A host bit source that hands out fixed draws, recording the probabilities it was asked for. */
class FixedBits implements BitSource {
  constructor(public bits: number[]) {}
  sampleLayer(_layer: number, _p: Int32Array, draws: number, out: Uint8Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.bits[i % (this.bits.length)] ?? 0;
    void draws;
  }
}

describe('skipped work', () => {
  const layout = [16, 8, 4];
  const x = Uint8Array.from({ length: 16 }, (_v, i) => (i % 3 === 0 ? 0 : 17 * i)); // 10 nonzero inputs
  const nnz = Array.from(x).filter((v) => v !== 0).length;

  it('a neuron whose pair is not (1,0) costs no multiply, no add and no write in the backward pass', () => {
    const source = new FixedBits(new Array(16).fill(0)); // every pair (0,0)
    const e = new SpintrainEngine(pgaf(layout, 'sigmoid'), { kind: 'host', source });
    const w0 = e.weights(0).slice();
    e.resetCounters();
    e.trainSample(x, 2);
    const c = e.counters();
    expect(c.deltaPropagation).toEqual({ mul: 0, add: 0, draws: 0, writes: 0 });
    // only the output layer's rows: 4 rows × (8 inputs + bias)
    expect(c.weightUpdate.mul).toBe(4 * (8 + 1));
    expect(c.activationGradient.mul).toBe(0);
    expect(c.activationGradient.draws).toBe(16);
    expect(c.kept).toEqual([0]);
    expect(e.weights(0)).toEqual(w0);
  });

  it('each kept neuron adds exactly its dot product and its row', () => {
    const bits = new Array(16).fill(0);
    bits[2 * 3] = 1; // neuron 3: (1,0) kept
    bits[2 * 5] = 1; // neuron 5: (1,0) kept
    bits[2 * 6] = 1;
    bits[2 * 6 + 1] = 1; // neuron 6: (1,1) not kept
    const e = new SpintrainEngine(pgaf(layout, 'sigmoid'), { kind: 'host', source: new FixedBits(bits) });
    const w0 = e.weights(0).slice();
    e.resetCounters();
    e.trainSample(x, 2);
    const c = e.counters();
    expect(c.kept).toEqual([2]);
    expect(c.deltaPropagation.mul).toBe(2 * 4);
    expect(c.weightUpdate.mul).toBe(4 * 9 + 2 * (nnz + 1));
    const w1 = e.weights(0);
    for (let j = 0; j < 8; j++) {
      const changed = w1.subarray(j * 16, j * 16 + 16).some((v, i) => v !== w0[j * 16 + i]);
      expect(changed, `row ${j}`).toBe(j === 3 || j === 5);
    }
  });

  it('bp on the same step does the dense work (the baseline the savings are measured against)', () => {
    const e = new SpintrainEngine({ ...pgaf(layout, 'sigmoid'), algorithm: 'bp' });
    e.resetCounters();
    e.trainSample(x, 2);
    const c = e.counters();
    expect(c.deltaPropagation.mul).toBe(8 * 4);
    expect(c.weightUpdate.mul).toBe(4 * 9 + 8 * (nnz + 1));
    expect(c.activationGradient.mul).toBe(2 * 8);
  });
});

describe('determinism', () => {
  const rng = new Rng(5);
  const xs = Array.from({ length: 64 }, () => Uint8Array.from({ length: 12 }, () => rng.int(256)));
  const ys = xs.map((x) => x[0] % 3);
  const run = (seed: number): Int32Array[] => {
    const e = new SpintrainEngine(pgaf([12, 10, 6, 3], 'sigmoid', { seed, learningRate: 0.5 }));
    for (let ep = 0; ep < 3; ep++) xs.forEach((x, i) => e.trainSample(x, ys[i]));
    return e.exportParameters().weights;
  };

  it('same seed gives bit-identical weights; another seed does not', () => {
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });
});

describe('pgaf against the float reference with the same draws', () => {
  it.each([
    ['sigmoid', 1],
    ['tanh', 1],
    ['sigmoid', 2],
    ['tanh', 4],
  ] as const)('%s, K = %i pairs: weights after 40 steps agree within Q-format tolerance', (act, pairs) => {
    const rng = new Rng(9);
    const c = pgaf([10, 12, 8, 3], act, { learningRate: 0.2, seed: 3, pairs });
    const recorded: Uint8Array[] = [];
    const source: BitSource = {
      sampleLayer: (_h, probs, draws, out) => {
        for (let i = 0; i < out.length; i++) out[i] = rng.next() < probs[Math.floor(i / draws)] / Q16 ? 1 : 0;
        recorded.push(out.slice());
      },
    };
    const e = new SpintrainEngine(c, { kind: 'host', source });
    const p = e.exportParameters();
    let replay = 0;
    const ref = new ReferenceMlp(
      c,
      { weights: p.weights.map((w) => Float64Array.from(w, (v) => v / Q24)), biases: p.biases.map((b) => Float64Array.from(b, (v) => v / Q24)) },
      (_h, _probs, _draws, out) => out.set(recorded[replay++]),
    );
    const xr = new Rng(4);
    for (let s = 0; s < 40; s++) {
      const x = Uint8Array.from({ length: 10 }, () => xr.int(256));
      const y = xr.int(3);
      e.trainSample(x, y);
      ref.setInput(Array.from(x, (v) => (v * 257) / Q16));
      ref.trainStep(y);
    }
    const after = e.exportParameters();
    let worst = 0;
    ref.W.forEach((w, l) => w.forEach((v, i) => (worst = Math.max(worst, Math.abs(after.weights[l][i] / Q24 - v)))));
    // 40 steps of lr 0.2 · per-step gradient tolerance (gradient.spec.ts) as an upper bound.
    expect(worst).toBeLessThanOrEqual(40 * 0.2 * 3e-3);
    expect(ref.counters.kept[0]).toBeGreaterThan(0);
  });
});
