/**
 * Benchmark of the trainable activation a = σ(k(z + c)) (not part of the test suite).
 *
 * A. The paper's own setup (Xin et al., arXiv 2211.13391): MNIST 784-25-10, sigmoid hidden and output,
 *    per-output binary cross-entropy, full-batch gradient descent, lr 0.3, pixels/1000, init
 *    U(−0.12, 0.12) for w, b, k and c, fixed (k = 1, c = 0) vs trainable k, c of the hidden layer.
 *    Full batch in float64 here (the engine trains per sample): the inputs are stored sparse (CSR,
 *    ~19 % nonzero pixels), so an iteration over N samples costs ~2·N·150·25 multiply-adds.
 *    --iterations (default 1000) and --train N (default 60000) scale it down.
 * B. spintrain's usual SGD setup in the engine: MNIST 784-128-10 (and 784-25-10), sigmoid, softmax,
 *    bp and pgaf, fixed vs trainable k, c, --sgd-epochs epochs (default 5).
 * Results: build/bench/trainable.json. Usage: npx tsx test/bench/trainable.ts [--skip-full-batch] [--skip-sgd]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import type { Split } from '../../host/data/index.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type Algorithm } from '../../host/engine/config.ts';
import { Rng } from '../../host/rng.ts';

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

/** CSR of u8 features scaled by 1/1000 (the paper's pixels/1000). */
function csr(s: Split, n: number): { ptr: Int32Array; idx: Int32Array; val: Float64Array } {
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
  return { ptr, idx: Int32Array.from(idx), val: Float64Array.from(val) };
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * How the hidden activation is set up:
 *  - fixed: σ(z), k = 1 and c = 0 throughout (the paper's baseline);
 *  - paper: k, c ~ U(−0.12, 0.12), trained (the paper's stated initialisation);
 *  - slope1: k = 1 + U(−0.12, 0.12), c ~ U(−0.12, 0.12), trained (starts from the fixed sigmoid).
 */
type Variant = 'fixed' | 'paper' | 'slope1';
interface FullBatchPoint { iteration: number; testAccuracy: number; loss: number; kRange?: [number, number]; cRange?: [number, number] }

/**
 * Full-batch GD of 784-H-10, sigmoid hidden σ(k(z + c)) and sigmoid output, per-output BCE averaged
 * over samples: gradients are means over the N training samples, one step of lr per iteration.
 * With u = k(z + c), t = ∂L/∂u = (W2ᵀδ2)·a(1 − a): ∂L/∂k = t·(z + c), ∂L/∂c = ∂L/∂z = t·k.
 * W1 is stored transposed (pixel-major) so the sparse loops run over contiguous hidden units.
 */
function fullBatch(variant: Variant, seed: number): FullBatchPoint[] {
  const n = 784, H = 25, O = 10, lr = 0.3;
  const rng = new Rng(seed);
  const u = (): number => rng.uniform(-0.12, 0.12);
  const W1T = new Float64Array(n * H);
  for (let j = 0; j < H; j++) for (let p = 0; p < n; p++) W1T[p * H + j] = u();
  const b1 = Float64Array.from({ length: H }, u);
  const W2 = Float64Array.from({ length: O * H }, u), b2 = Float64Array.from({ length: O }, u);
  const trainable = variant !== 'fixed';
  const k = variant === 'fixed' ? new Float64Array(H).fill(1) : Float64Array.from({ length: H }, () => (variant === 'slope1' ? 1 : 0) + u());
  const c = trainable ? Float64Array.from({ length: H }, u) : new Float64Array(H);
  const tr = csr(data.train, n), te = csr(data.test, n);
  const N = data.train.n;
  const gW1T = new Float64Array(n * H), gb1 = new Float64Array(H), gW2 = new Float64Array(O * H), gb2 = new Float64Array(O), gk = new Float64Array(H), gc = new Float64Array(H);
  const z = new Float64Array(H), a = new Float64Array(H), a2 = new Float64Array(O), d1 = new Float64Array(H), dz = new Float64Array(H);
  const curve: FullBatchPoint[] = [];
  const hidden = (m: typeof tr, i: number): void => {
    z.set(b1);
    for (let q = m.ptr[i]; q < m.ptr[i + 1]; q++) {
      const row = m.idx[q] * H, v = m.val[q];
      for (let j = 0; j < H; j++) z[j] += W1T[row + j] * v;
    }
    for (let j = 0; j < H; j++) a[j] = sig(k[j] * (z[j] + c[j]));
  };
  const output = (): void => {
    for (let o = 0; o < O; o++) {
      let s = b2[o];
      for (let j = 0; j < H; j++) s += W2[o * H + j] * a[j];
      a2[o] = sig(s);
    }
  };
  const test = (): number => {
    let ok = 0;
    for (let i = 0; i < data.test.n; i++) {
      hidden(te, i);
      output();
      let best = 0;
      for (let o = 1; o < O; o++) if (a2[o] > a2[best]) best = o;
      if (best === data.test.y[i]) ok++;
    }
    return ok / data.test.n;
  };
  const range = (v: Float64Array): [number, number] => [Math.min(...v), Math.max(...v)];
  for (let it = 1; it <= ITER; it++) {
    gW1T.fill(0); gb1.fill(0); gW2.fill(0); gb2.fill(0); gk.fill(0); gc.fill(0);
    let loss = 0;
    for (let i = 0; i < N; i++) {
      hidden(tr, i);
      output();
      d1.fill(0);
      const label = data.train.y[i];
      for (let o = 0; o < O; o++) {
        const y = label === o ? 1 : 0;
        loss -= y * Math.log(a2[o] + 1e-12) + (1 - y) * Math.log(1 - a2[o] + 1e-12);
        const d = a2[o] - y; // sigmoid + BCE
        gb2[o] += d;
        for (let j = 0; j < H; j++) {
          gW2[o * H + j] += d * a[j];
          d1[j] += d * W2[o * H + j];
        }
      }
      for (let j = 0; j < H; j++) {
        const t = d1[j] * a[j] * (1 - a[j]); // ∂L/∂u
        dz[j] = t * k[j];
        gk[j] += t * (z[j] + c[j]);
        gc[j] += dz[j];
        gb1[j] += dz[j];
      }
      for (let q = tr.ptr[i]; q < tr.ptr[i + 1]; q++) {
        const row = tr.idx[q] * H, v = tr.val[q];
        for (let j = 0; j < H; j++) gW1T[row + j] += dz[j] * v;
      }
    }
    const s = lr / N;
    for (let q = 0; q < W1T.length; q++) W1T[q] -= s * gW1T[q];
    for (let q = 0; q < W2.length; q++) W2[q] -= s * gW2[q];
    for (let j = 0; j < H; j++) { b1[j] -= s * gb1[j]; if (trainable) { k[j] -= s * gk[j]; c[j] -= s * gc[j]; } }
    for (let o = 0; o < O; o++) b2[o] -= s * gb2[o];
    if (it % EVERY === 0 || it === ITER) {
      const point: FullBatchPoint = { iteration: it, testAccuracy: test(), loss: loss / N, ...(trainable ? { kRange: range(k), cRange: range(c) } : {}) };
      curve.push(point);
      console.log(`${variant.padEnd(7)} it ${it}: loss ${point.loss.toFixed(4)} test ${(100 * point.testAccuracy).toFixed(2)} %` + (trainable ? `  k ∈ [${range(k).map((v) => v.toFixed(2)).join(', ')}] c ∈ [${range(c).map((v) => v.toFixed(2)).join(', ')}]` : ''));
    }
  }
  return curve;
}

mkdirSync(OUT, { recursive: true });
const save = (): void => writeFileSync(OUT + (values.out ?? 'trainable.json'), JSON.stringify(results, null, 2) + '\n');
if (!values['skip-sgd']) {
  const epochs = Number(values['sgd-epochs'] ?? 5);
  const rows: unknown[] = [];
  for (const hidden of [25, 128]) {
    for (const algorithm of ['bp', 'pgaf'] as Algorithm[]) {
      for (const trainableActivation of [false, true]) {
        const lr = algorithm === 'pgaf' ? [0.025, 0.1] : [0.1, 0.1];
        const e = new SpintrainEngine({ ...defaultNetworkConfig, layout: [784, hidden, 10], algorithm, activation: 'sigmoid', learningRate: lr, decay: 0.5, seed: 1, trainableActivation });
        const tr = e.loadSplit(data.train), te = e.loadSplit(data.test);
        const rng = new Rng(2654435761);
        const t0 = performance.now();
        for (let ep = 0; ep < epochs; ep++) {
          e.setEpoch(ep);
          await e.trainEpoch(tr, rng.shuffle(Int32Array.from({ length: data.train.n }, (_v, i) => i)));
        }
        const acc = e.evaluate(te) / data.test.n;
        const k = trainableActivation ? [...e.slopes(1)].map((v) => v / 2 ** 24) : [1];
        const c = trainableActivation ? [...e.shifts(1)].map((v) => v / 2 ** 24) : [0];
        const row = { layout: [784, hidden, 10], algorithm, trainableActivation, epochs, testAccuracy: acc, seconds: (performance.now() - t0) / 1000, kRange: [Math.min(...k), Math.max(...k)], cRange: [Math.min(...c), Math.max(...c)] };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
  }
  results.sgd = rows;
  save();
}
if (!values['skip-full-batch']) {
  const runs: Partial<Record<Variant, FullBatchPoint[]>> = {};
  results.fullBatch = { iterations: ITER, train: data.train.n, lr: 0.3, layout: [784, 25, 10], runs };
  for (const v of (values.variants ?? 'fixed,paper,slope1').split(',') as Variant[]) {
    if (!['fixed', 'paper', 'slope1'].includes(v)) throw new Error(`--variants: expected fixed, paper or slope1, got '${v}'`);
    runs[v] = fullBatch(v, 1);
    save();
  }
}
