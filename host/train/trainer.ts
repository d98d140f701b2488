/**
 * The training loop on the host: dataset → module (→ device → module) → result.
 * The epochs run through the epoch plan (epoch-plan.ts: each epoch's shuffle from the run's seed, the
 * learning-rate schedule and draw seed by setEpoch, chunks for progress, the kept-fraction control's
 * windows); here each epoch is evaluated on the test split (and the validation part) and reported:
 * accuracy, loss, time and operations. trainEpochs serves distillation too (its own step).
 */
import type { Dataset, Split } from '../data/index.ts';
import { moduleStep, runEpochPlan, type TrainStep } from './epoch-plan.ts';
import { SpintrainEngine, type Draws, type WasmSplit } from '../engine/wasm-engine.ts';
import type { NetworkConfig } from '../engine/config.ts';
import { backwardMulAdd, keptFraction, type OpCounters, type PhaseOps } from '../engine/counters.ts';
import type { KeptFractionControl, KeptControlReport } from './kept-fraction-control.ts';

export interface TrainOptions {
  epochs: number;
  /** Samples per chunk between progress callbacks. */
  chunk?: number;
  /** After each chunk: samples done and in all, and the mean training loss of this epoch so far. */
  onProgress?: (done: number, total: number, loss: number) => void;
  onEpoch?: (r: EpochReport) => void;
  /** Where the p-GAF draws come from (default: the module's PRNG). */
  draws?: Draws;
  /** Start from these parameters (e.g. a checkpoint) instead of the seeded initialisation. */
  engine?: SpintrainEngine;
  /** First epoch index (when resuming). */
  startEpoch?: number;
  /**
   * Learning curve: evaluate on the test split every `every` samples during the first `epochs`
   * epochs, recording cumulative backward-pass operations (for "operations to reach X%").
   */
  curve?: { every: number; epochs: number };
  /** Called after each epoch's evaluation, awaited (e.g. to write a checkpoint). */
  onEpochEnd?: (engine: SpintrainEngine, epoch: number, testAccuracy: number) => Promise<void> | void;
  /**
   * Validation part held out of the training split (host/data/validation-split.ts): evaluated after every
   * epoch; the best epoch's state (highest validation accuracy, ties → the earliest) is kept and restored
   * into the engine at the end, bit for bit, and the result's test accuracy is measured on it.
   */
  validation?: Split;
  /** Kept-fraction control (host/train/kept-fraction-control.ts): judged after every window of samples. */
  keptControl?: KeptFractionControl;
}

export interface EpochReport {
  epoch: number;
  trainAccuracy: number;
  /** Mean training loss of this epoch, each sample's taken before its update (WasmEngine.lossSum). */
  trainLoss: number;
  testAccuracy: number;
  /** Wall time of this epoch's training (without evaluation) [s]. */
  seconds: number;
  /** Backward-pass multiplies + adds of this epoch. */
  backwardOps: number;
  /** Kept fraction of hidden gradients per hidden layer, this epoch. */
  keptFraction: number[];
  /** Counters of this epoch. */
  ops: OpCounters;
  /** Accuracy on the validation part after this epoch (only with TrainOptions.validation). */
  validationAccuracy?: number;
}

export interface CurvePoint {
  samples: number;
  /** Backward-pass multiplies + adds since the start of training. */
  backwardOps: number;
  testAccuracy: number;
}

export interface TrainResult {
  dataset: string;
  config: NetworkConfig;
  epochs: EpochReport[];
  trainAccuracy: number;
  testAccuracy: number;
  samples: number;
  trainSeconds: number;
  /** Counters summed over all epochs. */
  ops: OpCounters;
  planBytes: number;
  curve: CurvePoint[];
  engine: SpintrainEngine;
  /** With validation: the epoch (0-based) whose state the engine holds at the end, and its validation accuracy. */
  bestEpoch?: number;
  validationAccuracy?: number;
  /** With the kept-fraction control: its steps and final state. */
  keptControl?: KeptControlReport;
}

