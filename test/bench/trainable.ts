/**
 * Benchmark of the trainable activation a = σ(k(z + c)) (not part of the test suite).
 *
 * A. The paper's own setup (Xin et al., arXiv 2211.13391): MNIST 784-25-10, sigmoid hidden and output,
 *    per-output binary cross-entropy, full-batch gradient descent, lr 0.3, 1000 iterations, pixels/1000,
 *    init U(−0.12, 0.12) for w, b, k and c. Three runs: fixed (k = 1, c = 0), trainable from the
 *    paper's init (k near 0), and trainable from the fixed sigmoid (k = 1 + U(−0.12, 0.12)).
 *    Full batch in float64 (the engine is integer-only and trains per sample), in a SIMD WebAssembly
 *    kernel (lib/full-batch-kernel.ts) checked against the scalar TypeScript iteration first; inputs
 *    sparse (CSR, ~19 % nonzero pixels). --iterations (1000) and --train N (60000) scale it down.
 * B. spintrain's usual SGD setup in the engine: MNIST 784-25-10 (3 seeds) and 784-128-10 (2 seeds),
 *    sigmoid, softmax, bp and pgaf with the accuracy benchmark's schedule, --sgd-epochs epochs (default 10):
 *    fixed σ(z), trainable k, c unconstrained, and trainable within the simulated SOT-MTJ's range
 *    (host/device/activation-range.ts: k ∈ [0.8, 1.2], c ∈ [−3.07, 2.04]).
 * Results: build/bench/trainable.json (or --out NAME). Usage: npx tsx test/bench/trainable.ts [--skip-full-batch] [--skip-sgd]
 *   [--variants fixed,paper,slope1] [--iterations N] [--every N] [--train N] [--sgd-epochs N] [--out NAME]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import type { Split } from '../../host/data/index.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type Algorithm } from '../../host/engine/config.ts';
import { Rng } from '../../host/rng.ts';
import { simActivationRange } from '../../host/device/activation-range.ts';
import { FullBatchKernel, type CsrSplit, type FullBatchParams } from './lib/full-batch-kernel.ts';

const OUT = fileURLToPath(new URL('../../build/bench/', import.meta.url));
const { values } = parseArgs({
  options: {
    iterations: { type: 'string' }, train: { type: 'string' }, 'skip-full-batch': { type: 'boolean' }, 'skip-sgd': { type: 'boolean' }, 'sgd-epochs': { type: 'string' }, every: { type: 'string' }, variants: { type: 'string' }, out: { type: 'string' },
  },
});
const ITER = Number(values.iterations ?? 1000);
const EVERY = Number(values.every ?? 100);
const data = loadMnist({ trainLimit: values.train ? Number(values.train) : undefined });
const results: Record<string, unknown> = {};

/** CSR of u8 features scaled by 1/1000 (the paper's pixels/1000), with labels. */
function csr(s: Split, n: number): CsrSplit {
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
type Variant = 'fixed' | 'paper' | 'slope1';
const VARIANTS: Variant[] = ['fixed', 'paper', 'slope1'];
interface FullBatchPoint { iteration: number; testAccuracy: number; loss: number; kRange?: [number, number]; cRange?: [number, number] }
const FB = { nIn: 784, H: 25, O: 10, lr: 0.3 };
interface SgdRow { layout: number[]; algorithm: Algorithm; variant: string; seed: number; epochs: number; testAccuracy: number; seconds: number; kRange: number[]; cRange: number[] }

/** The paper's initialisation: U(−0.12, 0.12) for W1 (drawn neuron by neuron), b1, W2, b2, then k and c per variant. */
function initialParams(variant: Variant, seed: number): FullBatchParams {
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
function referenceIteration(p: FullBatchParams, tr: CsrSplit, trainable: boolean): number {
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

/** The WebAssembly kernel against the scalar reference: 3 iterations on 2,000 samples, every parameter within 1e-9 relative. */
async function checkKernel(): Promise<number> {
  const tr = csr({ ...data.train, n: 2000 }, FB.nIn), te = csr({ ...data.test, n: 100 }, FB.nIn);
  const ref = initialParams('slope1', 3);
  const kernel = await FullBatchKernel.create(ref, tr, te);
  let worst = 0;
  for (let it = 0; it < 3; it++) {
    const lr = referenceIteration(ref, tr, true), lk = kernel.iterate(FB.lr, true);
    worst = Math.max(worst, Math.abs(lr - lk) / Math.abs(lr));
  }
  const got = kernel.read();
  for (const key of Object.keys(ref) as (keyof FullBatchParams)[]) {
    ref[key].forEach((v, q) => (worst = Math.max(worst, Math.abs(v - got[key][q]) / Math.max(1e-3, Math.abs(v)))));
  }
  if (!(worst < 1e-9)) throw new Error(`full-batch kernel disagrees with the TypeScript reference: relative difference ${worst}`);
  return worst;
}

/** Full-batch GD of 784-25-10 for ITER iterations; test accuracy and mean loss every EVERY iterations. */
async function fullBatch(variant: Variant, seed: number, train: CsrSplit, test: CsrSplit): Promise<FullBatchPoint[]> {
  const trainable = variant !== 'fixed';
  const kernel = await FullBatchKernel.create(initialParams(variant, seed), train, test);
  const curve: FullBatchPoint[] = [];
  const range = (v: Float64Array): [number, number] => [Math.min(...v), Math.max(...v)];
  for (let it = 1; it <= ITER; it++) {
    const loss = kernel.iterate(FB.lr, trainable);
    if (it % EVERY === 0 || it === ITER) {
      const p = kernel.read();
      const point: FullBatchPoint = { iteration: it, testAccuracy: kernel.testAccuracy(), loss, ...(trainable ? { kRange: range(p.k), cRange: range(p.c) } : {}) };
      curve.push(point);
      console.log(`${variant.padEnd(7)} it ${it}: loss ${loss.toFixed(4)} test ${(100 * point.testAccuracy).toFixed(2)} %` + (trainable ? `  k ∈ [${point.kRange!.map((v) => v.toFixed(2)).join(', ')}] c ∈ [${point.cRange!.map((v) => v.toFixed(2)).join(', ')}]` : ''));
    }
  }
  return curve;
}

mkdirSync(OUT, { recursive: true });
const save = (): void => writeFileSync(OUT + (values.out ?? 'trainable.json'), JSON.stringify(results, null, 2) + '\n');
if (!values['skip-sgd']) {
  // The accuracy benchmark's schedule (test/bench/accuracy.ts): lr/(1 + 0.1·epoch), bp 0.1, pgaf 0.01 hidden / 0.1 output.
  const epochs = Number(values['sgd-epochs'] ?? 10);
  const device = simActivationRange();
  const variants = [
    { name: 'fixed', trainableActivation: false },
    { name: 'trainable', trainableActivation: true },
    { name: 'trainable, simulated device range', trainableActivation: true, activationRange: device },
  ] as const;
  const rows: SgdRow[] = [];
  for (const [hidden, seeds] of [[25, [1, 2, 3]], [128, [1, 2]]] as const) {
    for (const algorithm of ['bp', 'pgaf'] as Algorithm[]) {
      for (const v of variants) {
        for (const seed of seeds) {
          const lr = algorithm === 'pgaf' ? [0.01, 0.1] : [0.1, 0.1];
          const e = new SpintrainEngine({
            ...defaultNetworkConfig, layout: [784, hidden, 10], algorithm, activation: 'sigmoid', learningRate: lr, decay: 0.1, seed,
            trainableActivation: v.trainableActivation, ...('activationRange' in v ? { activationRange: v.activationRange } : {}),
          });
          const tr = e.loadSplit(data.train), te = e.loadSplit(data.test);
          const rng = new Rng((seed * 2654435761) >>> 0);
          const t0 = performance.now();
          for (let ep = 0; ep < epochs; ep++) {
            e.setEpoch(ep);
            await e.trainEpoch(tr, rng.shuffle(Int32Array.from({ length: data.train.n }, (_v, i) => i)));
          }
          const acc = e.evaluate(te) / data.test.n;
          const k = v.trainableActivation ? [...e.slopes(1)].map((x) => x / 2 ** 24) : [1];
          const c = v.trainableActivation ? [...e.shifts(1)].map((x) => x / 2 ** 24) : [0];
          const row: SgdRow = { layout: [784, hidden, 10], algorithm, variant: v.name, seed, epochs, testAccuracy: acc, seconds: (performance.now() - t0) / 1000, kRange: [Math.min(...k), Math.max(...k)], cRange: [Math.min(...c), Math.max(...c)] };
          rows.push(row);
          console.log(JSON.stringify(row));
          e.freeSplits();
        }
      }
    }
  }
  results.sgd = { schedule: 'lr/(1 + 0.1·epoch); bp 0.1; pgaf 0.01 hidden, 0.1 output', deviceRange: device, rows };
  save();
}
if (!values['skip-full-batch']) {
  const kernelCheck = await checkKernel();
  console.log(`full-batch kernel = TypeScript reference within ${kernelCheck.toExponential(1)} (relative)`);
  const runs: Partial<Record<Variant, FullBatchPoint[]>> = {};
  results.fullBatch = { iterations: ITER, train: data.train.n, lr: FB.lr, layout: [FB.nIn, FB.H, FB.O], kernelCheck, runs };
  const train = csr(data.train, FB.nIn), test = csr(data.test, FB.nIn);
  for (const v of (values.variants ?? VARIANTS.join(',')).split(',') as Variant[]) {
    if (!VARIANTS.includes(v)) throw new Error(`--variants: expected ${VARIANTS.join(', ')}, got '${v}'`);
    runs[v] = await fullBatch(v, 1, train, test);
    save();
  }
}
