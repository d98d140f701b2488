/**
 * What a training run reports: its summary (the --json object, the run record's core, the printed lines'
 * source), built from the trainer's result and, when compared, the bp baseline's.
 */
import type { NetworkConfig } from '../engine/config.ts';
import { backwardMulAdd, keptFraction } from '../engine/counters.ts';
import type { TrainResult } from './trainer.ts';
import { keptControlSteps } from './kept-fraction-control.ts';
import { KEPT_FRACTION_WARNING, lowKeptFractions, type LowKeptFraction } from './kept-fraction.ts';

export interface TrainSummary {
  testAccuracy: number;
  trainAccuracy: number;
  epochs: number;
  samples: number;
  trainSeconds: number;
  samplesPerSecond: number;
  planBytes: number;
  ops: TrainResult['ops'];
  keptFraction: number[];
  backwardOpsPerSample: number;
  /** trainLoss: the epoch's mean training loss (absent in older run records; see SpintrainEngine.lossSum). */
  perEpoch: { epoch: number; trainLoss?: number; trainAccuracy: number; testAccuracy: number; validationAccuracy?: number; seconds: number; keptFraction: number[] }[];
  /** --validation: the epoch (0-based, as perEpoch[].epoch) whose weights were kept, tested and saved; its validation accuracy; the held-out part. */
  bestEpoch?: number;
  validationAccuracy?: number;
  validationFraction?: number;
  validationSamples?: number;
  /** Hidden layers and epochs whose kept fraction fell below keptFractionThreshold (each warned on stderr; absent in older run records). */
  lowKeptFraction?: LowKeptFraction[];
  keptFractionThreshold?: number;
  /** The kept-fraction control (absent when off): floor, final rate factors and input gains per hidden layer, gain steps per epoch and layer, host multiplies. */
  keptControl?: { floor: number; rate: number[]; gain: number[]; stepsPerEpoch: number[][]; multiplies: number };
  /** --normalize reflect: the reflected input features as index ranges ("0-783"), when any. */
  reflectedInputs?: string;
  config: NetworkConfig & { dataset: string; device?: string };
  baseline?: { algorithm: 'bp'; testAccuracy: number; backwardOpsPerSample: number; trainSeconds: number };
  /** bp backward multiplies+adds per sample ÷ this run's. */
  backwardOpsRatio?: number;
}

export function summarise(r: TrainResult, bp?: TrainResult): TrainSummary {
  const perSample = (x: TrainResult): number => backwardMulAdd(x.ops) / x.samples;
  const s: TrainSummary = {
    testAccuracy: r.testAccuracy,
    trainAccuracy: r.trainAccuracy,
    epochs: r.epochs.length,
    samples: r.samples,
    trainSeconds: r.trainSeconds,
    samplesPerSecond: r.samples / r.trainSeconds,
    planBytes: r.planBytes,
    ops: r.ops,
    keptFraction: keptFraction(r.ops),
    backwardOpsPerSample: perSample(r),
    perEpoch: r.epochs.map((e) => ({
      epoch: e.epoch, trainLoss: e.trainLoss, trainAccuracy: e.trainAccuracy, testAccuracy: e.testAccuracy,
      ...(e.validationAccuracy !== undefined ? { validationAccuracy: e.validationAccuracy } : {}),
      seconds: e.seconds, keptFraction: e.keptFraction,
    })),
    lowKeptFraction: r.epochs.flatMap((e) => lowKeptFractions(e.epoch, e.ops)),
    keptFractionThreshold: KEPT_FRACTION_WARNING,
    config: { ...r.config, dataset: r.dataset },
  };
  if (r.keptControl) {
    const c = r.keptControl;
    s.keptControl = { floor: c.floor, rate: c.rate, gain: c.gain, stepsPerEpoch: r.epochs.map((e) => keptControlSteps(c, e.epoch)), multiplies: c.multiplies };
  }
  if (r.bestEpoch !== undefined) {
    s.bestEpoch = r.bestEpoch;
    s.validationAccuracy = r.validationAccuracy;
  }
  if (bp) {
    s.baseline = { algorithm: 'bp', testAccuracy: bp.testAccuracy, backwardOpsPerSample: perSample(bp), trainSeconds: bp.trainSeconds };
    s.backwardOpsRatio = perSample(bp) / perSample(r);
  }
  return s;
}
