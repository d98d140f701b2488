/**
 * Float64 per-sample SGD of n-H-O with a sigmoid hidden layer and a trainable slope k and shift c on the hidden
 * units, on the output units, on both or on neither (issue 17: which layer's k, c carries the trainable-activation
 * gain when training is per sample, as in the engine). Written for test/bench/trainable-sgd.ts; not a shared harness.
 *
 *   z1 = b1 + W1·x (x = pixels/255, over the nonzero pixels)   u1 = k1(z1 + c1) (hidden trainable) or z1   a1 = σ(u1)
 *   z2 = b2 + W2·a1                                            u2 = k2(z2 + c2) (output trainable) or z2
 *   output 'softmax': p = softmax(u2), L = −ln p_y              (the engine's output; k2, c2 act on the logits)
 *   output 'sigmoid': a2 = σ(u2), L = −Σ_o [y ln a2 + (1 − y) ln(1 − a2)]   (the paper's per-output cross-entropy)
 *   both: t2 = ∂L/∂u2 = p − y (or a2 − y);  δ2 = t2·k2;  k2 −= η2·t2·(z2 + c2),  c2 −= η2·δ2
 *   hidden (bp): t1 = (W2ᵀδ2)·a1(1 − a1) (W2 before its update);  δ1 = t1·k1;  k1 −= η1·t1·(z1 + c1),  c1 −= η1·δ1
 *   W_l −= η_l·δ_{l+1}·a_lᵀ, b_l −= η_l·δ_{l+1};  η_l = lr_l/(1 + decay·epoch);  k1, c1 clamped to `range`, k2, c2 to
 *   `outputRange`, if given
 * Prediction: argmax u2 (σ is monotone, so the same for both outputs).
 * With the softmax output, no output k, c and the hidden flag as trainableActivation, this is the rule of
 * test/harness/reference-mlp.ts (bp, sigmoid, no momentum, floor or clip), which the engine is tested against;
 * matchesReferenceMlp checks it. Initialisation as there and in the engine: W from Rng(seed), layer by layer, row by
 * row, U(±√(6/(n_in + n_out))); b = 0, k = 1, c = 0.
 */
import { Rng } from '../../../host/rng.ts';
import type { ActivationRange } from '../../../host/engine/config.ts';
import { ReferenceMlp } from '../../harness/reference-mlp.ts';

export type FloatOutput = 'softmax' | 'sigmoid';
export interface FloatSgdConfig {
  layout: [number, number, number];
  output: FloatOutput;
  /** Trainable k, c on the hidden units, on the output units. */
  hidden: boolean;
  outputKc: boolean;
  /** Rates of weight layers 0 (input→hidden) and 1 (hidden→output); k1, c1 use lr[0], k2, c2 lr[1]. */
  lr: [number, number];
  decay: number;
  seed: number;
  /** Clamp for the hidden k1, c1 (the device box); none if absent. */
  range?: ActivationRange;
  /** Clamp for the output k2, c2; none if absent. */
  outputRange?: ActivationRange;
}
export interface SplitU8 { x: Uint8Array; y: Uint8Array; n: number }

const sig = (u: number): number => 1 / (1 + Math.exp(-u));

export class FloatSgdNet {
  readonly W1: Float64Array; readonly b1: Float64Array; readonly k1: Float64Array; readonly c1: Float64Array;
  readonly W2: Float64Array; readonly b2: Float64Array; readonly k2: Float64Array; readonly c2: Float64Array;
  private readonly z1: Float64Array; private readonly a1: Float64Array; private readonly d1: Float64Array;
  private readonly z2: Float64Array; private readonly u2: Float64Array; private readonly d2: Float64Array;
  private readonly nzI: Int32Array; private readonly nzV: Float64Array;
  private eta: [number, number];

