// The package as a user installs it (issue 13): `npm pack`, the tarball installed into an empty folder,
// and `npx spintrain` run there with plain Node. It ships what the commands need (the bundled CLI, the
// engine module, the AssemblyScript sources and the board glue for `spintrain build`) and nothing else.
// The install reads npm's cache first (--prefer-offline): `npm ci` has just filled it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'spintrain-pack-'));
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
let files: string[] = [];

beforeAll(() => {
  // the build is the suite's (pretest: npm run build); pack it without running prepack again
  const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as { filename: string; files: { path: string }[] }[];
  files = packed[0].files.map((f) => f.path);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  npm(['install', `./${packed[0].filename}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
}, 240_000);

describe('npm pack → npm install → npx spintrain', () => {
  it('ships the bundle, the engine module, the module sources and the board glue; no TypeScript host, tests or benchmarks', () => {
    for (const f of ['host/bin/spintrain.js', 'build/cli/cli.js', 'build/spintrain.wasm', 'build/spintrain.w16.wasm', 'build/spintrain.w8.wasm', 'build/spintrain.deep.wasm', 'assembly/index.ts', 'assembly/deep.ts', 'assembly/narrow.ts', 'asconfig.json', 'boards/glue/portable/st_engine.c', 'boards/firmware/uno/spintrain_firmata.cpp', 'README.md', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(test|host\/(?!bin\/spintrain\.js$))/.test(f) || f.endsWith('.spec.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('build/') && !f.startsWith('build/cli/') && !/^build\/spintrain(\.(w16|w8|deep))?\.wasm$/.test(f))).toEqual([]);
  });

  it('installs with its runtime dependencies only (no tsx, vitest, esbuild, avr8js)', () => {
    const modules = readdirSync(join(dir, 'node_modules'));
    for (const m of ['johnny-five', 'vega', 'assemblyscript', 'cli-progress']) expect(modules).toContain(m);
    for (const m of ['tsx', 'vitest', 'esbuild', 'avr8js', 'typescript']) expect(modules).not.toContain(m);
  });

  it('`npx spintrain --help` and `npx spintrain train --dataset xor` run there with plain Node', () => {
    const help = execFileSync('npx', ['--no-install', 'spintrain', '--help'], { cwd: dir, encoding: 'utf8' });
    expect(help).toContain('usage: spintrain <command>');
    const out = execFileSync('npx', ['--no-install', 'spintrain', 'train', '--dataset', 'xor', '--json'], { cwd: dir, encoding: 'utf8' });
    const r = JSON.parse(out.trim());
    expect(r.config).toMatchObject({ dataset: 'xor', layout: [2, 4, 2], algorithm: 'pgaf' });
    expect(r.testAccuracy).toBe(1); // the xor defaults reach 100 % on seed 1 (test/cli/defaults.spec.ts)
    // the deep module ships too: a residual net on XOR, one epoch (the result is not the point, that it runs is)
    const deep = JSON.parse(execFileSync('npx', ['--no-install', 'spintrain', 'deep', 'train', '--net', 'resnet', '--dataset', 'xor', '--epochs', '1', '--json', '--quiet'], { cwd: dir, encoding: 'utf8' }).trim());
    expect(deep.config).toMatchObject({ net: 'resnet', algorithm: 'bp' });
    expect(deep.samples).toBeGreaterThan(0);
  });

  it('installs and trains without its optional native part, node-serialport (npm install --omit=optional)', () => {
    const bare = join(dir, 'bare');
    mkdirSync(bare);
    writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'consumer-bare', version: '1.0.0', private: true }));
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    npm(['install', join(dir, tarball), '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], bare);
    const modules = readdirSync(join(bare, 'node_modules'));
    expect(modules).not.toContain('serialport');
    expect(modules).toContain('firmata-io'); // the protocol, pure JavaScript: a dependency
    const out = execFileSync('npx', ['--no-install', 'spintrain', 'train', '--dataset', 'xor', '--device', 'sim', '--epochs', '50', '--json'], { cwd: bare, encoding: 'utf8' });
    expect(JSON.parse(out.trim()).config.device).toBe('sim');
  });
});
