/**
 * RAM the runtime and the module need on a board, by parts [bytes]. `spintrain build` refuses a board whose
 * memory.ramBytes cannot hold the total (RuntimeRamError) and lists the parts in build.json's `memory.runtime`.
 *
 *   RAM = linear memory + the runtime's heap (pool / value stack / compiled code / its own structures)
 *         + C stack + the module's RAM copy (when the runtime copies it)
 *
 *   wasm3   linear memory   = min(pages · 65536, budget)   runtime->memoryLimit caps the allocation at the budget
 *           value stack     = ST_WASM_STACK_BYTES (8 KiB)  what the glue gives m3_NewRuntime
 *           compiled code   = ⌈2.5 · module bytes⌉          wasm3 compiles each function on its first call
 *           runtime         = 12 KiB                       runtime, environment, parsed module, function table
 *           C stack         = 2 KiB
 *           module copy     = 0                            wasm3 parses the module in place (it stays in flash)
 *   wamr    linear memory   = pages · 65536                whole pages, from the platform heap (os_mmap → os_malloc)
 *           pool            = wamr-pool.ts's formula       loaded module, instance, exec env with its wasm stack
 *           module copy     = module bytes                 WAMR patches the bytecode while loading
 *           C stack         = 2 KiB                        not measured for WAMR: wasm3's figure, assumed
 *   wasm2c  linear memory   = min(pages · 65536, budget)   a static array, ST_LINEAR_MEMORY_BYTES (runtime/wasm_rt_static.c)
 *           runtime         = 1 KiB                        .bss: function-type table, trap jmp_buf, module instance
 *           C stack         = 1 KiB
 *           no heap, no module copy: the module is C code in flash
 *
 * Where the figures come from:
 *   wasm3: measured outside the project, on qemu mps2-an385 (Cortex-M3) with wasm3 built from source, the
 *     ~8 KB release module, network 784-32-10 pgaf: about 40 KB of heap beyond the linear memory, of which
 *     the 8 KiB value stack and ~20 KB of code compiled on first use; 1.9 KB of C stack; 143 KB of flash.
 *     Compiled code scales with the module: wasm3 translates each function's bytecode into its own threaded
 *     code (one operation pointer plus operand slots per instruction), so its size follows the bytecode's;
 *     20 KB / 8,119 B is 2.5 code bytes per module byte. Counting the whole module (data segments, the
 *     build record and the names compile to nothing) errs high. The remainder, 40 − 8 − 20 = 12 KiB, is
 *     taken as fixed. KB read as KiB and 1.9 KB rounded up to 2 KiB: the estimate errs high.
 *     For the 8,119-byte module: 8,192 + 20,298 + 12,288 = 40,778 B of heap.
 *   wamr: wamr-pool.ts (WAMR 2.4.3, x86-64).
 *   wasm2c: the C stack is the painted-stack high-water mark on the emulated Cortex-M3 of
 *     test/deploy/cortex-m.spec.ts, the whole program (protocol, glue and module): 712–880 B for XOR, Iris and
 *     the Iris pair run; a `--runtime wasm2c` sketch's own sources (cortex-m/st_mps2_sketch_main.c) took 664 B for
 *     XOR 2-8-2 and 680 B for 784-32-10 pgaf with env.mtj_sample draws; rounded up to 1 KiB. The runtime's statics: 630 B of .bss (arm-none-eabi-gcc 12,
 *     -mcpu=cortex-m3 -O2: wasm_rt_static.o 493 B besides linear memory, st_wasm2c.o 136 B, spintrain.o 1 B),
 *     rounded up to 1 KiB. Flash, for comparison with wasm3's 143 KB: the translated module is 14,281 B of
 *     code and read-only data, its adapter and runtime 855 B (the same build, 784-32-10 pgaf).
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import { WASM_PAGE_BYTES } from './linear-budget.ts';
import { WASM_STACK_BYTES, wamrInterpreterOf, wamrPoolBytes } from './wamr-pool.ts';
import { RuntimeRamError } from './errors.ts';

/** The runtimes `spintrain build` can emit a sketch for (`--runtime`). */
export const RUNTIME_KINDS = ['wasm3', 'wamr', 'wasm2c'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

/** wasm3's compiled code per byte of module [bytes/byte] (measured ~20 KB for the ~8 KB release module). */
export const WASM3_CODE_PER_MODULE_BYTE = 2.5;
/** wasm3's runtime, environment and parsed module, beyond the value stack and compiled code [bytes]. */
export const WASM3_RUNTIME_BYTES = 12 * 1024;
/** C stack under wasm3 [bytes] (measured 1.9 KB). */
export const WASM3_C_STACK_BYTES = 2 * 1024;
/** C stack under WAMR [bytes]: not measured, wasm3's figure. */
export const WAMR_C_STACK_BYTES = WASM3_C_STACK_BYTES;
/** C stack of the wasm2c build [bytes] (measured ≤ 880 B on the emulated Cortex-M3). */
export const WASM2C_C_STACK_BYTES = 1024;
/** The wasm2c runtime's and the instance's statics [bytes] (measured 630 B of .bss on Cortex-M3). */
export const WASM2C_RUNTIME_BYTES = 1024;

/** One part of the RAM need: `name` reads as in the error message and build.json. */
export interface RamPart {
  name: 'linear memory' | 'value stack' | 'compiled code' | 'runtime' | 'WAMR pool' | 'module copy' | 'C stack';
  bytes: number;
}

export interface RuntimeRam {
  runtime: RuntimeKind;
  parts: RamPart[];
  /** Sum of the parts [bytes]. */
  totalBytes: number;
  /** The parts other than linear memory: the runtime's share [bytes]. */
  runtimeBytes: number;
}

export interface RuntimeRamInput {
  runtime: RuntimeKind;
  /** Size of the .wasm [bytes]. */
  moduleBytes: number;
  /** Pages the module declares (min = max). */
  pages: number;
  /** Linear-memory budget [bytes] (linearBudget). */
  budgetBytes: number;
  /** WAMR's interpreter (wamr only; default fast). */
  wamrInterpreter?: 'fast' | 'classic';
}

/** Bytes of linear memory the runtime allocates or reserves: the module's pages, capped at the budget (WAMR: whole pages). */
export function linearMemoryBytes(runtime: RuntimeKind, pages: number, budgetBytes: number): number {
  const pageBytes = pages * WASM_PAGE_BYTES;
  return runtime === 'wamr' ? pageBytes : Math.min(pageBytes, budgetBytes);
}

export function runtimeRam(input: RuntimeRamInput): RuntimeRam {
  const { runtime, moduleBytes } = input;
  const linear: RamPart = { name: 'linear memory', bytes: linearMemoryBytes(runtime, input.pages, input.budgetBytes) };
  let rest: RamPart[];
  switch (runtime) {
    case 'wasm3':
      rest = [
        { name: 'value stack', bytes: WASM_STACK_BYTES },
        { name: 'compiled code', bytes: Math.ceil(WASM3_CODE_PER_MODULE_BYTE * moduleBytes) },
        { name: 'runtime', bytes: WASM3_RUNTIME_BYTES },
        { name: 'C stack', bytes: WASM3_C_STACK_BYTES },
      ];
      break;
    case 'wamr':
      rest = [
        { name: 'WAMR pool', bytes: wamrPoolBytes(moduleBytes, input.wamrInterpreter ?? 'fast') },
        { name: 'module copy', bytes: moduleBytes },
        { name: 'C stack', bytes: WAMR_C_STACK_BYTES },
      ];
      break;
    case 'wasm2c':
      rest = [
        { name: 'runtime', bytes: WASM2C_RUNTIME_BYTES },
        { name: 'C stack', bytes: WASM2C_C_STACK_BYTES },
      ];
      break;
  }
  const runtimeBytes = rest.reduce((s, p) => s + p.bytes, 0);
  return { runtime, parts: [linear, ...rest], totalBytes: linear.bytes + runtimeBytes, runtimeBytes };
}

/** "linear memory 65536 + value stack 8192 + …" */
export function formatRamParts(ram: RuntimeRam): string {
  return ram.parts.map((p) => `${p.name} ${p.bytes}`).join(' + ');
}

/** The RAM the runtime needs for this module on the board, or RuntimeRamError naming the parts. */
export function checkRuntimeRam(board: BoardProfile, input: Omit<RuntimeRamInput, 'wamrInterpreter'>): RuntimeRam {
  const ram = runtimeRam({ ...input, wamrInterpreter: wamrInterpreterOf(board) });
  if (ram.totalBytes > board.memory.ramBytes) throw new RuntimeRamError(board.id, ram.runtime, ram.totalBytes, board.memory.ramBytes, formatRamParts(ram));
  return ram;
}
