/**
 * Issue 17: in the authors' full-batch setup (test/bench/trainable-repro.ts: 784-25-10, sigmoid hidden and output,
 * per-output cross-entropy, lr 0.3 × batch mean, pixels/1000, their init U(±√(6/(L_in + L_out)))), which layer's
 * trainable k, c carries the gain? Not part of the test suite.
 *
 * One draw of the authors' 'authors' parameters per seed (reproParams: W1, b1, k1, c1, W2, b2, k2, c2), then the
 * same weights in every variant (paired): k, c of an untrained layer are set to 1 and 0.
 *   fixed   k = 1, c = 0 in both layers          (= trainable-repro.ts 'fixed': reproParams draws and discards them)
 *   hidden  hidden k1, c1 trained from their draw, output k2 = 1, c2 = 0   (= 'hiddenOnly')
 *   output  output k2, c2 trained from their draw, hidden k1 = 1, c1 = 0   (not in trainable-repro.ts)
 *   both    both layers trained                   (= 'authors', recorded 2026-12-01: 91.80 % at 1000)
 * Usage: npx tsx test/bench/trainable-fullbatch-layers.ts [--variants hidden,output] [--seeds 1] [--iterations 1000] [--every 100] [--record]
 *   (--record writes test/bench/results/trainable-fullbatch-layers-<date>.json, appending runs)
 * Cost: one core, ~0.25-0.3 s per iteration of 60,000 samples.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { csr } from './lib/full-batch-reference.ts';
import { Kc2Kernel } from './lib/full-batch-kc2-kernel.ts';
import { REPRO, reproParams, reproKernelCheck } from './trainable-repro.ts';

const LAYERS = { fixed: [false, false], hidden: [true, false], output: [false, true], both: [true, true] } as const;
type LayerVariant = keyof typeof LAYERS;

const { values } = parseArgs({ options: { variants: { type: 'string' }, seeds: { type: 'string' }, iterations: { type: 'string' }, every: { type: 'string' }, record: { type: 'boolean' } } });
const ITER = Number(values.iterations ?? 1000), EVERY = Number(values.every ?? 100);
const variants = (values.variants ?? 'hidden,output').split(',') as LayerVariant[];
for (const v of variants) if (!(v in LAYERS)) throw new Error(`--variants: expected ${Object.keys(LAYERS).join(', ')}, got '${v}'`);
const seeds = (values.seeds ?? '1').split(',').map(Number);
const data = loadMnist();
const check = await reproKernelCheck(csr({ ...data.train, n: 1000 }, REPRO.nIn), csr({ ...data.test, n: 100 }, REPRO.nIn), 3);
console.log(`kc2 kernel = scalar main.m iteration within ${check.toExponential(1)} (relative)`);
const train = csr(data.train, REPRO.nIn), test = csr(data.test, REPRO.nIn);
const outFile = fileURLToPath(new URL(`./results/trainable-fullbatch-layers-${new Date().toISOString().slice(0, 10)}.json`, import.meta.url));
interface Point { iteration: number; testAccuracy: number; loss: number; ranges?: Record<string, [number, number]> }
const record: { command: string[]; setup: string; kernelCheck: number; runs: { variant: LayerVariant; seed: number; iterations: number; secondsPerIteration: number; curve: Point[] }[] } =
  values.record && existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : { command: [], setup: "trainable-repro.ts: authors' main.m @759f777 rule and init, 60,000 training images, seed's 'authors' draw shared by every variant", kernelCheck: check, runs: [] };
record.command.push(`${new Date().toISOString()} npx tsx test/bench/trainable-fullbatch-layers.ts ${process.argv.slice(2).join(' ')}`);
const range = (v: Float64Array): [number, number] => [Math.min(...v), Math.max(...v)];
for (const seed of seeds) {
  for (const variant of variants) {
    const [hidden, output] = LAYERS[variant];
    const p = reproParams('authors', seed);
    if (!hidden) { p.k1.fill(1); p.c1.fill(0); }
    if (!output) { p.k2.fill(1); p.c2.fill(0); }
    const kernel = await Kc2Kernel.create(p, train, test);
    const curve: Point[] = [];
    const t0 = performance.now();
    for (let it = 1; it <= ITER; it++) {
      const loss = kernel.iterate(REPRO.lr, hidden, output);
      if (it % EVERY === 0 || it === ITER) {
        const q = kernel.read();
        const point: Point = { iteration: it, testAccuracy: kernel.testAccuracy(), loss, ...(hidden || output ? { ranges: { k1: range(q.k1), c1: range(q.c1), k2: range(q.k2), c2: range(q.c2) } } : {}) };
        curve.push(point);
        console.log(`${variant.padEnd(7)} seed ${seed} it ${it}: loss ${loss.toFixed(4)} test ${(100 * point.testAccuracy).toFixed(2)} %`);
      }
    }
    record.runs.push({ variant, seed, iterations: ITER, secondsPerIteration: (performance.now() - t0) / 1000 / ITER, curve });
    if (values.record) {
      mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
      writeFileSync(outFile, JSON.stringify(record, null, 1) + '\n');
    }
  }
}
