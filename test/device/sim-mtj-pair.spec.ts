// SimMtj pairs: the read-pair contract, the I–V model's documented shape, mismatch and noise, and
// that enabling pairs leaves the array's switching stream unchanged.
import { describe, it, expect } from 'vitest';
import { SimMtj } from '../../host/device/sim-mtj.ts';
import { pairJunctionVoltage } from '../../host/device/pair-iv-model.ts';
import { mtjPairContract } from './mtj-pair-contract.ts';

mtjPairContract('SimMtj (8 pairs, defaults)', async () => ({ array: new SimMtj({ pairCount: 8 }, 3), readNoiseV: 0.5e-3 }));

describe('SimMtj pair I–V model', () => {
  it('V(I) = a·tanh(b(I − I0)) + c·I without mismatch or noise', () => {
    const s = new SimMtj({ pairCount: 1, pairIv: { gainCv: 0, offsetSdA: 0, readNoiseV: 0 } }, 1);
    s.openSync();
    for (const i of [-5e-4, -1e-4, 0, 3e-5, 2e-4]) {
      const [v1, v2] = s.readPairSync(0, i, 1e-5);
      expect(v1).toBeCloseTo(0.2 * Math.tanh(1e4 * i) + 100 * i, 12);
      expect(v2).toBeCloseTo(0.2 * Math.tanh(1e4 * (i + 1e-5)) + 100 * (i + 1e-5), 12);
    }
  });

  it('twins differ by their drawn gain and offset; reads scatter with the stated noise', () => {
    const s = new SimMtj({ pairCount: 200, pairIv: { gainCv: 0.05, offsetSdA: 0, readNoiseV: 0 } }, 2);
    const gains = s.pairs.flatMap(([a, b]) => [a.swingV / 0.2, b.swingV / 0.2]);
    const mean = gains.reduce((x, y) => x + y, 0) / gains.length;
    const sd = Math.sqrt(gains.reduce((x, y) => x + (y - mean) ** 2, 0) / gains.length);
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(sd - 0.05)).toBeLessThan(0.01);
    const n = new SimMtj({ pairCount: 1, pairIv: { readNoiseV: 1e-3 } }, 4);
    n.openSync();
    const clean = pairJunctionVoltage(n.pairs[0][0], n.pairIv, 1e-4);
    const r = Array.from({ length: 2000 }, () => n.readPairSync(0, 1e-4, 0)[0] - clean);
    const rsd = Math.sqrt(r.reduce((x, y) => x + y * y, 0) / r.length);
    expect(Math.abs(rsd - 1e-3)).toBeLessThan(1e-4);
  });

  it('enabling pairs does not change the switching stream', () => {
    const a = new SimMtj({}, 5);
    const b = new SimMtj({ pairCount: 4 }, 5);
    a.openSync();
    b.openSync();
    const reqs = Array.from({ length: 64 }, (_v, i) => ({ device: i % 16, currentA: 8e-4 }));
    expect([...b.sampleSync(reqs)]).toEqual([...a.sampleSync(reqs)]);
  });
});

describe('MtjPairSource twin calibration', () => {
  it('removes the twins mismatch from the finite difference: in saturation g ≈ V′ instead of ±Δa/ΔI', async () => {
    const { MtjPairSource } = await import('../../host/device/mtj-pair-source.ts');
    const s = new SimMtj({ pairCount: 16, pairIv: { gainCv: 0.05, readNoiseV: 0 } }, 6);
    s.openSync();
    const src = new MtjPairSource(s, [16], 0.1, { currentPerUnitA: 1e-4, voltsPerUnit: 0.2 });
    const z = new Int32Array(16).fill(5 * 65536); // deep in saturation: tanh′(5) ≈ 2e-4, plus the 0.05 linear slope
    const out = new Int32Array(32);
    const worst = (): number => {
      src.readLayer(0, z, out);
      let w = 0;
      for (let j = 0; j < 16; j++) w = Math.max(w, Math.abs((out[2 * j + 1] - out[2 * j]) / 65536 / 0.1 - 0.05));
      return w;
    };
    const before = worst();
    src.calibrateTwins();
    const after = worst();
    expect(before).toBeGreaterThan(0.3); // 5 % gain mismatch over Δz = 0.1
    expect(after).toBeLessThan(0.02);
  });
});
