/**
 * p-GAF-BP against the sparse-backprop state of the art, in the same engine and the same run (issue 18; not part
 * of the test suite): accuracy against backward multiplies+adds (and backward energy) per training sample for
 * each method over a sweep of its knob, bp as the reference point. All in the deep module (assembly/deep.ts,
 * host/engine/deep-engine.ts): bp; pgaf (K pairs = DeepConfig.pairs); topk (meProp, kept fraction f); random
 * (keep probability p, δ/p); adaptive (TinyProp {S_min, S_max, ζ}).
 *
 * Cases (--cases; dense nets, DeepNode lists of {kind: 'dense', units}):
 *   mnist-1h    MNIST 784-256-10 (60k/10k)            mnist-3h    MNIST 784-256-128-64-10
 *   digits-1h   digits 64-256-10                      digits-3h   digits 64-256-128-64-10
 *   fashion-1h  Fashion-MNIST 784-256-10 (60k/10k)
 * digits: scikit-learn's 8×8 digits as Debian's python3-sklearn ships them (0..16 scaled to 0..255; the seeded
 * 80/20 split of test/bench/deep.ts, 1,438 train / 359 test: the data set nobody tuned on).
 * fashion: Zalando's Fashion-MNIST as Debian's dataset-fashion-mnist ships it (/usr/share/datasets/fashion-mnist,
 * the four IDX files, read by host/data/mnist.ts): a second data set nobody tuned on, at MNIST's size; it takes
 * MNIST's settings unchanged (images).
 * Same for every method of a seed: the initial weights (DeepEngine's initWeights(seed)), the sample order and
 * the per-epoch draw seeds (host/train/deep-trainer.ts trainDeep: DeepEpochOrder, setEpoch). Every epoch: a
 * fresh shuffle, then test accuracy.
 * Settings are the project's dense defaults (host/commands/train-defaults.ts), for every method alike:
 *   sigmoid hidden units, softmax output;
 *   MNIST (images): decay 0.1/epoch; bp, topk, random, adaptive lr 0.1 on every layer; pgaf its own default
 *     (defaultLearningRates: 0.01·K on the top hidden layer, ×min(1, 0.3K) per layer below, 0.1 on the output);
 *     default epochs 20 (one hidden layer) / 40 (three), here usually fewer (--epochs);
 *   digits (tabular, 64 features): lr 0.1 on every layer for every method, epochs ⌈36,000/1,438⌉ = 26, decay 3/26.
 * --lr X sets every layer of bp, topk, random and adaptive to X; --lr-pgaf X every hidden layer of pgaf (output
 * stays at its default unless --lr-pgaf-out). Each row records the rates it used. On MNIST, random at bp's rate
 * 0.1 saturates the sigmoids (recorded first run: 47.7–72.2% at p = 0.1, 75.8% at p = 0.2 after 3 epochs), so
 * its MNIST runs, and those of the 3-hidden-layer digits net (three masks: a bottom step ×1/p³), take
 * --random-scaled; the lr-0.1 rows stay in the record as the variant "lr 0.1". pgaf at bp's rate 0.1 saturates
 * too (MNIST 784-256-10, K = 1: 83.5%; variant "lr 0.1"), so pgaf keeps its own default rates.
 * Per run: test accuracy per epoch, backward multiplies+adds per sample (host/engine/counters.ts backwardMulAdd,
 * summed here over the per-epoch counters, so topk's and adaptive's compares are in), kept fraction, MTJ draws,
 * backward and total energy per sample (host/energy energyPerSample), seconds.
 *
 * Usage: npx tsx test/bench/sparse.ts --cases mnist-1h [--seeds 1] [--epochs E] [--train N (first N training samples)]
 *          [--methods bp,pgaf,topk,random,adaptive] [--pairs 1,2,4,8] [--topk 0.03,0.06,0.1,0.2,0.4]
 *          [--random 0.1,0.2,0.35,0.6] [--adaptive 0.02:0.2:1,0.05:0.5:1,0.1:1:1 (S_min:S_max:ζ, comma-separated)]
 *          [--lr X] [--lr-pgaf X] [--lr-pgaf-out X] [--random-scaled (random's hidden rates × p per mask at and above
 *          the layer: 0.1·p on the top hidden layer, ×p per layer below, output unchanged, so that a kept unit's
 *          step, δ/p times the rate, is bp's)] [--variant NAME (rows of a second curve of the same methods, e.g.
 *          "lr 0.1" for pgaf at bp's rate; drawn and tabulated apart)] [--out NAME (build/bench/NAME.json, default sparse)] [--record]
 *        npx tsx test/bench/sparse.ts --from FILE [--svg-dir DIR]   prints the tables of a recorded file and
 *          regenerates its plots (default DIR test/bench/results/)
 *        npx tsx test/bench/sparse.ts --merge FILE,FILE,… [--out NAME] [--record]   one results file from sweeps run
 *          side by side (e.g. one process per core, each with its own --out): rows and commands in order, the distinct
 *          commits; a run found in two files is refused
 * Runs already in the results file (same case, method, knob, seed, epochs, training samples) are skipped, so an
 * interrupted sweep resumes. --record copies the results file to test/bench/results/sparse-<date>.json and
 * writes one SVG per case to test/bench/results/sparse-<case>.svg. README section: test/bench/sparse-markdown.ts.
 * `npm run bench:sparse -- ARGS` first installs the data packages from apt (test/setup/system-tools.ts --bench:
 * python3-sklearn, dataset-fashion-mnist) and builds the modules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { DeepEngine } from '../../host/engine/deep-engine.ts';
import type { DeepConfig, DeepNode, DeepSparsity } from '../../host/engine/deep-config.ts';
import { backwardMulAdd, emptyCounters, PHASES, type OpCounters } from '../../host/engine/counters.ts';
import { defaultLearningRates } from '../../host/commands/train-defaults.ts';
import { energyPerSample } from '../../host/energy/energy-model.ts';
import { trainDeep } from '../../host/train/deep-trainer.ts';
import { machineInfo } from './lib/machine.ts';
import { loadDigits } from './lib/digits.ts';
import { layoutName, mergeRecords, pointsTable, sparseCases, summaryTable, verdicts, type SparseMethod, type SparseRecord, type SparseRow } from './lib/sparse-curves.ts';
import { sparsePlot } from './lib/sparse-plot.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${root}build/bench/`;
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

interface Split { x: Uint8Array; y: Uint8Array; n: number }
interface Data { name: string; shape: [number, number, number]; train: Split; test: Split; kind: 'images' | 'tabular' }

const CASES: Record<string, { data: 'mnist' | 'fashion' | 'digits'; hidden: number[] }> = {
  'mnist-1h': { data: 'mnist', hidden: [256] },
  'fashion-1h': { data: 'fashion', hidden: [256] },
  'mnist-3h': { data: 'mnist', hidden: [256, 128, 64] },
  'digits-1h': { data: 'digits', hidden: [256] },
  'digits-3h': { data: 'digits', hidden: [256, 128, 64] },
};

/** test/bench/lib/digits.ts: the same rows and seeded 80/20 split as test/bench/deep.ts. */
function digits(): Data {
  return { name: 'digits', shape: [1, 8, 8], kind: 'tabular', ...loadDigits() };
}

