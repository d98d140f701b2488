/**
 * Kept-fraction control: holds each hidden layer's p-GAF kept fraction above a floor, with the same
 * constants for every data set.
 *
 * The signal: ρ_h = kept / seen of hidden layer h (1-based) over a window of W samples (aligned to the
 * epoch's start). For sigmoid E[ρ_h] is the mean σ′(z) ≤ ¼ (tanh: (1 − t²)/4). When the layer's
 * pre-activations grow, its units saturate, ρ_h falls towards 0 and the layer stops learning: inverted
 * MNIST without reflection keeps 0.03–0.5 % and ends at 10–22 % accuracy.
 *
 * The action, on weight layer h − 1 (the one feeding hidden layer h), after a window:
 *   ρ_h < ρ_min:    the gain of the layer's input is lowered and its rate halved:
 *                     W[h−1] ← g·W[h−1],  b[h−1] ← g·b[h−1]   (g = 0.9: z_j ← g·z_j for every neuron j)
 *                     η_{h−1} ← η_{h−1}·½                      (the rate factor f_{h−1} ← f_{h−1}/2)
 *   ρ_h ≥ 2·ρ_min:  the rate recovers, f_{h−1} ← min(1, 1.25·f_{h−1})
 * (windows with fewer than 1,000 (neuron, sample) pairs are not judged). The gain is the spintronic
 * neuron's slope k (a = σ(k·z), set by the device's anisotropy and pulse width) lowered for the whole
 * layer and folded into its weights: saturated units keep their sign (σ(g·z) ≈ σ(z) for |z| ≫ 1) while
 * σ′ rises, so gradients flow again. The rate cut stops the step that saturated them from recurring. The
 * paper's method is untouched: masks still come from (1,0) pairs, masked neurons still skip all work.
 * A healthy run never triggers it (MNIST 784-128-10 keeps 9–15 %, 2 and 3 hidden layers 5–12 %).
 *
 * Integer and deterministic: w ← ⌊(w·G + 2^15) / 2^16⌋ with G = round(g·2^16) on the Q24 integers; the rate
 * is the configured rate × f in Q16, with the epoch's decay applied as before. The rate factors are the
 * control's state, saved in checkpoints (meta.keptControl) so a resumed run continues bit for bit. Costs
 * n_h·(n_{h−1} + 1) multiplies per gain step, on the host between windows, reported, not in the engine's
 * per-sample counters. Used with pgaf and sampled sigmoid/tanh units only (bp keeps every gradient;
 * ReLU's mask is z > 0, with no saturation to undo).
 */
import type { SpintrainEngine } from '../engine/wasm-engine.ts';
import type { OpCounters } from '../engine/counters.ts';
import { WeightsFileError } from '../io/errors.ts';

/** Default floor ρ_min on a hidden layer's kept fraction per window (3 %). */
export const DEFAULT_KEPT_FLOOR = 0.03;
/** Gain g applied to a low layer's input. */
export const KEPT_CONTROL_GAIN = 0.9;
/** Samples per window. */
export const KEPT_CONTROL_WINDOW = 1000;
/** A window is judged only when the layer saw at least this many (neuron, sample) pairs. */
export const KEPT_CONTROL_MIN_SEEN = 1000;
/** The lowest rate factor (2^−10): the rate never reaches 0. */
export const KEPT_CONTROL_MIN_RATE = 1 / 1024;

export interface KeptControlStep {
  /** 0-based epoch. */
  epoch: number;
  /** Samples into the epoch where the window ended. */
  sample: number;
  /** 1-based hidden layer. */
  layer: number;
  keptFraction: number;
}

/** The control's state: one rate factor per hidden layer (its feeding weight layer's). */
export interface KeptControlState {
  floor: number;
  rate: number[];
}

export interface KeptControlReport extends KeptControlState {
  /** Every window that cut a layer's gain and rate. */
  steps: KeptControlStep[];
  /** Product of the gains applied to each hidden layer's input (1 = never). */
  gain: number[];
  /** Host multiplies spent on the gain steps. */
  multiplies: number;
}

/** v ← round(v · G / 2^16) in place, exact (|v| < 2^31, G ≤ 2^16: the product fits in 2^53). */
export function scaleQ16(v: Int32Array | Int16Array | Int8Array, G: number): void {
  for (let i = 0; i < v.length; i++) v[i] = Math.floor((v[i] * G + 32768) / 65536);
}

export class KeptFractionControl {
  readonly window = KEPT_CONTROL_WINDOW;
  readonly report: KeptControlReport;
  private kept: number[];
  private seen: number[];

