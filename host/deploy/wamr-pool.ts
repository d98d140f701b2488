/**
 * The WAMR pool (ST_WAMR_POOL_BYTES, spintrain_board.h): the buffer WAMR's own allocations come from with
 * Alloc_With_Pool — the loaded module (for the fast interpreter, its pre-compiled code), the module
 * instance, and the exec env with its wasm stack. Linear memory is not in it: WAMR allocates it with
 * wasm_allocate_linear_memory → os_mmap of its platform layer, which on the embedded layers (Zephyr,
 * ESP-IDF, NuttX, …) is os_malloc, the system heap (wasm_memory.c, zephyr_platform.c in WAMR 2.4.3), so
 * the board's RAM must hold pool + the module's pages × 64 KiB (+ the module's RAM copy) — wamrRamBytes.
 *
 *   pool = ⌈ 9/8 · (stack + k · module + 9 KiB) ⌉ rounded up to 1 KiB,   k = 5 (fast interpreter), 1 (classic)
 *
 * Measured (WAMR 2.4.3, x86-64, linux platform with HW bound check off, pool high-water mark via
 * wasm_runtime_get_mem_alloc_info; the release module, 8,119 B, stack 8 KiB): loading takes 39,560 B with
 * the fast interpreter (4.87 B per module byte) and 7,152 B with the classic one (0.88 B/B); the instance
 * 4,376 B; the exec env stack + 136 B (fast) or stack + 3,208 B (classic). The smallest pool that loads,
 * instantiates and trains is 54,463 B (fast) and 24,031 B (classic) at an 8 KiB stack, +8,192 B at 16 KiB
 * (so the old 32 KiB failed with the fast interpreter: "allocate memory failed"). The formula gives
 * 65,536 B and 29,696 B for that module: 20 % and 24 % above. k and the 9 KiB (instance, exec-env
 * frames, the allocator's own structures) are rounded up from those figures; the 9/8 covers the
 * allocator's block headers and fragmentation. A 32-bit microcontroller needs less than x86-64: the
 * loaded module's pointer-sized slots halve.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import { WASM_PAGE_BYTES } from './linear-budget.ts';

export type WamrInterpreter = 'fast' | 'classic';

/** Bytes of WAMR's loaded module per byte of .wasm (measured 4.87 fast, 0.88 classic; rounded up). */
export const WAMR_LOAD_FACTOR: Record<WamrInterpreter, number> = { fast: 5, classic: 1 };
/** Module instance, exec-env frames and the allocator's structures [bytes] (measured ≤ 8,687 with either interpreter). */
export const WAMR_FIXED_BYTES = 9 * 1024;
/** The wasm stack the glue gives a runtime (ST_WASM_STACK_BYTES) [bytes]. */
export const WASM_STACK_BYTES = 8 * 1024;

/** ST_WAMR_POOL_BYTES for a module of moduleBytes bytes. */
export function wamrPoolBytes(moduleBytes: number, interpreter: WamrInterpreter = 'fast', stackBytes = WASM_STACK_BYTES): number {
  const need = stackBytes + WAMR_LOAD_FACTOR[interpreter] * moduleBytes + WAMR_FIXED_BYTES;
  return Math.ceil((need * 9) / 8 / 1024) * 1024;
}

/** RAM a WAMR board needs for the module: the pool, the linear memory (whole pages, the plan's), and the module's RAM copy (WAMR patches it). */
export function wamrRamBytes(moduleBytes: number, pages: number, interpreter: WamrInterpreter = 'fast'): number {
  return wamrPoolBytes(moduleBytes, interpreter) + pages * WASM_PAGE_BYTES + moduleBytes;
}

/** The interpreter a WAMR profile names (default fast). */
export function wamrInterpreterOf(board: BoardProfile): WamrInterpreter {
  return board.runtime.kind === 'wamr' ? (board.runtime.wamrInterpreter ?? 'fast') : 'fast';
}