function mnist(): Data {
  const d = loadMnist();
  return { name: 'mnist', shape: [1, 28, 28], kind: 'images', train: d.train, test: d.test };
}

/** Zalando's Fashion-MNIST (60k/10k 28×28, 10 classes) from Debian's dataset-fashion-mnist, read as MNIST is. */
function fashion(): Data {
  const d = loadMnist({ dir: FASHION_DIR });
  return { name: 'fashion', shape: [1, 28, 28], kind: 'images', train: d.train, test: d.test };
}

function load(data: 'mnist' | 'fashion' | 'digits'): Data {
  return data === 'mnist' ? mnist() : data === 'fashion' ? fashion() : digits();
}

function limit(data: Data, n: number | undefined): Data {
  if (n === undefined || n >= data.train.n) return data;
  const f = data.train.x.length / data.train.n;
  return { ...data, train: { x: data.train.x.subarray(0, n * f), y: data.train.y.subarray(0, n), n } };
}

/** Counters summed over epochs, compares included (host/train/trainer.ts addCounters may drop them). */
function sumCounters(list: OpCounters[]): OpCounters {
  const t = emptyCounters(list[0].kept.length);
  for (const c of list) {
    for (const p of PHASES) {
      t[p].mul += c[p].mul;
      t[p].add += c[p].add;
      t[p].draws += c[p].draws;
      t[p].writes += c[p].writes;
      if (c[p].compares !== undefined) t[p].compares = (t[p].compares ?? 0) + c[p].compares;
    }
    c.kept.forEach((k, i) => (t.kept[i] += k));
    c.seen.forEach((s, i) => (t.seen[i] += s));
  }
  return t;
}

