/**
 * The RAM/flash table per board with its accuracy column measured: for every board that hosts a
 * WebAssembly runtime, the largest MNIST 784-H-10 whose training plan fits its linear-memory budget
 * (test/bench/lib/board-capacity.ts), trained with bp and pgaf on the benchmark's schedule; plus the
 * largest such net within 256 KiB (the "on-device training under 256 KB" line of work).
 * Called by test/bench/run.ts; runnable alone, `npx tsx test/bench/boards.ts [--quick]`, which writes the result with
 * its date, machine and commit to test/bench/results/boards-<date>.json (the README's board table cites it).
 *   npx tsx test/bench/boards.ts --from BOARDS.json [--narrow NARROW.json]
 * runs nothing: it re-renders the README's table (<!-- boards:begin --> … <!-- boards:end -->) from a recorded run,
 * with the 16- and 8-bit columns from a narrow-weights record (test/bench/narrow-weights.ts).
 */
import { BOARDS } from '../../boards/index.ts';
import { boardAscFlags, compileEngine, measureTrainingMemory } from '../../host/deploy/board-module.ts';
import { capacityRow, fillAccuracy, formatCapacityTable, largestMnistHidden, mnistNetwork, narrowCells, type CapacityRow } from './lib/board-capacity.ts';
import { usableLinearBytes } from '../../host/deploy/linear-budget.ts';
import { HYPER, runJobs, type BenchJob, type RunRecord } from './accuracy.ts';
import { machineInfo } from './lib/machine.ts';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const KIB256 = 256 * 1024;

export interface BoardBenchResult {
  rows: CapacityRow[];
  /** bp and pgaf runs of each board's net and of the 256 KiB net. */
  runs: RunRecord[];
  /** The largest 784-H-10 whose linear memory fits 256 KiB. */
  layout256k: number[];
  linear256k: number;
  table: string;
}

export async function runBoardBench(opts: { quick: boolean; log: (s: string) => void; parallel?: number; trainLimit?: number }): Promise<BoardBenchResult> {
  const modules = new Map<string, Uint8Array>();
  const wasmFor = (budget: number): Uint8Array => modules.get(boardAscFlags(budget).join(' '))!;
  for (const b of BOARDS) {
    const flags = boardAscFlags(usableLinearBytes(b));
    if (!modules.has(flags.join(' '))) modules.set(flags.join(' '), await compileEngine(flags));
  }
  const rows = BOARDS.map((b) => capacityRow(b, wasmFor));
  const h256 = largestMnistHidden(wasmFor(KIB256), KIB256);
  const layout256k = [784, h256, 10];
  const hiddens = [...new Set([...rows.filter((r) => r.layout).map((r) => r.layout![1]), h256])];
  const base = { kind: 'engine' as const, activation: 'sigmoid' as const, seed: 1, pairs: 1, quick: opts.quick, trainLimit: opts.trainLimit, epochs: opts.quick ? 1 : HYPER.epochs };
  const jobs: BenchJob[] = hiddens.flatMap((h) => (['bp', 'pgaf'] as const).map((algorithm) => ({ ...base, net: `784-${h}-10`, hidden: [h], algorithm })));
  const runs = await runJobs(jobs, { parallel: opts.parallel, log: opts.log });
  const pgafAcc = (h: number): number | undefined => runs.find((r) => r.algorithm === 'pgaf' && r.layout[1] === h)?.testAccuracy;
  const filled = fillAccuracy(
    rows,
    Object.fromEntries(rows.filter((r) => r.layout && pgafAcc(r.layout[1]) !== undefined).map((r) => [r.board, pgafAcc(r.layout![1])!])),
  );
  return {
    rows: filled,
    runs,
    layout256k,
    linear256k: measureTrainingMemory(wasmFor(KIB256), mnistNetwork(h256)).linearBytes,
    table: formatCapacityTable(filled),
  };
}

/** The README's board table block from a recorded board run and, optionally, a narrow-weights record. */
export function boardTableMarkdown(boardsFile: string, narrowFile?: string): string {
  const rec = JSON.parse(readFileSync(boardsFile, 'utf8')) as { rows: CapacityRow[] };
  const narrowRec = narrowFile ? (JSON.parse(readFileSync(narrowFile, 'utf8')) as Parameters<typeof narrowCells>[0] & { date: string; commit: string }) : undefined;
  const lines = [formatCapacityTable(rec.rows, narrowRec && narrowCells(narrowRec)), ''];
  if (narrowRec) {
    lines.push(
      `16- and 8-bit columns: \`${relativeName(narrowFile!)}\` (${narrowRec.date.slice(0, 10)}, commit ${narrowRec.commit}), the largest 784-H-10 whose ` +
        'linear memory fits the same budget on that module build, MNIST default recipe (pgaf, 20 epochs), mean of seeds 1–3; its 32-bit runs of the same ' +
        'budgets are in "Results: narrow weights" (the recipes differ slightly from this table\'s, so compare within a row of that section).',
    );
  }
  return lines.join('\n');
}

const relativeName = (f: string): string => f.replace(/^.*?(test\/bench\/results\/)/, '$1');

if (process.argv[1]?.endsWith('boards.ts') && process.argv.includes('--from')) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const readme = `${root}README.md`;
  const block = boardTableMarkdown(arg('--from')!, arg('--narrow'));
  const text = readFileSync(readme, 'utf8');
  const m = /<!-- boards:begin -->\n[\s\S]*?<!-- boards:end -->/.exec(text);
  if (!m) throw new Error('README.md has no <!-- boards:begin --> … <!-- boards:end --> block');
  writeFileSync(readme, text.replace(m[0], `<!-- boards:begin -->\n${block}\n<!-- boards:end -->`));
  process.stdout.write(`${block}\nREADME.md board table re-rendered\n`);
} else if (process.argv[1]?.endsWith('boards.ts')) {
  const quick = process.argv.includes('--quick');
  const t0 = performance.now();
  const date = new Date().toISOString();
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root }).toString().trim();
    } catch {
      return 'unknown';
    }
  })();
  const r = await runBoardBench({ quick, log: (s) => void process.stdout.write(s + '\n'), parallel: quick ? 1 : 2, trainLimit: quick ? 2000 : undefined });
  const file = `${root}test/bench/results/boards-${date.slice(0, 10)}${quick ? '-quick' : ''}.json`;
  const record = { date, command: `npx tsx test/bench/boards.ts${quick ? ' --quick' : ''}`, commit, machine: machineInfo(), seconds: (performance.now() - t0) / 1000, ...r };
  writeFileSync(file, JSON.stringify(record, null, 1) + '\n');
  process.stdout.write(`${r.table}\nwrote ${file}\n`);
}
