// The engine's draw drivers (host/engine/draw-driver.ts): every way of serving the same draws trains
// bit-identically, synchronous calls refuse an asynchronous source with AsyncSourceError, and the
// asynchronous calls take every source.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine, type Draws } from '../../host/engine/wasm-engine.ts';
import { AsyncSourceError } from '../../host/engine/errors.ts';
import { defaultNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from '../../host/engine/config.ts';
import type { BitSource } from '../../host/engine/bit-source.ts';
import type { PairSource } from '../../host/engine/pair-source.ts';
import { Rng } from '../../host/rng.ts';

/** Bernoulli(p) bits from a seeded generator; `async` answers every layer with a Promise. */
function bits(seed: number, async = false): BitSource {
  const rng = new Rng(seed);
  const fill = (p: Int32Array, draws: number, out: Uint8Array): void => {
    for (let i = 0; i < out.length; i++) out[i] = rng.next() * 65536 < p[Math.floor(i / draws)] ? 1 : 0;
  };
  return { sampleLayer: (_l, p, draws, out) => (async ? Promise.resolve().then(() => fill(p, draws, out)) : fill(p, draws, out)) };
}

/** Twin voltages V(z) = tanh(z), V(z + Δz); `async` answers with a Promise. */
function pairs(async = false): PairSource {
  const read = (z: Int32Array, out: Int32Array): void => {
    z.forEach((zq, j) => {
      out[2 * j] = Math.round(Math.tanh(zq / 65536) * 65536);
      out[2 * j + 1] = Math.round(Math.tanh(zq / 65536 + 0.1) * 65536);
    });
  };
  return { stepZ: 0.1, readLayer: (_l, z, out) => (async ? Promise.resolve().then(() => read(z, out)) : read(z, out)) };
}

const config = (extra: Partial<NetworkConfig<TrainingAlgorithm>> = {}): NetworkConfig<TrainingAlgorithm> => ({
  ...defaultNetworkConfig,
  layout: [4, 6, 5, 3],
  learningRate: 0.5,
  seed: 7,
  ...extra,
});

const data = (() => {
  const r = new Rng(3);
  const n = 30;
  return { n, x: Uint8Array.from({ length: 4 * n }, () => r.int(256)), y: Uint8Array.from({ length: n }, () => r.int(3)) };
})();

/** Two epochs through trainEpoch (the driver's loop or the module's), then the weights and the test count. */
async function train(c: NetworkConfig<TrainingAlgorithm>, draws: Draws): Promise<{ weights: number[]; correct: number[]; evaluated: number }> {
  const e = new SpintrainEngine(c, draws);
  const split = e.loadSplit(data);
  const correct: number[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    e.setEpoch(epoch);
    correct.push(await e.trainEpoch(split));
  }
  return { weights: e.exportParameters().weights.flatMap((w) => [...w]), correct, evaluated: await e.evaluateAsync(split) };
}

describe('draw drivers', () => {
  it('pgaf: the same bits through the import, the buffer and an asynchronous buffer train bit-identically', async () => {
    const imported = await train(config(), { kind: 'host', source: bits(5), via: 'import' });
    expect(await train(config(), { kind: 'host', source: bits(5) })).toEqual(imported);
    expect(await train(config(), { kind: 'host', source: bits(5, true), via: 'buffer' })).toEqual(imported);
  });

  it('trainSample and trainSampleAsync take the same step', async () => {
    const a = new SpintrainEngine(config(), { kind: 'host', source: bits(9) });
    const b = new SpintrainEngine(config(), { kind: 'host', source: bits(9, true) });
    for (let i = 0; i < data.n; i++) {
      const x = data.x.subarray(4 * i, 4 * i + 4);
      expect(await b.trainSampleAsync(x, data.y[i])).toBe(a.trainSample(x, data.y[i]));
    }
    expect(b.exportParameters()).toEqual(a.exportParameters());
    expect(b.counters()).toEqual(a.counters());
  });

  it('bp and the exact ReLU mask draw nothing: a host source through the buffer trains as the module alone', async () => {
    for (const c of [config({ algorithm: 'bp' }), config({ activation: 'relu' })]) {
      const alone = await train(c, { kind: 'prng' });
      expect(await train(c, { kind: 'host', source: bits(1, true) })).toEqual(alone);
    }
  });

  it('pair: import, buffer and asynchronous buffer agree, in training and evaluation', async () => {
    const c = config({ algorithm: 'pair', activation: 'tanh', pairStep: 0.1 });
    const imported = await train(c, { kind: 'pair', source: pairs(), via: 'import' });
    expect(await train(c, { kind: 'pair', source: pairs() })).toEqual(imported);
    expect(await train(c, { kind: 'pair', source: pairs(true) })).toEqual(imported);
  });

  it('a synchronous call that meets an asynchronous source throws AsyncSourceError, and the step is not finished', () => {
    const x = data.x.subarray(0, 4);
    const e = new SpintrainEngine(config(), { kind: 'host', source: bits(2, true) });
    const w0 = e.exportParameters();
    expect(() => e.trainSample(x, 1)).toThrow(AsyncSourceError);
    expect(() => e.trainSample(x, 1)).toThrow(/engine trainSample: a synchronous call met an asynchronous draw source/);
    expect(() => e.trainSoftTarget(x, [1, 0, 0])).toThrow(AsyncSourceError);
    expect(e.exportParameters()).toEqual(w0);
    const p = new SpintrainEngine(config({ algorithm: 'pair', activation: 'tanh', pairStep: 0.1 }), { kind: 'pair', source: pairs(true) });
    expect(() => p.predict(x)).toThrow(/engine predict: a synchronous call met/);
    expect(() => p.evaluate(p.loadSplit(data))).toThrow(AsyncSourceError);
  });

  it('an asynchronous source cannot serve env.mtj_sample', () => {
    const e = new SpintrainEngine(config(), { kind: 'host', source: bits(2, true), via: 'import' });
    expect(() => e.trainSample(data.x.subarray(0, 4), 1)).toThrow(/engine env\.mtj_sample: a synchronous call met an asynchronous draw source/);
  });
});
