// The house rules for imports (.dependency-cruiser.cjs: layers point down, no cycles, the product imports
// neither tests nor devDependencies, every product module reachable from the CLI), checked with
// dependency-cruiser over host/ and boards/. A second case cruises a small tree with one breach of each
// rule and expects each to be caught, so a rule that silently matches nothing fails too.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** Runs dependency-cruiser with the project's rules in `cwd` over `paths`; returns the violations. */
function cruise(cwd: string, paths: string[]): { violations: Violation[]; modules: number } {
  let out: string;
  try {
    out = execFileSync(process.execPath, [DEPCRUISE, ...paths, '--config', join(cwd, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    // it exits non-zero when there are errors, with the JSON on stdout
    out = (e as { stdout?: string }).stdout ?? '';
    if (!out) throw e;
  }
  const r = JSON.parse(out) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: r.summary.violations, modules: r.summary.totalCruised };
}

const show = (v: Violation): string => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('the house rules for imports', () => {
  it('hold over host/ and boards/', () => {
    const { violations, modules } = cruise(ROOT, ['host', 'boards']);
    expect(modules).toBeGreaterThan(100);
    expect(violations.map(show)).toEqual([]);
  });

  it('catch a breach of each rule in a small tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-layers-'));
    try {
      copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', type: 'module', devDependencies: { vitest: '*' } }));
      const files: Record<string, string> = {
        'host/cli.ts': "import './commands/run.ts';\n",
        'host/commands/run.ts': "import '../data/read.ts';\nimport '../train/a.ts';\n",
        'host/data/read.ts': "import '../commands/run.ts';\n", // upward and a cycle
        'host/train/a.ts': "import './b.ts';\nimport '../../test/support/x.ts';\nimport 'vitest';\n", // a test, a devDependency
        'host/train/b.ts': "import './a.ts';\n", // a cycle
        'host/engine/only-for-tests.ts': 'export const x = 1;\n', // not reachable from the CLI
        'test/support/x.ts': 'export const y = 2;\n',
        'node_modules/vitest/package.json': JSON.stringify({ name: 'vitest', main: 'index.js' }),
        'node_modules/vitest/index.js': '',
      };
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), text);
      }
      const names = new Set(cruise(dir, ['host']).violations.map((v) => v.rule.name));
      for (const rule of ['layer-0-points-down', 'no-cycles', 'product-not-tests', 'product-not-dev-deps', 'product-reachable-from-cli']) {
        expect(names, rule).toContain(rule);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
