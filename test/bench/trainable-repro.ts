/**
 * Issue 17, "the trainable-activation result": why the paper's setup gave less here, reproduced
 * with the authors' own training rule (not part of the test suite).
 *
 * Source: the authors' public MATLAB code, github.com/zhuzibn/trainable_activation_function,
 * 2022TrainableNeuon/main.m (commit 759f777, "the training of neural network with k&c in Fig. 1(d)").
 * Two differences from test/bench/trainable.ts:
 *  1. It trains a slope k and a shift c in BOTH layers, hidden (k1, c1) and output (k2, c2); the output is
 *     a2 = σ(k2(z2 + c2)) (sigmoid.m), so δ2 = k2·(a2 − y).
 *  2. randInitializeWeights(L_in, L_out) at HEAD draws U(±√(6/(L_in + L_out))), not U(±0.12) (0.12 until
 *     commit 8f8e801 "fix error in random initialization"): W1, b1 ±0.086; W2, b2 ±0.414;
 *     k1, c1 = randInitializeWeights(0, 25) ±0.490; k2, c2 = randInitializeWeights(0, 10) ±0.775.
 * The rest matches trainable.ts: 784-25-10, per-output cross-entropy, full batch, alpha 0.3 times the
 * gradient summed over the batch divided by m, 1000 iterations, pixels/1000 (their Test.mat holds uint8
 * 0..255), biases as a ones column, no regularization (removed in f48d926). --init u012 gives the old
 * U(±0.12) draw. Their saved run
 * (2022TrainableNeuon/final1.mat, predic_) reads 12.46, 33.11, 56.53, 79.79, 86.81, 88.68, 89.74,
 * 90.21, 90.85, 91.28 % test accuracy at iterations 100..1000.
 *
 * Variants (--variants, comma-separated):
 *   fixed        k = 1, c = 0 in both layers, not trained (their modee = 1; = trainable.ts 'fixed')
 *   authors      k, c ~ U(±ε) in both layers, both trained (their modee = 2)
 *   hiddenOnly   hidden k, c ~ U(±ε) trained, output k = 1, c = 0 (= trainable.ts 'paper' with --init u012)
 *   both1        k = 1 + U(±ε), c ~ U(±ε), both layers trained
 *   hidden1      hidden k = 1 + U, c ~ U trained, output fixed (= trainable.ts 'slope1' with --init u012)
 * Usage: npx tsx test/bench/trainable-repro.ts [--variants authors,fixed] [--init authors|u012] [--seeds 1,2] [--iterations 1000]
 *   [--every 100] [--train N] [--record]   (--record writes test/bench/results/trainable-repro-<date>.json)
 * Cost: one core; ~0.3 s per full-batch iteration of 60,000 samples on the machine it was written on.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { Rng } from '../../host/rng.ts';
import { csr } from './lib/full-batch-reference.ts';
import { Kc2Kernel, type CsrSplit, type Kc2Params } from './lib/full-batch-kc2-kernel.ts';

export const REPRO = { nIn: 784, H: 25, O: 10, lr: 0.3 };
/** Initial ranges: 'authors' = randInitializeWeights at the authors' HEAD, U(±√(6/(L_in + L_out))): W1 and b1 ±0.086,
 *  W2 and b2 ±0.414, k1 and c1 ±0.490, k2 and c2 ±0.775; 'u012' = U(±0.12) for everything (before commit 8f8e801). */
export type ReproInit = 'authors' | 'u012';
export type ReproVariant = 'fixed' | 'authors' | 'hiddenOnly' | 'both1' | 'hidden1';
const TRAINS: Record<ReproVariant, { hidden: boolean; output: boolean }> = {
  fixed: { hidden: false, output: false },
  authors: { hidden: true, output: true },
  hiddenOnly: { hidden: true, output: false },
  both1: { hidden: true, output: true },
  hidden1: { hidden: true, output: false },
};
/** The authors' saved run (final1.mat, predic_), test accuracy % at iterations 100, 200, …, 1000. */
export const AUTHORS_RUN = [12.46, 33.11, 56.53, 79.79, 86.81, 88.68, 89.74, 90.21, 90.85, 91.28];

