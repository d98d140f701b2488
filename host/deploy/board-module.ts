/**
 * The module built for a board: the project's release target (MVP, integer only, runtime stub, no
 * env.abort), or for narrow weights (issue 16) assembly/narrow.ts with `--use SPINTRAIN_WEIGHT_BITS=16|8`
 * (the w16/w8 variants: W stored as i16 Q12 / i8 Q6, 2 / 1 bytes per weight), plus, for a board with less
 * than 64 KiB for linear memory,
 * AssemblyScript's `--lowMemoryLimit <bytes>` (static data from byte 8 instead of 1024, and a compile
 * error should it exceed the limit). The memory is then fixed at min = max = the pages the layout
 * needs (the module never executes memory.grow), and a custom section "spintrain.build" records
 * board, layout and budget, so a module built for another layout is refused.
 */
import type asc from 'assemblyscript/asc';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { instantiateEngine } from '../engine/wasm-engine.ts';
import { configureArgs, type SetupNetwork } from '../engine/engine-setup.ts';
import { addJsonSection, readJsonSection, setMemoryPages } from './wasm-sections.ts';
import { ModuleMismatchError, ToolFailedError } from './errors.ts';
import { ASC_VERSION, loadAsc } from './load-asc.ts';
import type { WeightBits } from '../engine/weight-format.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export const BUILD_SECTION = 'spintrain.build';
const ROOT = PACKAGE_ROOT;
const WASM_PAGE = 65536;

/** Recorded in the board module's "spintrain.build" section. */
export interface BoardBuildInfo {
  board: string;
  layout: number[];
  /** Bytes of linear memory the layout uses: align8(heapBase) + plan + input buffer. */
  linearBytes: number;
  /** Bytes of linear memory the board gives the module. */
  budgetBytes: number;
  pages: number;
  lowMemoryLimit?: number;
  /** Bits per stored weight, for a narrow build only (16 or 8; absent: the release module, 32). */
  weightBits?: 16 | 8;
}

const compiled = new Map<string, Promise<Uint8Array>>();

/** Cache key: the flags and every input of the compile (assembly sources, asconfig, asc version). */
function sourceKey(extraFlags: string[]): string {
  const h = createHash('sha256').update(extraFlags.join(' ')).update(ASC_VERSION);
  for (const f of ['asconfig.json', ...readdirSync(join(ROOT, 'assembly')).sort().map((n) => `assembly/${n}`)]) h.update(f).update(readFileSync(join(ROOT, f)));
  return h.digest('hex').slice(0, 24);
}

/**
 * The entry and flags of a module build: 32, assembly/index.ts; 16 or 8, assembly/narrow.ts with
 * SPINTRAIN_WEIGHT_BITS (as asconfig.json's w16/w8 targets, whose `use` lists these two; the release
 * target's optimisation settings are the same).
 */
export function engineEntryFlags(weightBits: WeightBits = 32): string[] {
  return weightBits === 32 ? ['assembly/index.ts'] : ['assembly/narrow.ts', '--use', 'abort=', '--use', `SPINTRAIN_WEIGHT_BITS=${weightBits}`];
}

/**
 * Compiles assembly/index.ts (release target; narrow weights: assembly/narrow.ts, engineEntryFlags) with
 * extra asc flags. Cached per flag set in the process and on disk (build/cache/, keyed by the sources),
 * since one compile takes seconds.
 */
export function compileEngine(extraFlags: string[] = [], weightBits: WeightBits = 32): Promise<Uint8Array> {
  const entry = engineEntryFlags(weightBits);
  // the release build's key is the one it always had (its flags alone): its cache entries stay valid
  const key = sourceKey(weightBits === 32 ? extraFlags : [...entry, ...extraFlags]);
  let p = compiled.get(key);
  if (!p) {
    const cacheFile = join(ROOT, 'build', 'cache', `engine-${key}.wasm`);
    if (existsSync(cacheFile)) {
      p = Promise.resolve(new Uint8Array(readFileSync(cacheFile)));
      compiled.set(key, p);
      return p;
    }
    p = (async () => {
      const files: Record<string, Uint8Array> = {};
      let stderr = '';
      const { error } = await (await loadAsc()).default.main(
        [entry[0], '--target', 'release', '--outFile', 'board.wasm', '--textFile', '', '--baseDir', ROOT, ...entry.slice(1), ...extraFlags],
        {
          writeFile: (name: string, contents: Uint8Array | string) => {
            if (typeof contents !== 'string') files[name] = contents;
          },
          stdout: { write: () => true },
          stderr: { write: (s: string) => ((stderr += s), true) },
        } as unknown as asc.APIOptions,
      );
      const wasm = Object.entries(files).find(([n]) => n.endsWith('.wasm'))?.[1];
      if (error || !wasm) throw new ToolFailedError(`asc ${[...entry, ...extraFlags].join(' ')}`, `${error?.message ?? 'no output'}\n${stderr}`);
      mkdirSync(dirname(cacheFile), { recursive: true });
      await writeFileAtomic(cacheFile, wasm);
      return wasm;
    })();
    compiled.set(key, p);
  }
  return p;
}