interface Run { method: SparseMethod; knob: string; sparsity?: DeepSparsity; pairs: number }

function knobRuns(methods: SparseMethod[], v: Record<string, string | boolean | undefined>): Run[] {
  const list = (s: string | boolean | undefined, d: string): number[] => String(s ?? d).split(',').filter(Boolean).map(Number);
  const runs: Run[] = [];
  for (const m of methods) {
    if (m === 'bp') runs.push({ method: m, knob: '', pairs: 1 });
    if (m === 'pgaf') for (const k of list(v.pairs, '1,2,4,8')) runs.push({ method: m, knob: `K=${k}`, pairs: k });
    if (m === 'topk') for (const f of list(v.topk, '0.03,0.06,0.1,0.2,0.4')) runs.push({ method: m, knob: `f=${f}`, sparsity: f, pairs: 1 });
    if (m === 'random') for (const p of list(v.random, '0.1,0.2,0.35,0.6')) runs.push({ method: m, knob: `p=${p}`, sparsity: p, pairs: 1 });
    if (m === 'adaptive') {
      for (const s of String(v.adaptive ?? '0.02:0.2:1,0.05:0.5:1,0.1:1:1').split(',').filter(Boolean)) {
        const [minRatio, maxRatio, damping] = s.split(':').map(Number);
        runs.push({ method: m, knob: `${minRatio}–${maxRatio}${damping !== 1 ? ` ζ${damping}` : ''}`, sparsity: { minRatio, maxRatio, damping }, pairs: 1 });
      }
    }
  }
  return runs;
}

/** Per weight layer (bottom first): the defaults of the data's kind (module comment) or the overrides. */
function ratesFor(run: Run, kind: 'images' | 'tabular', layers: number, v: Record<string, string | boolean | undefined>): number[] {
  if (run.method === 'pgaf') {
    const r = defaultLearningRates(kind, 'pgaf', run.pairs, layers);
    if (v['lr-pgaf'] !== undefined) r.fill(Number(v['lr-pgaf']), 0, layers - 1);
    if (v['lr-pgaf-out'] !== undefined) r[layers - 1] = Number(v['lr-pgaf-out']);
    return r;
  }
  const r = defaultLearningRates(kind, 'bp', 1, layers);
  if (v.lr !== undefined) r.fill(Number(v.lr));
  // random's δ/p multiplies a hidden layer's step by 1/p per mask at and above it: --random-scaled takes it back
  if (run.method === 'random' && v['random-scaled']) for (let l = 0; l < layers - 1; l++) r[l] *= (run.sparsity as number) ** (layers - 1 - l);
  return r;
}

