/**
 * Accuracy, operations and energy of bp vs pgaf on MNIST in the fixed-point WASM engine, with the
 * float64 TypeScript reference beside it. Called by test/bench/run.ts; runnable alone:
 *   npx tsx test/bench/accuracy.ts [--quick]
 */
import { loadDataset, type Dataset } from '../../host/data/index.ts';
import { train, type TrainResult } from '../../host/train/trainer.ts';
import { defaultNetworkConfig, type Activation, type Algorithm, type NetworkConfig } from '../../host/engine/config.ts';
import { backwardMulAdd, keptFraction } from '../../host/engine/counters.ts';
import { ReferenceMlp } from '../harness/reference-mlp.ts';
import { energyPerSample, type EnergyBreakdown } from '../../host/energy/energy-model.ts';
import { Rng } from '../../host/rng.ts';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The schedule, the same family for both algorithms: lr_l(epoch) = lr_l / (1 + decay·epoch).
 * bp: 0.1 in every layer (its best in our sweeps). pgaf: 0.1 on the output layer, lower on the
 * hidden layers: a kept p-GAF gradient is 1/σ′ times larger than bp's on the neurons that keep it,
 * so bp's hidden rate saturates them (see README, "Benchmark choices").
 */
export const HYPER = {
  epochs: 20,
  decay: 0.1,
  bpRate: 0.1,
  pgafHiddenRate: 0.01,
  /** pgaf: rate factor per hidden layer below the top one, γ = min(1, depthFactor·K). */
  depthFactor: 0.3,
  outputRate: 0.1,
  /** The variance-reduced variant shown beside the paper's K = 1: K pairs per neuron, hidden lr × K. */
  pairsVariant: 4,
  /** Epochs of the tanh/ReLU runs and of the float reference (slower: float64 in plain TypeScript). */
  sideEpochs: 10,
  referenceEpochs: 5,
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
  /** pgaf pairs per neuron K (1 = the paper). */
  pairs?: number;
}

export function configFor(layout: number[], algorithm: Algorithm, activation: Activation, seed: number, pairs = 1): NetworkConfig {
  const L = layout.length - 1;
  // pgaf: K pairs divide the gradient's variance by K, so the hidden rate scales with K; tanh's kept
  // gradient is ×4, so its rate is /4. pgaf with ReLU is the exact 0/1 mask (bp's derivative): bp's rate.
  // Stacked masks compound the variance downwards, so with K = 1 each hidden layer below the top
  // one gets γ = 0.3 times the rate of the layer above (γ = min(1, 0.3·K)); bp keeps one rate.
  const sampled = algorithm === 'pgaf' && activation !== 'relu';
  const top = sampled ? HYPER.pgafHiddenRate * pairs * (activation === 'tanh' ? 0.25 : 1) : HYPER.bpRate;
  const gamma = sampled ? Math.min(1, HYPER.depthFactor * pairs) : 1;
  const hidden = Array.from({ length: L - 1 }, (_v, l) => top * gamma ** (L - 2 - l));
  const learningRate = [...hidden, sampled ? HYPER.outputRate : HYPER.bpRate];
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

/** One training run of the benchmark, run in its own process when the bench runs in parallel. */
export interface BenchJob {
  kind: 'engine' | 'reference';
  net: string;
  hidden: number[];
  algorithm: Algorithm;
  activation: Activation;
  seed: number;
  epochs: number;
  pairs: number;
  quick: boolean;
  trainLimit?: number;
}

export function loadBenchData(job: Pick<BenchJob, 'quick' | 'trainLimit'>): Dataset {
  return loadDataset('mnist', job.quick ? { trainLimit: job.trainLimit ?? 6000, testLimit: job.trainLimit ? 500 : 2000 } : {});
}

/** Runs one job in this process. */
export async function runJob(job: BenchJob, data = loadBenchData(job)): Promise<RunRecord> {
  const layout = [784, ...job.hidden, 10];
  const config = { ...configFor(layout, job.algorithm, job.activation, job.seed, job.pairs), pairs: job.pairs };
  if (job.kind === 'reference') return trainReference(data, config, job.epochs);
  const r = await train(data, config, { epochs: job.epochs, curve: { every: job.quick ? Math.ceil(data.train.n / 6) : 5000, epochs: 1 } });
  return { ...record(job.net, r), pairs: job.pairs };
}

/** The benchmark's jobs: every depth × bp/pgaf (sigmoid), K = 4 pairs, tanh and ReLU, the float reference. */
export function benchJobs(opts: { quick: boolean; trainLimit?: number }): BenchJob[] {
  const epochs = opts.quick ? 1 : HYPER.epochs;
  const nets = opts.quick ? NETS.map((n) => ({ ...n, seeds: [1] })).slice(0, opts.trainLimit ? 1 : 2) : NETS;
  const base = { quick: opts.quick, trainLimit: opts.trainLimit, pairs: 1, epochs };
  const jobs: BenchJob[] = [];
  for (const n of nets) {
    for (const seed of n.seeds) {
      for (const algorithm of ['bp', 'pgaf'] as const) jobs.push({ ...base, kind: 'engine', net: n.name, hidden: n.hidden, algorithm, activation: 'sigmoid', seed });
    }
    jobs.push({ ...base, kind: 'engine', net: n.name, hidden: n.hidden, algorithm: 'pgaf', activation: 'sigmoid', seed: 1, pairs: HYPER.pairsVariant });
  }
  const one = nets[0];
  const sideEpochs = opts.quick ? 1 : HYPER.sideEpochs;
  for (const activation of ['tanh', 'relu'] as const) {
    for (const algorithm of ['bp', 'pgaf'] as const) jobs.push({ ...base, kind: 'engine', net: one.name, hidden: one.hidden, algorithm, activation, seed: 1, epochs: sideEpochs });
  }
  for (const algorithm of ['bp', 'pgaf'] as const) {
    jobs.push({ ...base, kind: 'reference', net: 'float reference', hidden: one.hidden, algorithm, activation: 'sigmoid', seed: 1, epochs: opts.quick ? 1 : HYPER.referenceEpochs });
  }
  return jobs;
}

/** Runs a job in a child process (node --import tsx), returning its record. */
function runJobInChild(job: BenchJob): Promise<RunRecord> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--job', JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench job ${JSON.stringify(job)} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as RunRecord);
    });
  });
}

