// WAMR's pool (ST_WAMR_POOL_BYTES) sized per profile from the module built for it (host/deploy/wamr-pool.ts):
// the formula against the figures measured on WAMR 2.4.3, the board header and sketch `spintrain build`
// writes for a WAMR profile (its glue type-checks against WAMR's declarations), and the RAM check.
import { describe, it, expect } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateBoardProfile, type BoardProfile } from '../../boards/board-profile.ts';
import { teensy41 } from '../../boards/teensy41.ts';
import { buildForBoard } from '../../host/deploy/build-board.ts';
import { cBoardHeader } from '../../host/deploy/c-board-header.ts';
import { RuntimeRamError } from '../../host/deploy/errors.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { wamrPoolBytes, wamrRamBytes } from '../../host/deploy/wamr-pool.ts';
import { WASM_PATH } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig } from '../../host/engine/config.ts';
import { BoardProfileError } from '../../host/device/errors.ts';
import { skipReason } from '../setup/tool-list.ts';

const OUT = fileURLToPath(new URL('../../build/test-wamr-pool/', import.meta.url));
/** A WAMR profile: the Teensy 4.1's hardware under a WAMR port (as a user with a platform layer would write it). */
const wamrBoard = (extra: { wamrInterpreter?: 'fast' | 'classic' } = {}, ramBytes = teensy41.memory.ramBytes): BoardProfile =>
  validateBoardProfile({ ...teensy41, id: 'wamr-test', memory: { ...teensy41.memory, ramBytes }, runtime: { kind: 'wamr', wasmMemoryLimitBytes: 128 * 1024, transport: 'usb', ...extra } });

/** Smallest pools that loaded, instantiated and trained the 8,119-byte release module with an 8 KiB stack (WAMR 2.4.3, x86-64). */
const MEASURED = { module: 8119, fast: 54_463, classic: 24_031 };

describe('WAMR pool formula', () => {
  it('covers the measured need with margin, and the old 32 KiB did not (fast interpreter)', () => {
    expect(wamrPoolBytes(MEASURED.module, 'fast')).toBe(64 * 1024);
    expect(wamrPoolBytes(MEASURED.module, 'classic')).toBe(29 * 1024);
    expect(wamrPoolBytes(MEASURED.module, 'fast')).toBeGreaterThanOrEqual(MEASURED.fast * 1.15);
    expect(wamrPoolBytes(MEASURED.module, 'classic')).toBeGreaterThanOrEqual(MEASURED.classic * 1.15);
    expect(32 * 1024).toBeLessThan(MEASURED.fast);
    // the release module today, and the budget's largest
    const release = statSync(WASM_PATH).size;
    expect(wamrPoolBytes(release, 'fast')).toBeGreaterThanOrEqual(MEASURED.fast);
    expect(wamrPoolBytes(8192, 'fast')).toBe(65 * 1024);
    // a larger stack adds itself (measured: +8,192 B for 16 KiB)
    expect(wamrPoolBytes(8119, 'fast', 16384) - wamrPoolBytes(8119, 'fast', 8192)).toBe(9 * 1024);
  });

  it('goes into the board header of a WAMR profile only, with its formula', () => {
    const h = cBoardHeader(wamrBoard(), undefined, undefined, { bytes: 8119, pages: 2 });
    expect(h).toContain('#define ST_RUNTIME_WAMR 1');
    expect(h).toContain('#define ST_WAMR_POOL_BYTES 65536u');
    expect(h).toContain('#define ST_WAMR_LINEAR_BYTES 131072u');
    expect(h).toContain('ceil_KiB(9/8 * (stack 8192 + 5 * module 8119 + 9216))');
    expect(cBoardHeader(wamrBoard({ wamrInterpreter: 'classic' }), undefined, undefined, { bytes: 8119, pages: 2 })).toContain('#define ST_WAMR_POOL_BYTES 29696u');
    expect(cBoardHeader(teensy41)).not.toContain('ST_WAMR_POOL_BYTES');
    expect(cBoardHeader(teensy41)).toContain('#define ST_WASM_STACK_BYTES 8192u');
    expect(() => validateBoardProfile({ ...teensy41, runtime: { ...teensy41.runtime, wamrInterpreter: 'fast' } })).toThrow(BoardProfileError);
    expect(() => wamrBoard({ wamrInterpreter: 'jit' as 'fast' })).toThrow(/runtime.wamrInterpreter/);
  });

  it.skipIf(skipReason(['cc']))('spintrain build for a WAMR profile: pool sized for the module built, glue type-checks', async () => {
    const out = join(OUT, 'wamr');
    const r = await buildForBoard({ board: wamrBoard(), outDir: out, network: { ...defaultNetworkConfig, layout: [16, 8, 4] } });
    const src = join(out, 'spintrain/src');
    const bytes = statSync(join(out, 'spintrain.wasm')).size;
    const header = readFileSync(join(src, 'generated/spintrain_board.h'), 'utf8');
    expect(header).toContain(`#define ST_WAMR_POOL_BYTES ${wamrPoolBytes(bytes)}u`);
    expect(header).toContain(`#define ST_WAMR_LINEAR_BYTES ${r.info.pages * 65536}u`);
    const decl = `-I${glue('api-decl')}`;
    runTool('cc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', decl, join(src, 'app/st_app.c'), join(src, 'runtime/st_wamr.c'), join(src, 'hal/st_hal_gpio.c')]);
  }, 120_000);

  it('refuses a WAMR board whose RAM cannot hold pool, linear memory and the module copy', async () => {
    const board = wamrBoard({}, 130 * 1024); // one 64 KiB page + a 64 KiB pool + the module copy do not fit 130 KiB
    await expect(buildForBoard({ board, outDir: join(OUT, 'small'), network: { ...defaultNetworkConfig, layout: [16, 8, 4] } })).rejects.toThrow(RuntimeRamError);
    expect(wamrRamBytes(8119, 2)).toBe(65536 + 131072 + 8119);
  });
});