function train(id: string, data: Data, hidden: number[], run: Run, seed: number, epochs: number, decay: number, rates: number[], variant?: string): SparseRow {
  const widths = [...hidden, 10];
  const nodes: DeepNode[] = widths.map((units, i) => ({ kind: 'dense', units, learningRate: rates[i] }));
  const config: DeepConfig = {
    input: data.shape, nodes, activation: 'sigmoid', algorithm: run.method, ...(run.sparsity !== undefined ? { sparsity: run.sparsity } : {}),
    pairs: run.pairs, reluSampled: false, learningRate: rates[rates.length - 2], decay, seed,
  };
  const t0 = performance.now();
  const r = trainDeep(new DeepEngine(config), data, {
    epochs,
    onEpoch: (e) => console.log(`  ${id} ${run.method}${variant ? ` (${variant})` : ''} ${run.knob} seed ${seed} epoch ${e.epoch + 1}: test ${(e.testAccuracy * 100).toFixed(2)}% (train ${(e.trainAccuracy * 100).toFixed(2)}%) kept ${(e.keptFraction * 100).toFixed(1)}% ${((performance.now() - t0) / 1000).toFixed(0)} s`),
  });
  const ops = sumCounters(r.epochs.map((e) => e.ops));
  const energy = energyPerSample(ops, r.samples);
  return {
    case: id, data: data.name, layout: [data.shape[0] * data.shape[1] * data.shape[2], ...widths], activation: 'sigmoid', algorithm: run.method, ...(variant !== undefined ? { variant } : {}), knob: run.knob,
    ...(run.sparsity !== undefined ? { sparsity: run.sparsity } : {}), ...(run.method === 'pgaf' ? { pairs: run.pairs } : {}),
    seed, epochs, trainSamples: data.train.n, testSamples: data.test.n, rates, decay,
    accuracy: r.epochs.map((e) => e.testAccuracy), trainAccuracy: r.epochs.map((e) => e.trainAccuracy),
    backwardOpsPerSample: backwardMulAdd(ops) / r.samples, forwardOpsPerSample: (ops.forward.mul + ops.forward.add) / r.samples,
    comparesPerSample: (ops.activationGradient.compares ?? 0) / r.samples, drawsPerSample: (ops.activationGradient.draws + ops.deltaPropagation.draws) / r.samples,
    keptFraction: ops.seen[0] > 0 ? ops.kept[0] / ops.seen[0] : 0, backwardEnergyPj: energy.backward, totalEnergyPj: energy.total,
    seconds: (performance.now() - t0) / 1000, date: new Date().toISOString(),
  };
}

async function writePlots(rec: SparseRecord, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const c of sparseCases(rec.rows)) {
    const path = `${dir}sparse-${c.id}.svg`;
    writeFileSync(path, await sparsePlot(c));
    console.log(`wrote ${path}`);
  }
}

