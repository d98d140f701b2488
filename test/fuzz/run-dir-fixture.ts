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
import { measurePhaseEnergy } from '../../host/power/phase-energy.ts';
import type { MarkerEvent } from '../../host/power/phase-marker.ts';
import { PowerTrace } from '../../host/power/power-trace.ts';
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
  await writePowerMeasurement(dir, syntheticMeasurement(run, 6));
  const text = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { run, texts: { run: text(RUN_FILES.run), calibration: text(RUN_FILES.calibration), power: text(RUN_FILES.power), trace: text(RUN_FILES.trace) } };
}

/** A synthetic measurement of `samples` samples: 150 mW forward, 250 mW backward, readings every 10 ms. */
function syntheticMeasurement(run: RunRecord, samples: number) {
  const markers: MarkerEvent[] = [{ tS: 0.1, phase: 'sync', sample: -1, level: 1 }];
  let t = 0.12;
  for (let k = 0; k < samples; k++) {
    markers.push({ tS: t, phase: 'forward', sample: k, level: 0 }, { tS: t + 0.03, phase: 'backward', sample: k, level: 1 });
    t += 0.07;
  }
  markers.push({ tS: t, phase: 'end', sample: -1, level: 0 });
  const level = (x: number) => markers.filter((m) => m.tS <= x).pop()?.level ?? 0;
  const trace = new PowerTrace();
  for (let x = 0; x < t + 0.05; x += 0.0102) {
    const i = 0.03 + 0.02 * level(x);
    trace.push({ tS: x, busV: 5, currentA: i, powerW: 5 * i });
  }
  const sensor = { kind: 'ina219' as const, address: 0x40, shuntOhm: 0.1, config: 0x0667, calibration: 4096, currentLsbA: 1e-4, conversionS: 0.00851, samplingMs: 10, stampOffsetS: 0.0104 };
  return {
    port: '/dev/ttyACM0',
    boardId: 'arduino-uno',
    markerPin: 7,
    sensor,
    trace,
    markers,
    measured: measurePhaseEnergy(trace, markers, 0.0005),
    ops: run.ops,
    samples,
    trainAccuracy: 0.5,
    testAccuracy: 0.5,
    config: run.config,
    dataset: 'xor',
  };
}