  constructor(readonly cfg: FloatSgdConfig) {
    const [n, H, O] = cfg.layout;
    const rng = new Rng(cfg.seed);
    const r1 = Math.sqrt(6 / (n + H)), r2 = Math.sqrt(6 / (H + O));
    this.W1 = Float64Array.from({ length: n * H }, () => rng.uniform(-r1, r1));
    this.W2 = Float64Array.from({ length: H * O }, () => rng.uniform(-r2, r2));
    this.b1 = new Float64Array(H); this.k1 = new Float64Array(H).fill(1); this.c1 = new Float64Array(H);
    this.b2 = new Float64Array(O); this.k2 = new Float64Array(O).fill(1); this.c2 = new Float64Array(O);
    this.z1 = new Float64Array(H); this.a1 = new Float64Array(H); this.d1 = new Float64Array(H);
    this.z2 = new Float64Array(O); this.u2 = new Float64Array(O); this.d2 = new Float64Array(O);
    this.nzI = new Int32Array(n); this.nzV = new Float64Array(n);
    this.eta = [...cfg.lr];
  }

  setEpoch(epoch: number): void {
    this.eta = [this.cfg.lr[0] / (1 + this.cfg.decay * epoch), this.cfg.lr[1] / (1 + this.cfg.decay * epoch)];
  }

  /** Forward pass of sample i; returns argmax u2 and leaves z1, a1, z2, u2 and the nonzero pixels set. */
  private forward(s: SplitU8, i: number): { pred: number; nnz: number } {
    const [n, H, O] = this.cfg.layout;
    let nnz = 0;
    for (let p = 0, o = i * n; p < n; p++) {
      const v = s.x[o + p];
      if (v !== 0) { this.nzI[nnz] = p; this.nzV[nnz++] = v / 255; }
    }
    for (let j = 0; j < H; j++) {
      let z = this.b1[j];
      const row = j * n;
      for (let t = 0; t < nnz; t++) z += this.W1[row + this.nzI[t]] * this.nzV[t];
      this.z1[j] = z;
      this.a1[j] = sig(this.cfg.hidden ? this.k1[j] * (z + this.c1[j]) : z);
    }
    let pred = 0;
    for (let o = 0; o < O; o++) {
      let z = this.b2[o];
      for (let j = 0; j < H; j++) z += this.W2[o * H + j] * this.a1[j];
      this.z2[o] = z;
      this.u2[o] = this.cfg.outputKc ? this.k2[o] * (z + this.c2[o]) : z;
      if (this.u2[o] > this.u2[pred]) pred = o;
    }
    return { pred, nnz };
  }

