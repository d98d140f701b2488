/**
 * `spintrain power` end to end on the emulated Uno (genuine StandardFirmata) with an emulated INA219:
 * the command parses its options, measures a short pgaf run, prints JSON and writes a run directory
 * (run.json, power.json, power.csv, report.html) that reads back. The measurement's accuracy against a
 * known profile is checked in power-hil.spec.ts; here the command's plumbing is.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { powerCommand } from '../../host/commands/power.ts';
import { EmulatedI2cBus } from '../harness/uno/emulated-i2c-bus.ts';
import { EmulatedIna219 } from '../harness/uno/emulated-ina219.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { readRunDir, RUN_FILES } from '../../host/report/run-dir.ts';
import { captureOutput } from '../support/capture-output.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('spintrain power (emulated Uno + INA219)', () => {
  it('measures a run, prints one JSON object and writes a run directory that reads back', async () => {
    const hil = await startEmulatedUno();
    try {
      const bus = new EmulatedI2cBus(hil.emulator);
      bus.attach(0x40, new EmulatedIna219({ shuntOhm: 0.1, currentA: () => 0.04, busV: () => 5 }));
      const out = mkdtempSync(join(tmpdir(), 'spintrain-power-'));
      const io = captureOutput();
      const rc = await powerCommand(
        ['--port', 'emulated', '--samples', '6', '--dwell-ms', '20', '--out', out, '--dataset', 'xor', '--hidden', '4', '--output', 'sigmoid', '--json'],
        () => ({ port: hil.port, clock: { now: () => hil.emulator.timeS, delay: (s: number) => hil.emulator.delay(s) } }),
      );
      expect(rc, io.err()).toBe(0);
      const json = JSON.parse(io.out().trim().split('\n')[0]);
      // a constant 40 mA at 5 V: 200 mW whatever the phase
      expect(json.measured.averagePowerW).toBeGreaterThan(0.19);
      expect(json.measured.averagePowerW).toBeLessThan(0.21);
      expect(json.sensor.address).toBe(0x40);
      for (const f of Object.values(RUN_FILES)) {
        if (f !== RUN_FILES.calibration) expect(existsSync(join(out, f)), f).toBe(true);
      }
      const dir = readRunDir(out);
      expect(dir.power).toBeDefined();
      expect(dir.run.config.layout).toEqual([2, 4, 1]);
    } finally {
      hil.stop();
    }
  });
});
