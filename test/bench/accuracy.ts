/**
 * Accuracy, operations and energy of bp vs pgaf on MNIST in the fixed-point WASM engine, with the
 * float64 TypeScript reference beside it. Called by test/bench/run.ts; runnable alone:
 *   npx tsx test/bench/accuracy.ts [--quick]
 */
import { loadDataset, type Dataset } from '../../host/data/index.ts';
import { train, type TrainResult } from '../../host/train/trainer.ts';
import { defaultNetworkConfig, type Activation, type Algorithm, type NetworkConfig } from '../../host/engine/config.ts';
import { backwardMulAdd, keptFraction } from '../../host/engine/counters.ts';
import { ReferenceMlp } from '../../host/engine/reference-mlp.ts';
import { energyPerSample, type EnergyBreakdown } from '../../host/energy/energy-model.ts';
import { Rng } from '../../host/rng.ts';

/**
 * The schedule, the same family for both algorithms: lr_l(epoch) = lr_l / (1 + decay·epoch).
 * bp: 0.1 in every layer (its best in our sweeps). pgaf: 0.1 on the output layer, lower on the
 * hidden layers: a kept p-GAF gradient is 1/σ′ times larger than bp's on the neurons that keep it,
 * so bp's hidden rate saturates them (see README, "Benchmark choices").
 */
export const HYPER = {
  epochs: 15,
  decay: 0.1,
  bpRate: 0.1,
  pgafHiddenRate: 0.01,
  outputRate: 0.1,
};

export const NETS: { name: string; hidden: number[]; seeds: number[] }[] = [
  { name: '1 hidden', hidden: [256], seeds: [1, 2, 3] },
  { name: '2 hidden', hidden: [256, 128], seeds: [1] },
  { name: '3 hidden', hidden: [256, 128, 64], seeds: [1] },
];

export interface RunRecord {
  net: string;
  layout: number[];
  algorithm: Algorithm | 'float-bp' | 'float-pgaf';
  activation: Activation;
  seed: number;
  epochs: number;
  testAccuracy: number;
  trainAccuracy: number;
  perEpoch: { epoch: number; testAccuracy: number; backwardOpsPerSample: number; keptFraction: number[]; seconds: number }[];
  /** Backward multiplies + adds per training sample, averaged over the run. */
  backwardOpsPerSample: number;
  /** Backward multiplies + adds until the test accuracy first reached 90% (null: not in the curve's range). */
  opsTo90: number | null;
  samplesPerSecond: number;
  planBytes: number;
  energy?: EnergyBreakdown;
}

export function configFor(layout: number[], algorithm: Algorithm, activation: Activation, seed: number): NetworkConfig {
  const L = layout.length - 1;
  const hidden = algorithm === 'pgaf' ? HYPER.pgafHiddenRate * (activation === 'tanh' ? 0.25 : 1) : HYPER.bpRate;
  const learningRate = [...new Array<number>(L - 1).fill(hidden), algorithm === 'pgaf' ? HYPER.outputRate : HYPER.bpRate];
  return { ...defaultNetworkConfig, layout, algorithm, activation, learningRate, decay: HYPER.decay, seed };
}

function record(net: string, r: TrainResult): RunRecord {
  const first90 = r.curve.find((p) => p.testAccuracy >= 0.9);
  return {
    net,
    layout: r.config.layout,
    algorithm: r.config.algorithm,
    activation: r.config.activation,
    seed: r.config.seed,
    epochs: r.epochs.length,
    testAccuracy: r.testAccuracy,
    trainAccuracy: r.trainAccuracy,
    perEpoch: r.epochs.map((e) => ({
      epoch: e.epoch,
      testAccuracy: e.testAccuracy,
      backwardOpsPerSample: e.backwardOps / (r.samples / r.epochs.length),
      keptFraction: e.keptFraction,
      seconds: e.seconds,
    })),
    backwardOpsPerSample: backwardMulAdd(r.ops) / r.samples,
    opsTo90: first90 ? first90.backwardOps : null,
    samplesPerSecond: r.samples / r.trainSeconds,
    planBytes: r.planBytes,
    energy: energyPerSample(r.ops, r.samples),
  };
}