  /** One SGD step on sample i; returns the class predicted before the update. */
  step(s: SplitU8, i: number): number {
    const [n, H, O] = this.cfg.layout;
    const { pred, nnz } = this.forward(s, i);
    const y = s.y[i];
    const [e1, e2] = this.eta;
    const r = this.cfg.range, ro = this.cfg.outputRange;
    const clamp = (x: number, lo: number, hi: number): number => (r ? Math.min(hi, Math.max(lo, x)) : x);
    const clampO = (x: number, lo: number, hi: number): number => (ro ? Math.min(hi, Math.max(lo, x)) : x);
    if (this.cfg.output === 'softmax') {
      let m = -Infinity, sum = 0;
      for (let o = 0; o < O; o++) m = Math.max(m, this.u2[o]);
      for (let o = 0; o < O; o++) sum += this.d2[o] = Math.exp(this.u2[o] - m);
      for (let o = 0; o < O; o++) this.d2[o] = this.d2[o] / sum - (o === y ? 1 : 0);
    } else {
      for (let o = 0; o < O; o++) this.d2[o] = sig(this.u2[o]) - (o === y ? 1 : 0);
    }
    if (this.cfg.outputKc) {
      for (let o = 0; o < O; o++) {
        const t = this.d2[o], zc = this.z2[o] + this.c2[o];
        const d = t * this.k2[o];
        this.d2[o] = d;
        this.k2[o] = clampO(this.k2[o] - e2 * t * zc, ro?.kMin ?? 0, ro?.kMax ?? 0);
        this.c2[o] = clampO(this.c2[o] - e2 * d, ro?.cMin ?? 0, ro?.cMax ?? 0);
      }
    }
    for (let j = 0; j < H; j++) {
      let sj = 0;
      for (let o = 0; o < O; o++) sj += this.W2[o * H + j] * this.d2[o];
      const a = this.a1[j];
      const t = sj * a * (1 - a);
      if (this.cfg.hidden) {
        const d = t * this.k1[j], zc = this.z1[j] + this.c1[j];
        this.d1[j] = d;
        this.k1[j] = clamp(this.k1[j] - e1 * t * zc, r?.kMin ?? 0, r?.kMax ?? 0);
        this.c1[j] = clamp(this.c1[j] - e1 * d, r?.cMin ?? 0, r?.cMax ?? 0);
      } else this.d1[j] = t;
    }
    for (let o = 0; o < O; o++) {
      const g = e2 * this.d2[o];
      this.b2[o] -= g;
      for (let j = 0; j < H; j++) this.W2[o * H + j] -= g * this.a1[j];
    }
    for (let j = 0; j < H; j++) {
      const g = e1 * this.d1[j];
      this.b1[j] -= g;
      const row = j * n;
      for (let t = 0; t < nnz; t++) this.W1[row + this.nzI[t]] -= g * this.nzV[t];
    }
    return pred;
  }

  /** Trains on the samples at `order`; returns how many were predicted correctly before their update. */
  trainEpoch(s: SplitU8, order: Int32Array): number {
    let correct = 0;
    for (let q = 0; q < order.length; q++) if (this.step(s, order[q]) === s.y[order[q]]) correct++;
    return correct;
  }

  evaluate(s: SplitU8): number {
    let correct = 0;
    for (let i = 0; i < s.n; i++) if (this.forward(s, i).pred === s.y[i]) correct++;
    return correct;
  }
}

/**
 * Largest relative difference of weights, biases, k and c between FloatSgdNet (softmax, no output k, c) and
 * ReferenceMlp after `steps` samples, with and without the hidden k, c; throws above 1e-9.
 */
export function matchesReferenceMlp(s: SplitU8, steps: number): number {
  let worst = 0;
  for (const hidden of [false, true]) {
    const cfg: FloatSgdConfig = { layout: [784, 25, 10], output: 'softmax', hidden, outputKc: false, lr: [0.1, 0.1], decay: 0.1, seed: 7 };
    const net = new FloatSgdNet(cfg);
    const ref = new ReferenceMlp({ layout: [784, 25, 10], activation: 'sigmoid', output: 'softmax', algorithm: 'bp', reluSampled: false, learningRate: [0.1, 0.1], momentum: 0, decay: 0.1, probabilityFloor: 0, deltaClip: 0, pairs: 1, seed: 7, trainableActivation: hidden });
    net.setEpoch(1); ref.setEpoch(1);
    for (let i = 0; i < steps; i++) {
      net.step(s, i);
      ref.setInputU8(s.x.subarray(i * 784, (i + 1) * 784));
      ref.trainStep(s.y[i]);
    }
    const cmp = (a: Float64Array, b: Float64Array): void => a.forEach((v, q) => (worst = Math.max(worst, Math.abs(v - b[q]) / Math.max(1e-3, Math.abs(b[q])))));
    cmp(net.W1, ref.W[0]); cmp(net.W2, ref.W[1]); cmp(net.b1, ref.B[0]); cmp(net.b2, ref.B[1]); cmp(net.k1, ref.K[1]); cmp(net.c1, ref.C[1]);
  }
  if (!(worst < 1e-9)) throw new Error(`FloatSgdNet disagrees with ReferenceMlp: ${worst}`);
  return worst;
}
