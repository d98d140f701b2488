/**
 * Writes the run directory of a `spintrain train` run (--report DIR): run.json from the summary and the
 * trainer's results, calibration.json when the draws came from a calibrated device, then report.html.
 */
import type { TrainSummary } from '../train/train-summary.ts';
import type { Calibration } from '../device/calibration.ts';
import type { TrainResult } from '../train/trainer.ts';
import { RUN_SCHEMA, type RunRecord, writeRunCalibration, writeRunRecord } from './run-dir.ts';
import { writeReport } from './write-report.ts';

export function trainRunRecord(summary: TrainSummary, main: TrainResult, baseline?: TrainResult, boardId = 'arduino-uno'): RunRecord {
  return {
    ...summary,
    schema: RUN_SCHEMA,
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    boardId,
    curve: main.curve,
    perEpochOps: main.epochs.map((e) => e.ops),
    ...(baseline ? { compare: compareOf(baseline) } : {}),
  };
}

/** The baseline's counters, final test accuracy and test accuracy per epoch (the report draws its curve). */
function compareOf(b: TrainResult): NonNullable<RunRecord['compare']> {
  return {
    algorithm: b.config.algorithm,
    ops: b.ops,
    samples: b.samples,
    testAccuracy: b.testAccuracy,
    perEpoch: b.epochs.map((e) => ({ epoch: e.epoch, testAccuracy: e.testAccuracy })),
  };
}

/** Writes run.json (+ calibration.json) and report.html into `dir`; returns the report's path. */
export async function writeTrainRun(dir: string, summary: TrainSummary, main: TrainResult, baseline?: TrainResult, calibration?: Calibration): Promise<string> {
  await writeRunRecord(dir, trainRunRecord(summary, main, baseline));
  if (calibration) await writeRunCalibration(dir, calibration);
  return writeReport(dir);
}
