/**
 * The sample order of a training run, epoch by epoch: one generator per run,
 * Rng((seed · 2654435761) mod 2^32), and each epoch a Fisher–Yates shuffle of a fresh identity 0..n−1
 * (not of the previous epoch's order). The epoch plan (epoch-plan.ts) takes every order from here, so
 * `spintrain train` (trainer.ts), distillation (host/distill/distill-train.ts) and the power-measured run
 * (host/power/marked-training.ts) train on the same orders: the same seed gives the same run.
 */
import { Rng } from '../rng.ts';

export class EpochOrder {
  private readonly rng: Rng;

  constructor(seed: number, readonly n: number) {
    this.rng = new Rng((seed * 2654435761) >>> 0);
  }

  /** The next epoch's order (indices into the training split). */
  next(): Int32Array {
    return this.rng.shuffle(Int32Array.from({ length: this.n }, (_v, i) => i));
  }

  /** Skips `epochs` epochs (a resumed run starts where the checkpointed one stopped). */
  skip(epochs: number): void {
    for (let e = 0; e < epochs; e++) this.next();
  }
}
