/**
 * The package's root folder, the one holding spintrain's package.json: found from this module's own place,
 * so it is the same whether the host runs from its sources (host/…) or from the bundle (build/cli/…), in a
 * clone or in an installed package. Files the package ships (build/spintrain.wasm, boards/glue/, assembly/)
 * are found from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'spintrain') return dir;
    if (dirname(dir) === dir) throw new Error(`spintrain: cannot find the package's package.json above ${from}`);
  }
}

export const PACKAGE_ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The package's version, from its package.json. */
export async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A path inside the package. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
