/**
 * Valid inputs for the file fuzz suites: a calibration (two simulated devices, points on the fitted
 * sigmoid), and a complete run directory (run.json of a real XOR run, that calibration, and a
 * synthetic power measurement: power.json + power.csv), written the way the commands write them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainCommand } from '../../host/commands/train.ts';
import { CALIBRATION_SCHEMA, CALIBRATION_SCHEMA_VERSION, fitQuality, type Calibration, type CalibrationPoint } from '../../host/device/calibration.ts';
import { sigmoid } from '../../host/device/logistic-fit.ts';
import { syntheticMeasurement } from '../support/synthetic-power.ts';
import { RUN_FILES, writePowerMeasurement, writeRunCalibration } from '../../host/report/run-dir.ts';
import type { RunRecord } from '../../host/report/run-dir.ts';

export function validCalibration(): Calibration {
  const devices = [0, 1].map((device) => {
    const i50A = 400e-6 + 20e-6 * device;
    const kPerA = 3e4;
    const points: CalibrationPoint[] = Array.from({ length: 7 }, (_v, j) => {
      const currentA = i50A + (j - 3) * 40e-6;
      const n = 100;
      const p = sigmoid(kPerA * (currentA - i50A));
      const high = Math.round(p * n);
      return { currentA, n, high, pairs: 50, pairs10: Math.round(50 * p * (1 - p)) };
    });
    return { device, i50A, kPerA, ...fitQuality(points, i50A, kPerA), points };
  });
  return { schema: CALIBRATION_SCHEMA, schemaVersion: CALIBRATION_SCHEMA_VERSION, boardId: 'sim', createdAt: '2026-01-01T00:00:00.000Z', pulseWidthS: 1e-8, seed: 1, devices };
}

/** Writes a complete run directory into `dir` and returns its files' texts. */
export async function writeValidRunDir(dir: string): Promise<{ run: RunRecord; texts: Record<'run' | 'calibration' | 'power' | 'trace', string> }> {
  const w = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await trainCommand(['--dataset', 'xor', '--hidden', '3', '--epochs', '2', '--compare', 'bp', '--report', dir, '--json']);
  } finally {
    process.stdout.write = w;
  }
  const run = JSON.parse(readFileSync(join(dir, RUN_FILES.run), 'utf8')) as RunRecord;
  await writeRunCalibration(dir, validCalibration());
  await writePowerMeasurement(dir, syntheticMeasurement(6, { ops: run.ops, config: run.config, dataset: 'xor', trainAccuracy: 0.5, testAccuracy: 0.5 }));
  const text = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { run, texts: { run: text(RUN_FILES.run), calibration: text(RUN_FILES.calibration), power: text(RUN_FILES.power), trace: text(RUN_FILES.trace) } };
}
