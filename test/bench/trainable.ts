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
 *    (host/device/activation-range.ts: k ∈ [0.8, 1.2], c ∈ [−3.07, 2.04]). Fixed rates, no selection; the
 *    784-25-10 comparison with rates and epochs chosen on a validation split, 5 paired seeds, and a host-computed
 *    trainable output layer is test/bench/trainable-sgd.ts.
 * Results: build/bench/trainable.json (or --out NAME). Usage: npx tsx test/bench/trainable.ts [--skip-full-batch] [--skip-sgd]
 *   [--variants fixed,paper,slope1] [--iterations N] [--every N] [--train N] [--sgd-epochs N] [--out NAME]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type Algorithm } from '../../host/engine/config.ts';
import { Rng } from '../../host/rng.ts';
import { simActivationRange } from '../../host/device/activation-range.ts';
import { FullBatchKernel, type CsrSplit } from './lib/full-batch-kernel.ts';
import { csr, initialParams, kernelAgainstReference, FB, VARIANTS, type FullBatchPoint, type Variant } from './lib/full-batch-reference.ts';

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
interface SgdRow { layout: number[]; algorithm: Algorithm; variant: string; seed: number; epochs: number; testAccuracy: number; seconds: number; kRange: number[]; cRange: number[] }

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
  const kernelCheck = await kernelAgainstReference(csr({ ...data.train, n: 2000 }, FB.nIn), csr({ ...data.test, n: 100 }, FB.nIn), 3);
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
