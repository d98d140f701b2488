/**
 * The run directory: everything one training run leaves for `spintrain report`. Every file is written
 * atomically (host/io/atomic-write.ts) and checked on load (RunDirError names the file and field).
 *
 *   run.json          the train summary (`spintrain train --json`) plus schema, createdAt, boardId,
 *                     the learning curve, per-epoch counters, and the comparison algorithm's counters
 *   calibration.json  the MTJ calibration used (host/device/calibration.ts), when a device was calibrated
 *   power.json        a power measurement: port, sensor setup, marker pin and events, measured energies
 *   power.csv         its raw trace: t_s,bus_v,current_a,power_w (host/power/power-trace.ts)
 *   report.html       the rendered report (spintrain report)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateCalibration, type Calibration } from '../device/calibration.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { readRegularTextSync, RegularFileError } from '../io/regular-file.ts';
import { makeDirFor } from '../io/write-error.ts';
import type { MeasuredTraining } from '../power/measured-training.ts';
import { RunDirError } from '../power/errors.ts';
import { PowerTrace } from '../power/power-trace.ts';
import { POWER_SCHEMA, validatePowerRecord, type PowerRecord } from './power-record-schema.ts';
import { RUN_SCHEMA, validateRunRecord, type RunRecord } from './run-record-schema.ts';

export { POWER_SCHEMA, RUN_SCHEMA, type PowerRecord, type RunRecord };

export const RUN_FILES = { run: 'run.json', calibration: 'calibration.json', power: 'power.json', trace: 'power.csv', report: 'report.html' } as const;

export interface RunDir {
  dir: string;
  run: RunRecord;
  calibration?: Calibration;
  power?: PowerRecord;
  trace?: PowerTrace;
}

export async function writeRunRecord(dir: string, run: RunRecord): Promise<void> {
  makeDirFor(dir, RUN_FILES.run);
  await writeFileAtomic(join(dir, RUN_FILES.run), JSON.stringify(run, null, 1) + '\n');
}

export async function writeRunCalibration(dir: string, cal: Calibration): Promise<void> {
  makeDirFor(dir, RUN_FILES.calibration);
  await writeFileAtomic(join(dir, RUN_FILES.calibration), JSON.stringify(cal, null, 1) + '\n');
}

export async function writePowerMeasurement(dir: string, m: MeasuredTraining): Promise<void> {
  makeDirFor(dir, RUN_FILES.power);
  const rec: PowerRecord = {
    schema: POWER_SCHEMA,
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    port: m.port,
    boardId: m.boardId,
    markerPin: m.markerPin,
    sensor: m.sensor,
    samples: m.samples,
    markers: m.markers,
    measured: m.measured,
  };
  await writeFileAtomic(join(dir, RUN_FILES.trace), m.trace.toCsv());
  await writeFileAtomic(join(dir, RUN_FILES.power), JSON.stringify(rec, null, 1) + '\n');
}

/**
 * Reads and checks a run directory. Rule: every file is read only if it is a regular file, and is
 * checked in full against its schema (run-record-schema.ts, power-record-schema.ts, the calibration's
 * validateCalibration) before anything renders it; every failure names the file and the field.
 */
export function readRunDir(dir: string): RunDir {
  const runFile = join(dir, RUN_FILES.run);
  if (!existsSync(runFile)) throw new RunDirError(runFile, '(file)', 'missing: not a run directory (spintrain train --report DIR or spintrain power --out DIR writes it)');
  const run = validateRunRecord(readJson(runFile), runFile);
  const out: RunDir = { dir, run };
  const calFile = join(dir, RUN_FILES.calibration);
  if (existsSync(calFile)) out.calibration = validateCalibration(readJson(calFile), calFile);
  const powerFile = join(dir, RUN_FILES.power);
  if (existsSync(powerFile)) {
    const p = validatePowerRecord(readJson(powerFile), powerFile);
    const traceFile = join(dir, RUN_FILES.trace);
    if (!existsSync(traceFile)) throw new RunDirError(traceFile, '(file)', `missing, but ${RUN_FILES.power} refers to it`);
    out.power = p;
    out.trace = readTrace(traceFile);
  }
  return out;
}

function readText(file: string): string {
  try {
    return readRegularTextSync(file);
  } catch (e) {
    if (e instanceof RegularFileError) throw new RunDirError(file, '(file)', e.reason);
    throw e;
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RunDirError(file, '(json)', (e as Error).message);
  }
}

/** power.csv; readings out of time order (the trace refuses them with a RangeError) name the file too. */
function readTrace(file: string): PowerTrace {
  const text = readText(file);
  try {
    return PowerTrace.fromCsv(text, file);
  } catch (e) {
    if (e instanceof RangeError) throw new RunDirError(file, 'readings', e.message.replace(/^power trace: /, ''));
    throw e;
  }
}
