/**
 * Why p-GAF-BP stands where it does against sparse backprop (issue 18; not part of the test suite): the quality of
 * each method's hidden-layer gradient estimate on a real, partially trained network, in closed form (no Monte
 * Carlo; the formulas are in test/bench/lib/sparse-fidelity.ts's header).
 *
 * Network: MNIST 784-256-10, sigmoid hidden, softmax output, trained with bp in the deep module exactly as
 * test/bench/sparse.ts trains its bp point (DeepEngine, host/train/deep-trainer.ts trainDeep: the same initial
 * weights, sample order and rates; lr 0.1 on both layers, decay 0.1/epoch, seed --seed). After each epoch in
 * --epochs the weights are read out (Q24 → float64) and, over the first --test test samples, the exact g_j = ∂L/∂a_j
 * and σ′_j of every hidden unit give, per method and knob, the relative expected squared error R of the first-layer
 * weight gradient (mean, bias part, variance part, median, pooled) and the expected kept fraction:
 *   pgaf K (--pairs), topk f (--topk), random p (--random), adaptive S_min:S_max:ζ (--adaptive; ζ^λ with λ = 1 here),
 *   and at each p-GAF K's mean kept fraction: random, topk and the oracle unbiased keep (rates ∝ |δ|).
 * Each epoch of training takes about 30 s; the closed forms a few seconds per snapshot.
 *
 * Usage: npx tsx test/bench/sparse-fidelity.ts [--epochs 1,5] [--test 2000] [--seed 1] [--pairs 1,2,4,8]
 *          [--topk 0.01,0.03,0.1,0.2] [--random 0.05,0.1,0.35] [--adaptive 0.005:0.05:1,0.01:0.1:1,0.05:0.5:1,0.1:0.9:0.5]
 *          [--train N (the first N training samples; default all 60,000)] [--record]
 *        npx tsx test/bench/sparse-fidelity.ts --markdown FILE [--readme]   prints the Markdown tables of a results file
 *          (--readme: puts them in README.md between <!-- sparse-fidelity:begin --> and <!-- sparse-fidelity:end -->)
 * Writes build/bench/sparse-fidelity.json; --record also copies it to test/bench/results/sparse-fidelity-<date>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { replaceReadmeSection } from './lib/readme-section.ts';
import { loadMnist } from '../../host/data/mnist.ts';
import { DeepEngine } from '../../host/engine/deep-engine.ts';
import type { DeepConfig } from '../../host/engine/deep-config.ts';
import { defaultLearningRates } from '../../host/commands/train-defaults.ts';
import { trainDeep } from '../../host/train/deep-trainer.ts';
import { machineInfo } from './lib/machine.ts';
import {
  fidelityMarkdown, fidelityRows, forwardSample, sigmaPrimeStats, snapshotOf, unitGradients,
  type FidelityKnobs, type FidelityRecord, type FidelitySnapshot, type UnitGradients,
} from './lib/sparse-fidelity.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${root}build/bench/`;
const HIDDEN = 256;
const CLASSES = 10;

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const list = (s: string): number[] => s.split(',').filter(Boolean).map(Number);

function knobsOf(v: { pairs: string; topk: string; random: string; adaptive: string }): FidelityKnobs {
  const adaptive = v.adaptive.split(',').filter(Boolean).map((s) => {
    const [minRatio, maxRatio, damping] = s.split(':').map(Number);
    return { minRatio, maxRatio, damping: damping ?? 1 };
  });
  // λ: the weight nodes above the hidden node (assembly/select.ts adaptiveKeep): the output only
  return { pairs: list(v.pairs), topk: list(v.topk), random: list(v.random), adaptive, depth: 1 };
}

/** The closed forms on the engine's current weights over the first n test samples. */
function measure(engine: DeepEngine, test: { x: Uint8Array; y: Uint8Array }, n: number, epoch: number, engineTestAccuracy: number, knobs: FidelityKnobs): FidelitySnapshot {
  const t0 = performance.now();
  const net = snapshotOf(engine);
  const inputs = net.inputs;
  const samples: UnitGradients[] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const f = forwardSample(net, test.x.subarray(i * inputs, (i + 1) * inputs), test.y[i]);
    if (f.predicted === test.y[i]) correct++;
    samples.push(unitGradients(f.g, f.s, f.xNorm2));
  }
  const rows = fidelityRows(samples, knobs);
  const used = samples.filter((u) => u.energy > 0).length;
  console.log(`  epoch ${epoch}: closed forms over ${n} samples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { epoch, engineTestAccuracy, floatAccuracy: correct / n, samples: used, skipped: n - used, sigmaPrime: sigmaPrimeStats(samples), rows };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '1,5' }, test: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' },
      pairs: { type: 'string', default: '1,2,4,8' }, topk: { type: 'string', default: '0.01,0.03,0.1,0.2' }, random: { type: 'string', default: '0.05,0.1,0.35' },
      adaptive: { type: 'string', default: '0.005:0.05:1,0.01:0.1:1,0.05:0.5:1,0.1:0.9:0.5' },
      train: { type: 'string' }, record: { type: 'boolean' }, markdown: { type: 'string' }, readme: { type: 'boolean' },
    },
  });
  if (values.markdown) {
    const rec = JSON.parse(readFileSync(values.markdown, 'utf8')) as FidelityRecord;
    const text = fidelityMarkdown(rec, `${relative(root, values.markdown)}${values.readme ? ' --readme' : ''}`);
    if (!values.readme) return void console.log(text);
    const path = `${root}README.md`;
    writeFileSync(path, replaceReadmeSection(readFileSync(path, 'utf8'), 'sparse-fidelity', text));
    console.log(`README.md: sparse-fidelity section from ${values.markdown}`);
    return;
  }
  const epochs = list(values.epochs);
  if (!epochs.length || !epochs.every((e) => Number.isInteger(e) && e >= 1)) throw new Error(`--epochs: positive integers, got ${values.epochs}`);
  const seed = Number(values.seed);
  const knobs = knobsOf(values);
  const data = loadMnist(values.train !== undefined ? { trainLimit: Number(values.train) } : {});
  const n = Math.min(Number(values.test), data.test.n);
  const rates = defaultLearningRates('images', 'bp', 1, 2);
  const decay = 0.1;
  // test/bench/sparse.ts train(): the bp point of case mnist-1h
  const config: DeepConfig = {
    input: [1, 28, 28], nodes: [{ kind: 'dense', units: HIDDEN, learningRate: rates[0] }, { kind: 'dense', units: CLASSES, learningRate: rates[1] }],
    activation: 'sigmoid', algorithm: 'bp', pairs: 1, reluSampled: false, learningRate: rates[0], decay, seed,
  };
  const engine = new DeepEngine(config);
  const snapshots: FidelitySnapshot[] = [];
  const t0 = performance.now();
  trainDeep(engine, data, {
    epochs: Math.max(...epochs),
    onEpoch: (e) => {
      const done = e.epoch + 1;
      console.log(`bp seed ${seed} epoch ${done}: test ${(e.testAccuracy * 100).toFixed(2)}% ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      if (epochs.includes(done)) snapshots.push(measure(engine, data.test, n, done, e.testAccuracy, knobs));
    },
  });
  const rec: FidelityRecord = {
    date: new Date().toISOString(), commit: commit(), machine: machineInfo(),
    command: `npx tsx test/bench/sparse-fidelity.ts ${process.argv.slice(2).join(' ')}`.trim(),
    network: { data: 'mnist', layout: [784, HIDDEN, CLASSES], activation: 'sigmoid', algorithm: 'bp', seed, rates, decay, trainSamples: data.train.n },
    testSamples: n, knobs, snapshots,
  };
  mkdirSync(OUT, { recursive: true });
  const results = `${OUT}sparse-fidelity.json`;
  writeFileSync(results, JSON.stringify(rec, null, 1));
  console.log(`wrote ${results}\n`);
  let source = relative(root, results);
  if (values.record) {
    const path = `${root}test/bench/results/sparse-fidelity-${rec.date.slice(0, 10)}.json`;
    writeFileSync(path, JSON.stringify(rec, null, 1));
    console.log(`recorded ${path}\n`);
    source = relative(root, path);
  }
  console.log(fidelityMarkdown(rec, source));
}

main();
