/**
 * The authors' full-batch trainer for the trainable activation, as in their public MATLAB code
 * (github.com/zhuzibn/trainable_activation_function, 2022TrainableNeuon/main.m, commit 759f777):
 * BOTH layers have a per-neuron slope k and shift c, a = σ(k(z + c)), hidden (k1, c1) and output
 * (k2, c2), all drawn from U(−0.12, 0.12) like the weights ('modee = 2'); the fixed baseline sets
 * k = 1 and c = 0 in both layers ('modee = 1').
 *
 * Per iteration over N samples (CSR inputs, pixels/1000):
 *   z1 = W1·x + b1,  a1 = σ(k1(z1 + c1)),  z2 = W2·a1 + b2,  a2 = σ(k2(z2 + c2))
 *   L  = −(1/N) Σ Σ_o [y log a2 + (1 − y) log(1 − a2)]
 *   e = a2 − y,  δ2 = ∂L/∂z2 = k2·e,  ∂L/∂k2 = e·(z2 + c2),  ∂L/∂c2 = δ2
 *   t = (W2ᵀδ2)·a1(1 − a1),  δ1 = t·k1,  ∂L/∂k1 = t·(z1 + c1),  ∂L/∂c1 = δ1
 *   θ −= (lr/N)·Σ ∂L/∂θ   (what 'alpha = 0.3' multiplies in main.m: every gradient summed over
 *   the batch and divided by m)
 * Options per run: which layers' k, c are trained (hidden, output), and separately the start values.
 * Float64 WebAssembly with 128-bit SIMD; hidden width padded to even HP, padding stays 0.
 * Bench-only (test/bench/trainable-repro.ts); checked there against a scalar TypeScript iteration.
 */
import asc from 'assemblyscript/asc';

const KERNEL_AS = `
let HP: i32 = 0; let H: i32 = 0; let O: i32 = 0;
let W1T: usize = 0; let B1: usize = 0; let W2: usize = 0; let B2: usize = 0;
let K1: usize = 0; let C1: usize = 0; let K2: usize = 0; let C2: usize = 0;
let PARAMS: i32 = 0; let GRAD: usize = 0;
let Z: usize = 0; let A: usize = 0; let DZ: usize = 0; let D1: usize = 0; let Z2: usize = 0; let A2: usize = 0;

export function setup(nIn: i32, h: i32, hp: i32, o: i32, base: usize): usize {
  H = h; HP = hp; O = o;
  W1T = base; B1 = W1T + <usize>(nIn * hp) * 8; W2 = B1 + <usize>hp * 8; B2 = W2 + <usize>(o * hp) * 8;
  K1 = B2 + <usize>o * 8; C1 = K1 + <usize>hp * 8; K2 = C1 + <usize>hp * 8; C2 = K2 + <usize>o * 8;
  PARAMS = nIn * hp + hp + o * hp + o + 2 * hp + 2 * o;
  GRAD = <usize>PARAMS * 8;
  Z = base + 2 * GRAD; A = Z + <usize>hp * 8; DZ = A + <usize>hp * 8; D1 = DZ + <usize>hp * 8; Z2 = D1 + <usize>hp * 8; A2 = Z2 + <usize>o * 8;
  return A2 + <usize>o * 8;
}
export function paramCount(): i32 { return PARAMS; }

@inline function sig(x: f64): f64 { return 1.0 / (1.0 + Math.exp(-x)); }

function forward(ptr: usize, idx: usize, val: usize, i: i32): void {
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
    store<f64>(A + o, sig(load<f64>(K1 + o) * (load<f64>(Z + o) + load<f64>(C1 + o))));
  }
  for (let o = 0; o < O; o++) {
    const row = W2 + <usize>(o * HP) * 8;
    let s = f64x2.splat(0);
    for (let j = 0; j < HP; j += 2) s = f64x2.add(s, f64x2.mul(v128.load(row + (<usize>j << 3)), v128.load(A + (<usize>j << 3))));
    const oo = <usize>o << 3;
    const z2 = load<f64>(B2 + oo) + f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    store<f64>(Z2 + oo, z2);
    store<f64>(A2 + oo, sig(load<f64>(K2 + oo) * (z2 + load<f64>(C2 + oo))));
  }
}

export function accumulate(n: i32, ptr: usize, idx: usize, val: usize, labels: usize): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    forward(ptr, idx, val, i);
    memory.fill(D1, 0, <usize>HP * 8);
    const label = <i32>load<u8>(labels + <usize>i);
    for (let o = 0; o < O; o++) {
      const oo = <usize>o << 3;
      const a2 = load<f64>(A2 + oo);
      const y: f64 = o == label ? 1.0 : 0.0;
      loss -= y * Math.log(a2 + 1e-12) + (1.0 - y) * Math.log(1.0 - a2 + 1e-12);
      const e = a2 - y;
      const d = e * load<f64>(K2 + oo);
      store<f64>(K2 + GRAD + oo, load<f64>(K2 + GRAD + oo) + e * (load<f64>(Z2 + oo) + load<f64>(C2 + oo)));
      store<f64>(C2 + GRAD + oo, load<f64>(C2 + GRAD + oo) + d);
      store<f64>(B2 + GRAD + oo, load<f64>(B2 + GRAD + oo) + d);
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
      const dz = t * load<f64>(K1 + o);
      store<f64>(DZ + o, dz);
      store<f64>(K1 + GRAD + o, load<f64>(K1 + GRAD + o) + t * (load<f64>(Z + o) + load<f64>(C1 + o)));
      store<f64>(C1 + GRAD + o, load<f64>(C1 + GRAD + o) + dz);
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

/** θ −= scale·g for the weights and biases; k1, c1 when hidden, k2, c2 when output. */
export function step(scale: f64, hidden: bool, output: bool): void {
  for (let at = W1T; at < K1; at += 8) store<f64>(at, load<f64>(at) - scale * load<f64>(at + GRAD));
  if (hidden) for (let at = K1; at < K2; at += 8) store<f64>(at, load<f64>(at) - scale * load<f64>(at + GRAD));
  if (output) for (let at = K2; at < C2 + (<usize>O << 3); at += 8) store<f64>(at, load<f64>(at) - scale * load<f64>(at + GRAD));
}

export function evaluate(n: i32, ptr: usize, idx: usize, val: usize, labels: usize): i32 {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    forward(ptr, idx, val, i);
    let best = 0;
    for (let o = 1; o < O; o++) if (load<f64>(A2 + (<usize>o << 3)) > load<f64>(A2 + (<usize>best << 3))) best = o;
    if (best == <i32>load<u8>(labels + <usize>i)) ok++;
  }
  return ok;
}
`;

