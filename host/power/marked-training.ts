/**
 * The training steps of a power-measured run, with a hook around each phase: the same run as
 * `spintrain train` with the same config and seed, step for step — sample k is step k mod n of epoch
 * ⌊k/n⌋, every epoch starts with setEpoch(e) (learning-rate decay and the epoch's draw seed) and takes
 * its order from EpochOrder (host/train/epoch-order.ts). A step is inputU8 · trainForward (forward pass
 * and draws) · trainBackward (backward pass and update), which is what trainEpochU8's trainStep runs,
 * so after whole epochs the weights equal the train run's bit for bit.
 */
import type { SpintrainEngine, WasmSplit } from '../engine/wasm-engine.ts';
import { EpochOrder } from '../train/epoch-order.ts';

export interface StepHooks {
  /** Before sample k's forward pass (the marker goes LOW); awaited after the pass (dwell). */
  forward(k: number): () => Promise<void>;
  /** Before sample k's backward pass (the marker goes HIGH); awaited after the pass. */
  backward(k: number): () => Promise<void>;
}

export interface MarkedSteps {
  /** Samples predicted correctly before their update. */
  correct: number;
  /** Epochs begun (⌈samples / n⌉). */
  epochs: number;
}

/** Runs `samples` training steps on `split` (labels `labels`), the first of `spintrain train --seed seed`. */
export async function runMarkedSteps(engine: SpintrainEngine, split: WasmSplit, labels: Uint8Array, samples: number, seed: number, hooks: StepHooks): Promise<MarkedSteps> {
  const e = engine.exports;
  const n = split.n;
  const n0 = engine.layout[0];
  const orders = new EpochOrder(seed, n);
  let order: Int32Array = new Int32Array(0);
  let correct = 0;
  for (let k = 0; k < samples; k++) {
    const pos = k % n;
    if (pos === 0) {
      engine.setEpoch(k / n);
      order = orders.next();
    }
    const i = order[pos];
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
  return { correct, epochs: Math.ceil(samples / n) };
}
