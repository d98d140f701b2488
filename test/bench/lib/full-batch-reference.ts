/**
 * The paper's full-batch setup for the trainable activation (Xin et al., arXiv 2211.13391), scalar
 * TypeScript: data as CSR with pixels/1000, the paper's initialisation, and one full-batch iteration.
 * The SIMD kernel (full-batch-kernel.ts) is checked against referenceIteration.
 */
import type { Split } from '../../../host/data/index.ts';
import { Rng } from '../../../host/rng.ts';
import { FullBatchKernel, type CsrSplit, type FullBatchParams } from './full-batch-kernel.ts';

/** CSR of u8 features scaled by 1/1000 (the paper's pixels/1000), with labels. */
export function csr(s: Split, n: number): CsrSplit {
  const ptr = new Int32Array(s.n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < s.n; i++) {
    for (let p = 0; p < n; p++) {
      const v = s.x[i * n + p];
      if (v !== 0) {
        idx.push(p);
        val.push(v / 1000);
      }
    }
    ptr[i + 1] = idx.length;
  }
  return { ptr, idx: Int32Array.from(idx), val: Float64Array.from(val), labels: Uint8Array.from(s.y.slice(0, s.n)) };
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * How the hidden activation is set up:
 *  - fixed: σ(z), k = 1 and c = 0 throughout (the paper's baseline);
 *  - paper: k, c ~ U(−0.12, 0.12), trained (the paper's stated initialisation);
 *  - slope1: k = 1 + U(−0.12, 0.12), c ~ U(−0.12, 0.12), trained (starts from the fixed sigmoid).
 */
export type Variant = 'fixed' | 'paper' | 'slope1';
export const VARIANTS: Variant[] = ['fixed', 'paper', 'slope1'];
export interface FullBatchPoint { iteration: number; testAccuracy: number; loss: number; kRange?: [number, number]; cRange?: [number, number] }
export const FB = { nIn: 784, H: 25, O: 10, lr: 0.3 };

/** The paper's initialisation: U(−0.12, 0.12) for W1 (drawn neuron by neuron), b1, W2, b2, then k and c per variant. */
export function initialParams(variant: Variant, seed: number): FullBatchParams {
  const { nIn: n, H, O } = FB;
  const rng = new Rng(seed);
  const u = (): number => rng.uniform(-0.12, 0.12);
  const w1t = new Float64Array(n * H);
  for (let j = 0; j < H; j++) for (let p = 0; p < n; p++) w1t[p * H + j] = u();
  const b1 = Float64Array.from({ length: H }, u);
  const w2 = Float64Array.from({ length: O * H }, u), b2 = Float64Array.from({ length: O }, u);
  const k = variant === 'fixed' ? new Float64Array(H).fill(1) : Float64Array.from({ length: H }, () => (variant === 'slope1' ? 1 : 0) + u());
  const c = variant === 'fixed' ? new Float64Array(H) : Float64Array.from({ length: H }, u);
  return { w1t, b1, k, c, w2, b2 };
}

/**
 * The scalar TypeScript version of one full-batch iteration (the kernel's independent check):
 * per-output BCE averaged over samples, u = k(z + c), t = ∂L/∂u = (W2ᵀδ2)·a(1 − a),
 * ∂L/∂k = t·(z + c), ∂L/∂c = ∂L/∂z = t·k. Updates p in place; returns the mean loss.
 */
export function referenceIteration(p: FullBatchParams, tr: CsrSplit, trainable: boolean): number {
  const { nIn: n, H, O, lr } = FB;
  const N = tr.ptr.length - 1;
  const gW1T = new Float64Array(n * H), gb1 = new Float64Array(H), gW2 = new Float64Array(O * H), gb2 = new Float64Array(O), gk = new Float64Array(H), gc = new Float64Array(H);
  const z = new Float64Array(H), a = new Float64Array(H), a2 = new Float64Array(O), d1 = new Float64Array(H), dz = new Float64Array(H);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    z.set(p.b1);
    for (let q = tr.ptr[i]; q < tr.ptr[i + 1]; q++) for (let j = 0; j < H; j++) z[j] += p.w1t[tr.idx[q] * H + j] * tr.val[q];
    for (let j = 0; j < H; j++) a[j] = sig(p.k[j] * (z[j] + p.c[j]));
    d1.fill(0);
    for (let o = 0; o < O; o++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += p.w2[o * H + j] * a[j];
      a2[o] = sig(p.b2[o] + s);
      const y = tr.labels[i] === o ? 1 : 0;
      loss -= y * Math.log(a2[o] + 1e-12) + (1 - y) * Math.log(1 - a2[o] + 1e-12);
      const d = a2[o] - y;
      gb2[o] += d;
      for (let j = 0; j < H; j++) {
        gW2[o * H + j] += d * a[j];
        d1[j] += d * p.w2[o * H + j];
      }
    }
    for (let j = 0; j < H; j++) {
      const t = d1[j] * a[j] * (1 - a[j]);
      dz[j] = t * p.k[j];
      gk[j] += t * (z[j] + p.c[j]);
      gc[j] += dz[j];
      gb1[j] += dz[j];
    }
    for (let q = tr.ptr[i]; q < tr.ptr[i + 1]; q++) for (let j = 0; j < H; j++) gW1T[tr.idx[q] * H + j] += dz[j] * tr.val[q];
  }
  const s = lr / N;
  const sub = (x: Float64Array, g: Float64Array): void => x.forEach((v, q) => (x[q] = v - s * g[q]));
  sub(p.w1t, gW1T); sub(p.b1, gb1); sub(p.w2, gW2); sub(p.b2, gb2);
  if (trainable) { sub(p.k, gk); sub(p.c, gc); }
  return loss / N;
}


/**
 * The SIMD kernel against referenceIteration from the same start (the slope-1 variant, trainable):
 * `iterations` steps; returns the largest relative difference over the losses and every parameter
 * (the summation order is the same, so only exp/log rounding differs), and throws above 1e-9.
 */
export async function kernelAgainstReference(train: CsrSplit, test: CsrSplit, iterations: number): Promise<number> {
  const ref = initialParams('slope1', 3);
  const kernel = await FullBatchKernel.create(ref, train, test);
  let worst = 0;
  for (let it = 0; it < iterations; it++) {
    const lr = referenceIteration(ref, train, true), lk = kernel.iterate(FB.lr, true);
    worst = Math.max(worst, Math.abs(lr - lk) / Math.abs(lr));
  }
  const got = kernel.read();
  for (const key of Object.keys(ref) as (keyof FullBatchParams)[]) {
    ref[key].forEach((v, q) => (worst = Math.max(worst, Math.abs(v - got[key][q]) / Math.max(1e-3, Math.abs(v)))));
  }
  if (!(worst < 1e-9)) throw new Error(`full-batch kernel disagrees with the TypeScript reference: relative difference ${worst}`);
  return worst;
}
