/**
 * The one contract suite every MtjArray implementation must pass (SimMtj, J5Mtj on the emulated Uno,
 * J5Mtj on a real board). Call mtjContract(name, factory) inside a spec file.
 * Statistical checks use 4-sigma binomial bounds: |k − n p| ≤ 4 √(n p (1 − p)) + 1.
 */
import { describe, expect, it } from 'vitest';
import { openForSuite } from './open-for-suite.ts';
import {
  CurrentOutOfRangeError,
  DeviceIndexError,
  DeviceNotOpenError,
  PulseWidthOutOfRangeError,
} from '../../host/device/errors.ts';
import type { MtjArray, SampleRequest } from '../../host/device/mtj-array.ts';

export interface MtjContractOptions {
  /** Draws per sweep point (keep small for slow transports). Default 24. */
  drawsPerPoint?: number;
  /** Sweep points over the current range. Default 12. */
  sweepPoints?: number;
  /** Pairs drawn for the independence check at the mid current. Default 400. */
  pairs?: number;
  /** Skip the whole suite (e.g. no hardware). */
  skip?: boolean;
}

export interface MtjContractFixture {
  array: MtjArray;
  /** Called after the suite (stop emulators, close ports). */
  cleanup?: () => Promise<void>;
}

export function mtjContract(name: string, factory: () => Promise<MtjContractFixture>, options: MtjContractOptions = {}): void {
  const draws = options.drawsPerPoint ?? 24;
  const sweepPoints = options.sweepPoints ?? 12;
  const pairs = options.pairs ?? 400;

  describe.skipIf(options.skip ?? false)(`MtjArray contract: ${name}`, () => {
    let fx: MtjContractFixture;
    let a: MtjArray;
    // Sweep result per device: currents and high counts, shared by later tests.
    const sweep: { currentA: number[]; high: number[][] } = { currentA: [], high: [] };

    openForSuite(factory, (f) => {
      fx = f;
      a = f.array;
    });

    it('opens with at least one device and consistent limits', () => {
      expect(a.isOpen).toBe(true);
      expect(a.deviceCount).toBeGreaterThanOrEqual(1);
      expect(a.boardId.length).toBeGreaterThan(0);
      const l = a.limits;
      expect(l.minCurrentA).toBeLessThan(l.maxCurrentA);
      expect(l.minWidthS).toBeLessThanOrEqual(l.defaultWidthS);
      expect(l.defaultWidthS).toBeLessThanOrEqual(l.maxWidthS);
      expect(l.minBiasCurrentA).toBeLessThanOrEqual(l.maxBiasCurrentA);
      expect(l.maxBiasCurrentA).toBeGreaterThan(0);
    });

    it('returns one 0/1 bit per request, and nothing for no request', async () => {
      expect((await a.sample([])).length).toBe(0);
      const reqs: SampleRequest[] = [];
      for (let d = 0; d < a.deviceCount; d++) reqs.push({ device: d, currentA: a.limits.maxCurrentA });
      reqs.push({ device: 0, currentA: a.limits.minCurrentA }); // same device twice in one call
      const bits = await a.sample(reqs);
      expect(bits).toBeInstanceOf(Uint8Array);
      expect(bits.length).toBe(reqs.length);
      for (const b of bits) expect(b === 0 || b === 1).toBe(true);
    });

    it('P(high) rises monotonically (4σ) from ~0 at the lowest current to ~1 at the highest', async () => {
      const { minCurrentA: lo, maxCurrentA: hi } = a.limits;
      sweep.currentA = Array.from({ length: sweepPoints }, (_, i) => lo + ((hi - lo) * i) / (sweepPoints - 1));
      sweep.high = Array.from({ length: a.deviceCount }, () => new Array(sweepPoints).fill(0));
      for (let pi = 0; pi < sweepPoints; pi++) {
        const reqs = Array.from({ length: a.deviceCount }, (_, device) => ({ device, currentA: sweep.currentA[pi] }));
        for (let t = 0; t < draws; t++) {
          const bits = await a.sample(reqs);
          for (let d = 0; d < a.deviceCount; d++) sweep.high[d][pi] += bits[d];
        }
      }
      for (let d = 0; d < a.deviceCount; d++) {
        const h = sweep.high[d];
        expect(h[0], `device ${d} at the minimum current`).toBe(0);
        expect(h[sweepPoints - 1], `device ${d} at the maximum current`).toBe(draws);
        // Non-decreasing within noise: a later point may not fall more than 4σ (of the worst case p = ½) below an earlier one.
        const tol = 4 * Math.sqrt(2 * draws * 0.25) + 1;
        let runMax = 0;
        for (const k of h) {
          expect(k).toBeGreaterThanOrEqual(runMax - tol);
          runMax = Math.max(runMax, k);
        }
      }
    });

    it('two consecutive draws are independent: P(1,0) = p(1 − p) within 4σ at the mid current', async () => {
      // Pick, for device 0, the sweep point whose frequency is closest to ½.
      const h = sweep.high[0];
      let best = 0;
      for (let i = 0; i < h.length; i++) if (Math.abs(h[i] / draws - 0.5) < Math.abs(h[best] / draws - 0.5)) best = i;
      const req = [{ device: 0, currentA: sweep.currentA[best] }];
      let high = 0;
      let n10 = 0;
      for (let t = 0; t < pairs; t++) {
        const s1 = (await a.sample(req))[0];
        const s2 = (await a.sample(req))[0];
        high += s1 + s2;
        if (s1 === 1 && s2 === 0) n10++;
      }
      const p = high / (2 * pairs);
      const q = p * (1 - p);
      expect(Math.abs(n10 - pairs * q)).toBeLessThanOrEqual(4 * Math.sqrt(pairs * q * (1 - q)) + 2);
    });

    it('refuses out-of-range currents, widths and device indices before sampling anything', async () => {
      const l = a.limits;
      await expect(a.sample([{ device: 0, currentA: l.maxCurrentA * 1.01 + 1e-9 }])).rejects.toBeInstanceOf(CurrentOutOfRangeError);
      await expect(a.sample([{ device: 0, currentA: l.minCurrentA - 1e-6 }])).rejects.toBeInstanceOf(CurrentOutOfRangeError);
      await expect(a.sample([{ device: 0, currentA: Number.NaN }])).rejects.toBeInstanceOf(CurrentOutOfRangeError);
      await expect(a.sample([{ device: 0, currentA: l.minCurrentA, widthS: l.maxWidthS * 2 }])).rejects.toBeInstanceOf(
        PulseWidthOutOfRangeError,
      );
      await expect(a.sample([{ device: a.deviceCount, currentA: l.minCurrentA }])).rejects.toBeInstanceOf(DeviceIndexError);
      await expect(a.sample([{ device: -1, currentA: l.minCurrentA }])).rejects.toBeInstanceOf(DeviceIndexError);
      // A good request followed by a bad one: the whole call is refused.
      await expect(
        a.sample([
          { device: 0, currentA: l.maxCurrentA },
          { device: 0, currentA: l.maxCurrentA * 2 },
        ]),
      ).rejects.toThrow(/requests\[1\]\.currentA/);
      await expect(a.readVoltage(0, l.maxBiasCurrentA * 2)).rejects.toBeInstanceOf(CurrentOutOfRangeError);
    });

    it('readVoltage gives a finite positive junction voltage in the P state (≈ R_P · I_b)', async () => {
      const ib = a.limits.maxBiasCurrentA;
      for (let d = 0; d < a.deviceCount; d++) {
        const v = await a.readVoltage(d, ib);
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
        // R_P between 100 Ω and 100 kΩ.
        expect(v / ib).toBeGreaterThan(100);
        expect(v / ib).toBeLessThan(1e5);
      }
    });

    it('after close(), sampling throws DeviceNotOpenError', async () => {
      await a.close();
      expect(a.isOpen).toBe(false);
      await expect(a.sample([{ device: 0, currentA: a.limits.minCurrentA }])).rejects.toBeInstanceOf(DeviceNotOpenError);
      await expect(a.readVoltage(0, a.limits.maxBiasCurrentA)).rejects.toBeInstanceOf(DeviceNotOpenError);
    });
  });
}
