/**
 * A trainable slope k2 and shift c2 on the engine's OUTPUT units, computed by the host (issue 17; a preview of an
 * engine change, not part of the engine). The release engine trains k, c on hidden units only and its 8 KiB module
 * is full, so this runs the engine's fixed-point forward pass, backward pass and updates unchanged and replaces only
 * the output error, through SpintrainEngine.trainOutputGradient (softmax output configured, δ = p − y written as y):
 *
 *   z2 = the engine's Q16 output pre-activations (/2^16)      u2 = k2(z2 + c2) (trainKc) or z2
 *   output 'sigmoid': a2 = σ(u2), per-output cross-entropy (the paper's):  t2 = a2 − y
 *   output 'softmax': p = softmax(u2), cross-entropy:                       t2 = p − y
 *   δ2 = t2·k2 (trainKc) or t2, handed to the engine, which backpropagates and updates W, b (and hidden k, c) from it
 *   k2 −= η2·t2·(z2 + c2),  c2 −= η2·δ2, clamped to `range`; η2 = lr[1]/(1 + decay·epoch) (the output layer's rate)
 *   As Q24 in an i32 would: k2, c2 and δ2 saturate at ±(128 − 2^−16) (the engine takes |δ| < 128 only)
 *   prediction: argmax u2, from the engine's Q16 z2 of an inference pass (predict)
 * k2, c2 and σ are float64 here; an engine change would keep them in Q24 and u2, σ(u2) in Q16 like the hidden units.
 */
import type { SpintrainEngine } from '../../../host/engine/wasm-engine.ts';
import type { ActivationRange } from '../../../host/engine/config.ts';

export interface SplitU8 { x: Uint8Array; y: Uint8Array; n: number }
const sig = (u: number): number => 1 / (1 + Math.exp(-u));

export class HostOutputKc {
  readonly k: Float64Array;
  readonly c: Float64Array;
  private readonly u: Float64Array;

  constructor(
    private readonly engine: SpintrainEngine,
    readonly output: 'sigmoid' | 'softmax',
    readonly trainKc: boolean,
    readonly range?: ActivationRange,
  ) {
    if (engine.config.output !== 'softmax') throw new Error('HostOutputKc: configure the engine with the softmax output (trainOutputGradient)');
    const O = engine.layout[engine.layout.length - 1];
    this.k = new Float64Array(O).fill(1);
    this.c = new Float64Array(O);
    this.u = new Float64Array(O);
  }

  /** u2 from the engine's Q16 z2; returns argmax u2. */
  private logits(z: Int32Array): number {
    let best = 0;
    for (let o = 0; o < z.length; o++) {
      const zf = z[o] / 65536;
      this.u[o] = this.trainKc ? this.k[o] * (zf + this.c[o]) : zf;
      if (this.u[o] > this.u[best]) best = o;
    }
    return best;
  }

  /** One training step on x with rate eta2 for k2, c2; returns the class predicted before the update. */
  step(x: Uint8Array, label: number, eta2: number): number {
    let pred = 0;
    const r = this.range;
    const Q = 128 - 2 ** -16;
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Q, Math.max(-Q, r ? Math.min(hi, Math.max(lo, v)) : v));
    this.engine.trainOutputGradient(x, (z, _p, delta) => {
      pred = this.logits(z);
      const O = z.length;
      if (this.output === 'sigmoid') {
        for (let o = 0; o < O; o++) delta[o] = sig(this.u[o]) - (o === label ? 1 : 0);
      } else {
        let m = -Infinity, s = 0;
        for (let o = 0; o < O; o++) m = Math.max(m, this.u[o]);
        for (let o = 0; o < O; o++) s += delta[o] = Math.exp(this.u[o] - m);
        for (let o = 0; o < O; o++) delta[o] = delta[o] / s - (o === label ? 1 : 0);
      }
      if (!this.trainKc) return;
      for (let o = 0; o < O; o++) {
        const t = delta[o], zc = z[o] / 65536 + this.c[o];
        const d = Math.min(Q, Math.max(-Q, t * this.k[o]));
        delta[o] = d;
        this.k[o] = clamp(this.k[o] - eta2 * t * zc, r?.kMin ?? 0, r?.kMax ?? 0);
        this.c[o] = clamp(this.c[o] - eta2 * d, r?.cMin ?? 0, r?.cMax ?? 0);
      }
    });
    return pred;
  }

  /** Correct predictions (argmax u2) over a split, inference passes only. */
  evaluate(s: SplitU8): number {
    const n0 = this.engine.layout[0], L = this.engine.layout.length - 1;
    let correct = 0;
    for (let i = 0; i < s.n; i++) {
      this.engine.predict(s.x.subarray(i * n0, (i + 1) * n0));
      if (this.logits(this.engine.preActivations(L)) === s.y[i]) correct++;
    }
    return correct;
  }
}