export async function train(data: Dataset, config: NetworkConfig, opts: TrainOptions): Promise<TrainResult> {
  if (config.layout[0] !== data.inputs) throw new RangeError(`layout[0]: the dataset ${data.name} has ${data.inputs} inputs, the layout says ${config.layout[0]}`);
  const outputs = config.layout[config.layout.length - 1];
  const classesNeeded = config.output === 'sigmoid' && outputs === 1 ? 2 : outputs;
  if (classesNeeded !== data.classes) throw new RangeError(`layout: the dataset ${data.name} has ${data.classes} classes, the output layer has ${outputs} neurons`);
  const engine = opts.engine ?? new SpintrainEngine(config, opts.draws ?? { kind: 'prng' });
  return trainEpochs(engine, data, config, opts, moduleStep(engine, engine.loadSplit(data.train)));
}

/**
 * The epochs of a training run on `engine` through the epoch plan (epoch-plan.ts), each step taken by
 * `step` (the module's loop for `train`, the soft-target step for distillation): after every epoch its
 * report, the validation and the best epoch, onEpoch and onEpochEnd (the checkpoint); at the end the
 * best epoch's state restored (with validation) and the run's result. `config` is the result's.
 */
export async function trainEpochs(engine: SpintrainEngine, data: Dataset, config: NetworkConfig, opts: TrainOptions, step: TrainStep): Promise<TrainResult> {
  const testSplit = engine.loadSplit(data.test);
  const validationSplit = opts.validation && engine.loadSplit(opts.validation);
  const control = opts.keptControl;
  control?.attach(engine);
  let best: { epoch: number; accuracy: number; state: EngineState } | undefined;
  const start = opts.startEpoch ?? 0;
  const lossSum = (): number => (step.lossSum ? step.lossSum() : engine.lossSum());
  const curve: CurvePoint[] = [];
  let opsBefore = 0;
  const epochs: EpochReport[] = [];
  let total: OpCounters | undefined;
  let seconds = 0;
  let samples = 0;
  const recording = (epoch: number): boolean => opts.curve !== undefined && epoch - start < opts.curve.epochs;
  const n = data.train.n;
  await runEpochPlan(
    engine,
    {
      seed: config.seed,
      n,
      startEpoch: start,
      epochs: opts.epochs,
      chunk: (epoch) => (recording(epoch) ? opts.curve!.every : (opts.chunk ?? n)),
      // the control's windows are aligned to the epoch's start, whatever the chunk: it acts identically with
      // or without a recorded curve
      window: control?.window,
    },
    step,
    {
      onEpochStart: () => control?.startEpoch(),
      onWindow: control && ((epoch, end) => control.endWindow(engine, engine.counters(), epoch, end)),
      onChunk: (epoch, done) => {
        if (recording(epoch)) {
          curve.push({ samples: samples + done, backwardOps: opsBefore + backwardMulAdd(engine.counters()), testAccuracy: engine.evaluate(testSplit) / data.test.n });
        }
        opts.onProgress?.(done + (epoch - start) * n, (opts.epochs - start) * n, lossSum() / done);
      },
      onEpochEnd: async ({ epoch, correct, seconds: dt }) => {
        const report = { ...epochReport(engine, epoch, correct, n, testSplit, data.test.n, dt), trainLoss: lossSum() / n };
        const ops = report.ops;
        if (validationSplit) {
          report.validationAccuracy = engine.evaluate(validationSplit) / validationSplit.n;
          if (!best || report.validationAccuracy > best.accuracy) best = { epoch, accuracy: report.validationAccuracy, state: captureState(engine) };
        }
        epochs.push(report);
        opts.onEpoch?.(report);
        await opts.onEpochEnd?.(engine, epoch, report.testAccuracy);
        total = total ? addCounters(total, ops) : ops;
        opsBefore += report.backwardOps;
        seconds += dt;
        samples += n;
      },
    },
  );
  let last = epochs[epochs.length - 1];
  let testAccuracy = last?.testAccuracy ?? 0;
  if (best) {
    restoreState(engine, best.state);
    last = epochs[best.epoch - start];
    testAccuracy = engine.evaluate(testSplit) / data.test.n; // the kept weights, measured again
  }
  engine.freeSplits();
  return {
    dataset: data.name,
    config,
    epochs,
    trainAccuracy: last?.trainAccuracy ?? 0,
    testAccuracy,
    samples,
    trainSeconds: seconds,
    ops: total ?? engine.counters(),
    planBytes: engine.planBytes,
    curve,
    engine,
    ...(best ? { bestEpoch: best.epoch, validationAccuracy: best.accuracy } : {}),
    ...(control ? { keptControl: control.report } : {}),
  };
}

