/**
 * Bytes of linear memory the module can really use on a board:
 *   wasm3: runtime->memoryLimit caps the allocation at any byte count, so the whole budget
 *          (runtime.wasmMemoryLimitBytes) is usable, even below one 64 KiB page;
 *   WAMR:  allocates whole 64 KiB pages (it may cut memory only at __heap_base, and only for modules
 *          that never read memory.size — the engine reads it in scheduleTrainingMemory), so only
 *          ⌊budget / 65536⌋ pages are usable.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';

export const WASM_PAGE_BYTES = 65536;

export function usableLinearBytes(board: BoardProfile): number {
  const rt = board.runtime;
  if (rt.kind === 'host-tethered') return 0;
  return rt.kind === 'wasm3' ? rt.wasmMemoryLimitBytes : Math.floor(rt.wasmMemoryLimitBytes / WASM_PAGE_BYTES) * WASM_PAGE_BYTES;
}