/** Initial parameters in the authors' order: W1 with its bias column (neuron by neuron), k1, c1, W2 with bias, k2, c2. */
export function reproParams(variant: ReproVariant, seed: number, init: ReproInit = 'authors'): Kc2Params {
  const { nIn: n, H, O } = REPRO;
  const rng = new Rng(seed);
  // randInitializeWeights(L_in, L_out): U(−ε, ε), ε = √(6/(L_in + L_out)) at the authors' HEAD, 0.12 before 8f8e801.
  const eps = (lin: number, lout: number): number => (init === 'authors' ? Math.sqrt(6 / (lin + lout)) : 0.12);
  const draw = (e: number) => (): number => rng.uniform(-e, e);
  let u = draw(eps(n, H));
  const w1t = new Float64Array(n * H), b1 = new Float64Array(H);
  for (let j = 0; j < H; j++) { b1[j] = u(); for (let p = 0; p < n; p++) w1t[p * H + j] = u(); }
  const kc = (len: number, trained: boolean, from1: boolean): [Float64Array, Float64Array] => {
    u = draw(eps(0, len));
    const k = Float64Array.from({ length: len }, u), c = Float64Array.from({ length: len }, u);
    if (!trained) return [k.fill(1), c.fill(0)];
    if (from1) k.forEach((v, j) => (k[j] = 1 + v));
    return [k, c];
  };
  const t = TRAINS[variant], from1 = variant === 'both1' || variant === 'hidden1';
  const [k1, c1] = kc(H, t.hidden, from1);
  u = draw(eps(H, O));
  const w2 = new Float64Array(O * H), b2 = new Float64Array(O);
  for (let o = 0; o < O; o++) { b2[o] = u(); for (let j = 0; j < H; j++) w2[o * H + j] = u(); }
  const [k2, c2] = kc(O, t.output, from1);
  return { w1t, b1, w2, b2, k1, c1, k2, c2 };
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/** Scalar TypeScript iteration of the same rule (the kernel's check), literally as main.m writes it. */
export function reproReferenceIteration(p: Kc2Params, tr: CsrSplit, hidden: boolean, output: boolean): number {
  const { nIn: n, H, O, lr } = REPRO;
  const N = tr.ptr.length - 1;
  const g: Kc2Params = { w1t: new Float64Array(n * H), b1: new Float64Array(H), w2: new Float64Array(O * H), b2: new Float64Array(O), k1: new Float64Array(H), c1: new Float64Array(H), k2: new Float64Array(O), c2: new Float64Array(O) };
  const z = new Float64Array(H), a = new Float64Array(H), d1 = new Float64Array(H), dz = new Float64Array(H);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    z.set(p.b1);
    for (let q = tr.ptr[i]; q < tr.ptr[i + 1]; q++) for (let j = 0; j < H; j++) z[j] += p.w1t[tr.idx[q] * H + j] * tr.val[q];
    for (let j = 0; j < H; j++) a[j] = sig(p.k1[j] * (z[j] + p.c1[j]));
    d1.fill(0);
    for (let o = 0; o < O; o++) {
      let z2 = p.b2[o];
      for (let j = 0; j < H; j++) z2 += p.w2[o * H + j] * a[j];
      const A2a = z2 + p.c2[o], A2b = Math.exp(-p.k2[o] * A2a), a2 = 1 / (1 + A2b);
      const y = tr.labels[i] === o ? 1 : 0;
      loss -= y * Math.log(a2 + 1e-12) + (1 - y) * Math.log(1 - a2 + 1e-12);
      // main.m: dAL = −(y/a2 − (1 − y)/(1 − a2)); da2dz2 = k2·A2b/(1 + A2b)²; da2dk2 = A2a·A2b/(1 + A2b)²
      const dAL = -(y / a2 - (1 - y) / (1 - a2)), s = A2b / (1 + A2b) ** 2;
      const d = dAL * p.k2[o] * s;
      g.k2[o] += dAL * A2a * s; g.c2[o] += d; g.b2[o] += d;
      for (let j = 0; j < H; j++) { g.w2[o * H + j] += d * a[j]; d1[j] += d * p.w2[o * H + j]; }
    }
    for (let j = 0; j < H; j++) {
      const A1a = z[j] + p.c1[j], A1b = Math.exp(-p.k1[j] * A1a), s = A1b / (1 + A1b) ** 2;
      dz[j] = d1[j] * p.k1[j] * s;
      g.k1[j] += d1[j] * A1a * s; g.c1[j] += dz[j]; g.b1[j] += dz[j];
    }
    for (let q = tr.ptr[i]; q < tr.ptr[i + 1]; q++) for (let j = 0; j < H; j++) g.w1t[tr.idx[q] * H + j] += dz[j] * tr.val[q];
  }
  const sc = lr / N;
  const sub = (key: keyof Kc2Params): void => p[key].forEach((v, q) => (p[key][q] = v - sc * g[key][q]));
  (['w1t', 'b1', 'w2', 'b2'] as const).forEach(sub);
  if (hidden) { sub('k1'); sub('c1'); }
  if (output) { sub('k2'); sub('c2'); }
  return loss / N;
}

