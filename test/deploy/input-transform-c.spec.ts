// boards/glue/portable/st_input.c, compiled natively with the tables spintrain build writes
// (host/deploy/c-input-header.ts), maps random int32 readings to the same u8 inputs as the host's
// transformValue (host/data/input-transform.ts), bit for bit.
import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cInputHeader, boardAppliesInputTransform } from '../../host/deploy/c-input-header.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { transformValue, type InputTransform } from '../../host/data/input-transform.ts';
import { Rng } from '../../host/rng.ts';
import { skipReason } from '../setup/tool-list.ts';

const OUT = fileURLToPath(new URL('../../build/test-input-transform/', import.meta.url));
const TOOLS = ['cc'] as const;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

const DRIVER = `#include <stdio.h>
#include "spintrain_input.h"
int main(void) {
  int32_t raw[${'${N}'}];
  uint8_t out[${'${N}'}];
  long v;
  unsigned rows = 0;
  for (;;) {
    for (uint32_t i = 0; i < ST_INPUT_TRANSFORM.features; i++) {
      if (scanf("%ld", &v) != 1) { printf("rows %u\\n", rows); return 0; }
      raw[i] = (int32_t)v;
    }
    if (st_input_apply(&ST_INPUT_TRANSFORM, raw, out) != 0) { printf("refused\\n"); return 1; }
    for (uint32_t i = 0; i < ST_INPUT_TRANSFORM.features; i++) printf("%u\\n", out[i]);
    rows++;
  }
}
`;

function randomTransform(rng: Rng, features: number, kind: InputTransform['kind']): InputTransform {
  const reflect = Uint8Array.from({ length: features }, () => (rng.uniform(0, 1) < 0.4 ? 1 : 0));
  if (kind === 'raw-u8') return { kind, features, reflect };
  const min: number[] = [];
  const max: number[] = [];
  for (let i = 0; i < features; i++) {
    const c = i % 6;
    const lo = c === 0 ? I32_MIN : Math.floor(rng.uniform(-(2 ** 31), 2 ** 31 - 2 ** 24));
    const span = c === 0 ? 2 ** 32 - 1 : c === 1 ? 0 : c === 2 ? 510 * (1 + rng.int(50)) : c === 3 ? 1 + rng.int(300) : rng.int(2 ** (1 + rng.int(24)));
    min.push(lo);
    max.push(Math.min(lo + span, I32_MAX));
  }
  return { kind, features, min, max, reflect };
}

function randomReadings(rng: Rng, t: InputTransform, rows: number): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: t.features }, (_v, i) => {
      const pick = rng.int(8);
      if (pick === 0) return [I32_MIN, I32_MAX, 0, -1, 255, 256][rng.int(6)];
      if (t.kind === 'raw-u8') return pick < 6 ? rng.int(256) : Math.floor(rng.uniform(-1000, 1300));
      const lo = t.min[i];
      const r = t.max[i] - lo;
      if (pick <= 2 && r > 0) {
        // a tie, (x − min)·255/range = k + ½ exactly, where the range allows one (every k when 510 divides it)
        const o = ((2 * rng.int(255) + 1) * r) / 510;
        if (Number.isInteger(o)) return lo + o;
      }
      const x = Math.floor(lo + rng.uniform(-0.1, 1.1) * (r + 1));
      return Math.max(I32_MIN, Math.min(I32_MAX, x));
    }),
  );
}

describe.skipIf(skipReason(TOOLS))(`st_input.c against the host ${skipReason(TOOLS) || ''}`, () => {
  for (const kind of ['min-max', 'raw-u8'] as const) {
    it(`${kind}: random int32 readings, ties and extremes give the host's u8 inputs bit for bit`, () => {
      const rng = new Rng(kind === 'min-max' ? 21 : 22);
      const t = randomTransform(rng, 37, kind);
      expect(boardAppliesInputTransform(t)).toBe(true);
      const dir = join(OUT, kind);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'spintrain_input.h'), cInputHeader(t, 'test'));
      writeFileSync(join(dir, 'driver.c'), DRIVER.replaceAll('${N}', String(t.features)));
      const exe = join(dir, 'driver');
      runTool('cc', ['-O2', '-std=gnu11', '-Wall', '-Wextra', '-Werror', '-I', dir, '-I', glue('portable'), join(dir, 'driver.c'), glue('portable/st_input.c'), '-o', exe]);
      const rows = randomReadings(rng, t, 1500);
      const got = runTool(exe, [], { input: rows.map((r) => r.join(' ')).join('\n') + '\n' }).stdout.trim().split('\n');
      expect(got.pop()).toBe(`rows ${rows.length}`);
      const want = rows.flatMap((r) => r.map((x, i) => String(transformValue(t, i, x))));
      expect(got.length).toBe(want.length);
      const firstDiff = got.findIndex((g, k) => g !== want[k]);
      expect(firstDiff, firstDiff >= 0 ? `feature ${firstDiff % t.features}, reading ${rows[Math.floor(firstDiff / t.features)][firstDiff % t.features]}` : '').toBe(-1);
    });
  }

  it('a real-valued scale is left to the host: ST_INPUT_HOST_ONLY, st_input_apply refuses', () => {
    const t: InputTransform = { kind: 'min-max', features: 2, min: [0.5, 0], max: [2, 10] };
    expect(boardAppliesInputTransform(t)).toBe(false);
    const h = cInputHeader(t, 'test');
    expect(h).toContain('ST_INPUT_HOST_ONLY');
    expect(h).not.toContain('ST_INPUT_MIN[');
  });
});