function printTables(rec: SparseRecord): void {
  for (const c of sparseCases(rec.rows)) {
    console.log(`\n## ${c.id}: ${c.data} ${layoutName(c.layout)}, ${c.epochs} epoch${c.epochs > 1 ? 's' : ''} × ${c.trainSamples} samples, seeds ${c.seeds.join(', ')}\n`);
    console.log(summaryTable(c));
    console.log('');
    for (const v of verdicts(c)) console.log(`- ${v}`);
    console.log('');
    console.log(pointsTable(c));
  }
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' }, seeds: { type: 'string' }, epochs: { type: 'string' }, train: { type: 'string' }, methods: { type: 'string' },
      pairs: { type: 'string' }, topk: { type: 'string' }, random: { type: 'string' }, adaptive: { type: 'string' },
      lr: { type: 'string' }, 'random-scaled': { type: 'boolean' }, 'lr-pgaf': { type: 'string' }, 'lr-pgaf-out': { type: 'string' },
      variant: { type: 'string' }, out: { type: 'string' }, record: { type: 'boolean' }, from: { type: 'string' }, 'svg-dir': { type: 'string' },
      merge: { type: 'string' },
    },
  });
  if (values.merge) {
    const rec = mergeRecords(values.merge.split(',').map((f) => ({ file: f, rec: JSON.parse(readFileSync(f, 'utf8')) as SparseRecord })));
    const results = `${OUT}${values.out ?? 'sparse'}.json`;
    mkdirSync(OUT, { recursive: true });
    writeFileSync(results, JSON.stringify(rec, null, 1));
    console.log(`${results}: ${rec.rows.length} rows from ${values.merge}`);
    printTables(rec);
    if (values.record) await record(rec);
    return;
  }
  if (values.from) {
    const rec = JSON.parse(readFileSync(values.from, 'utf8')) as SparseRecord;
    printTables(rec);
    await writePlots(rec, values['svg-dir'] ?? `${root}test/bench/results/`);
    return;
  }
  const name = values.out ?? 'sparse';
  const results = `${OUT}${name}.json`;
  mkdirSync(OUT, { recursive: true });
  const rec: SparseRecord = existsSync(results)
    ? (JSON.parse(readFileSync(results, 'utf8')) as SparseRecord)
    : { date: new Date().toISOString(), commit: commit(), machine: machineInfo(), commands: [], rows: [] };
  rec.commands.push(`npx tsx test/bench/sparse.ts ${process.argv.slice(2).map((x) => (/\s/.test(x) ? JSON.stringify(x) : x)).join(' ')}`);
  const methods = (values.methods ?? 'bp,pgaf,topk,random,adaptive').split(',') as SparseMethod[];
  const seeds = (values.seeds ?? '1').split(',').map(Number);
  const runs = knobRuns(methods, values);
  const cache: Record<string, Data> = {};
  for (const id of (values.cases ?? 'mnist-1h').split(',')) {
    const spec = CASES[id];
    if (!spec) throw new Error(`--cases: ${Object.keys(CASES).join(', ')}, got ${id}`);
    cache[spec.data] ??= load(spec.data);
    const data = limit(cache[spec.data], values.train === undefined ? undefined : Number(values.train));
    const layers = spec.hidden.length + 1;
    const defaultEpochs = data.kind === 'images' ? (spec.hidden.length <= 1 ? 20 : spec.hidden.length === 2 ? 30 : 40) : Math.min(300, Math.max(20, Math.ceil(36000 / data.train.n)));
    const epochs = Number(values.epochs ?? defaultEpochs);
    // images: 0.1 per epoch; tabular: 3/E of the default E (train-defaults.ts), not of --epochs
    const decay = data.kind === 'images' ? 0.1 : 3 / defaultEpochs;
    for (const seed of seeds) {
      for (const run of runs) {
        const done = rec.rows.find((r) => r.case === id && r.algorithm === run.method && r.variant === values.variant && r.knob === run.knob && r.seed === seed && r.epochs === epochs && r.trainSamples === data.train.n);
        if (done) {
          console.log(`  ${id} ${run.method} ${run.knob} seed ${seed}: already in ${results}, skipped`);
          continue;
        }
        const rates = ratesFor(run, data.kind, layers, values).map((v) => Number(v.toPrecision(12)));
        const row = train(id, data, spec.hidden, run, seed, epochs, decay, rates, values.variant);
        console.log(`${id} ${run.method} ${run.knob} seed ${seed}: ${(row.accuracy[row.accuracy.length - 1] * 100).toFixed(2)}%, ${Math.round(row.backwardOpsPerSample)} backward ops/sample, ${(row.backwardEnergyPj / 1000).toFixed(2)} nJ, ${row.seconds.toFixed(0)} s`);
        rec.rows.push(row);
        writeFileSync(results, JSON.stringify(rec, null, 1));
      }
    }
  }
  writeFileSync(results, JSON.stringify(rec, null, 1));
  printTables(rec);
  if (values.record) await record(rec);
}

/** test/bench/results/sparse-<date>.json and one SVG per case. */
async function record(rec: SparseRecord): Promise<void> {
  const path = `${root}test/bench/results/sparse-${new Date().toISOString().slice(0, 10)}.json`;
  writeFileSync(path, JSON.stringify(rec, null, 1));
  console.log(`recorded ${path}`);
  await writePlots(rec, `${root}test/bench/results/`);
}

await main();
