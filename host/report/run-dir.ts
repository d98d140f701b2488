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
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainSummary } from '../commands/train.ts';
import type { Calibration } from '../device/calibration.ts';
import type { OpCounters } from '../engine/counters.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import type { MeasuredTraining, SensorInfo } from '../power/measured-training.ts';
import type { MeasuredEnergy } from '../power/phase-energy.ts';
import type { MarkerEvent } from '../power/phase-marker.ts';
import { RunDirError } from '../power/power-errors.ts';
import { PowerTrace } from '../power/power-trace.ts';
import type { CurvePoint } from '../train/trainer.ts';

export const RUN_FILES = { run: 'run.json', calibration: 'calibration.json', power: 'power.json', trace: 'power.csv', report: 'report.html' } as const;
export const RUN_SCHEMA = 'spintrain.run';
export const POWER_SCHEMA = 'spintrain.power';

export interface RunRecord extends TrainSummary {
  schema: typeof RUN_SCHEMA;
  schemaVersion: 1;
  createdAt: string;
  /** Board whose energy table prices the counters (default arduino-uno). */
  boardId: string;
  curve: CurvePoint[];
  /** Counters per epoch (same order as perEpoch). */
  perEpochOps: OpCounters[];
  /** The other algorithm on the same network and samples, for the bp vs pgaf bars. */
  compare?: { algorithm: 'bp' | 'pgaf'; ops: OpCounters; samples: number; testAccuracy?: number };
}

export interface PowerRecord {
  schema: typeof POWER_SCHEMA;
  schemaVersion: 1;
  createdAt: string;
  port: string;
  boardId: string;
  markerPin: number;
  sensor: SensorInfo;
  samples: number;
  markers: MarkerEvent[];
  measured: MeasuredEnergy;
}

export interface RunDir {
  dir: string;
  run: RunRecord;
  calibration?: Calibration;
  power?: PowerRecord;
  trace?: PowerTrace;
}

export async function writeRunRecord(dir: string, run: RunRecord): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await writeFileAtomic(join(dir, RUN_FILES.run), JSON.stringify(run, null, 1) + '\n');
}

export async function writeRunCalibration(dir: string, cal: Calibration): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await writeFileAtomic(join(dir, RUN_FILES.calibration), JSON.stringify(cal, null, 1) + '\n');
}

export async function writePowerMeasurement(dir: string, m: MeasuredTraining): Promise<void> {
  mkdirSync(dir, { recursive: true });
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

export function readRunDir(dir: string): RunDir {
  const runFile = join(dir, RUN_FILES.run);
  if (!existsSync(runFile)) throw new RunDirError(runFile, '(file)', 'missing: not a run directory (spintrain train --report DIR or spintrain power --out DIR writes it)');
  const run = readJson(runFile) as RunRecord;
  if (run.schema !== RUN_SCHEMA) throw new RunDirError(runFile, 'schema', `expected "${RUN_SCHEMA}", got ${JSON.stringify(run.schema)}`);
  for (const f of ['perEpoch', 'curve', 'perEpochOps'] as const) if (!Array.isArray(run[f])) throw new RunDirError(runFile, f, 'must be an array');
  if (typeof run.config !== 'object' || !Array.isArray(run.config?.layout)) throw new RunDirError(runFile, 'config.layout', 'must be an array of widths');
  const out: RunDir = { dir, run };
  const calFile = join(dir, RUN_FILES.calibration);
  if (existsSync(calFile)) {
    const cal = readJson(calFile) as Calibration;
    if (!Array.isArray(cal.devices)) throw new RunDirError(calFile, 'devices', 'must be an array');
    out.calibration = cal;
  }
  const powerFile = join(dir, RUN_FILES.power);
  if (existsSync(powerFile)) {
    const p = readJson(powerFile) as PowerRecord;
    if (p.schema !== POWER_SCHEMA) throw new RunDirError(powerFile, 'schema', `expected "${POWER_SCHEMA}", got ${JSON.stringify(p.schema)}`);
    if (!Array.isArray(p.markers)) throw new RunDirError(powerFile, 'markers', 'must be an array');
    const traceFile = join(dir, RUN_FILES.trace);
    if (!existsSync(traceFile)) throw new RunDirError(traceFile, '(file)', `missing, but ${RUN_FILES.power} refers to it`);
    out.power = p;
    out.trace = PowerTrace.fromCsv(readFileSync(traceFile, 'utf8'), traceFile);
  }
  return out;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RunDirError(file, '(json)', (e as Error).message);
  }
}
