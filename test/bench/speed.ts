/**
 * Training speed at batch 1 on 784-128-10 (sigmoid hidden, softmax/CE, SGD) on the same MNIST samples:
 * spintrain WASM bp and pgaf (trainEpoch on a loaded split, in-module PRNG), TensorFlow.js at batch 1
 * and 32, and the float64 TypeScript reference (bp and pgaf). Each row: warm-up, then a timed window;
 * repeated, and the median rate kept. rate = samples / wall seconds [samples/s].
 *
 *   npx tsx test/bench/speed.ts [--quick]      → table on stdout, JSON in build/bench/speed.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Algorithm } from '../../host/engine/config.ts';
import { BENCH_LAYOUT, BENCH_SEED, benchSamples } from './lib/bench-network.ts';
import { machineInfo, type MachineInfo } from './lib/machine.ts';
import { overallKeptFraction, totalMultiplies } from './lib/op-totals.ts';
import { referenceTrainer } from './lib/reference-trainer.ts';
import { spintrainTrainer } from './lib/spintrain-trainer.ts';
import { formatNumber, formatTable } from './lib/table.ts';
import { initTfjs, tfjsTrainer, type TfjsBackendInfo } from './lib/tfjs-trainer.ts';
import { measureRate } from './lib/timing.ts';

export const SPEED_JSON = fileURLToPath(new URL('../../build/bench/speed.json', import.meta.url));

export type SpeedRowId = 'spintrain-pgaf' | 'spintrain-bp' | 'tfjs-b1' | 'tfjs-b32' | 'reference-pgaf' | 'reference-bp';

export interface SpeedRow {
  id: SpeedRowId;
  label: string;
  batch: number;
  warmupSamples: number;
  /** Samples per timed window. */
  samples: number;
  /** Rate of each repeat [samples/s]. */
  rates: number[];
  /** Median of `rates` [samples/s]. */
  rate: number;
  /** Multiplies (= MACs) per sample from the engine counters (spintrain rows only). */
  macsPerSample?: number;
  /** Kept fraction of hidden gradients during the timed windows (pgaf rows). */
  keptFraction?: number;
}

export interface SpeedTarget {
  name: string;
  /** spintrain pgaf rate / the other rate. */
  ratio: number;
  required: number;
  met: boolean;
}

export interface SpeedResult {
  bench: 'speed';
  date: string;
  quick: boolean;
  machine: MachineInfo;
  network: { layout: number[]; hidden: 'sigmoid'; output: 'softmax'; optimizer: 'sgd'; seed: number };
  tfjs: TfjsBackendInfo;
  rows: SpeedRow[];
  /** spintrain pgaf rate / each row's rate. */
  pgafSpeedup: Record<SpeedRowId, number>;
  targets: SpeedTarget[];
  caveat: string;
}

interface Plan {
  repeats: number;
  spintrain: [warmup: number, samples: number];
  reference: [number, number];
  tfjsB1: [number, number];
  tfjsB32: [number, number];
}

