// The RAM a runtime needs on a board (host/deploy/runtime-ram.ts): the formula against the figures measured for
// wasm3 (qemu mps2-an385, wasm3 built from source, ~8 KB release module, 784-32-10 pgaf: ~40 KB of heap beyond
// linear memory, 1.9 KB of C stack), WAMR's pool and the wasm2c build; every shipped profile builds with the
// default layout under its own runtime and under wasm2c; a profile whose RAM cannot hold runtime + linear memory is
// refused, by the API and by the CLI (exit 1), naming the parts, with nothing written.
import { describe, it, expect, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOARDS } from '../../boards/index.ts';
import { validateBoardProfile, type BoardProfile } from '../../boards/board-profile.ts';
import { nrf52840Nano33Ble } from '../../boards/nrf52840-nano33ble.ts';
import { buildForBoard, DEFAULT_BOARD_LAYOUT } from '../../host/deploy/build-board.ts';
import { buildCommand } from '../../host/commands/build.ts';
import { RuntimeRamError } from '../../host/deploy/errors.ts';
import { runtimeRam, WASM3_C_STACK_BYTES } from '../../host/deploy/runtime-ram.ts';
import { wamrRamBytes } from '../../host/deploy/wamr-pool.ts';
import { skipReason } from '../setup/tool-list.ts';

/** The Nano 33 BLE's hardware with 64 KiB of RAM: its 48 KiB linear-memory budget still validates. */
const tinyRam = (): BoardProfile => validateBoardProfile({ ...nrf52840Nano33Ble, id: 'tiny-ram', name: 'Nano 33 BLE with 64 KiB of RAM', memory: { ...nrf52840Nano33Ble.memory, ramBytes: 64 * 1024 } });

// The CLI takes a board by id: `tiny-ram` resolves to the profile above, every other id as shipped.
vi.mock('../../boards/index.ts', async (original) => {
  const m = await original<typeof import('../../boards/index.ts')>();
  const { validateBoardProfile: validate } = await import('../../boards/board-profile.ts');
  const { nrf52840Nano33Ble: nano } = await import('../../boards/nrf52840-nano33ble.ts');
  const tiny = validate({ ...nano, id: 'tiny-ram', name: 'Nano 33 BLE with 64 KiB of RAM', memory: { ...nano.memory, ramBytes: 64 * 1024 } });
  return { ...m, findBoard: (id: string) => (id === 'tiny-ram' ? tiny : m.findBoard(id)) };
});

const OUT = fileURLToPath(new URL('../../build/test-runtime-ram/', import.meta.url));
const RELEASE = 8119; // the release module of the measurements [bytes]

describe('the formula', () => {
  it('wasm3: value stack + code compiled per module byte + runtime ≈ the measured 40 KB of heap; C stack ≥ the measured 1.9 KB', () => {
    const r = runtimeRam({ runtime: 'wasm3', moduleBytes: RELEASE, pages: 2, budgetBytes: 96 * 1024 });
    expect(r.parts).toEqual([
      { name: 'linear memory', bytes: 96 * 1024 }, // min(2 pages, the budget): runtime->memoryLimit
      { name: 'value stack', bytes: 8192 },
      { name: 'compiled code', bytes: 20298 }, // 2.5 B per module byte: ~20 KB for ~8 KB
      { name: 'runtime', bytes: 12288 },
      { name: 'C stack', bytes: 2048 },
    ]);
    const heap = r.runtimeBytes - WASM3_C_STACK_BYTES;
    expect(heap).toBeGreaterThanOrEqual(40_000);
    expect(heap).toBeLessThanOrEqual(41 * 1024);
    expect(WASM3_C_STACK_BYTES).toBeGreaterThanOrEqual(1900);
    expect(r.totalBytes).toBe(96 * 1024 + r.runtimeBytes);
    // the code part grows with the module, the rest does not
    const bigger = runtimeRam({ runtime: 'wasm3', moduleBytes: 2 * RELEASE, pages: 2, budgetBytes: 96 * 1024 });
    expect(bigger.runtimeBytes - r.runtimeBytes).toBe(Math.ceil(2.5 * 2 * RELEASE) - Math.ceil(2.5 * RELEASE));
  });

  it('WAMR: pool + whole pages + module copy (wamrRamBytes) + C stack; wasm2c: static linear memory + statics + C stack', () => {
    const w = runtimeRam({ runtime: 'wamr', moduleBytes: RELEASE, pages: 2, budgetBytes: 128 * 1024 });
    expect(w.totalBytes).toBe(wamrRamBytes(RELEASE, 2) + 2048);
    expect(w.parts.map((p) => p.name)).toEqual(['linear memory', 'WAMR pool', 'module copy', 'C stack']);
    const c = runtimeRam({ runtime: 'wasm2c', moduleBytes: RELEASE, pages: 1, budgetBytes: 48 * 1024 });
    expect(c.parts).toEqual([{ name: 'linear memory', bytes: 49152 }, { name: 'runtime', bytes: 1024 }, { name: 'C stack', bytes: 1024 }]);
  });
});

