// The executable in a checkout warns when a TypeScript source is newer than the bundle it runs (which would
// otherwise run the old code silently), and stays quiet when the bundle is current or in an installed package
// (no TypeScript host there). Run on a copy of host/bin/spintrain.js in a temporary tree with a stub bundle.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../host/bin/spintrain.js', import.meta.url));

function tree(withSources: boolean): { root: string } {
  const root = mkdtempSync(join(tmpdir(), 'spintrain-fresh-'));
  mkdirSync(join(root, 'host/bin'), { recursive: true });
  mkdirSync(join(root, 'build/cli'), { recursive: true });
  copyFileSync(BIN, join(root, 'host/bin/spintrain.js'));
  writeFileSync(join(root, 'build/cli/cli.js'), 'export const installFatalHandlers = () => {};\nexport const main = async () => { process.stdout.write("ran\\n"); return 0; };\n');
  if (withSources) {
    mkdirSync(join(root, 'host/train'));
    writeFileSync(join(root, 'host/cli.ts'), '');
    writeFileSync(join(root, 'host/train/trainer.ts'), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'host/cli.ts'), old, old);
    utimesSync(join(root, 'host/train/trainer.ts'), old, old);
  }
  return { root };
}

function stderrOf(root: string): { out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'host/bin/spintrain.js')], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr };
}

describe('bundle freshness (host/bin/spintrain.js)', () => {
  it('quiet when the bundle is newer than every source; names the newer source otherwise', () => {
    const { root } = tree(true);
    try {
      expect(stderrOf(root)).toEqual({ out: 'ran\n', err: '' });
      const later = new Date(Date.now() + 60_000);
      utimesSync(join(root, 'host/train/trainer.ts'), later, later);
      const { out, err } = stderrOf(root);
      expect(out).toBe('ran\n'); // it still runs the bundle
      expect(err).toBe('spintrain: host/train/trainer.ts is newer than the bundle (build/cli/); run `npm run build:cli` to use it\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('an installed package (no host/cli.ts): never looks', () => {
    const { root } = tree(false);
    try {
      expect(stderrOf(root)).toEqual({ out: 'ran\n', err: '' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
