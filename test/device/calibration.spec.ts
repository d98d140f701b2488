import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateCommand } from '../../host/commands/calibrate.ts';
import { calibrate, currentForProbability, loadCalibration, saveCalibration } from '../../host/device/calibration.ts';
import { CalibrationFileError } from '../../host/device/errors.ts';
import { fitLogistic, sigmoid } from '../../host/device/logistic-fit.ts';
import { SimMtj } from '../../host/device/sim-mtj.ts';
import { wilsonInterval } from '../../host/device/wilson-interval.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'spintrain-cal-'));

describe('fit helpers', () => {
  it('Wilson interval brackets p̂ and stays in [0, 1] at the extremes', () => {
    const a = wilsonInterval(0, 20);
    expect(a.lo).toBe(0);
    expect(a.hi).toBeGreaterThan(0.1);
    const b = wilsonInterval(50, 100);
    expect(b.lo).toBeCloseTo(0.4038, 3);
    expect(b.hi).toBeCloseTo(0.5962, 3);
  });

  it('IRLS recovers x50 and k from exact expected counts', () => {
    const pts = Array.from({ length: 21 }, (_, i) => {
      const x = 0.9e-3 + i * 1e-5;
      return { x, n: 1e6, k: Math.round(1e6 * sigmoid(70e3 * (x - 1e-3))) };
    });
    const f = fitLogistic(pts);
    expect(f.x50).toBeCloseTo(1e-3, 8);
    expect(f.k / 70e3).toBeCloseTo(1, 3);
  });
});

describe('calibration on SimMtj', () => {
  it('fits every device close to its true switching curve and P(1,0) follows σ′', async () => {
    const sim = new SimMtj({ deviceCount: 6 }, 42);
    await sim.open();
    const cal = await calibrate(sim, { seed: 42 });
    expect(cal.devices).toHaveLength(6);
    for (const d of cal.devices) {
      const b = sim.logisticBridge(d.device);
      // The ML logistic vs. the exact (asymmetric) curve: centre within 1/k, slope within 30 %.
      expect(Math.abs(d.i50A - b.i50A) * b.kPerA).toBeLessThan(1);
      expect(Math.abs(d.kPerA / b.kPerA - 1)).toBeLessThan(0.3);
      // Inverting the fit hits the exact probability within 0.09 across the useful range (logistic vs. Gumbel shape).
      for (const p of [0.1, 0.3, 0.5, 0.7, 0.9]) {
        expect(Math.abs(sim.switchingProbability(d.device, currentForProbability(d, p)) - p)).toBeLessThan(0.09);
      }
      expect(d.maxAbsError).toBeLessThan(0.17); // fine points, 200 draws: 4σ = 0.14 at p = ½, plus the logistic-shape error
      expect(d.pairMaxAbsError).toBeLessThan(0.18); // fine points: 100 pairs each, 4σ = 0.17 at σ′ = ¼
      expect(d.pairCoverage).toBeGreaterThan(0.7);
    }
  });

  it('saves atomically (no temp file left) and loads back the same calibration', async () => {
    const sim = new SimMtj({ deviceCount: 2 }, 1);
    await sim.open();
    const cal = await calibrate(sim, { fineDraws: 40 });
    const dir = tmp();
    const file = join(dir, 'cal.json');
    saveCalibration(file, cal);
    expect(readdirSync(dir)).toEqual(['cal.json']);
    expect(loadCalibration(file, 'sim')).toEqual(cal);
  });

  it('rejects corrupt files and files for another board, naming file and field', async () => {
    const sim = new SimMtj({ deviceCount: 1 }, 1);
    await sim.open();
    const cal = await calibrate(sim, { fineDraws: 20 });
    const dir = tmp();
    const file = join(dir, 'c.json');
    saveCalibration(file, cal);
    expect(() => loadCalibration(file, 'arduino-uno')).toThrow(/c\.json: field boardId is "sim" but this device is board "arduino-uno"/);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 50));
    expect(() => loadCalibration(file)).toThrow(CalibrationFileError);
    const bad = structuredClone(cal) as any;
    bad.devices[0].kPerA = -3;
    writeFileSync(file, JSON.stringify(bad));
    expect(() => loadCalibration(file)).toThrow(/field devices\[0\]\.kPerA must be a finite positive number/);
    bad.devices[0].kPerA = 1;
    bad.schemaVersion = 99;
    writeFileSync(file, JSON.stringify(bad));
    expect(() => loadCalibration(file)).toThrow(/field schemaVersion must be 1/);
    expect(() => loadCalibration(join(dir, 'missing.json'))).toThrow(/missing\.json: field \(file\) cannot be read/);
  });
});

describe('spintrain calibrate', () => {
  it('calibrates the simulated device, writes the JSON and both SVG plots', async () => {
    const dir = tmp();
    const out = join(dir, 'sim.json');
    const code = await calibrateCommand(['--device', 'sim', '--devices', '3', '--out', out, '--plots', dir, '--seed', '5']);
    expect(code).toBe(0);
    const cal = loadCalibration(out, 'sim');
    expect(cal.devices.map((d) => d.device)).toEqual([0, 1, 2]);
    expect(cal.seed).toBe(5);
    const svg = readFileSync(join(dir, 'p-high-vs-current.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('P(high)');
    expect(readFileSync(join(dir, 'p10-vs-current.svg'), 'utf8')).toContain('P(1,0)');
  });

  it('returns 2 on bad usage and 1 on a missing port', async () => {
    expect(await calibrateCommand(['--devices', 'x'])).toBe(2);
    expect(await calibrateCommand(['--device', 'sim', '--bogus'])).toBe(2);
    expect(await calibrateCommand(['--device', '/dev/ttySPINTRAIN-NOPE'])).toBe(1);
  });
});
