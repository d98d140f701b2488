/**
 * Full-batch gradient descent of a 784-H-O net with a trainable sigmoid hidden layer, in float64
 * WebAssembly with 128-bit SIMD (two f64 lanes): the kernel behind the paper-setup benchmark of the
 * trainable activation (test/bench/trainable.ts). Bench-only: the release engine is integer-only and
 * trains per sample; this reproduces a float MATLAB-style setup ~5× faster than the scalar TypeScript
 * loop it is checked against (`fullBatchReferenceJs` in trainable.ts, same summation order).
 *
 * Per iteration over N samples (inputs sparse, CSR):
 *   z = W1·x + b1,  u = k⊙(z + c),  a = σ(u),  a2 = σ(W2·a + b2)
 *   L = −(1/N) Σ Σ_o [y log a2 + (1 − y) log(1 − a2)]           (per-output binary cross-entropy)
 *   δ2 = a2 − y,  t = (W2ᵀδ2)⊙a⊙(1 − a) = ∂L/∂u,  ∂L/∂k = t⊙(z + c),  ∂L/∂c = ∂L/∂z = t⊙k
 *   θ −= (lr/N)·Σ ∂L/∂θ                                             (k, c only when trainable)
 * Hidden vectors are padded to an even width HP; padding lanes stay 0 in W1ᵀ, b1, W2 and δ.
 */
import asc from 'assemblyscript/asc';

