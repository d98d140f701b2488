/**
 * Benchmark of the MTJ-pair finite-difference algorithm (not part of the test suite):
 *   1. Iris, 4-16-3, ΔI sweep (Δz = ΔI·b) at the default mismatch: mean validation accuracy over 8
 *      stratified 80/20 splits, 300 epochs, lr 0.05 → build/bench/pair-step.svg
 *   2. Iris, mismatch (gain CV, offset σ = CV·1/b) × read noise sweep at Δz = 0.1 → build/bench/pair-mismatch.svg
 *   3. Iris, 4-16-3 and 4-16-16-3, pair vs exact bp with tanh, one schedule for all four: 300 epochs, lr 0.05
 *      annealed by decay 0.01 (0.05/(1 + 0.01·epoch), 0.0125 at the end), Δz 0.1, default mismatch, twins
 *      calibrated; plus pair with uncalibrated twins, and 4-16-16-3 pair on 4 more mismatch draws. With a constant
 *      lr 0.05 (sections 1–2), 4-16-16-3 reached 92.9 % (pair, uncalibrated) and 92.1 % (bp tanh) on these 8 splits.
 *   4. MNIST, 4 hidden layers (784-128-64-64-32-10): pair (twins calibrated, and not) vs exact bp with tanh,
 *      same schedule (lr 0.01, decay 0.1: tanh′ reaches 1, so the sigmoid nets' 0.1 — and 0.05 — are too
 *      large here: bp tanh stalled at 83% after 5 epochs with 0.05, and reached 97.1% with 0.01)
 * Results: build/bench/pair.json (pair-mnist.json with --skip-iris).
 * Usage: npx tsx test/bench/pair.ts [--skip-iris] [--skip-mnist] [--mnist-epochs 20] [--mnist-seeds 1,2] [--uncalibrated-epochs 2]
 *        [--uncalibrated-only] [--mnist-train N] [--splits 8] [--out NAME]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadIris } from '../../host/data/iris.ts';
import { loadMnist } from '../../host/data/mnist.ts';
import type { Dataset } from '../../host/data/index.ts';
import { SpintrainEngine, type Draws } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from '../../host/engine/config.ts';
import { simPairDraws } from '../../host/device/sim-pair-draws.ts';
import type { PairIvConfig } from '../../host/device/pair-iv-model.ts';
import type { SweepPoint } from './lib/pair-sweep-plot.ts';
import { mismatchPlot, stepPlot } from './lib/pair-plots.ts';
import { Rng } from '../../host/rng.ts';

const OUT = fileURLToPath(new URL('../../build/bench/', import.meta.url));
const { values } = parseArgs({ options: { 'skip-mnist': { type: 'boolean' }, 'skip-iris': { type: 'boolean' }, 'mnist-epochs': { type: 'string' }, 'mnist-train': { type: 'string' }, 'mnist-seeds': { type: 'string' }, 'uncalibrated-epochs': { type: 'string' }, 'uncalibrated-only': { type: 'boolean' }, out: { type: 'string' }, splits: { type: 'string' } } });
const SPLITS = Number(values.splits ?? 8);

async function trainOnce(d: Dataset, hidden: number[], algorithm: TrainingAlgorithm, seed: number, epochs: number, lr: number, step: number, iv: Partial<PairIvConfig>, decay = 0, calibrate = false, deviceSeed = seed): Promise<number> {
  const config: NetworkConfig<TrainingAlgorithm> = {
    ...defaultNetworkConfig, layout: [d.inputs, ...hidden, d.classes], activation: 'tanh', algorithm, learningRate: lr, decay, pairStep: step, seed,
  };
  const draws: Draws = algorithm === 'pair' ? simPairDraws(hidden, step, deviceSeed, iv, calibrate) : { kind: 'prng' };
  const e = new SpintrainEngine(config, draws);
  const tr = e.loadSplit(d.train);
  const te = e.loadSplit(d.test);
  const rng = new Rng((seed * 2654435761) >>> 0);
  for (let ep = 0; ep < epochs; ep++) {
    e.setEpoch(ep);
    await e.trainEpoch(tr, rng.shuffle(Int32Array.from({ length: d.train.n }, (_v, i) => i)));
  }
  return e.evaluate(te) / d.test.n;
}

/** Mean validation accuracy over the splits; split s seeds the weights, the order and (+ deviceOffset) the mismatch draw. */
async function iris(hidden: number[], algorithm: TrainingAlgorithm, step: number, iv: Partial<PairIvConfig>, { decay = 0, calibrate = false, deviceOffset = 0 } = {}): Promise<number> {
  let sum = 0;
  for (let s = 1; s <= SPLITS; s++) sum += await trainOnce(loadIris({ seed: s }), hidden, algorithm, s, 300, 0.05, step, iv, decay, calibrate, s + deviceOffset);
  return sum / SPLITS;
}

const results: Record<string, unknown> = {};
mkdirSync(OUT, { recursive: true });