/** The trained state of an engine: parameters (weights, biases, slopes, shifts) and, with momentum, the velocities. */
interface EngineState {
  parameters: ReturnType<SpintrainEngine['exportParameters']>;
  velocities?: { weights: Int32Array[]; biases: Int32Array[] };
}

/** Copies of the engine's trained state (exact: the Q24 integers). */
export function captureState(engine: SpintrainEngine): EngineState {
  const state: EngineState = { parameters: engine.exportParameters() };
  if (engine.config.momentum > 0) {
    const L = engine.layout.length - 1;
    state.velocities = {
      weights: Array.from({ length: L }, (_v, l) => engine.velocityWeights(l).slice()),
      biases: Array.from({ length: L }, (_v, l) => engine.velocityBiases(l).slice()),
    };
  }
  return state;
}

/** Puts a captured state back, bit for bit. */
export function restoreState(engine: SpintrainEngine, state: EngineState): void {
  engine.importParameters(state.parameters);
  state.velocities?.weights.forEach((w, l) => engine.velocityWeights(l).set(w));
  state.velocities?.biases.forEach((b, l) => engine.velocityBiases(l).set(b));
}

/** The report of a finished epoch of `samples` steps: evaluates on the test split and reads (this epoch's) counters. */
export function epochReport(engine: SpintrainEngine, epoch: number, correct: number, samples: number, testSplit: WasmSplit, testCount: number, seconds: number): EpochReport {
  const ops = engine.counters();
  return {
    epoch,
    trainAccuracy: correct / samples,
    trainLoss: engine.lossSum() / samples,
    testAccuracy: engine.evaluate(testSplit) / testCount,
    seconds,
    backwardOps: backwardMulAdd(ops),
    keptFraction: keptFraction(ops),
    ops,
  };
}

/**
 * a + b, field by field. PhaseOps.compares (the deep module's selection comparisons, topk and adaptive) is
 * summed when either side has it (a side without it counts 0) and stays absent when neither has: the counters
 * of bp, pgaf and the release engine keep their shape.
 */
export function addCounters(a: OpCounters, b: OpCounters): OpCounters {
  const phase = (p: keyof Omit<OpCounters, 'kept' | 'seen'>): PhaseOps => {
    const sum: PhaseOps = {
      mul: a[p].mul + b[p].mul,
      add: a[p].add + b[p].add,
      draws: a[p].draws + b[p].draws,
      writes: a[p].writes + b[p].writes,
    };
    if (a[p].compares !== undefined || b[p].compares !== undefined) sum.compares = (a[p].compares ?? 0) + (b[p].compares ?? 0);
    return sum;
  };
  return {
    forward: phase('forward'),
    activationGradient: phase('activationGradient'),
    deltaPropagation: phase('deltaPropagation'),
    weightUpdate: phase('weightUpdate'),
    kept: a.kept.map((k, i) => k + b.kept[i]),
    seen: a.seen.map((k, i) => k + b.seen[i]),
  };
}
