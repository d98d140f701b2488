/**
 * Bytes of linear memory the module can really use on a board:
 *   wasm3:  runtime->memoryLimit caps the allocation at any byte count, so the whole budget
 *          (runtime.wasmMemoryLimitBytes) is usable, even below one 64 KiB page;
 *   wasm2c: linear memory is a static array of any byte count (runtime/wasm_rt_static.c's
 *          ST_LINEAR_MEMORY_BYTES), every access bounds-checked against it: the whole budget, as wasm3;
 *   WAMR:  allocates whole 64 KiB pages (it may cut memory only at __heap_base, and only for modules
 *          that never read memory.size — the engine reads it in scheduleTrainingMemory), so only
 *          ⌊budget / 65536⌋ pages are usable.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';

export const WASM_PAGE_BYTES = 65536;

/** The budget for the runtime the board's profile names. */
export function usableLinearBytes(board: BoardProfile): number {
  const rt = board.runtime;
  if (rt.kind === 'host-tethered') return 0;
  return linearBudget(board, rt.kind);
}

/** The budget for a runtime a build picks (`spintrain build --runtime`). */
export function linearBudget(board: BoardProfile, runtime: 'wasm3' | 'wamr' | 'wasm2c'): number {
  const rt = board.runtime;
  if (rt.kind === 'host-tethered') return 0;
  return runtime === 'wamr' ? Math.floor(rt.wasmMemoryLimitBytes / WASM_PAGE_BYTES) * WASM_PAGE_BYTES : rt.wasmMemoryLimitBytes;
}
