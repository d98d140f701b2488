import { describe, expect, it } from 'vitest';
import { calibrate, currentForProbability } from '../../host/device/calibration.ts';
import { CalibrationFileError, MtjDeviceError } from '../../host/device/errors.ts';
import { MtjBitSource } from '../../host/device/mtj-bit-source.ts';
import { SimMtj } from '../../host/device/sim-mtj.ts';
import type { Calibration } from '../../host/device/calibration.ts';

/** A calibration straight from the simulator's logistic bridge (no sweep needed). */
function bridgeCalibration(sim: SimMtj): Calibration {
  return {
    schema: 'spintrain.mtj-calibration',
    schemaVersion: 1,
    boardId: sim.boardId,
    createdAt: new Date(0).toISOString(),
    pulseWidthS: sim.limits.defaultWidthS,
    seed: null,
    devices: sim.params.map((_, device) => ({
      device,
      ...((b) => ({ i50A: b.i50A, kPerA: b.kPerA }))(sim.logisticBridge(device)),
      maxAbsError: 0,
      fitCoverage: 1,
      pairCoverage: 1,
      pairMaxAbsError: 0,
      points: [],
    })),
  };
}

describe('MtjBitSource on SimMtj', () => {
  it('maps (layer, j) round-robin to devices (j + layer) mod N and is synchronous', () => {
    const sim = new SimMtj({ deviceCount: 4 }, 1);
    sim.openSync();
    const src = new MtjBitSource(sim, bridgeCalibration(sim));
    expect(src.isSync).toBe(true);
    expect([0, 1, 2, 3, 4, 5].map((j) => src.deviceFor(0, j))).toEqual([0, 1, 2, 3, 0, 1]);
    expect(src.deviceFor(1, 3)).toBe(0);
    const out = new Uint8Array(8);
    expect(src.sampleLayer(0, new Int32Array([0, 65536, 32768, 100]), 2, out)).toBeUndefined();
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 0, 1, 1]); // p = 0 → never, p = 1 → always
  });

  it('inverts each device fit: p → current → probability p (exact physics within the logistic approximation)', () => {
    const sim = new SimMtj({ deviceCount: 8 }, 2);
    sim.openSync();
    const src = new MtjBitSource(sim, bridgeCalibration(sim));
    for (let j = 0; j < 8; j++) {
      for (const p of [0.1, 0.5, 0.9]) {
        const i = src.currentFor(0, j, Math.round(p * 65536));
        expect(Math.abs(sim.switchingProbability(src.deviceFor(0, j), i) - p)).toBeLessThan(0.07);
      }
    }
  });

  it('p-GAF pair: P(1,0) over the two draws ≈ p(1 − p) (4σ), from a fitted calibration', async () => {
    const sim = new SimMtj({ deviceCount: 4 }, 3);
    await sim.open();
    const cal = await calibrate(sim, { fineDraws: 100, seed: 3 });
    const src = new MtjBitSource(sim, cal);
    const width = 64;
    const probs = new Int32Array(width).fill(Math.round(0.3 * 65536));
    const out = new Uint8Array(width * 2);
    let n10 = 0;
    let ones = 0;
    const reps = 200;
    for (let r = 0; r < reps; r++) {
      src.sampleLayerSync(0, probs, 2, out);
      for (let j = 0; j < width; j++) {
        ones += out[2 * j] + out[2 * j + 1];
        if (out[2 * j] === 1 && out[2 * j + 1] === 0) n10++;
      }
    }
    const n = reps * width;
    const p = ones / (2 * n);
    expect(Math.abs(p - 0.3)).toBeLessThan(0.05); // calibration accuracy
    const q = p * (1 - p);
    expect(Math.abs(n10 - n * q)).toBeLessThanOrEqual(4 * Math.sqrt(n * q * (1 - q)) + 1);
  });

  it('serves an asynchronous array through a Promise', async () => {
    const sim = new SimMtj({ deviceCount: 2 }, 4);
    await sim.open();
    // Hide the sync path: only the MtjArray interface is visible.
    const asyncOnly = {
      boardId: sim.boardId,
      get deviceCount() { return sim.deviceCount; },
      limits: sim.limits,
      get isOpen() { return sim.isOpen; },
      open: () => sim.open(),
      sample: (r: Parameters<SimMtj['sample']>[0]) => sim.sample(r),
      readVoltage: (d: number, i: number) => sim.readVoltage(d, i),
      close: () => sim.close(),
    };
    const src = new MtjBitSource(asyncOnly, bridgeCalibration(sim));
    expect(src.isSync).toBe(false);
    const out = new Uint8Array(4);
    const r = src.sampleLayer(0, new Int32Array([65536, 0]), 2, out);
    expect(r).toBeInstanceOf(Promise);
    await r;
    expect(Array.from(out)).toEqual([1, 1, 0, 0]);
    expect(() => src.sampleLayerSync(0, new Int32Array([1]), 1, out)).toThrow(/synchronous/);
  });

  it('rejects a calibration made for another board', () => {
    const sim = new SimMtj({ deviceCount: 2 }, 4);
    const cal = { ...bridgeCalibration(sim), boardId: 'arduino-uno' };
    expect(() => new MtjBitSource(sim, cal)).toThrow(/arduino-uno/);
  });

  it('checks the calibration fits the array for every caller, naming where it came from (CalibrationFileError)', () => {
    const sim = new SimMtj({ deviceCount: 2 }, 4);
    const good = bridgeCalibration(sim);
    const other = { ...good, boardId: 'arduino-uno' };
    expect(() => new MtjBitSource(sim, other, 'cal.json')).toThrow(new CalibrationFileError('cal.json', 'boardId', `is "arduino-uno" but this device is board "${sim.boardId}" (calibrate this board)`));
    const extra = { ...good, devices: [...good.devices, { ...good.devices[0], device: 2 }] };
    expect(() => new MtjBitSource(sim, extra, 'cal.json')).toThrow(`calibration file cal.json: field devices[2].device is 2, but board ${sim.boardId} has 2 devices`);
    const wide = { ...good, pulseWidthS: sim.limits.maxWidthS * 2 };
    expect(() => new MtjBitSource(sim, wide)).toThrow(/^calibration file \(in memory\): field pulseWidthS is /);
    expect(() => new MtjBitSource(sim, other)).toThrow(MtjDeviceError);
  });

  it("maps p to current with calibration.ts's currentForProbability: the logistic's inverse, clamped to the limits", () => {
    const sim = new SimMtj({ deviceCount: 2 }, 4);
    const cal = bridgeCalibration(sim);
    const src = new MtjBitSource(sim, cal);
    const d = [...cal.devices].sort((a, b) => a.device - b.device);
    const { minCurrentA, maxCurrentA } = sim.limits;
    for (const pQ16 of [-5, 0, 1, 2, 100, 32768, 50000, 65535, 65536, 70000]) {
      const p = Math.min(65535, Math.max(1, pQ16)) / 65536;
      const old = Math.min(maxCurrentA, Math.max(minCurrentA, d[1].i50A + Math.log(p / (1 - p)) / d[1].kPerA));
      expect(src.currentFor(0, 1, pQ16)).toBe(old);
      expect(src.currentFor(0, 1, pQ16)).toBe(currentForProbability(d[1], p, sim.limits));
    }
  });
});