/** The float64 reference on the same data, order and schedule. */
function trainReference(data: Dataset, config: NetworkConfig, epochs: number): RunRecord {
  const ref = new ReferenceMlp(config);
  const shuffle = new Rng((config.seed * 2654435761) >>> 0);
  const n0 = data.inputs;
  const perEpoch: RunRecord['perEpoch'] = [];
  let seconds = 0;
  let trainCorrect = 0;
  let lastMul = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    ref.setEpoch(epoch);
    const order = shuffle.shuffle(Int32Array.from({ length: data.train.n }, (_v, i) => i));
    const t0 = performance.now();
    trainCorrect = 0;
    for (const i of order) {
      ref.setInputU8(data.train.x.subarray(i * n0, (i + 1) * n0));
      if (ref.trainStep(data.train.y[i]) === data.train.y[i]) trainCorrect++;
    }
    const dt = (performance.now() - t0) / 1000;
    seconds += dt;
    let correct = 0;
    for (let i = 0; i < data.test.n; i++) {
      ref.setInputU8(data.test.x.subarray(i * n0, (i + 1) * n0));
      if (ref.forward() === data.test.y[i]) correct++;
    }
    const ops = ref.counters.backwardMul + ref.counters.backwardAdd;
    perEpoch.push({
      epoch,
      testAccuracy: correct / data.test.n,
      backwardOpsPerSample: (ops - lastMul) / data.train.n,
      keptFraction: ref.counters.kept.map((k, h) => k / ref.counters.seen[h]),
      seconds: dt,
    });
    lastMul = ops;
  }
  const last = perEpoch[perEpoch.length - 1];
  return {
    net: 'float reference',
    layout: config.layout,
    algorithm: config.algorithm === 'bp' ? 'float-bp' : 'float-pgaf',
    activation: config.activation,
    seed: config.seed,
    epochs,
    testAccuracy: last.testAccuracy,
    trainAccuracy: trainCorrect / data.train.n,
    perEpoch,
    backwardOpsPerSample: lastMul / (epochs * data.train.n),
    opsTo90: null,
    samplesPerSecond: (epochs * data.train.n) / seconds,
    planBytes: 0,
  };
}

export interface AccuracyResult {
  hyper: typeof HYPER;
  quick: boolean;
  trainSamples: number;
  testSamples: number;
  runs: RunRecord[];
}

export async function runAccuracyBench(opts: { quick: boolean; log?: (s: string) => void; trainLimit?: number }): Promise<AccuracyResult> {
  const log = opts.log ?? ((s: string) => process.stdout.write(s + '\n'));
  const data = loadDataset('mnist', opts.quick ? { trainLimit: opts.trainLimit ?? 6000, testLimit: opts.trainLimit ? 500 : 2000 } : {});
  const epochs = opts.quick ? 1 : HYPER.epochs;
  const nets = opts.quick ? NETS.map((n) => ({ ...n, seeds: [1] })).slice(0, opts.trainLimit ? 1 : 2) : NETS;
  const runs: RunRecord[] = [];
  const go = async (net: string, hidden: number[], algorithm: Algorithm, activation: Activation, seed: number): Promise<void> => {
    const layout = [784, ...hidden, 10];
    const r = await train(data, configFor(layout, algorithm, activation, seed), {
      epochs,
      curve: { every: opts.quick ? Math.ceil(data.train.n / 6) : 5000, epochs: 1 },
    });
    const rec = record(net, r);
    runs.push(rec);
    log(
      `${layout.join('-')} ${activation} ${algorithm} seed ${seed}: test ${(100 * rec.testAccuracy).toFixed(2)}%  ` +
        `backward ${rec.backwardOpsPerSample.toFixed(0)} ops/sample  kept ${keptFraction(r.ops).map((k) => (100 * k).toFixed(1) + '%').join('/')}  ` +
        `${rec.samplesPerSecond.toFixed(0)} samples/s`,
    );
  };
  for (const n of nets) for (const seed of n.seeds) for (const algo of ['bp', 'pgaf'] as const) await go(n.name, n.hidden, algo, 'sigmoid', seed);
  for (const act of ['tanh', 'relu'] as const) for (const algo of ['bp', 'pgaf'] as const) await go('1 hidden', nets[0].hidden, algo, act, 1);
  const refEpochs = opts.quick ? 1 : HYPER.epochs;
  for (const algo of ['bp', 'pgaf'] as const) {
    const rec = trainReference(data, configFor([784, ...nets[0].hidden, 10], algo, 'sigmoid', 1), refEpochs);
    runs.push(rec);
    log(`float reference ${rec.layout.join('-')} ${algo}: test ${(100 * rec.testAccuracy).toFixed(2)}%  ${rec.samplesPerSecond.toFixed(0)} samples/s`);
  }
  return { hyper: HYPER, quick: opts.quick, trainSamples: data.train.n, testSamples: data.test.n, runs };
}

if (process.argv[1]?.endsWith('accuracy.ts')) {
  const r = await runAccuracyBench({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(r.runs.map((x) => [x.layout.join('-'), x.algorithm, x.activation, x.testAccuracy])) + '\n');
}