const KERNEL_AS = `
let HP: i32 = 0; let H: i32 = 0; let O: i32 = 0; let NIN: i32 = 0;
let W1T: usize = 0; let B1: usize = 0; let K: usize = 0; let C: usize = 0; let W2: usize = 0; let B2: usize = 0;
let PARAMS: i32 = 0; let GRAD: usize = 0;
let Z: usize = 0; let A: usize = 0; let DZ: usize = 0; let D1: usize = 0; let A2: usize = 0;

/** Lays out parameters, gradients (same layout, GRAD bytes later) and scratch from base; returns the end. */
export function setup(nIn: i32, h: i32, hp: i32, o: i32, base: usize): usize {
  NIN = nIn; H = h; HP = hp; O = o;
  W1T = base; B1 = W1T + <usize>(nIn * hp) * 8; K = B1 + <usize>hp * 8; C = K + <usize>hp * 8;
  W2 = C + <usize>hp * 8; B2 = W2 + <usize>(o * hp) * 8;
  PARAMS = nIn * hp + 3 * hp + o * hp + o;
  GRAD = <usize>PARAMS * 8;
  Z = base + 2 * GRAD; A = Z + <usize>hp * 8; DZ = A + <usize>hp * 8; D1 = DZ + <usize>hp * 8; A2 = D1 + <usize>hp * 8;
  return A2 + <usize>o * 8;
}
export function paramCount(): i32 { return PARAMS; }

@inline function sig(x: f64): f64 { return 1.0 / (1.0 + Math.exp(-x)); }

function hidden(ptr: usize, idx: usize, val: usize, i: i32): void {
  for (let j = 0; j < HP; j += 2) v128.store(Z + (<usize>j << 3), v128.load(B1 + (<usize>j << 3)));
  const q1 = load<i32>(ptr + (<usize>(i + 1) << 2));
  for (let q = load<i32>(ptr + (<usize>i << 2)); q < q1; q++) {
    const row = W1T + <usize>(load<i32>(idx + (<usize>q << 2)) * HP) * 8;
    const v = f64x2.splat(load<f64>(val + (<usize>q << 3)));
    for (let j = 0; j < HP; j += 2) {
      const o = <usize>j << 3;
      v128.store(Z + o, f64x2.add(v128.load(Z + o), f64x2.mul(v128.load(row + o), v)));
    }
  }
  for (let j = 0; j < H; j++) {
    const o = <usize>j << 3;
    store<f64>(A + o, sig(load<f64>(K + o) * (load<f64>(Z + o) + load<f64>(C + o))));
  }
}

function output(): void {
  for (let o = 0; o < O; o++) {
    const row = W2 + <usize>(o * HP) * 8;
    let s = f64x2.splat(0);
    for (let j = 0; j < HP; j += 2) s = f64x2.add(s, f64x2.mul(v128.load(row + (<usize>j << 3)), v128.load(A + (<usize>j << 3))));
    store<f64>(A2 + (<usize>o << 3), sig(load<f64>(B2 + (<usize>o << 3)) + f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1)));
  }
}

/** Adds the gradient sums of samples [0, n) to GRAD (zero it first with zeroGrad); returns Σ loss. */
export function accumulate(n: i32, ptr: usize, idx: usize, val: usize, labels: usize): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    hidden(ptr, idx, val, i);
    output();
    memory.fill(D1, 0, <usize>HP * 8);
    const label = <i32>load<u8>(labels + <usize>i);
    for (let o = 0; o < O; o++) {
      const a2 = load<f64>(A2 + (<usize>o << 3));
      const y: f64 = o == label ? 1.0 : 0.0;
      loss -= y * Math.log(a2 + 1e-12) + (1.0 - y) * Math.log(1.0 - a2 + 1e-12);
      const d = a2 - y;
      store<f64>(B2 + GRAD + (<usize>o << 3), load<f64>(B2 + GRAD + (<usize>o << 3)) + d);
      const row = W2 + <usize>(o * HP) * 8;
      const dv = f64x2.splat(d);
      for (let j = 0; j < HP; j += 2) {
        const off = <usize>j << 3;
        v128.store(row + GRAD + off, f64x2.add(v128.load(row + GRAD + off), f64x2.mul(dv, v128.load(A + off))));
        v128.store(D1 + off, f64x2.add(v128.load(D1 + off), f64x2.mul(dv, v128.load(row + off))));
      }
    }
    for (let j = 0; j < H; j++) {
      const o = <usize>j << 3;
      const a = load<f64>(A + o);
      const t = load<f64>(D1 + o) * a * (1.0 - a);
      const dz = t * load<f64>(K + o);
      store<f64>(DZ + o, dz);
      store<f64>(K + GRAD + o, load<f64>(K + GRAD + o) + t * (load<f64>(Z + o) + load<f64>(C + o)));
      store<f64>(C + GRAD + o, load<f64>(C + GRAD + o) + dz);
      store<f64>(B1 + GRAD + o, load<f64>(B1 + GRAD + o) + dz);
    }
    const q1 = load<i32>(ptr + (<usize>(i + 1) << 2));
    for (let q = load<i32>(ptr + (<usize>i << 2)); q < q1; q++) {
      const row = W1T + GRAD + <usize>(load<i32>(idx + (<usize>q << 2)) * HP) * 8;
      const v = f64x2.splat(load<f64>(val + (<usize>q << 3)));
      for (let j = 0; j < HP; j += 2) {
        const o = <usize>j << 3;
        v128.store(row + o, f64x2.add(v128.load(row + o), f64x2.mul(v128.load(DZ + o), v)));
      }
    }
  }
  return loss;
}

export function zeroGrad(): void { memory.fill(W1T + GRAD, 0, GRAD); memory.fill(DZ, 0, <usize>HP * 8); }

/** θ −= scale·g for every parameter; k and c only when trainable. */
export function step(scale: f64, trainable: bool): void {
  for (let p = 0; p < PARAMS; p++) {
    const at = W1T + (<usize>p << 3);
    if (!trainable && at >= K && at < W2) continue;
    store<f64>(at, load<f64>(at) - scale * load<f64>(at + GRAD));
  }
}

/** Number of samples whose largest output is their label. */
export function evaluate(n: i32, ptr: usize, idx: usize, val: usize, labels: usize): i32 {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    hidden(ptr, idx, val, i);
    output();
    let best = 0;
    for (let o = 1; o < O; o++) if (load<f64>(A2 + (<usize>o << 3)) > load<f64>(A2 + (<usize>best << 3))) best = o;
    if (best == <i32>load<u8>(labels + <usize>i)) ok++;
  }
  return ok;
}
`;

let module: Promise<WebAssembly.Module> | undefined;
/** The kernel, compiled once per process (release optimisation, SIMD enabled). */
function compiled(): Promise<WebAssembly.Module> {
  module ??= (async () => {
    const r = await asc.compileString(KERNEL_AS, { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, initialMemory: 1, enable: ['simd'] });
    if (r.error || !r.binary) throw new Error(`full-batch kernel did not compile: ${r.error?.message}\n${r.stderr.toString()}`);
    return WebAssembly.compile(r.binary as Uint8Array<ArrayBuffer>);
  })();
  return module;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  setup(nIn: number, h: number, hp: number, o: number, base: number): number;
  paramCount(): number;
  accumulate(n: number, ptr: number, idx: number, val: number, labels: number): number;
  zeroGrad(): void;
  step(scale: number, trainable: boolean): void;
  evaluate(n: number, ptr: number, idx: number, val: number, labels: number): number;
}

/** Sparse inputs (pixel index, value) per sample, and labels. */
export interface CsrSplit {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  labels: Uint8Array;
}

