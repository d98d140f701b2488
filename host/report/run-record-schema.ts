/**
 * The schema of run.json (a RunRecord, host/report/run-dir.ts), checked in full before a report is
 * rendered. Rule: every field the report or the energy model reads is typed and ranged: accuracies
 * and kept fractions in [0, 1], counts non-negative integers (≤ 2^53 − 1, so sums stay exact and
 * finite), the network configuration as the engine checks it (validateNetworkConfig), and at least
 * one trained sample (every per-sample figure divides by it). A failure is a RunDirError naming the
 * file and the field's full path.
 */
import { PHASES, type OpCounters } from '../engine/counters.ts';
import { ConfigError, MAX_LAYERS, TRAINING_ALGORITHMS, validateNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from '../engine/config.ts';
import { MAX_EPOCHS } from '../engine/checkpoint.ts';
import { JsonFields } from '../io/json-fields.ts';
import { shown } from '../io/show-value.ts';
import { RunDirError } from '../power/errors.ts';
import type { TrainSummary } from '../train/train-summary.ts';
import type { CurvePoint } from '../train/trainer.ts';

export const RUN_SCHEMA = 'spintrain.run';
export interface RunRecord extends TrainSummary {
  schema: typeof RUN_SCHEMA;
  schemaVersion: 1;
  createdAt: string;
  /**
   * The board profile (default arduino-uno). Its energy table prices the counters only when the run was on
   * that board (a port device or a power measurement); a PC run is priced with the default 45 nm table
   * (host/report/report-energy-table.ts).
   */
  boardId: string;
  curve: CurvePoint[];
  /** Counters per epoch (same order as perEpoch). */
  perEpochOps: OpCounters[];
  /**
   * The other algorithm on the same network and samples, for the bp vs pgaf bars; its test accuracy per
   * epoch (absent in records before issue 13, and for `spintrain power`) draws the baseline's curve.
   */
  compare?: { algorithm: 'bp' | 'pgaf'; ops: OpCounters; samples: number; testAccuracy?: number; perEpoch?: { epoch: number; testAccuracy: number }[] };
}


/** OpCounters: four phases of {mul, add, draws, writes} counts, and kept/seen counts per hidden layer. */
export function checkOpCounters(f: JsonFields, x: unknown, field: string): OpCounters {
  const o = f.object(x, field);
  for (const p of PHASES) {
    const ph = f.object(o[p], `${field}.${p}`);
    for (const k of ['mul', 'add', 'draws', 'writes'] as const) f.count(ph[k], `${field}.${p}.${k}`);
  }
  f.each(o.kept, `${field}.kept`, (v, at) => f.count(v, at), MAX_LAYERS);
  f.each(o.seen, `${field}.seen`, (v, at) => f.count(v, at), MAX_LAYERS);
  return o as unknown as OpCounters;
}

/** The record's network configuration: the engine's checks, plus the run's data set and draw source. */
function checkRunConfig(f: JsonFields, x: unknown, file: string): RunRecord['config'] {
  const o = f.object(x, 'config');
  f.string(o.dataset, 'config.dataset');
  if (o.device !== undefined) f.string(o.device, 'config.device');
  try {
    validateNetworkConfig(o as unknown as NetworkConfig<TrainingAlgorithm>);
  } catch (e) {
    if (e instanceof ConfigError) throw new RunDirError(file, `config.${e.field}`, e.message.slice(e.field.length + 2));
    throw e;
  }
  return o as unknown as RunRecord['config'];
}

export function validateRunRecord(raw: unknown, file: string): RunRecord {
  const f = new JsonFields((field, reason) => {
    throw new RunDirError(file, field, reason);
  });
  const r = f.object(raw, '(root)');
  if (r.schema !== RUN_SCHEMA) f.fail('schema', `expected "${RUN_SCHEMA}", got ${shown(r.schema)}`);
  f.oneOf(r.schemaVersion, 'schemaVersion', [1]);
  f.string(r.createdAt, 'createdAt');
  f.string(r.boardId, 'boardId');
  const config = checkRunConfig(f, r.config, file);
  const hidden = config.layout.length - 2;
  f.fraction(r.testAccuracy, 'testAccuracy');
  f.fraction(r.trainAccuracy, 'trainAccuracy');
  f.number(r.epochs, 'epochs', { min: 0, max: MAX_EPOCHS, integer: true });
  f.count(r.samples, 'samples', 1);
  f.number(r.trainSeconds, 'trainSeconds', { min: 0 });
  f.number(r.samplesPerSecond, 'samplesPerSecond', { min: 0 });
  f.count(r.planBytes, 'planBytes');
  checkOpCounters(f, r.ops, 'ops');
  f.each(r.keptFraction, 'keptFraction', (v, at) => f.fraction(v, at), hidden);
  f.number(r.backwardOpsPerSample, 'backwardOpsPerSample', { min: 0 });
  f.each(r.perEpoch, 'perEpoch', (v, at) => {
    const e = f.object(v, at);
    f.number(e.epoch, `${at}.epoch`, { min: 0, max: MAX_EPOCHS - 1, integer: true });
    if (e.trainLoss !== undefined) f.number(e.trainLoss, `${at}.trainLoss`, { min: 0 });
    f.fraction(e.trainAccuracy, `${at}.trainAccuracy`);
    f.fraction(e.testAccuracy, `${at}.testAccuracy`);
    f.number(e.seconds, `${at}.seconds`, { min: 0 });
    f.each(e.keptFraction, `${at}.keptFraction`, (k, kat) => f.fraction(k, kat), hidden);
  }, MAX_EPOCHS);
  if (r.baseline !== undefined) {
    const b = f.object(r.baseline, 'baseline');
    f.oneOf(b.algorithm, 'baseline.algorithm', ['bp']);
    f.fraction(b.testAccuracy, 'baseline.testAccuracy');
    f.number(b.backwardOpsPerSample, 'baseline.backwardOpsPerSample', { min: 0 });
    f.number(b.trainSeconds, 'baseline.trainSeconds', { min: 0 });
  }
  if (r.backwardOpsRatio !== undefined) f.number(r.backwardOpsRatio, 'backwardOpsRatio', { min: 0 });
  if (r.keptControl !== undefined) {
    const k = f.object(r.keptControl, 'keptControl');
    f.fraction(k.floor, 'keptControl.floor');
    f.each(k.rate, 'keptControl.rate', (v, at) => f.fraction(v, at), hidden);
    f.each(k.gain, 'keptControl.gain', (v, at) => f.fraction(v, at), hidden);
    f.each(k.stepsPerEpoch, 'keptControl.stepsPerEpoch', (v, at) => f.each(v, at, (n, nat) => f.count(n, nat), hidden), MAX_EPOCHS);
    f.count(k.multiplies, 'keptControl.multiplies');
  }
  f.each(r.curve, 'curve', (v, at) => {
    const p = f.object(v, at);
    f.count(p.samples, `${at}.samples`);
    f.number(p.backwardOps, `${at}.backwardOps`, { min: 0 });
    f.fraction(p.testAccuracy, `${at}.testAccuracy`);
  });
  f.each(r.perEpochOps, 'perEpochOps', (v, at) => checkOpCounters(f, v, at), MAX_EPOCHS);
  if (r.compare !== undefined) {
    const c = f.object(r.compare, 'compare');
    f.oneOf(c.algorithm, 'compare.algorithm', TRAINING_ALGORITHMS);
    checkOpCounters(f, c.ops, 'compare.ops');
    f.count(c.samples, 'compare.samples', 1);
    if (c.testAccuracy !== undefined) f.fraction(c.testAccuracy, 'compare.testAccuracy');
    if (c.perEpoch !== undefined) {
      f.each(c.perEpoch, 'compare.perEpoch', (v, at) => {
        const e = f.object(v, at);
        f.number(e.epoch, `${at}.epoch`, { min: 0, max: MAX_EPOCHS - 1, integer: true });
        f.fraction(e.testAccuracy, `${at}.testAccuracy`);
      }, MAX_EPOCHS);
    }
  }
  return r as unknown as RunRecord;
}