/** Kernel against the scalar iteration, `iterations` steps of the 'authors' variant; throws above 1e-9 relative. */
export async function reproKernelCheck(train: CsrSplit, test: CsrSplit, iterations: number): Promise<number> {
  const ref = reproParams('authors', 3);
  const kernel = await Kc2Kernel.create(ref, train, test);
  let worst = 0;
  for (let it = 0; it < iterations; it++) {
    const lr = reproReferenceIteration(ref, train, true, true), lk = kernel.iterate(REPRO.lr, true, true);
    worst = Math.max(worst, Math.abs(lr - lk) / Math.abs(lr));
  }
  const got = kernel.read();
  for (const key of Object.keys(ref) as (keyof Kc2Params)[]) ref[key].forEach((v, q) => (worst = Math.max(worst, Math.abs(v - got[key][q]) / Math.max(1e-3, Math.abs(v)))));
  if (!(worst < 1e-9)) throw new Error(`kc2 kernel disagrees with the scalar iteration: ${worst}`);
  return worst;
}

interface Point { iteration: number; testAccuracy: number; loss: number; ranges?: Record<string, [number, number]> }
interface Run { variant: ReproVariant; init: ReproInit; seed: number; iterations: number; train: number; secondsPerIteration: number; curve: Point[] }

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { variants: { type: 'string' }, seeds: { type: 'string' }, iterations: { type: 'string' }, every: { type: 'string' }, train: { type: 'string' }, init: { type: 'string' }, record: { type: 'boolean' }, out: { type: 'string' } } });
  const ITER = Number(values.iterations ?? 1000), EVERY = Number(values.every ?? 100);
  const variants = (values.variants ?? 'fixed,authors').split(',') as ReproVariant[];
  for (const v of variants) if (!(v in TRAINS)) throw new Error(`--variants: expected ${Object.keys(TRAINS).join(', ')}, got '${v}'`);
  const seeds = (values.seeds ?? '1').split(',').map(Number);
  const init = (values.init ?? 'authors') as ReproInit;
  if (init !== 'authors' && init !== 'u012') throw new Error(`--init: expected authors or u012, got '${init}'`);
  const data = loadMnist({ trainLimit: values.train ? Number(values.train) : undefined });
  const check = await reproKernelCheck(csr({ ...data.train, n: 1000 }, REPRO.nIn), csr({ ...data.test, n: 100 }, REPRO.nIn), 3);
  console.log(`kc2 kernel = scalar main.m iteration within ${check.toExponential(1)} (relative)`);
  const train = csr(data.train, REPRO.nIn), test = csr(data.test, REPRO.nIn);
  const date = new Date().toISOString().slice(0, 10);
  const outFile = values.out ?? fileURLToPath(new URL(`./results/trainable-repro-${date}.json`, import.meta.url));
  const record: { source: string; authorsRun: number[]; kernelCheck: number; runs: Run[] } =
    values.record && existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : { source: 'github.com/zhuzibn/trainable_activation_function 2022TrainableNeuon/main.m @759f777', authorsRun: AUTHORS_RUN, kernelCheck: check, runs: [] };
  const range = (v: Float64Array): [number, number] => [Math.min(...v), Math.max(...v)];
  for (const seed of seeds) {
    for (const variant of variants) {
      const t = TRAINS[variant];
      const kernel = await Kc2Kernel.create(reproParams(variant, seed, init), train, test);
      const curve: Point[] = [];
      const t0 = performance.now();
      for (let it = 1; it <= ITER; it++) {
        const loss = kernel.iterate(REPRO.lr, t.hidden, t.output);
        if (it === 1) console.log(`${variant} (init ${init}) seed ${seed}: first iteration ${((performance.now() - t0) / 1000).toFixed(2)} s`);
        if (it % EVERY === 0 || it === ITER) {
          const p = kernel.read();
          const point: Point = { iteration: it, testAccuracy: kernel.testAccuracy(), loss };
          if (t.hidden || t.output) point.ranges = { k1: range(p.k1), c1: range(p.c1), k2: range(p.k2), c2: range(p.c2) };
          curve.push(point);
          console.log(`${variant.padEnd(10)} ${init} seed ${seed} it ${it}: loss ${loss.toFixed(4)} test ${(100 * point.testAccuracy).toFixed(2)} %` + (point.ranges ? ' ' + Object.entries(point.ranges).map(([k, r]) => `${k} [${r[0].toFixed(2)}, ${r[1].toFixed(2)}]`).join(' ') : ''));
        }
      }
      const run: Run = { variant, init, seed, iterations: ITER, train: data.train.n, secondsPerIteration: (performance.now() - t0) / 1000 / ITER, curve };
      record.runs.push(run);
      if (values.record) {
        mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
        writeFileSync(outFile, JSON.stringify(record, null, 1) + '\n');
      }
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