export interface FullBatchParams {
  /** W1 transposed, [nIn][H]. */
  w1t: Float64Array;
  b1: Float64Array;
  k: Float64Array;
  c: Float64Array;
  /** [O][H]. */
  w2: Float64Array;
  b2: Float64Array;
}

interface Placed {
  n: number;
  ptr: number;
  idx: number;
  val: number;
  labels: number;
}

/** One net in one kernel instance: train split and test split copied in once. */
export class FullBatchKernel {
  private constructor(
    private readonly x: KernelExports,
    private readonly shape: { nIn: number; h: number; hp: number; o: number; base: number },
    private readonly train: Placed,
    private readonly test: Placed,
  ) {}

  static async create(p: FullBatchParams, train: CsrSplit, test: CsrSplit): Promise<FullBatchKernel> {
    const instance = await WebAssembly.instantiate(await compiled(), { env: { abort: () => { throw new Error('full-batch kernel aborted'); } } });
    const x = instance.exports as unknown as KernelExports;
    const h = p.b1.length, o = p.b2.length, nIn = p.w1t.length / h, hp = h + (h & 1);
    let top = 1 << 16;
    const reserve = (bytes: number): number => {
      const at = top;
      top = (top + bytes + 15) & ~15;
      const need = Math.ceil(top / 65536) - x.memory.buffer.byteLength / 65536;
      if (need > 0) x.memory.grow(need);
      return at;
    };
    const place = (s: CsrSplit): Placed => {
      const ptr = reserve(s.ptr.byteLength), idx = reserve(s.idx.byteLength), val = reserve(s.val.byteLength), labels = reserve(s.labels.byteLength);
      new Int32Array(x.memory.buffer, ptr, s.ptr.length).set(s.ptr);
      new Int32Array(x.memory.buffer, idx, s.idx.length).set(s.idx);
      new Float64Array(x.memory.buffer, val, s.val.length).set(s.val);
      new Uint8Array(x.memory.buffer, labels, s.labels.length).set(s.labels);
      return { n: s.ptr.length - 1, ptr, idx, val, labels };
    };
    const trainAt = place(train), testAt = place(test);
    const base = top;
    const end = x.setup(nIn, h, hp, o, base);
    reserve(end - base);
    const k = new FullBatchKernel(x, { nIn, h, hp, o, base }, trainAt, testAt);
    k.write(p);
    return k;
  }

  private view(): Float64Array {
    return new Float64Array(this.x.memory.buffer, this.shape.base, this.x.paramCount());
  }

  /** Copies parameters in (padded layout). */
  write(p: FullBatchParams): void {
    const { nIn, h, hp, o } = this.shape;
    const v = this.view();
    v.fill(0);
    for (let q = 0; q < nIn; q++) for (let j = 0; j < h; j++) v[q * hp + j] = p.w1t[q * h + j];
    const b1 = nIn * hp;
    for (let j = 0; j < h; j++) {
      v[b1 + j] = p.b1[j];
      v[b1 + hp + j] = p.k[j];
      v[b1 + 2 * hp + j] = p.c[j];
    }
    const w2 = b1 + 3 * hp;
    for (let r = 0; r < o; r++) for (let j = 0; j < h; j++) v[w2 + r * hp + j] = p.w2[r * h + j];
    for (let r = 0; r < o; r++) v[w2 + o * hp + r] = p.b2[r];
  }

  /** Copies parameters out (unpadded). */
  read(): FullBatchParams {
    const { nIn, h, hp, o } = this.shape;
    const v = this.view();
    const b1 = nIn * hp, w2 = b1 + 3 * hp;
    return {
      w1t: Float64Array.from({ length: nIn * h }, (_u, i) => v[Math.floor(i / h) * hp + (i % h)]),
      b1: v.slice(b1, b1 + h),
      k: v.slice(b1 + hp, b1 + hp + h),
      c: v.slice(b1 + 2 * hp, b1 + 2 * hp + h),
      w2: Float64Array.from({ length: o * h }, (_u, i) => v[w2 + Math.floor(i / h) * hp + (i % h)]),
      b2: v.slice(w2 + o * hp, w2 + o * hp + o),
    };
  }

  /** One full-batch step; returns the mean training loss before the step. */
  iterate(lr: number, trainable: boolean): number {
    const t = this.train;
    this.x.zeroGrad();
    const loss = this.x.accumulate(t.n, t.ptr, t.idx, t.val, t.labels);
    this.x.step(lr / t.n, trainable);
    return loss / t.n;
  }

  testAccuracy(): number {
    const t = this.test;
    return this.x.evaluate(t.n, t.ptr, t.idx, t.val, t.labels) / t.n;
  }
}