export interface TrainingMemory {
  heapBase: number;
  /** sizeofTrainingMemory() [bytes]. */
  planBytes: number;
  /** align8(heapBase) + planBytes + n[0] (input buffer) [bytes]: what st_session_open checks. */
  linearBytes: number;
}

/** Bits per weight a module stores: its weightBits() export (the narrow builds), else 32 (the release module). */
export function moduleWeightBits(wasm: Uint8Array): number {
  const e = instantiateEngine(wasm, () => {}) as unknown as { weightBits?: () => number };
  return e.weightBits ? e.weightBits() : 32;
}

/** Asks the module itself how much memory a network needs (a narrow module counts 2 or 1 bytes per weight). */
export function measureTrainingMemory(wasm: Uint8Array, n: SetupNetwork): TrainingMemory {
  const e = instantiateEngine(wasm, () => {});
  n.layout.forEach((w, k) => {
    const r = e.layoutSet(k, w);
    if (r < 0) throw new RangeError(`layout[${k}] = ${w}: the engine refuses it (code ${r})`);
  });
  // pair takes its activations from env.mtj_sample (source 1); the plan does not depend on the source
  const r = (e.configure as (...a: number[]) => number)(...configureArgs(n, n.algorithm === 'pair' ? 1 : 0));
  if (r < 0) throw new RangeError(`configure: the engine refuses the network (code ${r})`);
  const planBytes = e.sizeofTrainingMemory();
  if (planBytes < 0) throw new RangeError(`sizeofTrainingMemory: code ${planBytes}`);
  const heapBase = e.heapBase();
  return { heapBase, planBytes, linearBytes: Math.ceil(heapBase / 8) * 8 + planBytes + n.layout[0] };
}

/** asc flags for a linear-memory budget: --lowMemoryLimit below one page. */
export function boardAscFlags(budgetBytes: number): string[] {
  return budgetBytes < WASM_PAGE ? ['--lowMemoryLimit', String(budgetBytes)] : [];
}

/** Fixes the memory at the pages linearBytes needs and records the build. */
export function finishBoardModule(wasm: Uint8Array, info: Omit<BoardBuildInfo, 'pages'>): { wasm: Uint8Array; info: BoardBuildInfo } {
  const pages = Math.max(1, Math.ceil(info.linearBytes / WASM_PAGE));
  const full: BoardBuildInfo = { ...info, pages };
  return { wasm: addJsonSection(setMemoryPages(wasm, pages), BUILD_SECTION, full), info: full };
}

/** Reads and checks a board module's build record against the expected board and layout. */
export function checkBoardModule(wasm: Uint8Array, file: string, board: string, layout: number[]): BoardBuildInfo {
  try {
    new WebAssembly.Module(new Uint8Array(wasm));
  } catch (e) {
    throw new ModuleMismatchError(file, 'module', `not a valid WebAssembly module: ${(e as Error).message}`);
  }
  const info = readJsonSection(wasm, BUILD_SECTION, file) as BoardBuildInfo | undefined;
  if (!info || !Array.isArray(info.layout)) throw new ModuleMismatchError(file, BUILD_SECTION, 'missing: not a module built by spintrain build');
  if (info.layout.join('-') !== layout.join('-')) {
    throw new ModuleMismatchError(file, 'layout', `the module was built for layout ${info.layout.join('-')}, not ${layout.join('-')}`);
  }
  if (info.board !== board) throw new ModuleMismatchError(file, 'board', `the module was built for board ${info.board}, not ${board}`);
  return info;
}
