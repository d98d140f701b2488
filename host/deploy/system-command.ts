/**
 * Resolves a system command on PATH, skipping node_modules/.bin: the npm `wabt` package (wabt.js)
 * installs wasm2c, wasm-validate and wasm-objdump shims there, and when run through npm/npx they would
 * shadow Debian's native wabt, whose wasm2c output matches the runtime files Debian ships.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const cache = new Map<string, string | undefined>();

export function findSystemCommand(name: string): string | undefined {
  if (cache.has(name)) return cache.get(name);
  let found: string | undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      found = join(dir, name);
      break;
    } catch {
      // not here
    }
  }
  cache.set(name, found);
  return found;
}

/** The command's absolute path, or its bare name (so a spawn fails with ENOENT, naming it). */
export function systemCommand(name: string): string {
  return findSystemCommand(name) ?? name;
}
