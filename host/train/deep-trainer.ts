/**
 * The epoch loop of a deep network (DeepEngine, host/engine/deep-engine.ts): per epoch, the learning-rate
 * schedule and draw seed (setEpoch), a fresh shuffle of the training split, the whole epoch inside the
 * module, then the test accuracy; at the end the counters summed over the epochs and an energy estimate
 * per training sample (host/energy/energy-model.ts).
 *
 * The order: one generator per run, Rng(seed·7919 + 17) (host/rng.ts), and each epoch a Fisher–Yates
 * shuffle of a fresh identity 0..n−1: the deep benchmark's order (test/bench/deep.ts), so a run here and
 * the benchmark's run of the same seed train on the same samples in the same order, bit for bit.
 * The counters are reset before each epoch's training and read after it (evaluation counts nothing).
 * With `shift` s > 0, each epoch trains on a fresh randomly shifted copy of the training images
 * (host/data/image-shift.ts, (dy, dx) ∈ {−s … s}²) drawn from a second generator, Rng(seed·104729 + 3), so the
 * sample order is the same as without shifts; the test split is never shifted.
 */
import type { Split } from '../data/dataset.ts';
import type { DeepEngine } from '../engine/deep-engine.ts';
import { backwardMulAdd, type OpCounters } from '../engine/counters.ts';
import { energyPerSample, type EnergyBreakdown } from '../energy/energy-model.ts';
import { Rng } from '../rng.ts';
import { shiftImages } from '../data/image-shift.ts';
import { addCounters } from './trainer.ts';

/** The sample order of a deep run: each call the next epoch's shuffle (see the module comment). */
export class DeepEpochOrder {
  private readonly rng: Rng;

  constructor(seed: number, readonly n: number) {
    this.rng = new Rng(seed * 7919 + 17);
  }

  next(): Int32Array {
    return this.rng.shuffle(Int32Array.from({ length: this.n }, (_v, i) => i));
  }
}

export interface DeepEpochReport {
  /** 0-based. */
  epoch: number;
  /** Correct predictions before each sample's update, over the epoch. */
  trainAccuracy: number;
  /** Mean training loss of the epoch (each sample's before its update) [nats]. */
  trainLoss: number;
  testAccuracy: number;
  /** Wall time of the epoch's training, without the evaluation [s]. */
  seconds: number;
  /** Backward-pass multiplies + adds of the epoch. */
  backwardOps: number;
  /** Kept fraction of the hidden units' gradients (every hidden node together), this epoch. */
  keptFraction: number;
  ops: OpCounters;
}

export interface DeepTrainResult {
  epochs: DeepEpochReport[];
  /** Of the last epoch. */
  trainAccuracy: number;
  testAccuracy: number;
  /** Training samples seen: n_train × epochs. */
  samples: number;
  /** Training time over every epoch, without evaluation [s]. */
  trainSeconds: number;
  /** Counters summed over every epoch. */
  ops: OpCounters;
  backwardOpsPerSample: number;
  forwardOpsPerSample: number;
  /** Kept fraction over the whole run (every hidden node together). */
  keptFraction: number;
  /** Energy per training sample from `ops` (Horowitz 45 nm and the MTJ draws). */
  energy: EnergyBreakdown;
  /** Bytes of the module's memory plan. */
  planBytes: number;
}

export interface DeepTrainOptions {
  epochs: number;
  /** Random shift of the training images per epoch [pixels] (0 or absent: none; see the module comment). */
  shift?: number;
  /** After each epoch's evaluation. */
  onEpoch?: (r: DeepEpochReport) => void;
}

/** Trains `engine` on data.train for opts.epochs epochs (0..epochs−1), testing on data.test after each; loads both splits into the engine. */
export function trainDeep(engine: DeepEngine, data: { train: Split; test: Split }, opts: DeepTrainOptions): DeepTrainResult {
  if (!(Number.isInteger(opts.epochs) && opts.epochs >= 1)) throw new RangeError(`epochs: expected a positive integer, got ${opts.epochs}`);
  const train = engine.loadSplit(data.train);
  const test = engine.loadSplit(data.test);
  const order = new DeepEpochOrder(engine.config.seed, train.n);
  const shift = opts.shift ?? 0;
  const shiftRng = new Rng(engine.config.seed * 104729 + 3);
  const shifted = shift > 0 ? new Uint8Array(data.train.x.length) : undefined;
  const epochs: DeepEpochReport[] = [];
  let total: OpCounters | undefined;
  let trainSeconds = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    engine.setEpoch(epoch);
    const o = order.next();
    if (shifted) {
      shiftImages(data.train.x, engine.config.input, shift, shiftRng, shifted);
      engine.writeFeatures(train, shifted);
    }
    engine.resetCounters();
    const t0 = performance.now();
    const correct = engine.trainEpoch(train, o);
    const seconds = (performance.now() - t0) / 1000;
    const ops = engine.counters();
    const loss = engine.lossSum();
    const testAccuracy = engine.evaluate(test) / test.n;
    trainSeconds += seconds;
    total = total ? addCounters(total, ops) : ops;
    const r: DeepEpochReport = {
      epoch,
      trainAccuracy: correct / train.n,
      trainLoss: loss / train.n,
      testAccuracy,
      seconds,
      backwardOps: backwardMulAdd(ops),
      keptFraction: ops.seen[0] > 0 ? ops.kept[0] / ops.seen[0] : 0,
      ops,
    };
    epochs.push(r);
    opts.onEpoch?.(r);
  }
  const ops = total!;
  const samples = train.n * opts.epochs;
  const last = epochs[epochs.length - 1];
  return {
    epochs,
    trainAccuracy: last.trainAccuracy,
    testAccuracy: last.testAccuracy,
    samples,
    trainSeconds,
    ops,
    backwardOpsPerSample: backwardMulAdd(ops) / samples,
    forwardOpsPerSample: (ops.forward.mul + ops.forward.add) / samples,
    keptFraction: ops.seen[0] > 0 ? ops.kept[0] / ops.seen[0] : 0,
    energy: energyPerSample(ops, samples),
    planBytes: engine.planBytes,
  };
}