let module: Promise<WebAssembly.Module> | undefined;
function compiled(): Promise<WebAssembly.Module> {
  module ??= (async () => {
    const r = await asc.compileString(KERNEL_AS, { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, initialMemory: 1, enable: ['simd'] });
    if (r.error || !r.binary) throw new Error(`kc2 kernel did not compile: ${r.error?.message}\n${r.stderr.toString()}`);
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
  step(scale: number, hidden: boolean, output: boolean): void;
  evaluate(n: number, ptr: number, idx: number, val: number, labels: number): number;
}

export interface CsrSplit { ptr: Int32Array; idx: Int32Array; val: Float64Array; labels: Uint8Array }

/** Both layers' parameters. w1t is W1 transposed [nIn][H]; w2 is [O][H]. */
export interface Kc2Params {
  w1t: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array;
  k1: Float64Array; c1: Float64Array; k2: Float64Array; c2: Float64Array;
}

interface Placed { n: number; ptr: number; idx: number; val: number; labels: number }

export class Kc2Kernel {
  private constructor(
    private readonly x: KernelExports,
    private readonly shape: { nIn: number; h: number; hp: number; o: number; base: number },
    private readonly train: Placed,
    private readonly test: Placed,
  ) {}

  static async create(p: Kc2Params, train: CsrSplit, test: CsrSplit): Promise<Kc2Kernel> {
    const instance = await WebAssembly.instantiate(await compiled(), { env: { abort: () => { throw new Error('kc2 kernel aborted'); } } });
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
    const k = new Kc2Kernel(x, { nIn, h, hp, o, base }, trainAt, testAt);
    k.write(p);
    return k;
  }

  private view(): Float64Array { return new Float64Array(this.x.memory.buffer, this.shape.base, this.x.paramCount()); }
  private offsets(): { b1: number; w2: number; b2: number; k1: number; c1: number; k2: number; c2: number } {
    const { nIn, hp, o } = this.shape;
    const b1 = nIn * hp, w2 = b1 + hp, b2 = w2 + o * hp, k1 = b2 + o, c1 = k1 + hp, k2 = c1 + hp, c2 = k2 + o;
    return { b1, w2, b2, k1, c1, k2, c2 };
  }

  write(p: Kc2Params): void {
    const { nIn, h, hp, o } = this.shape;
    const v = this.view(), at = this.offsets();
    v.fill(0);
    for (let q = 0; q < nIn; q++) for (let j = 0; j < h; j++) v[q * hp + j] = p.w1t[q * h + j];
    for (let j = 0; j < h; j++) { v[at.b1 + j] = p.b1[j]; v[at.k1 + j] = p.k1[j]; v[at.c1 + j] = p.c1[j]; }
    for (let r = 0; r < o; r++) {
      for (let j = 0; j < h; j++) v[at.w2 + r * hp + j] = p.w2[r * h + j];
      v[at.b2 + r] = p.b2[r]; v[at.k2 + r] = p.k2[r]; v[at.c2 + r] = p.c2[r];
    }
  }

  read(): Kc2Params {
    const { nIn, h, hp, o } = this.shape;
    const v = this.view(), at = this.offsets();
    return {
      w1t: Float64Array.from({ length: nIn * h }, (_u, i) => v[Math.floor(i / h) * hp + (i % h)]),
      b1: v.slice(at.b1, at.b1 + h),
      w2: Float64Array.from({ length: o * h }, (_u, i) => v[at.w2 + Math.floor(i / h) * hp + (i % h)]),
      b2: v.slice(at.b2, at.b2 + o),
      k1: v.slice(at.k1, at.k1 + h), c1: v.slice(at.c1, at.c1 + h),
      k2: v.slice(at.k2, at.k2 + o), c2: v.slice(at.c2, at.c2 + o),
    };
  }

  /** One full-batch step; returns the mean training loss before it. */
  iterate(lr: number, hidden: boolean, output: boolean): number {
    const t = this.train;
    this.x.zeroGrad();
    const loss = this.x.accumulate(t.n, t.ptr, t.idx, t.val, t.labels);
    this.x.step(lr / t.n, hidden, output);
    return loss / t.n;
  }

  testAccuracy(): number { const t = this.test; return this.x.evaluate(t.n, t.ptr, t.idx, t.val, t.labels) / t.n; }
  trainAccuracy(): number { const t = this.train; return this.x.evaluate(t.n, t.ptr, t.idx, t.val, t.labels) / t.n; }
}
