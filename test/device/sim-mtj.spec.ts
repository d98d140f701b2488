import { describe, expect, it } from 'vitest';
import { SimMtj, defaultSimMtjConfig } from '../../host/device/sim-mtj.ts';
import { logisticBridge, switchingProbability } from '../../host/device/sot-switching.ts';
import { sigmoid } from '../../host/device/logistic-fit.ts';
import { mtjContract } from './mtj-contract.ts';

mtjContract('SimMtj (defaults, 16 devices)', async () => ({ array: new SimMtj({}, 7) }), { drawsPerPoint: 40, pairs: 2000 });
mtjContract('SimMtj (Δ = 40, 3 devices)', async () => ({ array: new SimMtj({ delta: 40, deviceCount: 3 }, 8) }), { pairs: 1000 });

describe('SOT switching probability', () => {
  const p = { tau0S: 1e-9, delta: 50, ic0A: 1e-3 };

  it('never underflows/overflows to NaN over extreme inputs and stays in [0, 1]', () => {
    for (const i of [0, 1e-9, 0.5e-3, 1e-3, 2e-3, 1, 1e3]) {
      for (const w of [1e-12, 1e-9, 1e-3, 1e3]) {
        const v = switchingProbability({ ...p, delta: 200 }, i, w);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    expect(switchingProbability(p, 0, 1e-8)).toBeLessThan(1e-15);
    expect(switchingProbability(p, 2e-3, 1e-8)).toBe(1);
  });

  it('is 1/2 at the logistic bridge I50; the slope-matched logistic σ(k(I − I50)) is within 0.07 of the (Gumbel-shaped) curve', () => {
    const w = 10e-9;
    const b = logisticBridge(p, w);
    expect(switchingProbability(p, b.i50A, w)).toBeCloseTo(0.5, 12);
    let worst = 0;
    for (let i = 0; i <= 2e-3; i += 1e-6) worst = Math.max(worst, Math.abs(switchingProbability(p, i, w) - sigmoid(b.kPerA * (i - b.i50A))));
    expect(worst).toBeLessThan(0.07);
    expect(worst).toBeGreaterThan(0.02); // it is an approximation: the true curve is asymmetric
  });

  it('longer pulses switch at lower current (centre moves logarithmically)', () => {
    const a = logisticBridge(p, 1e-9).i50A;
    const b = logisticBridge(p, 1e-8).i50A;
    const c = logisticBridge(p, 1e-7).i50A;
    expect(b).toBeLessThan(a);
    expect(a - b).toBeCloseTo(b - c, 12); // equal steps per decade
  });
});

describe('SimMtj', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const s = new SimMtj({ deviceCount: 4 }, seed);
      s.openSync();
      const reqs = Array.from({ length: 200 }, (_, k) => ({ device: k % 4, currentA: s.logisticBridge(k % 4).i50A }));
      return Array.from(s.sampleSync(reqs)).join('');
    };
    expect(run(3)).toBe(run(3));
    expect(run(3)).not.toBe(run(4));
  });

  it('draws device-to-device variability with the configured CVs (Δ CV 7.7 %)', () => {
    const s = new SimMtj({ deviceCount: 4000 }, 11);
    const ds = s.params.map((q) => q.delta);
    const mean = ds.reduce((x, y) => x + y, 0) / ds.length;
    const sd = Math.sqrt(ds.reduce((x, y) => x + (y - mean) ** 2, 0) / ds.length);
    // Standard error of the mean ≈ 3.85/√4000 ≈ 0.06; of sd ≈ 0.04.
    expect(Math.abs(mean - 50)).toBeLessThan(0.3);
    expect(Math.abs(sd / mean - defaultSimMtjConfig.deltaCv)).toBeLessThan(0.005);
  });

  it('empirical P(high) matches the exact switching probability within 4σ at several currents', () => {
    const s = new SimMtj({ deviceCount: 1 }, 5);
    s.openSync();
    const b = s.logisticBridge(0);
    const n = 4000;
    for (const z of [-2, -0.5, 0, 1, 2.5]) {
      const currentA = b.i50A + z / b.kPerA;
      const p = s.switchingProbability(0, currentA);
      const k = s.sampleSync(Array.from({ length: n }, () => ({ device: 0, currentA }))).reduce((x, y) => x + y, 0);
      expect(Math.abs(k - n * p)).toBeLessThanOrEqual(4 * Math.sqrt(n * p * (1 - p)) + 1);
    }
  });

  it('reads AP above and P below the divider threshold: read errors are negligible at default noise', () => {
    const s = new SimMtj({ deviceCount: 16 }, 9);
    s.openSync();
    for (let d = 0; d < 16; d++) {
      expect(s.sampleSync([{ device: d, currentA: 2e-3 }])[0]).toBe(1);
      expect(s.states[d]).toBe(0); // reset after read
    }
  });

  it('AP junction voltage shows TMR roll-off with bias (sub-linear I–V)', () => {
    const s = new SimMtj({ deviceCount: 1 }, 1);
    s.openSync();
    s.states[0] = 1;
    const v1 = s.junctionVoltage(0, 50e-6);
    const v2 = s.junctionVoltage(0, 500e-6);
    expect(v2 / v1).toBeLessThan(10);
    expect(v2 / v1).toBeGreaterThan(5);
    s.states[0] = 0;
    expect(s.junctionVoltage(0, 500e-6) / s.junctionVoltage(0, 50e-6)).toBeCloseTo(10, 10);
  });
});
