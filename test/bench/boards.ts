/**
 * The RAM/flash table per board with its accuracy column measured: for every board that hosts a
 * WebAssembly runtime, the largest MNIST 784-H-10 whose training plan fits its linear-memory budget
 * (test/bench/lib/board-capacity.ts), trained with bp and pgaf on the benchmark's schedule; plus the
 * largest such net within 256 KiB (the "on-device training under 256 KB" line of work).
 */
import { BOARDS } from '../../boards/index.ts';
import { boardAscFlags, compileEngine, measureTrainingMemory } from '../../host/deploy/board-module.ts';
import { capacityRow, fillAccuracy, formatCapacityTable, largestMnistHidden, mnistNetwork, type CapacityRow } from './lib/board-capacity.ts';
import { usableLinearBytes } from '../../host/deploy/linear-budget.ts';
import { HYPER, runJobs, type BenchJob, type RunRecord } from './accuracy.ts';

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
