/**
 * The epoch plan: spintrain's one training loop. `spintrain train` (trainer.ts), distillation
 * (host/distill/distill-train.ts) and the power-measured run (host/power/marked-training.ts, and the
 * comparison run of host/commands/power.ts) all step through runEpochPlan; they differ only in what
 * the plan is given:
 *  - the order of each epoch: EpochOrder (epoch-order.ts) from the run's seed, a fresh shuffle per
 *    epoch, the orders of epochs before `startEpoch` drawn and skipped (a resumed run continues
 *    bit for bit);
 *  - what starts an epoch on the engine: setEpoch(e) (the learning-rate decay and the epoch's draw
 *    seed) and resetCounters (the epoch's counters and loss), setEpoch only, or nothing;
 *  - how far it runs: whole epochs up to `epochs`, or `samples` steps (the last epoch cut short);
 *  - the step (TrainStep): the module's own loop over a slice of the order (moduleStep), one sample at
 *    a time with a hook around its forward and its backward phase (phasedStep: the power meter's
 *    phase markers), or a host-side step such as distillation's soft targets;
 *  - hooks: the epoch's start, each window (the kept-fraction control; windows are aligned to the
 *    epoch's start, whatever the chunk), each chunk (progress, learning curve), and its end (reports,
 *    evaluation, checkpoint: awaited before the next epoch starts).
 * Within an epoch the steps run in the order's order; a chunk or window boundary only splits the
 * slices handed to the step, so the results do not depend on where the boundaries fall.
 */
import type { SpintrainEngine, WasmSplit } from '../engine/wasm-engine.ts';
import { EpochOrder } from './epoch-order.ts';

/** One step of the plan: trains the samples order[from], …, order[to − 1], in that order. */
export interface TrainStep {
  /**
   * Returns how many of them were predicted correctly before their update. `sample` is the index of
   * order[from] in the run (0 at the plan's first step; epoch e's step s is (e − startEpoch)·n + s).
   */
  run(order: Int32Array, from: number, to: number, sample: number): number | Promise<number>;
  /** At each epoch's start, after the engine's (e.g. to reset a loss the step sums itself). */
  startEpoch?(epoch: number): void;
  /** The training loss summed over this epoch's steps so far, when the step sums it (default: the module's, SpintrainEngine.lossSum). */
  lossSum?(): number;
}

export interface EpochPlan {
  /** The run's seed (NetworkConfig.seed): the seed of the orders' generator. */
  seed: number;
  /** Training samples per epoch (the length of each order). */
  n: number;
  /** First epoch (a resumed run: the checkpoint's epoch + 1). Default 0. */
  startEpoch?: number;
  /** The epoch to stop before. */
  epochs: number;
  /** Stop after this many steps (counted from startEpoch), even within an epoch. Default: whole epochs. */
  samples?: number;
  /**
   * What starts an epoch on the engine. 'set-epoch-and-reset' (default): setEpoch(e), then
   * resetCounters(); 'set-epoch': setEpoch(e) only (counters run on over the epochs); 'none'.
   */
  epochStart?: 'set-epoch-and-reset' | 'set-epoch' | 'none';
  /** Steps per chunk (onChunk after each), per epoch. Default n. */
  chunk?: number | ((epoch: number) => number);
  /** Steps per window (onWindow after each; the last may be shorter), aligned to the epoch's start. Default: the chunk. */
  window?: number;
}

/** A finished epoch of the plan. */
export interface EpochRun {
  epoch: number;
  /** Steps predicted correctly before their update. */
  correct: number;
  /** Steps of this epoch (n, or fewer for the last epoch of a `samples` plan). */
  steps: number;
  /** Wall time of the steps (hooks not included) [s]. */
  seconds: number;
}

export interface EpochHooks {
  /** After the engine's epoch start and the step's, before the epoch's first step. */
  onEpochStart?(epoch: number): void;
  /** After a window: `end` steps into the epoch. */
  onWindow?(epoch: number, end: number): void;
  /** After a chunk: `done` steps into the epoch, of `steps`. */
  onChunk?(epoch: number, done: number, steps: number): void;
  /** After the epoch's last step (and its last chunk), awaited: reports, evaluation, checkpoint. */
  onEpochEnd?(run: EpochRun): Promise<void> | void;
}

