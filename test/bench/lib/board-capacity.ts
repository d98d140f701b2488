/**
 * RAM/flash table per board: the largest MNIST MLP 784-H-10 (one hidden layer; sigmoid, p-GAF-BP,
 * plain SGD — momentum would double the weight memory) whose training memory fits the board's
 * WebAssembly linear-memory budget, with the bytes from the engine's own plan:
 *   linear = align8(heapBase) + sizeofTrainingMemory() + 784 (input buffer) ≤ usableLinearBytes(board)
 *   (wasm3: the whole budget; WAMR: whole 64 KiB pages of it, see linear-budget.ts)
 * and the flash it takes: runtime (wasm3 143 KB, measured; WAMR interpreter ~59 KiB of code, research notes) +
 * module + weights file (compiled in as C arrays); and the RAM the board must hold for it, linear memory +
 * the runtime's share (host/deploy/runtime-ram.ts: for wasm3 value stack + compiled code + runtime + C stack),
 * which `spintrain build` checks against the board's RAM.
 * The accuracy column is filled by a benchmark (fillAccuracy); until then it reads "pending (bench)".
 */
import type { BoardProfile } from '../../../boards/board-profile.ts';
import { defaultNetworkConfig, type NetworkConfig } from '../../../host/engine/config.ts';
import { measureTrainingMemory } from '../../../host/deploy/board-module.ts';
import { usableLinearBytes, WASM_PAGE_BYTES } from '../../../host/deploy/linear-budget.ts';
import { runtimeRam } from '../../../host/deploy/runtime-ram.ts';

/**
 * Code size of the runtimes [bytes]. wasm3: 143 KB, measured outside the project on qemu mps2-an385 (Cortex-M3) with
 * wasm3 built from source (the ~8 KB release module, 784-32-10 pgaf; host/deploy/runtime-ram.ts has its RAM), where
 * research.md had ~64 KB. WAMR interpreter: 56–59 KB .text on Cortex-M4F (research.md).
 */
export const RUNTIME_CODE_BYTES = { wasm3: 143 * 1024, wamr: 59 * 1024 } as const;

/**
 * STWT weights file size for a layout: 16 fixed + header (padded) + weights at `weightBytes` each (4, or 2 and 1
 * for --weight-bits 16 and 8: file version 2, each tensor padded to 4 bytes) + 4 per bias + 4 CRC; the header is
 * < 256 bytes here.
 */
export function weightsFileBytes(layout: number[], headerBytes = 256, weightBytes = 4): number {
  let bytes = 0;
  for (let l = 0; l + 1 < layout.length; l++) bytes += Math.ceil((layout[l] * layout[l + 1] * weightBytes) / 4) * 4 + 4 * layout[l + 1];
  return 16 + headerBytes + bytes + 4;
}

/** A board's largest MNIST MLP with narrow weights, from the narrow-weights bench (test/bench/narrow-weights.ts). */
export interface NarrowCell {
  bits: 16 | 8;
  layout: number[];
  /** Mean test accuracy over the seeds run. */
  meanAccuracy: number;
  seeds: number;
}

/** The bench record's parts narrowCells reads (lib/narrow-budget.ts NarrowReport). */
interface NarrowRecord {
  budgets: { id: string; hidden: Record<string, number> }[];
  runs: { caseId: string; bits: number; layout: number[]; testAccuracy: number }[];
}

/** Per board id: its 16- and 8-bit cells from a narrow-weights record (budgets named by board id, runs "mnist <id>"). */
export function narrowCells(record: NarrowRecord): Record<string, NarrowCell[]> {
  const out: Record<string, NarrowCell[]> = {};
  for (const b of record.budgets) {
    const cells: NarrowCell[] = [];
    for (const bits of [16, 8] as const) {
      const h = b.hidden[String(bits)];
      const runs = record.runs.filter((r) => r.caseId === `mnist ${b.id}` && r.bits === bits && r.layout[1] === h);
      if (h && runs.length) cells.push({ bits, layout: [784, h, 10], meanAccuracy: runs.reduce((a, r) => a + r.testAccuracy, 0) / runs.length, seeds: runs.length });
    }
    if (cells.length) out[b.id] = cells;
  }
  return out;
}

export interface CapacityRow {
  board: string;
  runtime: string;
  ramBytes: number;
  flashBytes: number;
  /** Linear-memory budget for the module (0 for a host-tethered board). */
  budgetBytes: number;
  /** Largest 784-H-10 that trains on the board, or null. */
  layout: number[] | null;
  linearBytes: number;
  planBytes: number;
  /** Runtime code + module + weights [bytes]. */
  flashUsedBytes: number;
  /** RAM the runtime needs besides linear memory (runtime-ram.ts) [bytes]; 0 without a layout. */
  runtimeRamBytes: number;
  /** Linear memory as the runtime allocates it + runtimeRamBytes: what `spintrain build` checks against ramBytes [bytes]. */
  ramNeedBytes: number;
  /** Test accuracy from a benchmark (fillAccuracy); null = pending. */
  accuracy: number | null;
  note?: string;
}

