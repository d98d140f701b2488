/**
 * p-GAF's health signal: the kept fraction of hidden gradients, per hidden layer and epoch (the share
 * of (hidden neuron, sample) pairs whose (1,0) mask kept the gradient). For sigmoid units it is the
 * mean σ′(z) = a(1 − a) ≤ ¼: MNIST 784-128-10 keeps 9–15 % per epoch. Below 1 % the layer's units are
 * saturated and the layer barely learns: inverted MNIST (dense inputs, defaults) keeps 0.1–1.6 %.
 * bp and the pair algorithm keep every gradient (100 %), so they never warn.
 */

/** A hidden layer whose kept fraction in an epoch is below this is reported (1 %). */
export const KEPT_FRACTION_WARNING = 0.01;

export interface LowKeptFraction {
  /** 0-based epoch. */
  epoch: number;
  /** 1-based hidden layer (1 is the first hidden layer after the inputs). */
  layer: number;
  keptFraction: number;
}

/**
 * A layer is judged only on at least this many (neuron, sample) pairs in the epoch: below it, a layer
 * keeping exactly the threshold would keep fewer than 10 gradients, and an epoch of a tiny data set
 * (XOR: 4 samples × 4 neurons) keeps none by chance.
 */
export const KEPT_FRACTION_MIN_SEEN = 1000;

/** The hidden layers of one epoch (its kept and seen counters) whose kept fraction is below `threshold`. */
export function lowKeptFractions(epoch: number, c: { kept: readonly number[]; seen: readonly number[] }, threshold = KEPT_FRACTION_WARNING): LowKeptFraction[] {
  return c.kept.flatMap((k, h) => {
    const seen = c.seen[h];
    return seen >= KEPT_FRACTION_MIN_SEEN && k / seen < threshold ? [{ epoch, layer: h + 1, keptFraction: k / seen }] : [];
  });
}

/** The one-line warning for a layer (1-based epoch in the text, as the epoch log prints it). */
export function keptFractionWarning(w: LowKeptFraction, threshold = KEPT_FRACTION_WARNING): string {
  return (
    `warning: hidden layer ${w.layer} kept ${(100 * w.keptFraction).toFixed(2)}% of its gradients in epoch ${w.epoch + 1} ` +
    `(below ${100 * threshold}%): its units are saturated and it barely learns`
  );
}