function describe(r: RunRecord): string {
  return (
    `${r.net === 'float reference' ? 'float reference ' : ''}${r.layout.join('-')} ${r.activation} ${r.algorithm}${r.pairs && r.pairs > 1 ? ` K=${r.pairs}` : ''} seed ${r.seed}, ${r.epochs} epochs: ` +
    `test ${(100 * r.testAccuracy).toFixed(2)}%  backward ${r.backwardOpsPerSample.toFixed(0)} ops/sample  ` +
    `kept ${(r.perEpoch[r.perEpoch.length - 1]?.keptFraction ?? []).map((k) => (100 * k).toFixed(1) + '%').join('/')}`
  );
}

/** Runs jobs `parallel` at a time (in child processes when > 1), in order of the list. */
export async function runJobs(jobs: BenchJob[], opts: { parallel?: number; log: (s: string) => void; data?: Dataset }): Promise<RunRecord[]> {
  const parallel = Math.max(1, opts.parallel ?? 1);
  const data = parallel > 1 || jobs.length === 0 ? undefined : (opts.data ?? loadBenchData(jobs[0]));
  const runs: RunRecord[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      runs[i] = parallel > 1 ? await runJobInChild(jobs[i]) : await runJob(jobs[i], data);
      opts.log(describe(runs[i]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return runs;
}

/** Runs every benchmark job. */
export async function runAccuracyBench(opts: { quick: boolean; log?: (s: string) => void; trainLimit?: number; parallel?: number }): Promise<AccuracyResult> {
  const log = opts.log ?? ((s: string) => process.stdout.write(s + '\n'));
  const data = loadBenchData(opts);
  const runs = await runJobs(benchJobs(opts), { parallel: opts.parallel, log, data });
  return { hyper: HYPER, quick: opts.quick, trainSamples: data.train.n, testSamples: data.test.n, runs };
}

const jobArg = process.argv.indexOf('--job');
if (jobArg > 0) {
  const rec = await runJob(JSON.parse(process.argv[jobArg + 1]) as BenchJob);
  process.stdout.write(JSON.stringify(rec) + '\n');
} else if (process.argv[1]?.endsWith('accuracy.ts')) {
  const r = await runAccuracyBench({ quick: process.argv.includes('--quick'), parallel: 2 });
  process.stdout.write(JSON.stringify(r.runs.map((x) => [x.layout.join('-'), x.algorithm, x.activation, x.testAccuracy])) + '\n');
}
