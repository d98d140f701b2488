/**
 * Loads the AssemblyScript compiler API (`assemblyscript/asc`) without letting it read our command line.
 *
 * Rule: asc's module body runs `process.argv.indexOf("--wasm")` when first imported and, if found,
 * splices the flag out of process.argv and imports the following argument as its compiler binary, so
 * `spintrain build --wasm FILE` made it import our board module as JavaScript and crash. The compiler
 * is therefore imported lazily, once, with process.argv reduced to [node, script] for the import and
 * restored right after; every compile passes its arguments explicitly to asc.main.
 */
import { createRequire } from 'node:module';

type AscModule = typeof import('assemblyscript/asc');

let loading: Promise<AscModule> | undefined;

/** The asc API, imported on first use with a command line it cannot misread. */
export function loadAsc(): Promise<AscModule> {
  loading ??= (async () => {
    const saved = process.argv;
    process.argv = saved.slice(0, 2);
    try {
      return await import('assemblyscript/asc');
    } finally {
      process.argv = saved;
    }
  })();
  return loading;
}

/** The compiler's version, read from its package.json (no import of the compiler itself). */
export const ASC_VERSION: string = (createRequire(import.meta.url)('assemblyscript/package.json') as { version: string }).version;
