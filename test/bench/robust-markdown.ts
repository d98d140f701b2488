/**
 * The README section of issue 12's benchmark (test/bench/robust.ts): the record's types, its table and
 * the issue's targets, each judged met or missed from the recorded numbers.
 */
import type { MachineInfo } from './lib/machine.ts';

export interface RobustRunResult {
  seed: number;
  testAccuracy: number;
  trainAccuracy: number;
  epochs: number;
  trainSeconds: number;
  backwardOpsPerSample: number;
  /** Kept fraction per hidden layer in the last epoch (bp: 1). */
  keptFractionLastEpoch: number[];
  /** Gain steps the kept-fraction control took (absent: control off). */
  controlSteps?: number;
}

export interface RobustRow {
  id: string;
  what: string;
  /** The arguments besides --seed and --algo (data paths relative to build/bench/data or sklearn's data). */
  args: string[];
  seeds: number[];
  runs: { pgaf?: RobustRunResult[]; bp?: RobustRunResult[] };
}

export interface RobustRun {
  date: string;
  commit: string;
  machine: MachineInfo;
  /** Wall time of the whole run (absent when its parts ran separately and were collected). */
  wallSeconds?: number;
  rows: RobustRow[];
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / Math.max(1, v.length - 1));
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const acc = (r: RobustRunResult[] | undefined): number[] => (r ?? []).map((x) => x.testAccuracy);

function cell(row: RobustRow, algo: 'pgaf' | 'bp'): string {
  const runs = row.runs[algo];
  if (!runs || runs.length === 0) return '–';
  if (row.id === 'xor') return `100% on ${runs.filter((r) => r.testAccuracy === 1).length} of ${runs.length}`;
  const a = acc(runs);
  return a.length === 1 ? pct(a[0]) : `${pct(mean(a))} ± ${(100 * sd(a)).toFixed(2)}`;
}

/** bp's backward multiplies+adds per sample ÷ pgaf's, over the row's seeds. */
function savings(row: RobustRow): number | undefined {
  const p = row.runs.pgaf;
  const b = row.runs.bp;
  if (!p?.length || !b?.length) return undefined;
  return mean(b.map((r) => r.backwardOpsPerSample)) / mean(p.map((r) => r.backwardOpsPerSample));
}

function kept(row: RobustRow): string {
  const p = row.runs.pgaf;
  if (!p?.length) return '–';
  const layers = p[0].keptFractionLastEpoch.length;
  const perLayer = Array.from({ length: layers }, (_, h) => mean(p.map((r) => r.keptFractionLastEpoch[h])));
  const steps = p.map((r) => r.controlSteps ?? 0).reduce((a, b) => a + b, 0);
  const control = p.some((r) => r.controlSteps === undefined) ? ' (control off)' : steps > 0 ? ` (${steps} control step${steps > 1 ? 's' : ''})` : '';
  return perLayer.map((k) => `${(100 * k).toFixed(1)}%`).join(' / ') + control;
}

export interface Target {
  name: string;
  value: string;
  met: boolean;
}

export function robustTargets(run: RobustRun): Target[] {
  const row = (id: string): RobustRow | undefined => run.rows.find((r) => r.id === id);
  const t: Target[] = [];
  const add = (id: string, name: string, f: (r: RobustRow) => { value: string; met: boolean }): void => {
    const r = row(id);
    if (r) t.push({ name, ...f(r) });
  };
  add('inverted-256', 'inverted MNIST 784-256-10, 20 epochs: bp ≥ 97.5%, pgaf ≥ 97.0% and within 1 point of bp', (r) => {
    const p = mean(acc(r.runs.pgaf));
    const b = mean(acc(r.runs.bp));
    return { value: `pgaf ${pct(p)}, bp ${pct(b)}`, met: b >= 0.975 && p >= 0.97 && b - p <= 0.01 };
  });
  add('mnist-256', 'MNIST 784-256-10 pgaf K = 1: ≥ 97.8% and within 0.3 points of bp', (r) => {
    const p = mean(acc(r.runs.pgaf));
    const b = mean(acc(r.runs.bp));
    return { value: `pgaf ${pct(p)}, bp ${pct(b)} (means over seeds ${r.seeds.join(', ')})`, met: p >= 0.978 && b - p <= 0.003 };
  });
  for (const id of ['deep-2', 'deep-3']) {
    add(id, `${row(id)?.what}: pgaf K = 1 ≥ 97.0%, ≥ 10× fewer backward multiplies+adds`, (r) => {
      const p = mean(acc(r.runs.pgaf));
      const s = savings(r) ?? 0;
      return { value: `pgaf ${pct(p)}, bp ${pct(mean(acc(r.runs.bp)))}, ${s.toFixed(1)}× fewer`, met: p >= 0.97 && s >= 10 };
    });
  }
  add('digits', 'digits through the CSV path: ≥ 96%, pgaf within 1 point of bp', (r) => {
    const p = mean(acc(r.runs.pgaf));
    const b = mean(acc(r.runs.bp));
    return { value: `pgaf ${pct(p)}, bp ${pct(b)}`, met: p >= 0.96 && b - p <= 0.01 };
  });
  add('xor', 'XOR, defaults: 100% on ≥ 9 of 10 seeds', (r) => {
    const n = (r.runs.pgaf ?? []).filter((x) => x.testAccuracy === 1).length;
    return { value: `pgaf ${n} of ${r.runs.pgaf?.length}, bp ${(r.runs.bp ?? []).filter((x) => x.testAccuracy === 1).length} of ${r.runs.bp?.length}`, met: n >= 9 };
  });
  add('iris', 'Iris, defaults: ≥ 94% mean over 8 splits', (r) => {
    const p = mean(acc(r.runs.pgaf));
    return { value: `pgaf ${pct(p)}, bp ${pct(mean(acc(r.runs.bp)))}`, met: p >= 0.94 };
  });
  return t;
}

export function robustMarkdown(run: RobustRun): string {
  const m = run.machine;
  const lines = [
    `Generated by \`npm run bench:robust\` (\`test/bench/robust.ts\`) from the run of ${run.date.slice(0, 10)} at commit ${run.commit}`,
    `(${m.cores} × ${m.cpu}, Node ${m.node}${run.wallSeconds === undefined ? ', parts run separately' : `, ${Math.round(run.wallSeconds / 60)} min`}), recorded in \`test/bench/results/robust-${run.date.slice(0, 10)}.json\`.`,
    'Every run is `spintrain train --json` with the CLI defaults: no flag but the data set, the seed, the algorithm and',
    'what the case names. ± is the standard deviation over seeds (each seed its own split for CSV and Iris).',
    '',
    '| case | pgaf (K = 1) | bp | pgaf kept fraction, last epoch, per hidden layer | bp ÷ pgaf backward mul+add |',
    '|---|---|---|---|---|',
    ...run.rows.map((r) => {
      const s = savings(r);
      return `| ${r.what} | ${cell(r, 'pgaf')} | ${cell(r, 'bp')} | ${kept(r)} | ${s === undefined ? '–' : `${s.toFixed(1)}×`} |`;
    }),
    '',
    '| issue 12 target | measured | |',
    '|---|---|---|',
    ...robustTargets(run).map((t) => `| ${t.name} | ${t.value} | ${t.met ? 'met' : '**missed**'} |`),
  ];
  return lines.join('\n');
}