export function mnistNetwork(hidden: number): NetworkConfig {
  return { ...defaultNetworkConfig, layout: [784, hidden, 10], activation: 'sigmoid', output: 'softmax', algorithm: 'pgaf', momentum: 0 };
}

/** Largest H with 784-H-10 fitting `budget` bytes of linear memory (binary search on the engine's plan). */
export function largestMnistHidden(wasm: Uint8Array, budget: number): number {
  const fits = (h: number) => measureTrainingMemory(wasm, mnistNetwork(h)).linearBytes <= budget;
  if (!fits(1)) return 0;
  let lo = 1;
  let hi = 2;
  while (hi <= 8192 && fits(hi)) (lo = hi), (hi *= 2);
  hi = Math.min(hi, 8193);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function capacityRow(board: BoardProfile, wasmFor: (budget: number) => Uint8Array): CapacityRow {
  const base = { board: board.id, ramBytes: board.memory.ramBytes, flashBytes: board.memory.flashBytes, accuracy: null };
  if (board.runtime.kind === 'host-tethered') {
    return { ...base, runtime: 'none (host-tethered, Firmata)', budgetBytes: 0, layout: null, linearBytes: 0, planBytes: 0, flashUsedBytes: 0, runtimeRamBytes: 0, ramNeedBytes: 0, note: 'cannot host a WebAssembly runtime: the host trains' };
  }
  const budget = usableLinearBytes(board);
  const wasm = wasmFor(budget);
  const h = largestMnistHidden(wasm, budget);
  if (h === 0) return { ...base, runtime: board.runtime.kind, budgetBytes: budget, layout: null, linearBytes: 0, planBytes: 0, flashUsedBytes: 0, runtimeRamBytes: 0, ramNeedBytes: 0, note: 'not even 784-1-10 fits' };
  const net = mnistNetwork(h);
  const m = measureTrainingMemory(wasm, net);
  // the board module's memory is fixed at the pages the layout needs (build-board.ts)
  const ram = runtimeRam({ runtime: board.runtime.kind, moduleBytes: wasm.length, pages: Math.ceil(m.linearBytes / WASM_PAGE_BYTES), budgetBytes: budget });
  return {
    ...base, runtime: board.runtime.kind, budgetBytes: budget, layout: net.layout, linearBytes: m.linearBytes, planBytes: m.planBytes,
    flashUsedBytes: RUNTIME_CODE_BYTES[board.runtime.kind] + wasm.length + weightsFileBytes(net.layout),
    runtimeRamBytes: ram.runtimeBytes, ramNeedBytes: ram.totalBytes,
  };
}

/** Fills the accuracy column from a benchmark's results (board id → test accuracy in [0, 1]). */
export function fillAccuracy(rows: CapacityRow[], results: Record<string, number>): CapacityRow[] {
  return rows.map((r) => (r.board in results ? { ...r, accuracy: results[r.board] } : r));
}

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

/**
 * The board table. With `narrow` (narrowCells), two more columns: the largest MLP with 16- and 8-bit weights in
 * the same budget and its mean accuracy ("not run" for a board the narrow bench had no budget for).
 */
export function formatCapacityTable(rows: CapacityRow[], narrow?: Record<string, NarrowCell[]>): string {
  const head =
    '| board | runtime | RAM | flash | linear-memory budget | largest MNIST MLP | linear memory used (plan) | RAM needed: linear memory allocated + runtime | flash used (runtime + module + weights) | MNIST test accuracy |' +
    (narrow ? ' with 16-bit weights | with 8-bit weights |' : '');
  const sep = '|---|---|---|---|---|---|---|---|---|---|' + (narrow ? '---|---|' : '');
  const cell = (r: CapacityRow, bits: 16 | 8): string => {
    if (!r.layout) return '—';
    const c = narrow![r.board]?.find((x) => x.bits === bits);
    return c ? `${c.layout.join('-')}: ${(c.meanAccuracy * 100).toFixed(2)} % (mean of ${c.seeds})` : 'not run';
  };
  const lines = rows.map((r) =>
    `| ${r.board} | ${r.runtime} | ${kib(r.ramBytes)} | ${kib(r.flashBytes)} | ${r.budgetBytes ? `${r.budgetBytes} B` : '—'} | ${r.layout ? r.layout.join('-') : `— (${r.note})`} | ` +
      `${r.layout ? `${r.linearBytes} B (${r.planBytes} B)` : '—'} | ${r.layout ? `${r.ramNeedBytes} B (${r.ramNeedBytes - r.runtimeRamBytes} + ${r.runtimeRamBytes})` : '—'} | ` +
      `${r.layout ? `${r.flashUsedBytes} B` : '—'} | ${r.accuracy === null ? (r.layout ? 'pending (bench)' : '—') : `${(r.accuracy * 100).toFixed(2)} %`} |` +
      (narrow ? ` ${cell(r, 16)} | ${cell(r, 8)} |` : ''),
  );
  return [head, sep, ...lines].join('\n');
}
