/**
 * Deep networks in the deep module (issue 17; assembly/deep.ts): a small CNN on MNIST, and a deep residual
 * net against a plain net of the same depth, bp against pgaf K = 1 (not part of the test suite).
 *
 * Nets (--net): host/engine/deep-presets.ts's cnn, resnet (4 blocks: 10 weight layers) and plain (the same without skips).
 * Data (--data): mnist (60k/10k; --validate: the first 50k train, the last 10k of the training set are the
 * test set, so settings are chosen without the test set), digits (scikit-learn's 8×8 digits as Debian's
 * python3-sklearn ships them, 0..16 scaled to 0..255, the 1,437/360 split of robust.ts's seed 1: the data set
 * nobody tuned on). Every epoch: a fresh shuffle from the seed, then test accuracy.
 * The epoch loop is the CLI's (host/train/deep-trainer.ts trainDeep).
 * Per run: accuracy per epoch, backward multiplies+adds per sample (activation gradient, delta propagation,
 * update; counters.ts), kept fraction of hidden units, energy per sample (host/energy, Horowitz 45 nm + MTJ
 * draws), seconds.
 *
 * Usage: npx tsx test/bench/deep.ts --net cnn --data mnist --algos bp,pgaf --seeds 1 --epochs 10 --lr 0.02 [--lr-pgaf 0.02]
 *          [--out NAME (build/bench/NAME.json)] [--lr-out X] [--lr-out-pgaf X] (the output node's own rate) [--gamma G] [--gamma-pgaf G] (hidden rates: lr at the
 *          top hidden weight node, ×G per weight node below) [--decay 0.3] [--shift S (random ±S-pixel shifts of the training images each epoch)] [--activation tanh] [--validate] [--tag NAME] [--record]
 *        npx tsx test/bench/deep.ts --from FILE     prints the tables of a recorded run
 * Results accumulate in build/bench/deep.json; --record also keeps them as test/bench/results/deep-<date>.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { DeepEngine } from '../../host/engine/deep-engine.ts';
import type { DeepConfig, DeepNode } from '../../host/engine/deep-config.ts';
import { DEEP_PRESETS, presetNodes, withRates, type DeepPreset } from '../../host/engine/deep-presets.ts';
import type { Activation, Algorithm } from '../../host/engine/config.ts';
import { trainDeep } from '../../host/train/deep-trainer.ts';
import { machineInfo } from './lib/machine.ts';
import { loadDigits } from './lib/digits.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${root}build/bench/`;
let RESULTS = `${OUT}deep.json`;

interface Split { x: Uint8Array; y: Uint8Array; n: number }
interface Data { name: string; shape: [number, number, number]; train: Split; test: Split }
export interface DeepRow {
  tag: string; net: string; data: string; algorithm: Algorithm; activation: Activation; seed: number; lr: number; lrOut: number; gamma: number; decay: number;
  epochs: number; shift?: number; accuracy: number[]; trainAccuracy: number[]; backwardOpsPerSample: number; forwardOpsPerSample: number;
  keptFraction: number; backwardEnergyPj: number; totalEnergyPj: number; seconds: number; date: string;
}

function nodes(net: string, shape: [number, number, number]): DeepNode[] {
  if (!(DEEP_PRESETS as readonly string[]).includes(net)) throw new Error(`--net: ${DEEP_PRESETS.join(', ')}, got ${net}`);
  return presetNodes(net as DeepPreset, shape, 10);
}

function digits(): Data {
  return { name: 'digits', shape: [1, 8, 8], ...loadDigits() };
}

function mnist(validate: boolean): Data {
  const d = loadMnist();
  if (!validate) return { name: 'mnist', shape: [1, 28, 28], train: d.train, test: d.test };
  const n = 50000;
  const train = { x: d.train.x.subarray(0, n * 784), y: d.train.y.subarray(0, n), n };
  const test = { x: d.train.x.subarray(n * 784), y: d.train.y.subarray(n), n: d.train.n - n };
  return { name: 'mnist-validation', shape: [1, 28, 28], train, test };
}

function run(data: Data, net: string, algorithm: Algorithm, activation: Activation, seed: number, lr: number, lrOut: number | undefined, gamma: number, decay: number, epochs: number, shift: number, tag: string): DeepRow {
  const ns = withRates(nodes(net, data.shape), lr, lrOut, gamma);
  const config: DeepConfig = { input: data.shape, nodes: ns, activation, algorithm, pairs: 1, reluSampled: false, learningRate: lr, decay, seed };
  const t0 = performance.now();
  // the CLI's epoch loop (host/train/deep-trainer.ts): the same order, shifts and counters as `spintrain deep train`
  const r = trainDeep(new DeepEngine(config), data, {
    epochs,
    shift,
    onEpoch: (e) => console.log(`  ${tag} ${net} ${data.name} ${algorithm} seed ${seed} epoch ${e.epoch + 1}: test ${(e.testAccuracy * 100).toFixed(2)}% (train ${(e.trainAccuracy * 100).toFixed(2)}%) ${((performance.now() - t0) / 1000).toFixed(0)} s`),
  });
  return {
    tag, net, data: data.name, algorithm, activation, seed, lr, lrOut: lrOut ?? lr, gamma, decay, epochs, ...(shift > 0 ? { shift } : {}),
    accuracy: r.epochs.map((e) => e.testAccuracy), trainAccuracy: r.epochs.map((e) => e.trainAccuracy),
    backwardOpsPerSample: r.backwardOpsPerSample, forwardOpsPerSample: r.forwardOpsPerSample,
    keptFraction: r.keptFraction, backwardEnergyPj: r.energy.backward, totalEnergyPj: r.energy.total,
    seconds: (performance.now() - t0) / 1000, date: new Date().toISOString(),
  };
}

function table(rows: DeepRow[]): string {
  const out = ['| tag | net | data | activation | algorithm | seed | lr (output) | epochs | test accuracy (last) | best | backward ops/sample | kept | backward energy nJ/sample |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    out.push(`| ${r.tag} | ${r.net} | ${r.data} | ${r.activation} | ${r.algorithm} | ${r.seed} | ${r.lr} (${r.lrOut ?? r.lr})${(r.gamma ?? 1) !== 1 ? `, γ ${r.gamma}` : ''} | ${r.epochs}${r.shift ? `, shift ±${r.shift}` : ''} | ${(r.accuracy[r.accuracy.length - 1] * 100).toFixed(2)}% | ${(Math.max(...r.accuracy) * 100).toFixed(2)}% | ${Math.round(r.backwardOpsPerSample).toLocaleString('en-US')} | ${(r.keptFraction * 100).toFixed(1)}% | ${(r.backwardEnergyPj / 1000).toFixed(1)} |`);
  }
  return out.join('\n');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      net: { type: 'string' }, data: { type: 'string' }, algos: { type: 'string' }, seeds: { type: 'string' }, epochs: { type: 'string' }, lr: { type: 'string' },
      'lr-pgaf': { type: 'string' }, 'lr-out': { type: 'string' }, 'lr-out-pgaf': { type: 'string' }, gamma: { type: 'string' }, 'gamma-pgaf': { type: 'string' }, decay: { type: 'string' }, shift: { type: 'string' }, activation: { type: 'string' }, validate: { type: 'boolean' }, tag: { type: 'string' }, out: { type: 'string' }, record: { type: 'boolean' }, from: { type: 'string' },
    },
  });
  if (values.from) {
    const rec = JSON.parse(readFileSync(values.from, 'utf8')) as { rows: DeepRow[] };
    console.log(table(rec.rows));
    return;
  }
  const data = values.data === 'digits' ? digits() : mnist(values.validate ?? false);
  const net = values.net ?? 'cnn';
  const algos = (values.algos ?? 'bp,pgaf').split(',') as Algorithm[];
  const seeds = (values.seeds ?? '1').split(',').map(Number);
  const epochs = Number(values.epochs ?? 10);
  const lr = Number(values.lr ?? 0.02);
  const lrPgaf = Number(values['lr-pgaf'] ?? lr);
  const decay = Number(values.decay ?? 0.3);
  const activation = (values.activation ?? 'tanh') as Activation;
  const tag = values.tag ?? 'run';
  if (values.out) RESULTS = `${OUT}${values.out}.json`;
  mkdirSync(OUT, { recursive: true });
  const rec = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { machine: unknown; rows: DeepRow[] }) : { machine: machineInfo(), rows: [] as DeepRow[] };
  for (const seed of seeds) {
    for (const algorithm of algos) {
      const out = algorithm === 'pgaf' ? (values['lr-out-pgaf'] ?? values['lr-out']) : values['lr-out'];
      const gamma = Number((algorithm === 'pgaf' ? (values['gamma-pgaf'] ?? values.gamma) : values.gamma) ?? 1);
      const row = run(data, net, algorithm, activation, seed, algorithm === 'pgaf' ? lrPgaf : lr, out === undefined ? undefined : Number(out), gamma, decay, epochs, Number(values.shift ?? 0), tag);
      // re-read before writing: runs started side by side append to the same file
      if (existsSync(RESULTS)) rec.rows = (JSON.parse(readFileSync(RESULTS, 'utf8')) as { rows: DeepRow[] }).rows;
      rec.rows.push(row);
      writeFileSync(RESULTS, JSON.stringify(rec, null, 1));
    }
  }
  console.log(table(rec.rows.filter((r) => r.tag === tag)));
  if (values.record) {
    const path = `${root}test/bench/results/deep-${new Date().toISOString().slice(0, 10)}.json`;
    writeFileSync(path, JSON.stringify(rec, null, 1));
    console.log(`recorded ${path}`);
  }
}

main();