const FULL: Plan = { repeats: 3, spintrain: [2000, 20000], reference: [300, 3000], tfjsB1: [200, 2000], tfjsB32: [640, 9600] };
const QUICK: Plan = { repeats: 1, spintrain: [300, 3000], reference: [50, 300], tfjsB1: [30, 200], tfjsB32: [64, 960] };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function runSpeedBench(opts: { quick: boolean; log?: (line: string) => void }): Promise<SpeedResult> {
  const log = opts.log ?? (() => {});
  const plan = opts.quick ? QUICK : FULL;
  const machine = machineInfo();
  const data = benchSamples(Math.max(plan.spintrain[1], 2000));
  const rows: SpeedRow[] = [];

  const spintrainRow = async (algorithm: Algorithm): Promise<SpeedRow> => {
    const [warmup, samples] = plan.spintrain;
    const rates: number[] = [];
    let macs = 0;
    let kept = 0;
    for (let r = 0; r < plan.repeats; r++) {
      const t = spintrainTrainer(algorithm, data);
      await t.run(warmup);
      t.resetCounters();
      rates.push((await measureRate((n) => t.run(n), 0, samples)).rate);
      const c = t.counters();
      macs = totalMultiplies(c) / samples;
      kept = overallKeptFraction(c);
    }
    return {
      id: `spintrain-${algorithm}`,
      label: `spintrain WASM ${algorithm}`,
      batch: 1,
      warmupSamples: warmup,
      samples,
      rates,
      rate: median(rates),
      macsPerSample: macs,
      ...(algorithm === 'pgaf' ? { keptFraction: kept } : {}),
    };
  };

  const referenceRow = async (algorithm: Algorithm): Promise<SpeedRow> => {
    const [warmup, samples] = plan.reference;
    const rates: number[] = [];
    let kept = 0;
    for (let r = 0; r < plan.repeats; r++) {
      const t = referenceTrainer(algorithm, data);
      await t.run(warmup);
      const k0 = t.mlp.counters.kept[0];
      const s0 = t.mlp.counters.seen[0];
      rates.push((await measureRate((n) => t.run(n), 0, samples)).rate);
      kept = (t.mlp.counters.kept[0] - k0) / Math.max(1, t.mlp.counters.seen[0] - s0);
    }
    return {
      id: `reference-${algorithm}`,
      label: `float64 TS reference ${algorithm}`,
      batch: 1,
      warmupSamples: warmup,
      samples,
      rates,
      rate: median(rates),
      ...(algorithm === 'pgaf' ? { keptFraction: kept } : {}),
    };
  };

  const tfjs = await initTfjs();
  const tfjsRow = async (batch: number, [warmup, samples]: [number, number]): Promise<SpeedRow> => {
    const rates: number[] = [];
    for (let r = 0; r < plan.repeats; r++) {
      const t = tfjsTrainer(data, batch);
      try {
        rates.push((await measureRate((n) => t.run(n), warmup, samples)).rate);
      } finally {
        t.dispose();
      }
    }
    return { id: batch === 1 ? 'tfjs-b1' : 'tfjs-b32', label: `TF.js ${tfjs.version} ${tfjs.backend} batch ${batch}`, batch, warmupSamples: warmup, samples, rates, rate: median(rates) };
  };

  for (const make of [
    () => spintrainRow('pgaf'),
    () => spintrainRow('bp'),
    () => tfjsRow(1, plan.tfjsB1),
    () => tfjsRow(32, plan.tfjsB32),
    () => referenceRow('pgaf'),
    () => referenceRow('bp'),
  ]) {
    const row = await make();
    rows.push(row);
    log(`  ${row.label}: ${formatNumber(row.rate)} samples/s`);
  }

  const rate = (id: SpeedRowId): number => rows.find((r) => r.id === id)!.rate;
  const pgaf = rate('spintrain-pgaf');
  const pgafSpeedup = Object.fromEntries(rows.map((r) => [r.id, pgaf / r.rate])) as Record<SpeedRowId, number>;
  const target = (name: string, ratio: number, required: number): SpeedTarget => ({ name, ratio, required, met: ratio >= required });
  const targets = [
    target('spintrain pgaf ≥ 20× TF.js batch 1', pgafSpeedup['tfjs-b1'], 20),
    target('spintrain pgaf ≥ 3× TF.js batch 32 (per sample)', pgafSpeedup['tfjs-b32'], 3),
    target('spintrain pgaf ahead of the float TS reference (faster of bp/pgaf)', pgaf / Math.max(rate('reference-pgaf'), rate('reference-bp')), 1),
  ];
  return {
    bench: 'speed',
    date: new Date().toISOString(),
    quick: opts.quick,
    machine,
    network: { layout: BENCH_LAYOUT, hidden: 'sigmoid', output: 'softmax', optimizer: 'sgd', seed: BENCH_SEED },
    tfjs,
    rows,
    pgafSpeedup,
    targets,
    caveat:
      `Wall-clock rates on ${machine.cores} cores with a 1-minute load average of ${machine.loadAverage1m.toFixed(2)} at the start; ` +
      'other processes share the CPU, so absolute rates are noisy (ratios less so, rows run one after another). ' +
      'pgaf speed depends on the kept fraction, which falls as training proceeds: these windows start from the seeded initialisation.',
  };
}

export function formatSpeedResult(r: SpeedResult): string {
  const table = formatTable(
    ['trainer', 'batch', 'samples', 'samples/s', 'pgaf ×', 'MACs/sample', 'kept'],
    r.rows.map((row) => [
      row.label,
      row.batch,
      row.samples,
      row.rate,
      r.pgafSpeedup[row.id],
      row.macsPerSample ?? '',
      row.keptFraction === undefined ? '' : `${(100 * row.keptFraction).toFixed(1)}%`,
    ]),
  );
  const targets = r.targets.map((t) => `  ${t.met ? 'MET    ' : 'NOT MET'}  ${t.name}: ${t.ratio.toFixed(2)}× (need ${t.required}×)`).join('\n');
  const tf = `TF.js ${r.tfjs.version}, backend ${r.tfjs.backend}` + (r.tfjs.backend === 'wasm' ? ` (SIMD ${r.tfjs.simd}, threads ${r.tfjs.threads})` : '');
  return `Training speed, ${r.network.layout.join('-')} sigmoid/softmax, SGD, MNIST${r.quick ? ' (quick)' : ''}; ${tf}\n${table}\nTargets:\n${targets}\nNote: ${r.caveat}`;
}

export function writeSpeedJson(r: SpeedResult, path = SPEED_JSON): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(r, null, 2) + '\n');
  return path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  console.log(`speed bench${quick ? ' (quick)' : ''}: running …`);
  const result = await runSpeedBench({ quick, log: console.log });
  console.log(formatSpeedResult(result));
  console.log(`wrote ${writeSpeedJson(result)}`);
}
