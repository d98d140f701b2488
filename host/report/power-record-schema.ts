/**
 * The schema of power.json (a PowerRecord, host/report/run-dir.ts), checked in full before a report
 * is rendered. Rule: every field the report reads is typed and ranged (finite numbers; energies may
 * be negative above idle; null only where the record allows "no idle window"), and the marker events
 * are in time order, as the marker logs them. A failure is a RunDirError naming the file and field.
 */
import { JsonFields } from '../io/json-fields.ts';
import { shown } from '../io/show-value.ts';
import { MEASURED_PHASES } from '../power/phase-energy.ts';
import { RunDirError } from '../power/errors.ts';
import type { SensorInfo } from '../power/measured-training.ts';
import type { MeasuredEnergy } from '../power/phase-energy.ts';
import type { MarkerEvent } from '../power/phase-marker.ts';

export const POWER_SCHEMA = 'spintrain.power';
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


const MARKER_PHASES = ['sync', 'forward', 'backward', 'end'] as const;

export function validatePowerRecord(raw: unknown, file: string): PowerRecord {
  const f = new JsonFields((field, reason) => {
    throw new RunDirError(file, field, reason);
  });
  const nullable = (x: unknown, field: string): void => {
    if (x !== null) f.number(x, field);
  };
  const p = f.object(raw, '(root)');
  if (p.schema !== POWER_SCHEMA) f.fail('schema', `expected "${POWER_SCHEMA}", got ${shown(p.schema)}`);
  f.oneOf(p.schemaVersion, 'schemaVersion', [1]);
  f.string(p.createdAt, 'createdAt');
  f.string(p.port, 'port');
  f.string(p.boardId, 'boardId');
  f.number(p.markerPin, 'markerPin', { min: 0, max: 255, integer: true });
  const s = f.object(p.sensor, 'sensor');
  f.oneOf(s.kind, 'sensor.kind', ['ina219']);
  f.number(s.address, 'sensor.address', { min: 0, max: 0x7f, integer: true });
  f.number(s.shuntOhm, 'sensor.shuntOhm', { min: Number.MIN_VALUE });
  f.number(s.config, 'sensor.config', { min: 0, max: 0xffff, integer: true });
  f.number(s.calibration, 'sensor.calibration', { min: 0, max: 0xffff, integer: true });
  f.number(s.currentLsbA, 'sensor.currentLsbA', { min: Number.MIN_VALUE });
  f.number(s.conversionS, 'sensor.conversionS', { min: Number.MIN_VALUE });
  f.number(s.samplingMs, 'sensor.samplingMs', { min: Number.MIN_VALUE });
  f.number(s.stampOffsetS, 'sensor.stampOffsetS');
  f.count(p.samples, 'samples', 1);
  let lastT = -Infinity;
  f.each(p.markers, 'markers', (v, at) => {
    const m = f.object(v, at);
    const t = f.number(m.tS, `${at}.tS`);
    if (t < lastT) f.fail(`${at}.tS`, `expected marker times in order, got ${t} after ${lastT}`);
    lastT = t;
    f.oneOf(m.phase, `${at}.phase`, MARKER_PHASES);
    f.number(m.sample, `${at}.sample`, { min: -1, max: Number.MAX_SAFE_INTEGER, integer: true });
    f.oneOf(m.level, `${at}.level`, [0, 1]);
  });
  const m = f.object(p.measured, 'measured');
  f.count(m.samples, 'measured.samples', 1);
  const phases = f.object(m.phases, 'measured.phases');
  for (const ph of MEASURED_PHASES) {
    const at = `measured.phases.${ph}`;
    const e = f.object(phases[ph], at);
    f.number(e.energyJ, `${at}.energyJ`);
    f.number(e.durationS, `${at}.durationS`, { min: 0 });
    f.number(e.meanPowerW, `${at}.meanPowerW`);
    f.number(e.perSampleJ, `${at}.perSampleJ`);
    nullable(e.aboveIdlePerSampleJ, `${at}.aboveIdlePerSampleJ`);
    f.count(e.readings, `${at}.readings`);
  }
  f.number(m.perSampleJ, 'measured.perSampleJ');
  nullable(m.aboveIdlePerSampleJ, 'measured.aboveIdlePerSampleJ');
  f.number(m.averagePowerW, 'measured.averagePowerW');
  nullable(m.idlePowerW, 'measured.idlePowerW');
  f.number(m.spanS, 'measured.spanS', { min: 0 });
  f.boolean(m.separable, 'measured.separable');
  f.number(m.windowS, 'measured.windowS', { min: 0 });
  f.each(m.perSample, 'measured.perSample', (v, at) => {
    const row = f.object(v, at);
    f.number(row.sample, `${at}.sample`, { min: -1, max: Number.MAX_SAFE_INTEGER, integer: true });
    f.number(row.forwardJ, `${at}.forwardJ`);
    f.number(row.backwardJ, `${at}.backwardJ`);
  });
  return p as unknown as PowerRecord;
}
