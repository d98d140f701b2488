/**
 * `spintrain train` with no flag but --dataset and --seed (issue 12's "defaults that work"): XOR over
 * seeds, Iris over seeded stratified splits, and held-out CSV files given on the command line (never
 * tuned on). pgaf and bp. Writes a JSON record and prints a Markdown table.
 * Run: npx tsx test/bench/defaults.ts [--out FILE] [held-out.csv ...]
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { train } from '../../host/train/trainer.ts';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined;
const heldOut = args;

async function accuracy(argv: string[]): Promise<number> {
  const job = parseTrainArgs(argv);
  return (await train(job.dataset, job.config, { epochs: job.epochs })).testAccuracy;
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / Math.max(1, v.length - 1));

interface Row { case: string; dataset: string; seeds: number[]; pgaf: number[]; bp: number[] }
const rows: Row[] = [];
const cases: [string, string, number[]][] = [
  ['XOR, seeds 1–10', 'xor', range(1, 10)],
  ['Iris, splits of seeds 1–8', 'iris', range(1, 8)],
  ['Iris, splits of seeds 9–24', 'iris', range(9, 24)],
  ...heldOut.map((f): [string, string, number[]] => [`held out: ${basename(f)}, splits of seeds 1–8`, f, range(1, 8)]),
];
for (const [name, dataset, seeds] of cases) {
  const row: Row = { case: name, dataset: basename(dataset), seeds, pgaf: [], bp: [] };
  for (const algo of ['pgaf', 'bp'] as const) {
    for (const seed of seeds) row[algo].push(await accuracy(['--dataset', dataset, '--algo', algo, '--seed', String(seed)]));
  }
  rows.push(row);
  console.error(`${name} done`);
}
const cell = (r: Row, a: 'pgaf' | 'bp') =>
  r.dataset === 'xor' ? `${r[a].filter((x) => x === 1).length}/${r[a].length} seeds at 100%` : `${(100 * mean(r[a])).toFixed(2)} ± ${(100 * sd(r[a])).toFixed(2)}%`;
const record = { when: new Date().toISOString(), node: process.version, rows };
if (out) writeFileSync(out, JSON.stringify(record, null, 1) + '\n');
console.log('| case | pgaf | bp |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.case} | ${cell(r, 'pgaf')} | ${cell(r, 'bp')} |`);
