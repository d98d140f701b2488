// --normalize reflect: the per-feature reflection x → 255 − x (host/data/feature-reflection.ts) and its
// folding into the first weight layer (host/engine/input-reflection.ts).
import { describe, it, expect } from 'vitest';
import { applyReflection, decodeReflection, encodeReflection, fitReflection, reflectDataset } from '../../host/data/feature-reflection.ts';
import { foldReflection, unfoldReflection } from '../../host/engine/input-reflection.ts';
import { engineToWeightsFile, applyWeightsFile } from '../../host/engine/checkpoint.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig } from '../../host/engine/config.ts';
import { loadMnist } from '../../host/data/mnist.ts';
import { Rng } from '../../host/rng.ts';

describe('fitting the reflection', () => {
  it('reflects a feature at 255 more often than at 0; on a tie, one whose mean is above 127.5', () => {
    // features: mostly 0 | mostly 255 | tie (no extremes), mean 200 | tie, mean 100 | one 0 and two 255
    const rows = [
      [0, 255, 200, 100, 0],
      [0, 255, 190, 90, 255],
      [9, 250, 210, 110, 255],
    ];
    const r = fitReflection({ x: Uint8Array.from(rows.flat()), y: new Uint8Array(3), n: 3 }, 5);
    expect(Array.from(r)).toEqual([0, 1, 1, 0, 1]);
    const s = applyReflection({ x: Uint8Array.from(rows.flat()), y: new Uint8Array(3), n: 3 }, r);
    expect(Array.from(s.x.subarray(0, 5))).toEqual([0, 0, 55, 100, 255]);
  });

  it('leaves MNIST as it is and turns inverted MNIST back into MNIST, bit for bit', () => {
    const d = loadMnist({ trainLimit: 2000, testLimit: 500 });
    const same = reflectDataset(d);
    expect(encodeReflection(same.reflection)).toBe('');
    expect(same.dataset.train.x).toBe(d.train.x);
    const inv = (x: Uint8Array): Uint8Array => x.map((v) => 255 - v);
    const back = reflectDataset({ ...d, train: { ...d.train, x: inv(d.train.x) }, test: { ...d.test, x: inv(d.test.x) } });
    expect(encodeReflection(back.reflection)).toBe('0-783');
    expect(Buffer.from(back.dataset.train.x).equals(Buffer.from(d.train.x))).toBe(true);
    expect(Buffer.from(back.dataset.test.x).equals(Buffer.from(d.test.x))).toBe(true);
  });

  it('encodes as index ranges and decodes back; malformed lists are refused', () => {
    const r = Uint8Array.from([1, 1, 1, 0, 1, 0, 0, 1, 1]);
    expect(encodeReflection(r)).toBe('0-2,4,7-8');
    expect(decodeReflection('0-2,4,7-8', 9)).toEqual(r);
    for (const bad of ['0-9', '3,2', '1-0', 'a', '1,,2', '-1']) expect(decodeReflection(bad, 9)).toBeNull();
    expect(decodeReflection('', 4)).toEqual(new Uint8Array(4));
  });
});

describe('folding the reflection into the first layer', () => {
  const layout = [12, 6, 3];
  const rng = new Rng(4);
  const reflection = Uint8Array.from({ length: 12 }, (_v, i) => (i % 3 === 0 ? 1 : 0));
  const raw = Uint8Array.from({ length: 40 * 12 }, () => rng.int(256));
  const y = Uint8Array.from({ length: 40 }, () => rng.int(3));
  const reflected = applyReflection({ x: raw, y, n: 40 }, reflection).x;
  for (const momentum of [0, 0.5]) {
    it(`a folded network on raw inputs computes the trained one on reflected inputs (hidden z within 1 Q16 unit, outputs within 4); unfolding is exact (momentum ${momentum})`, async () => {
      const config = { ...defaultNetworkConfig, layout, algorithm: 'bp' as const, learningRate: 0.5, momentum, seed: 9 };
      const trained = new SpintrainEngine(config);
      await trained.trainEpoch(trained.loadSplit({ x: reflected, y, n: 40 }));
      const file = engineToWeightsFile(trained);
      const folded = foldReflection(file, reflection);
      expect(folded.meta?.reflect).toBe('0,3,6,9');
      expect(unfoldReflection(folded, 'f.stw').tensors).toEqual(file.tensors);
      const deployed = new SpintrainEngine(config);
      applyWeightsFile(deployed, folded, 'f.stw');
      for (let s = 0; s < 40; s++) {
        trained.predict(reflected.subarray(s * 12, (s + 1) * 12));
        const z0 = Array.from(trained.preActivations(2));
        const h0 = Array.from(trained.preActivations(1));
        deployed.predict(raw.subarray(s * 12, (s + 1) * 12));
        Array.from(deployed.preActivations(1)).forEach((z, j) => expect(Math.abs(z - h0[j])).toBeLessThanOrEqual(1));
        Array.from(deployed.preActivations(2)).forEach((z, j) => expect(Math.abs(z - z0[j])).toBeLessThanOrEqual(4));
      }
    });
  }
});
