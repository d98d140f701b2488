/**
 * Issue 16's benchmark: narrow stored weights (16-bit Q3.12, 8-bit Q1.6, stochastically rounded updates) against
 * the 32-bit release module, on MNIST with the default recipe (`spintrain train --dataset mnist --hidden H`,
 * pgaf, 20 epochs, nothing else tuned) and on data sets the change was not tuned on.
 *
 *   npx tsx test/bench/narrow-weights.ts [--jobs 2] [--seeds 1,2,3] [--record]
 *       runs every case (two processes at a time by default; ~25 min on 2 cores), prints the tables and writes
 *       build/bench/narrow-weights.json; --record also keeps it as test/bench/results/narrow-weights-<date>.json
 *   npx tsx test/bench/narrow-weights.ts --from F      prints the tables of a recorded run
 *   ... --only PREFIX [--merge F]                      only the cases whose id starts with PREFIX; --merge puts their
 *                                                      runs into the report F (replacing that case's runs there)
 *
 * Layouts per linear-memory budget: the largest 784-H-10 whose linear memory, align8(heapBase) +
 * sizeofTrainingMemory() + 784 (the input buffer; host/deploy/board-module.ts, measureTrainingMemory), fits the
 * budget, measured on each module build (so the plan's 2 or 1 bytes per weight count; lib/narrow-budget.ts). Budgets: the boards'
 * usable linear memory (boards/*.ts: nRF52840 49,152 B, ESP32 98,304 B, Pico 163,840 B) and 128 KiB.
 * Then 784-256-10 at every width (target: 16-bit within 0.3 points of 32-bit). Held out: inverted MNIST
 * 784-256-10 (`--normalize reflect`, the IDX default) and scikit-learn's wine and breast cancer (the CLI's
 * tabular defaults, splits of seeds 1–8), the data sets of test/bench/robust.ts (which writes them to
 * build/bench/data/: run `npm run bench:robust` once if they are missing).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { WeightBits } from '../../host/engine/weight-format.ts';
import { machineInfo } from './lib/machine.ts';
import { budgets, largestHidden, linearBytes, narrowMarkdown, NARROW_BENCH_BITS as BITS, type NarrowReport, type NarrowRun } from './lib/narrow-budget.ts';
import { trainJson } from './lib/train-json.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${root}build/bench/`;
const DATA = `${OUT}data/`;
const SKLEARN = '/usr/lib/python3/dist-packages/sklearn/datasets/data/';
const { values } = parseArgs({
  options: { jobs: { type: 'string' }, seeds: { type: 'string' }, record: { type: 'boolean' }, from: { type: 'string' }, one: { type: 'string' }, only: { type: 'string' }, merge: { type: 'string' } },
});
const log = (s: string): void => void process.stderr.write(s + '\n');

interface Job {
  caseId: string;
  bits: WeightBits;
  seed: number;
  args: string[];
}

function jobs(seeds: number[]): { jobs: Job[]; table: NarrowReport['budgets'] } {
  const list: Job[] = [];
  const table: NarrowReport['budgets'] = [];
  for (const b of budgets()) {
    const hidden: Record<string, number> = {};
    for (const bits of BITS) {
      const h = largestHidden(bits, b.bytes);
      hidden[bits] = h;
      for (const seed of seeds) list.push({ caseId: `mnist ${b.id}`, bits, seed, args: ['--dataset', 'mnist', '--hidden', String(h), '--compare', 'none'] });
    }
    table.push({ ...b, hidden });
  }
  for (const bits of BITS) for (const seed of seeds) list.push({ caseId: 'mnist 784-256-10', bits, seed, args: ['--dataset', 'mnist', '--hidden', '256', '--compare', 'none'] });
  const inv = ['inv-train-images.idx', 'inv-train-labels.idx', 'inv-t10k-images.idx', 'inv-t10k-labels.idx'].map((f) => DATA + f);
  const csv = (f: string): string => DATA + f;
  // --normalize none: with the IDX default (reflect) inverted MNIST becomes MNIST again, bit for bit (the same run)
  if (inv.every(existsSync)) for (const bits of BITS) list.push({ caseId: 'held out: inverted MNIST 784-128-10, --normalize none, 10 epochs', bits, seed: 1, args: ['--dataset', inv.join(','), '--normalize', 'none', '--epochs', '10'] });
  else log('inverted MNIST missing in build/bench/data/ (npm run bench:robust writes it): skipped');
  if (existsSync(SKLEARN + 'digits.csv.gz')) for (const bits of BITS) for (let seed = 1; seed <= 8; seed++) list.push({ caseId: 'held out: digits', bits, seed, args: ['--dataset', SKLEARN + 'digits.csv.gz'] });
  else log(`${SKLEARN}digits.csv.gz missing (apt-get install python3-sklearn): skipped`);
  for (const [id, f] of [['held out: wine', 'wine_data.csv'], ['held out: breast cancer', 'breast_cancer.csv']] as const) {
    if (!existsSync(csv(f))) {
      log(`${f} missing in build/bench/data/: skipped`);
      continue;
    }
    for (const bits of BITS) for (let seed = 1; seed <= 8; seed++) list.push({ caseId: id, bits, seed, args: ['--dataset', csv(f)] });
  }
  return { jobs: list, table };
}


async function runOne(job: Job): Promise<NarrowRun> {
  const s = await trainJson([...job.args, '--weight-bits', String(job.bits), '--seed', String(job.seed), '--quiet']);
  const layout = s.config.layout;
  const mem = layout[0] === 784 && layout.length === 3 ? linearBytes(job.bits, layout[1]) : { planBytes: s.planBytes, linearBytes: NaN };
  return {
    caseId: job.caseId, bits: job.bits, seed: job.seed, layout, args: job.args.map((a) => a.replace(DATA, '').replace(SKLEARN, '')),
    testAccuracy: s.testAccuracy, planBytes: s.planBytes, linearBytes: mem.linearBytes, trainSeconds: s.trainSeconds,
    roundingDrawsPerSample: s.ops.weightUpdate.draws / s.samples,
  };
}

const pct = (x: number): string => (100 * x).toFixed(2);

if (values.one) {
  process.stdout.write(JSON.stringify(await runOne(JSON.parse(values.one) as Job)) + '\n');
} else if (values.from) {
  process.stdout.write(narrowMarkdown(JSON.parse(readFileSync(values.from, 'utf8')) as NarrowReport));
} else {
  const exec = promisify(execFile);
  const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
  const all = jobs(seeds);
  const queue = values.only ? all.jobs.filter((j) => j.caseId.startsWith(values.only!)) : all.jobs;
  const table = all.table;
  for (const b of table) log(`${b.id} (${b.bytes} B): H = ${BITS.map((bits) => `${b.hidden[bits]} at ${bits} bits`).join(', ')}`);
  const started = Date.now();
  const runs: NarrowRun[] = [];
  const worker = async (): Promise<void> => {
    for (let j = queue.shift(); j; j = queue.shift()) {
      const { stdout } = await exec(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', JSON.stringify(j)], { cwd: root, maxBuffer: 1 << 26 });
      const run = JSON.parse(stdout.trim().split('\n').pop()!) as NarrowRun;
      runs.push(run);
      log(`${run.caseId} ${run.bits}-bit seed ${run.seed} ${run.layout.join('-')}: ${pct(run.testAccuracy)}% (${run.trainSeconds.toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Number(values.jobs ?? 2) }, worker));
  const rev = (await exec('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })).stdout.trim();
  const dirty = (await exec('git', ['status', '--porcelain', '--', 'host', 'assembly'], { cwd: root })).stdout.trim() !== '';
  const order = (x: NarrowRun): string => `${x.caseId}|${String(100 - x.bits).padStart(3, '0')}|${String(x.seed).padStart(3, '0')}`;
  let earlierSeconds = 0;
  if (values.merge) {
    const old = JSON.parse(readFileSync(values.merge, 'utf8')) as NarrowReport;
    const done = new Set(runs.map((r) => r.caseId));
    runs.push(...old.runs.filter((r) => !done.has(r.caseId)));
    earlierSeconds = old.wallSeconds;
  }
  runs.sort((a, b) => (order(a) < order(b) ? -1 : 1));
  const report: NarrowReport = {
    date: new Date().toISOString(), commit: rev + (dirty ? ' (with uncommitted changes)' : ''), machine: machineInfo(),
    wallSeconds: Math.round((Date.now() - started) / 1000) + earlierSeconds, budgets: table, runs,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}narrow-weights.json`, JSON.stringify(report, null, 1) + '\n');
  if (values.record) {
    const file = `${root}test/bench/results/narrow-weights-${report.date.slice(0, 10)}.json`;
    writeFileSync(file, JSON.stringify(report, null, 1) + '\n');
    log(`recorded in ${file.slice(root.length)}`);
  }
  process.stdout.write(narrowMarkdown(report));
}
