/**
 * Contract for MTJ pair reads (MtjPairReader), the finite-difference gradient's device side; kept
 * apart from mtj-contract.ts so the sampling suite (and the emulated-Uno run) is unchanged.
 * Call mtjPairContract(name, factory) inside a spec file. Noise bounds are 4σ of the reader's stated noise.
 */
import { describe, expect, it } from 'vitest';
import { openForSuite } from './open-for-suite.ts';
import { CurrentOutOfRangeError, DeviceIndexError, DeviceNotOpenError } from '../../host/device/errors.ts';
import type { MtjArray, MtjPairReader } from '../../host/device/mtj-array.ts';

export interface MtjPairContractFixture {
  array: MtjArray & MtjPairReader;
  /** Read-noise σ [V] the reader promises (for the 4σ bounds). */
  readNoiseV: number;
  cleanup?: () => Promise<void>;
}

export function mtjPairContract(name: string, factory: () => Promise<MtjPairContractFixture>, options: { skip?: boolean; points?: number } = {}): void {
  const points = options.points ?? 21;
  describe.skipIf(options.skip ?? false)(`MtjPairReader contract: ${name}`, () => {
    let fx: MtjPairContractFixture;
    let a: MtjArray & MtjPairReader;
    openForSuite(factory, (f) => {
      fx = f;
      a = f.array;
    });

    it('has at least one pair and a positive current range', () => {
      expect(a.pairCount).toBeGreaterThanOrEqual(1);
      expect(a.pairMaxCurrentA).toBeGreaterThan(0);
    });

    it('returns two finite voltages; V rises with I (4σ) on both twins across the range', async () => {
      const max = a.pairMaxCurrentA;
      const tol = 4 * Math.SQRT2 * fx.readNoiseV;
      for (let p = 0; p < Math.min(a.pairCount, 4); p++) {
        let prev: [number, number] | undefined;
        for (let i = 0; i < points; i++) {
          const current = -max + ((2 * max) * i) / (points - 1);
          const v = await a.readPair(p, current, 0);
          expect(v.length).toBe(2);
          v.forEach((x) => expect(Number.isFinite(x)).toBe(true));
          if (prev) {
            expect(v[0]).toBeGreaterThanOrEqual(prev[0] - tol);
            expect(v[1]).toBeGreaterThanOrEqual(prev[1] - tol);
          }
          prev = v;
        }
      }
    });

    it('a positive step ΔI at the centre gives a positive finite difference (V2 − V1)/ΔI', async () => {
      const d = a.pairMaxCurrentA / 10;
      let sum = 0;
      for (let t = 0; t < 16; t++) {
        const [v1, v2] = await a.readPair(0, 0, d);
        sum += (v2 - v1) / d;
      }
      expect(sum / 16).toBeGreaterThan(0);
    });

    it('refuses out-of-range currents and pair indices', async () => {
      const max = a.pairMaxCurrentA;
      await expect(a.readPair(0, max * 1.01, 0)).rejects.toBeInstanceOf(CurrentOutOfRangeError);
      await expect(a.readPair(0, -max * 1.01, 0)).rejects.toBeInstanceOf(CurrentOutOfRangeError);
      await expect(a.readPair(0, max, max / 10)).rejects.toBeInstanceOf(CurrentOutOfRangeError);
      await expect(a.readPair(0, Number.NaN, 0)).rejects.toBeInstanceOf(CurrentOutOfRangeError);
      await expect(a.readPair(a.pairCount, 0, 0)).rejects.toBeInstanceOf(DeviceIndexError);
      await expect(a.readPair(-1, 0, 0)).rejects.toBeInstanceOf(DeviceIndexError);
    });

    it('after close(), readPair throws DeviceNotOpenError', async () => {
      await a.close();
      await expect(a.readPair(0, 0, 0)).rejects.toBeInstanceOf(DeviceNotOpenError);
    });
  });
}
