/**
 * Why p-GAF needs residual paths in deep nets (issue 17; not part of the test suite): the mean and the spread
 * of one p-GAF step's weight change against the exact bp step, per weight node, from one network state.
 *
 * A net (host/engine/deep-presets.ts) is trained with bp for one pass over the first 100 MNIST images (seed 3,
 * lr 0.01), then from that state one more image (training image 5) is stepped N times with pgaf K = 1, each time
 * from the same weights with the draws seeded 1000 + t, and once with bp. Per weight node:
 *   ratio  = ⟨mean pgaf Δw, bp Δw⟩ / |bp Δw|²      (1 = unbiased: E[c_j/K]·2^e = f′)
 *   cos    = cosine of mean pgaf Δw and bp Δw       (→ 1 as N grows; N = 2000 gives ≥ 0.98 here)
 *   spread = √(E|pgaf Δw|²) / |bp Δw|              (the noise one step carries: each p-GAF mask between a node
 *                                                   and the output multiplies it)
 * Usage: npx tsx test/bench/deep-noise.ts [--steps 2000] [--record]   (nets cnn, resnet and plain; tanh and sigmoid)
 * Results: build/bench/deep-noise.json; --record also keeps test/bench/results/deep-noise-<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DeepEngine } from '../../host/engine/deep-engine.ts';
import { presetNodes, type DeepPreset } from '../../host/engine/deep-presets.ts';
import { loadMnist } from '../../host/data/mnist.ts';
import type { Activation, Algorithm } from '../../host/engine/config.ts';
import { machineInfo } from './lib/machine.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { steps: { type: 'string' }, record: { type: 'boolean' } } });
const N = Number(values.steps ?? 2000);
const d = loadMnist({ trainLimit: 100 });

interface NoiseRow { net: DeepPreset; activation: Activation; node: number; masksAbove: number; ratio: number; cos: number; spread: number }

function measure(net: DeepPreset, activation: Activation): NoiseRow[] {
  const nodes = presetNodes(net, [1, 28, 28], 10);
  const make = (algorithm: Algorithm): DeepEngine => new DeepEngine({ input: [1, 28, 28], nodes, activation, algorithm, pairs: 1, reluSampled: false, learningRate: 0.01, decay: 0, seed: 3 });
  const bp = make('bp');
  const pgaf = make('pgaf');
  bp.trainEpoch(bp.loadSplit({ x: d.train.x, y: d.train.y, n: 100 }));
  const snap = bp.weightNodes.map((i) => [Int32Array.from(bp.weights(i)), Int32Array.from(bp.biases(i))]);
  const restore = (e: DeepEngine): void => e.weightNodes.forEach((i, k) => { e.weights(i).set(snap[k][0]); e.biases(i).set(snap[k][1]); });
  const x = d.train.x.subarray(5 * 784, 6 * 784);
  const y = d.train.y[5];
  restore(bp);
  bp.trainSample(x, y);
  const exact = bp.weightNodes.map((i, k) => Float64Array.from(bp.weights(i), (v, j) => v - snap[k][0][j]));
  const sum = exact.map((g) => new Float64Array(g.length));
  const sq = exact.map(() => 0);
  for (let t = 0; t < N; t++) {
    restore(pgaf);
    pgaf.exports.rngSeed(1000 + t);
    pgaf.trainSample(x, y);
    pgaf.weightNodes.forEach((i, k) => {
      const w = pgaf.weights(i);
      for (let j = 0; j < w.length; j++) {
        const dw = w[j] - snap[k][0][j];
        sum[k][j] += dw;
        sq[k] += dw * dw;
      }
    });
  }
  // masks between weight node i and the output: hidden (activated) nodes at or above i, below the output
  const activated = nodes.map((n, idx) => (n.kind === 'conv' || n.kind === 'dense') && !n.linear && idx < nodes.length - 1);
  return bp.weightNodes.map((i, k) => {
    let dot = 0, nb = 0, np = 0;
    for (let j = 0; j < exact[k].length; j++) {
      const m = sum[k][j] / N;
      dot += m * exact[k][j];
      nb += exact[k][j] ** 2;
      np += m * m;
    }
    const masksAbove = net === 'resnet' ? (activated[i - 1] ? 1 : 0) : activated.slice(i - 1, nodes.length - 1).filter(Boolean).length;
    return { net, activation, node: i, masksAbove, ratio: dot / nb, cos: dot / Math.sqrt(nb * np), spread: Math.sqrt(sq[k] / N / nb) };
  });
}

const rows: NoiseRow[] = [];
for (const net of ['cnn', 'resnet', 'plain'] as const) for (const act of ['tanh', 'sigmoid'] as const) rows.push(...measure(net, act));
const table = ['| net | activation | weight node | masks on its shortest path to the output | ratio | cos | spread |', '|---|---|---|---|---|---|---|'];
for (const r of rows) table.push(`| ${r.net} | ${r.activation} | ${r.node} | ${r.masksAbove} | ${r.ratio.toFixed(3)} | ${r.cos.toFixed(3)} | ${r.spread.toFixed(2)} |`);
console.log(table.join('\n'));
const rec = { machine: machineInfo(), date: new Date().toISOString(), steps: N, rows };
mkdirSync(`${root}build/bench`, { recursive: true });
writeFileSync(`${root}build/bench/deep-noise.json`, JSON.stringify(rec, null, 1));
if (values.record) writeFileSync(`${root}test/bench/results/deep-noise-${rec.date.slice(0, 10)}.json`, JSON.stringify(rec, null, 1));