export interface PlanResult {
  /** Steps predicted correctly before their update, over the whole plan. */
  correct: number;
  /** Steps run. */
  samples: number;
  /** Epochs begun. */
  epochs: number;
}

/** Runs the plan on the engine: the one training loop. */
export async function runEpochPlan(engine: SpintrainEngine, plan: EpochPlan, step: TrainStep, hooks: EpochHooks = {}): Promise<PlanResult> {
  const { n } = plan;
  const start = plan.startEpoch ?? 0;
  const limit = plan.samples ?? Infinity;
  const orders = new EpochOrder(plan.seed, n);
  orders.skip(start);
  const epochStart = plan.epochStart ?? 'set-epoch-and-reset';
  let correctAll = 0;
  let taken = 0;
  let begun = 0;
  for (let epoch = start; epoch < plan.epochs && taken < limit; epoch++) {
    if (epochStart !== 'none') engine.setEpoch(epoch);
    if (epochStart === 'set-epoch-and-reset') engine.resetCounters();
    const order = orders.next();
    step.startEpoch?.(epoch);
    hooks.onEpochStart?.(epoch);
    begun++;
    const steps = Math.min(order.length, limit - taken);
    const chunk = typeof plan.chunk === 'function' ? plan.chunk(epoch) : (plan.chunk ?? n);
    const window = plan.window ?? chunk;
    let correct = 0;
    let ms = 0;
    for (let s = 0; s < steps; s += chunk) {
      const done = Math.min(steps, s + chunk);
      for (let w = s; w < done; ) {
        const end = Math.min(done, (Math.floor(w / window) + 1) * window);
        const t0 = performance.now();
        correct += await step.run(order, w, end, taken + w);
        ms += performance.now() - t0;
        if (end % window === 0 || end === steps) hooks.onWindow?.(epoch, end);
        w = end;
      }
      hooks.onChunk?.(epoch, done, steps);
    }
    taken += steps;
    correctAll += correct;
    await hooks.onEpochEnd?.({ epoch, correct, steps, seconds: ms / 1000 });
  }
  return { correct: correctAll, samples: taken, epochs: begun };
}

/** The plain step: the module trains the slice itself (SpintrainEngine.trainEpoch on a loaded split). */
export function moduleStep(engine: SpintrainEngine, split: WasmSplit): TrainStep {
  return { run: (order, from, to) => engine.trainEpoch(split, order.subarray(from, to)) };
}

/** Hooks around the two phases of each step (the power meter's phase markers, host/power/phase-marker.ts). */
export interface PhaseHooks {
  /** Before step k's forward pass; what it returns is awaited after the pass. */
  forward(k: number): () => Promise<void>;
  /** Before step k's backward pass and update; what it returns is awaited after them. */
  backward(k: number): () => Promise<void>;
}

/**
 * One sample at a time with a hook around each phase: inputU8 · trainForward (forward pass and the
 * module's draws) · trainBackward (backward pass and update), which is what the module's trainStep runs,
 * so the weights equal moduleStep's bit for bit. For the module's own draws (prng or a synchronous import).
 */
export function phasedStep(engine: SpintrainEngine, split: WasmSplit, labels: Uint8Array, hooks: PhaseHooks): TrainStep {
  const e = engine.exports;
  const n0 = engine.layout[0];
  return {
    async run(order, from, to, sample) {
      let correct = 0;
      for (let s = from; s < to; s++) {
        const k = sample + s - from;
        const i = order[s];
        const afterForward = hooks.forward(k);
        e.inputU8(split.x + i * n0);
        const y = e.trainForward();
        await afterForward();
        const afterBackward = hooks.backward(k);
        const label = labels[i];
        e.trainBackward(label);
        if (y === label) correct++;
        await afterBackward();
      }
      return correct;
    },
  };
}
