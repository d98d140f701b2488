// The per-epoch draw seed is written once for the host (host/engine/draw-seed.ts) and once for the
// boards (boards/glue/portable/st_draw_seed.h): a tiny C program built with the system C compiler
// prints the header's seeds for a grid of seeds and epochs, which must equal the host's.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epochDrawSeed, initialDrawSeed } from '../../host/engine/draw-seed.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { systemCommand } from '../harness/runtimes/system-command.ts';
import { skipReason } from '../setup/tool-list.ts';

const SEEDS = [0, 1, 2, 42, 0x5bd1e995, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xfffffffe, 0xffffffff];
const EPOCHS = [0, 1, 2, 19, 255, 65535, 0x7fffffff, 0xffffffff];

describe('draw seeds (host)', () => {
  it('are (seed ^ 0x5bd1e995) and (seed ^ 0x5bd1e995) · 0x9e3779b1 + e, mod 2^32', () => {
    const M = 2n ** 32n;
    for (const s of SEEDS) {
      const x = BigInt((s ^ 0x5bd1e995) >>> 0);
      expect(initialDrawSeed(s)).toBe(Number(x));
      for (const e of EPOCHS) expect(epochDrawSeed(s, e), `seed ${s}, epoch ${e}`).toBe(Number((x * 0x9e3779b1n + BigInt(e)) % M));
    }
  });
});

const noCc = skipReason(['cc']);

describe('draw seeds (C, boards/glue/portable/st_draw_seed.h)', () => {
  it.skipIf(noCc)(`equal the host's for every seed and epoch of a grid${noCc ? ` (skipped: ${noCc})` : ''}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-draw-seed-'));
    try {
      const src = join(dir, 'draw_seed.c');
      const list = (xs: number[]): string => xs.map((x) => `${x}u`).join(', ');
      writeFileSync(
        src,
        `#include <stdio.h>
#include "st_draw_seed.h"
static const uint32_t seeds[] = { ${list(SEEDS)} };
static const uint32_t epochs[] = { ${list(EPOCHS)} };
int main(void) {
  for (unsigned i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    printf("%lu", (unsigned long)st_initial_draw_seed(seeds[i]));
    for (unsigned j = 0; j < sizeof epochs / sizeof epochs[0]; j++) printf(" %lu", (unsigned long)st_epoch_draw_seed(seeds[i], epochs[j]));
    printf("\\n");
  }
  return 0;
}
`,
      );
      const exe = join(dir, 'draw-seed');
      runTool(systemCommand('cc'), ['-std=c11', '-Wall', '-Werror', `-I${glue('portable')}`, src, '-o', exe]);
      const want = SEEDS.map((s) => [initialDrawSeed(s), ...EPOCHS.map((e) => epochDrawSeed(s, e))].join(' ')).join('\n');
      expect(runTool(exe, []).stdout.trim()).toBe(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