describe('every shipped profile builds with the default layout', () => {
  const boards = BOARDS.filter((b) => b.runtime.kind !== 'host-tethered');

  it.each(boards.map((b) => [b.id, b] as const))('%s, under its own runtime', async (id, board) => {
    const out = join(OUT, id);
    const r = await buildForBoard({ board: id, outDir: out, network: { layout: DEFAULT_BOARD_LAYOUT } });
    expect(r.runtime).toBe(board.runtime.kind);
    expect(r.ram.totalBytes).toBeLessThanOrEqual(board.memory.ramBytes);
    const manifest = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'));
    expect(manifest.memory.runtimeRam.totalBytes).toBe(r.ram.totalBytes);
    expect(manifest.memory.runtimeRam.parts.reduce((s: number, p: { bytes: number }) => s + p.bytes, 0)).toBe(r.ram.totalBytes);
    expect(manifest.memory.runtimeRam.parts.map((p: { name: string }) => p.name)).toEqual(['linear memory', 'value stack', 'compiled code', 'runtime', 'C stack']);
  }, 120_000);

  it.skipIf(skipReason(['wasm2c']))('… and under wasm2c', async () => {
    for (const board of boards) {
      const r = await buildForBoard({ board: board.id, outDir: join(OUT, `${board.id}-wasm2c`), network: { layout: DEFAULT_BOARD_LAYOUT }, runtime: 'wasm2c' });
      expect(r.runtime).toBe('wasm2c');
      expect(r.ram.runtimeBytes).toBe(2048);
      expect(r.ram.totalBytes).toBeLessThanOrEqual(board.memory.ramBytes);
    }
  }, 240_000);
});

describe('a board whose RAM cannot hold the runtime and the linear memory', () => {
  it('is refused with RuntimeRamError naming the runtime, the parts and the bytes; wasm2c fits where wasm3 does not', async () => {
    const out = join(OUT, 'tiny-api');
    const err = await buildForBoard({ board: tinyRam(), outDir: out, network: { layout: [16, 8, 4] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeRamError);
    const e = err as RuntimeRamError;
    expect(e.runtime).toBe('wasm3');
    expect(e.ramBytes).toBe(65536);
    expect(e.message).toMatch(
      /^board tiny-ram: wasm3 and the module need (\d+) bytes of RAM \(linear memory 49152 \+ value stack 8192 \+ compiled code \d+ \+ runtime 12288 \+ C stack 2048\), the board has 65536 bytes of RAM$/,
    );
    expect(e.neededBytes).toBeGreaterThan(65536);
    expect(existsSync(out)).toBe(false);
    if (!skipReason(['wasm2c'])) {
      const r = await buildForBoard({ board: tinyRam(), outDir: join(OUT, 'tiny-wasm2c'), network: { layout: [16, 8, 4] }, runtime: 'wasm2c' });
      expect(r.ram.totalBytes).toBe(49152 + 2048);
    }
  }, 120_000);

  it('spintrain build: exit 1, the message on stderr, no stack trace, nothing written', async () => {
    const out = join(OUT, 'tiny-cli');
    let err = '';
    const orig = console.error;
    console.error = (...a: unknown[]) => void (err += a.join(' ') + '\n');
    let code: number;
    try {
      code = await buildCommand(['--board', 'tiny-ram', '--layout', '16,8,4', '--out', out]);
    } finally {
      console.error = orig;
    }
    expect(code).toBe(1);
    expect(err).toMatch(/^spintrain build: board tiny-ram: wasm3 and the module need \d+ bytes of RAM \(linear memory 49152 \+ value stack 8192 \+ compiled code \d+ \+ runtime 12288 \+ C stack 2048\), the board has 65536 bytes of RAM\n$/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
