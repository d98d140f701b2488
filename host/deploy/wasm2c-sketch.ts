/**
 * The board module ahead of time, as C, for `spintrain build --runtime wasm2c` (no interpreter on the board):
 * the system's wasm2c (wabt 1.0.32, Debian's `wabt`; system-command.ts skips the npm wabt shims) translates
 * spintrain.wasm with `-n spintrain` into spintrain.c and spintrain.h (runtime/st_wasm2c.c calls its
 * Z_spintrain… names, which differ in other wabt releases), and the sketch gets the runtime API headers of
 * the same wabt: wasm-rt.h (/usr/include) and wasm-rt-impl.h (/usr/share/wabt/wasm2c). The runtime itself is
 * the glue's bare-metal one (cortex-m/wasm_rt_static.c: linear memory a static array, traps unwound to the
 * protocol), so nothing is allocated at run time.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findSystemCommand } from './system-command.ts';
import { wasm2cRuntimeDir } from './glue-sources.ts';
import { MissingToolError, ToolFailedError, ToolVersionError } from './errors.ts';

const run = promisify(execFile);

/** The wabt release whose wasm2c output runtime/st_wasm2c.c is written against. */
export const WASM2C_VERSION = '1.0.32';
const PURPOSE = 'spintrain build --runtime wasm2c';
const PACKAGE = 'wabt';

export interface Wasm2cTools {
  wasm2c: string;
  /** wasm-rt.h: the runtime API the translation includes. */
  wasmRtHeader: string;
  /** wasm-rt-impl.h: wasm_rt_impl_try(), which the adapter uses to turn a trap into an error. */
  wasmRtImplHeader: string;
}

/** wasm2c and its runtime headers, or MissingToolError naming Debian's package. Runs nothing. */
export function findWasm2c(): Wasm2cTools {
  const wasm2c = findSystemCommand('wasm2c');
  if (!wasm2c) throw new MissingToolError('wasm2c', PACKAGE, PURPOSE);
  const include = [join(dirname(wasm2c), '..', 'include'), '/usr/include', '/usr/local/include'].map((d) => join(d, 'wasm-rt.h')).find((f) => existsSync(f));
  if (!include) throw new MissingToolError('wasm-rt.h (wasm2c’s runtime API header)', PACKAGE, PURPOSE);
  const rt = wasm2cRuntimeDir();
  if (!rt) throw new MissingToolError('wasm-rt-impl.h (wasm2c’s runtime)', PACKAGE, PURPOSE);
  return { wasm2c, wasmRtHeader: include, wasmRtImplHeader: join(rt, 'wasm-rt-impl.h') };
}

/** Where the translated module includes boards/glue/runtime/st_wasm2c_access.h from, in the sketch's layout. */
export const ACCESS_HEADER_INCLUDE = '../runtime/st_wasm2c_access.h';

/**
 * wasm2c's C with `#include "<header>"` right after `#include "spintrain.h"`: the aligned-access copy of
 * boards/glue/runtime/st_wasm2c_access.h replaces wasm_rt_memcpy before wasm2c's load and store macros expand
 * (on ARMv6-M; elsewhere the header is empty). ToolFailedError if the translation has no such line.
 */
export function withAlignedAccess(c: string, header = ACCESS_HEADER_INCLUDE): string {
  const anchor = '#include "spintrain.h"\n';
  const at = c.indexOf(anchor);
  if (at < 0) throw new ToolFailedError('wasm2c -n spintrain', 'the translation does not include "spintrain.h" where spintrain expects it');
  return `${c.slice(0, at + anchor.length)}#include "${header}"\n${c.slice(at + anchor.length)}`;
}

/** The generated files, keyed by their names in the sketch's src/generated/. */
export type Wasm2cFiles = Map<string, string>;

/** Translates the module; checks wasm2c's version first (ToolVersionError). */
export async function translateModule(wasm: Uint8Array, tools: Wasm2cTools): Promise<Wasm2cFiles> {
  const version = (await run(tools.wasm2c, ['--version']).catch((e: Error) => {
    throw new ToolFailedError(`${tools.wasm2c} --version`, e.message);
  })).stdout.trim();
  if (version !== WASM2C_VERSION) throw new ToolVersionError(tools.wasm2c, version, `wabt ${WASM2C_VERSION}'s wasm2c (runtime/st_wasm2c.c uses its names)`);
  const dir = mkdtempSync(join(tmpdir(), 'spintrain-wasm2c-'));
  try {
    writeFileSync(join(dir, 'spintrain.wasm'), wasm);
    await run(tools.wasm2c, ['-n', 'spintrain', join(dir, 'spintrain.wasm'), '-o', join(dir, 'spintrain.c')]).catch((e: Error & { stderr?: string }) => {
      throw new ToolFailedError(`wasm2c -n spintrain`, e.stderr || e.message);
    });
    return new Map([
      ['spintrain.c', withAlignedAccess(readFileSync(join(dir, 'spintrain.c'), 'utf8'))],
      ['spintrain.h', readFileSync(join(dir, 'spintrain.h'), 'utf8')],
      ['wasm-rt.h', readFileSync(tools.wasmRtHeader, 'utf8')],
      ['wasm-rt-impl.h', readFileSync(tools.wasmRtImplHeader, 'utf8')],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
