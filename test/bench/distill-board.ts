/**
 * Distillation for a board-sized student (issue 17, "Distillation that helps"); not part of the test suite.
 * Every run goes through the CLI (`spintrain train … --json`, in this process: lib/train-json.ts).
 *
 *   teacher  784-256-10 bp sigmoid, lr 0.1, decay 0.3, seed 7, on the full 60k training split (--save).
 *   select   one selection seed (default 101, not among the reported seeds) on a validation split: the first
 *            50,000 training images train, the last 10,000 are the "test" set (IDX files written to
 *            build/bench/distill-board/); the student without a teacher and with one at every T × α of the grid.
 *            The MNIST test set is not looked at.
 *   final    the reported seeds (default 1–5) on the real 60k/10k split, without and with the teacher at the
 *            chosen T, α; same --seed hence same initial weights and data order in both arms.
 * Student options: CLI image defaults (bp lr 0.1; pgaf lr 0.01 hidden / 0.1 output; decay 0.1) except --epochs;
 * pgaf runs both arms with --kept-floor 0 (the kept-floor control is not available with --teacher) and --compare none.
 *
 * Usage:
 *   npx tsx test/bench/distill-board.ts --phase teacher [--teacher-epochs 8]
 *   npx tsx test/bench/distill-board.ts --phase select [--hidden 9] [--epochs 5] [--select-seed 101] [--T 2,4,8] [--alpha 0.5,0.9]
 *   npx tsx test/bench/distill-board.ts --phase final --T 4 --alpha 0.5 [--hidden 9] [--epochs 5] [--seeds 1,2,3,4,5] [--record]
 *   … --phase final … --train-limit 1800 --epochs 100   the student on the first 1,800 training images (3 %, Hinton et al.
 *            2015 §5's "soft targets as regularizers" setting), the teacher as before (all 60k)
 *   npx tsx test/bench/distill-board.ts --from FILE      prints the tables of a recorded run
 * Results accumulate in build/bench/distill-board.json; --record also keeps them as
 * test/bench/results/distill-board-<date>.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trainJson } from './lib/train-json.ts';
import { mnistDataDir } from '../../host/data/mnist.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${root}build/bench/`;
const DIR = `${OUT}distill-board/`;
const RESULTS = `${OUT}distill-board.json`;
const { values } = parseArgs({
  options: {
    phase: { type: 'string' }, 'teacher-epochs': { type: 'string' }, hidden: { type: 'string' }, epochs: { type: 'string' },
    'select-seed': { type: 'string' }, seeds: { type: 'string' }, T: { type: 'string' }, alpha: { type: 'string' },
    algos: { type: 'string' }, 'train-limit': { type: 'string' }, 'lr-scale': { type: 'string' }, record: { type: 'boolean' }, from: { type: 'string' },
  },
});

interface Run {
  phase: 'teacher' | 'select' | 'final';
  algorithm: string;
  hidden: number;
  epochs: number;
  seed: number;
  teacher: boolean;
  temperature?: number;
  alpha?: number;
  split: 'validation' | 'test';
  /** Learning rates ×lrScale of the CLI image defaults (bp 0.1; pgaf 0.01 hidden, 0.1 output), both arms. */
  lrScale: number;
  /** --train-limit: the student trains on the first N training images only (the teacher saw all 60k). */
  trainLimit?: number;
  accuracy: number;
  /** Final-epoch training accuracy (the student's fit; its gap to `accuracy` bounds what a regulariser can win). */
  trainAccuracy?: number;
  seconds: number;
  argv: string[];
}
interface Report {
  started: string;
  updated: string;
  teacher: { file: string; layout: number[]; epochs: number; testAccuracy: number } | null;
  runs: Run[];
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]): number => {
  const m = mean(v);
  return v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};