if (!values['skip-iris']) {
// 1. ΔI
const stepPoints: SweepPoint[] = [];
for (const step of [0.01, 0.03, 0.1, 0.3, 1]) {
  for (const [series, iv] of [['default mismatch (2 %, 0.5 mV)', {}], ['no mismatch, no noise', { gainCv: 0, offsetSdA: 0, readNoiseV: 0 }], ['10 % mismatch, 2 mV', { gainCv: 0.1, offsetSdA: 1e-5, readNoiseV: 2e-3 }]] as const) {
    const acc = await iris([16], 'pair', step, iv);
    stepPoints.push({ series, x: step, accuracy: acc });
    console.log(`Δz ${step} ${series}: ${(100 * acc).toFixed(1)} %`);
  }
}
results.stepSweep = stepPoints;
writeFileSync(OUT + 'pair-step.svg', await stepPlot(stepPoints));

// 2. mismatch × noise
const mmPoints: SweepPoint[] = [];
for (const noise of [0, 0.5e-3, 2e-3, 5e-3]) {
  for (const cv of [0, 0.02, 0.05, 0.1, 0.2]) {
    const acc = await iris([16], 'pair', 0.1, { gainCv: cv, offsetSdA: cv * 1e-4, readNoiseV: noise });
    mmPoints.push({ series: `read noise ${noise * 1e3} mV`, x: cv, accuracy: acc });
    console.log(`mismatch ${cv} noise ${noise * 1e3} mV: ${(100 * acc).toFixed(1)} %`);
  }
}
results.mismatchSweep = mmPoints;
writeFileSync(OUT + 'pair-mismatch.svg', await mismatchPlot(mmPoints));

// 3. one and two hidden layers, pair vs the exact-bp tanh reference, same schedule. The decay is what the
//    two-hidden-layer nets need (a lower constant lr, 0.01, also works); it does not hurt one hidden layer.
const schedule = { decay: 0.01, calibrate: true };
results.iris = {
  schedule: { epochs: 300, lr: 0.05, ...schedule, step: 0.1, splits: SPLITS },
  pair1: await iris([16], 'pair', 0.1, {}, schedule),
  pair2: await iris([16, 16], 'pair', 0.1, {}, schedule),
  bpTanh1: await iris([16], 'bp', 0.1, {}, schedule),
  bpTanh2: await iris([16, 16], 'bp', 0.1, {}, schedule),
  pair1Uncalibrated: await iris([16], 'pair', 0.1, {}, { ...schedule, calibrate: false }),
  pair2Uncalibrated: await iris([16, 16], 'pair', 0.1, {}, { ...schedule, calibrate: false }),
};
// 4-16-16-3 pair on other mismatch draws (device seed = split + 1000·k), same weights and order
const pair2OtherDevices: number[] = [];
for (const k of [1, 2, 3, 4]) pair2OtherDevices.push(await iris([16, 16], 'pair', 0.1, {}, { ...schedule, deviceOffset: 1000 * k }));
results.iris = { ...(results.iris as object), pair2OtherDevices };
console.log('iris', results.iris);
}

// 4. MNIST, 4 hidden layers: pair with calibrated twins vs exact bp tanh, same schedule, per seed;
//    uncalibrated twins for --uncalibrated-epochs (default 2; --uncalibrated-only skips the rest).
if (!values['skip-mnist']) {
  const epochs = Number(values['mnist-epochs'] ?? 20);
  const seeds = (values['mnist-seeds'] ?? '1').split(',').map(Number);
  const d = loadMnist({ trainLimit: values['mnist-train'] ? Number(values['mnist-train']) : undefined });
  const hidden = [128, 64, 64, 32];
  const [lr, decay] = [0.01, 0.1];
  const runs: { seed: number; pairCalibrated: number; bpTanh: number; pairSeconds: number }[] = [];
  for (const seed of values['uncalibrated-only'] ? [] : seeds) {
    const t0 = performance.now();
    const pairCalibrated = await trainOnce(d, hidden, 'pair', seed, epochs, lr, 0.1, {}, decay, true);
    const pairSeconds = (performance.now() - t0) / 1000;
    const bpTanh = await trainOnce(d, hidden, 'bp', seed, epochs, lr, 0.1, {}, decay);
    runs.push({ seed, pairCalibrated, bpTanh, pairSeconds });
    console.log('mnist seed', seed, 'calibrated pair', pairCalibrated, 'bp tanh', bpTanh);
  }
  const uncalibratedEpochs = Number(values['uncalibrated-epochs'] ?? 2);
  const pairUncalibrated = await trainOnce(d, hidden, 'pair', seeds[0], uncalibratedEpochs, lr, 0.1, {}, decay, false);
  results.mnist = { layout: [784, ...hidden, 10], epochs, lr, decay, train: d.train.n, runs, pairUncalibrated: { epochs: uncalibratedEpochs, testAccuracy: pairUncalibrated } };
  console.log('mnist', JSON.stringify(results.mnist));
}
writeFileSync(OUT + (values.out ?? (values['skip-iris'] ? 'pair-mnist.json' : 'pair.json')), JSON.stringify(results, null, 2) + '\n');