  /** `state`: a checkpoint's (its floor must be `floor`). */
  constructor(hiddenLayers: number, floor = DEFAULT_KEPT_FLOOR, state?: KeptControlState) {
    if (!(floor > 0 && floor < 0.125)) throw new RangeError(`kept-fraction control: the floor must be in (0, 0.125), got ${floor}`);
    if (state && (state.floor !== floor || state.rate.length !== hiddenLayers)) throw new RangeError('kept-fraction control: the saved state is for another floor or layer count');
    this.report = { floor, rate: state ? [...state.rate] : new Array<number>(hiddenLayers).fill(1), steps: [], gain: new Array<number>(hiddenLayers).fill(1), multiplies: 0 };
    this.kept = new Array<number>(hiddenLayers).fill(0);
    this.seen = new Array<number>(hiddenLayers).fill(0);
  }

  get state(): KeptControlState {
    return { floor: this.report.floor, rate: [...this.report.rate] };
  }

  /** Before training (and on resume): the engine's rates carry the factors. */
  attach(engine: SpintrainEngine): void {
    this.report.rate.forEach((f, h) => {
      if (f !== 1) engine.setRateFactor(h, f);
    });
  }

  /** Start of an epoch, after the engine's counters were reset. */
  startEpoch(): void {
    this.kept.fill(0);
    this.seen.fill(0);
  }

  /** End of a window; `counters` are the epoch's so far. */
  endWindow(engine: SpintrainEngine, counters: OpCounters, epoch: number, sample: number): void {
    const { floor, rate } = this.report;
    const G = Math.round(KEPT_CONTROL_GAIN * 65536);
    counters.kept.forEach((k, h) => {
      const kept = k - this.kept[h];
      const seen = counters.seen[h] - this.seen[h];
      if (seen < KEPT_CONTROL_MIN_SEEN) return;
      if (kept < floor * seen) {
        const w = engine.weights(h);
        const b = engine.biases(h);
        scaleQ16(w, G);
        scaleQ16(b, G);
        this.report.multiplies += w.length + b.length;
        this.report.gain[h] *= KEPT_CONTROL_GAIN;
        rate[h] = Math.max(KEPT_CONTROL_MIN_RATE, rate[h] / 2);
        engine.setRateFactor(h, rate[h]);
        this.report.steps.push({ epoch, sample, layer: h + 1, keptFraction: kept / seen });
      } else if (kept >= 2 * floor * seen && rate[h] < 1) {
        rate[h] = Math.min(1, rate[h] * 1.25);
        engine.setRateFactor(h, rate[h]);
      }
    });
    this.kept = [...counters.kept];
    this.seen = [...counters.seen];
  }
}

/** The weights-file meta field holding the control's state (JSON of KeptControlState). */
export const KEPT_CONTROL_META = 'keptControl';

/** The meta entry for a checkpoint of a run with `control` (none without). */
export function keptControlMeta(control: KeptFractionControl | undefined): Record<string, string> {
  return control ? { [KEPT_CONTROL_META]: JSON.stringify(control.state) } : {};
}

/** The control's state saved in a checkpoint's meta (undefined: the run had no control). */
export function keptControlOf(meta: Record<string, unknown> | undefined, file: string, hiddenLayers: number): KeptControlState | undefined {
  const raw = meta?.[KEPT_CONTROL_META];
  if (raw === undefined) return undefined;
  const field = `meta.${KEPT_CONTROL_META}`;
  let v: unknown;
  try {
    v = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    v = undefined;
  }
  const o = v as Partial<KeptControlState> | undefined;
  if (!o || typeof o !== 'object' || typeof o.floor !== 'number' || !(o.floor > 0 && o.floor < 0.125)) {
    throw new WeightsFileError(file, field, 'expected JSON {"floor": F in (0, 0.125), "rate": [factors]}');
  }
  if (!Array.isArray(o.rate) || o.rate.length !== hiddenLayers || o.rate.some((f) => typeof f !== 'number' || !(f >= KEPT_CONTROL_MIN_RATE && f <= 1))) {
    throw new WeightsFileError(file, `${field}.rate`, `expected one factor in [${KEPT_CONTROL_MIN_RATE}, 1] per hidden layer (${hiddenLayers})`);
  }
  return { floor: o.floor, rate: o.rate };
}

/** Gain steps per epoch and hidden layer, for the epoch log and the run record. */
export function keptControlSteps(report: KeptControlReport, epoch: number): number[] {
  const n = new Array<number>(report.gain.length).fill(0);
  for (const s of report.steps) if (s.epoch === epoch) n[s.layer - 1]++;
  return n;
}