function load(): Report {
  if (existsSync(RESULTS)) return JSON.parse(readFileSync(RESULTS, 'utf8')) as Report;
  return { started: new Date().toISOString(), updated: '', teacher: null, runs: [] };
}
function save(r: Report): void {
  r.updated = new Date().toISOString();
  mkdirSync(OUT, { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(r, null, 1) + '\n');
}

/** The validation split as IDX files: training images 0..49,999 train, 50,000..59,999 "test". */
function validationFiles(): string {
  const files = ['v-train-images.idx', 'v-train-labels.idx', 'v-val-images.idx', 'v-val-labels.idx'].map((f) => DIR + f);
  if (!files.every(existsSync)) {
    mkdirSync(DIR, { recursive: true });
    const src = mnistDataDir();
    const im = readFileSync(`${src}/train-images-idx3-ubyte`);
    const lb = readFileSync(`${src}/train-labels-idx1-ubyte`);
    const images = (a: number, b: number): Buffer => {
      const h = Buffer.alloc(16);
      h.writeUInt32BE(0x803, 0); h.writeUInt32BE(b - a, 4); h.writeUInt32BE(28, 8); h.writeUInt32BE(28, 12);
      return Buffer.concat([h, im.subarray(16 + a * 784, 16 + b * 784)]);
    };
    const labels = (a: number, b: number): Buffer => {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(0x801, 0); h.writeUInt32BE(b - a, 4);
      return Buffer.concat([h, lb.subarray(8 + a, 8 + b)]);
    };
    writeFileSync(files[0], images(0, 50000)); writeFileSync(files[1], labels(0, 50000));
    writeFileSync(files[2], images(50000, 60000)); writeFileSync(files[3], labels(50000, 60000));
  }
  return files.join(',');
}

const TEACHER = `${DIR}teacher-784-256-10.stw`;

async function run(report: Report, r: Omit<Run, 'accuracy' | 'trainAccuracy' | 'seconds' | 'argv'>, dataset: string): Promise<Run> {
  const argv = ['--dataset', dataset, '--normalize', 'none', '--algo', r.algorithm, '--hidden', String(r.hidden), '--epochs', String(r.epochs), '--seed', String(r.seed), '--quiet'];
  if (r.algorithm === 'pgaf') argv.push('--kept-floor', '0', '--compare', 'none');
  if (r.trainLimit) argv.push('--train-limit', String(r.trainLimit));
  if (r.lrScale !== 1) argv.push('--lr', (r.algorithm === 'pgaf' ? [0.01, 0.1] : [0.1, 0.1]).map((x) => +(x * r.lrScale).toPrecision(6)).join(','));
  if (r.teacher) argv.push('--teacher', TEACHER, '--temperature', String(r.temperature), '--alpha', String(r.alpha));
  const t0 = Date.now();
  const s = await trainJson(argv);
  const full: Run = { ...r, accuracy: s.testAccuracy, trainAccuracy: s.trainAccuracy, seconds: (Date.now() - t0) / 1000, argv };
  report.runs.push(full);
  save(report);
  console.error(`${r.phase} ${r.algorithm} 784-${r.hidden}-10 seed ${r.seed} ${r.teacher ? `T ${r.temperature} α ${r.alpha}` : 'no teacher'}: ${(100 * full.accuracy).toFixed(2)} % (${full.seconds.toFixed(0)} s)`);
  return full;
}

function tables(report: Report): string {
  const lines: string[] = [];
  if (report.teacher) lines.push(`Teacher 784-256-10 bp, ${report.teacher.epochs} epochs: ${(100 * report.teacher.testAccuracy).toFixed(2)} % (MNIST test).`, '');
  const sel = report.runs.filter((r) => r.phase === 'select');
  if (sel.length) {
    lines.push('Selection (validation split: train 0–49,999, validate 50,000–59,999; one seed):', '', '| student | lr × | seed | epochs | teacher | T | α | validation accuracy |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of sel) lines.push(`| 784-${r.hidden}-10 ${r.algorithm} | ${r.lrScale ?? 1} | ${r.seed} | ${r.epochs} | ${r.teacher ? 'yes' : 'no'} | ${r.temperature ?? ''} | ${r.alpha ?? ''} | ${(100 * r.accuracy).toFixed(2)} % |`);
    lines.push('');
  }
  const fin = report.runs.filter((r) => r.phase === 'final');
  const groups = new Map<string, Run[]>();
  for (const r of fin) {
    const key = `${r.algorithm}|${r.hidden}|${r.epochs}|${r.lrScale ?? 1}|${r.trainLimit ?? 60000}|${r.teacher ? `${r.temperature}|${r.alpha}` : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  if (fin.length) {
    lines.push('Final (MNIST 60k/10k, test accuracy, mean ± sd over seeds; paired: same seed = same init and order):', '',
      '| student | train images | lr × | epochs | T, α | seeds | without teacher | with teacher | gain (paired mean ± sd) | gain / SE, paired | gain / SE, unpaired |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [key, withT] of groups) {
      if (!withT[0].teacher) continue;
      const [algorithm, hidden, epochs, lrs, limit] = key.split('|');
      const base = groups.get(`${algorithm}|${hidden}|${epochs}|${lrs}|${limit}|`) ?? [];
      const pairs = withT.map((w) => [base.find((b) => b.seed === w.seed), w] as const).filter((p): p is readonly [Run, Run] => p[0] !== undefined);
      if (!pairs.length) continue;
      const a = pairs.map((p) => 100 * p[0].accuracy);
      const b = pairs.map((p) => 100 * p[1].accuracy);
      const d = pairs.map((p) => 100 * (p[1].accuracy - p[0].accuracy));
      const se = sd(d) / Math.sqrt(d.length);
      // unpaired (Welch): SE of the difference of the two arms' means, ignoring that a seed pairs them
      const seU = Math.sqrt(sd(a) ** 2 / a.length + sd(b) ** 2 / b.length);
      lines.push(`| 784-${hidden}-10 ${algorithm} | ${limit} | ${lrs} | ${epochs} | ${withT[0].temperature}, ${withT[0].alpha} | ${pairs.map((p) => p[1].seed).join(',')} | ${mean(a).toFixed(2)} % ± ${sd(a).toFixed(2)} | ${mean(b).toFixed(2)} % ± ${sd(b).toFixed(2)} | ${mean(d) >= 0 ? '+' : ''}${mean(d).toFixed(2)} ± ${sd(d).toFixed(2)} points | ${se > 0 ? (mean(d) / se).toFixed(1) : '–'} | ${seU > 0 ? (mean(d) / seU).toFixed(1) : '–'} |`);
    }
  }
  return lines.join('\n') + '\n';
}

if (values.from) {
  process.stdout.write(tables(JSON.parse(readFileSync(values.from, 'utf8')) as Report));
} else {
  const report = load();
  const phase = values.phase;
  const hidden = Number(values.hidden ?? 9);
  const epochs = Number(values.epochs ?? 5);
  const algos = (values.algos ?? 'bp,pgaf').split(',');
  const lrScale = Number(values['lr-scale'] ?? 1);
  const trainLimit = values['train-limit'] === undefined ? undefined : Number(values['train-limit']);
  if (phase === 'teacher') {
    const teacherEpochs = Number(values['teacher-epochs'] ?? 8);
    mkdirSync(DIR, { recursive: true });
    const t0 = Date.now();
    const s = await trainJson(['--dataset', 'mnist', '--algo', 'bp', '--hidden', '256', '--lr', '0.1', '--decay', '0.3', '--epochs', String(teacherEpochs), '--seed', '7', '--save', TEACHER, '--quiet']);
    report.teacher = { file: TEACHER.slice(root.length), layout: [784, 256, 10], epochs: teacherEpochs, testAccuracy: s.testAccuracy };
    save(report);
    console.error(`teacher: ${(100 * s.testAccuracy).toFixed(2)} % (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  } else if (phase === 'select') {
    const seed = Number(values['select-seed'] ?? 101);
    const Ts = (values.T ?? '2,4,8').split(',').map(Number);
    const alphas = (values.alpha ?? '0.5,0.9').split(',').map(Number);
    const val = validationFiles();
    for (const algorithm of algos) {
      await run(report, { phase: 'select', algorithm, hidden, epochs, seed, teacher: false, split: 'validation', lrScale }, val);
      for (const T of Ts) for (const alpha of alphas) await run(report, { phase: 'select', algorithm, hidden, epochs, seed, teacher: true, temperature: T, alpha, split: 'validation', lrScale }, val);
    }
  } else if (phase === 'final') {
    const seeds = (values.seeds ?? '1,2,3,4,5').split(',').map(Number);
    const T = Number(values.T);
    const alpha = Number(values.alpha);
    if (!(T >= 1) || !(alpha >= 0)) throw new Error('--phase final needs --T and --alpha (one value each, chosen in --phase select)');
    for (const algorithm of algos) {
      for (const seed of seeds) {
        await run(report, { phase: 'final', algorithm, hidden, epochs, seed, teacher: false, split: 'test', lrScale, trainLimit }, 'mnist');
        await run(report, { phase: 'final', algorithm, hidden, epochs, seed, teacher: true, temperature: T, alpha, split: 'test', lrScale, trainLimit }, 'mnist');
      }
    }
  } else if (!values.record) {
    throw new Error('--phase teacher|select|final, or --record, or --from FILE');
  }
  if (values.record) {
    const file = `${root}test/bench/results/distill-board-${new Date().toISOString().slice(0, 10)}.json`;
    writeFileSync(file, JSON.stringify(report, null, 1) + '\n');
    console.error(`recorded in ${file.slice(root.length)}`);
  }
  process.stdout.write(tables(report));
}
