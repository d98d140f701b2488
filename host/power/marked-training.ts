/**
 * The training steps of a power-measured run, with a hook around each phase: the same run as
 * `spintrain train` with the same config and seed, step for step — both go through the epoch plan
 * (host/train/epoch-plan.ts): sample k is step k mod n of epoch ⌊k/n⌋, every epoch starts with
 * setEpoch(e) (learning-rate decay and the epoch's draw seed) and takes its order from EpochOrder. The
 * counters run on over the epochs (the caller resets them once, before the first step). A step is the
 * plan's phasedStep, inputU8 · trainForward (forward pass and draws) · trainBackward (backward pass and
 * update), which is what trainEpochU8's trainStep runs, so after whole epochs the weights equal the train
 * run's bit for bit.
 */
import type { SpintrainEngine, WasmSplit } from '../engine/wasm-engine.ts';
import { phasedStep, runEpochPlan, type PhaseHooks } from '../train/epoch-plan.ts';

/** Hooks around sample k's forward pass (the marker goes LOW) and its backward pass (HIGH); each returned function is awaited after the pass (dwell). */
export type StepHooks = PhaseHooks;

export interface MarkedSteps {
  /** Samples predicted correctly before their update. */
  correct: number;
  /** Epochs begun (⌈samples / n⌉). */
  epochs: number;
}

/** Runs `samples` training steps on `split` (labels `labels`), the first of `spintrain train --seed seed`. */
export async function runMarkedSteps(engine: SpintrainEngine, split: WasmSplit, labels: Uint8Array, samples: number, seed: number, hooks: StepHooks): Promise<MarkedSteps> {
  const n = split.n;
  const plan = { seed, n, epochs: Math.ceil(samples / n), samples, epochStart: 'set-epoch' } as const;
  const { correct, epochs } = await runEpochPlan(engine, plan, phasedStep(engine, split, labels, hooks));
  return { correct, epochs };
}
