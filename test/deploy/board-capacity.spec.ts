// RAM/flash table: per board the largest MNIST MLP 784-H-10 whose training memory (from the engine's
// plan) fits the linear memory the board's runtime can use; H + 1 does not. Accuracy: a placeholder
// that a benchmark fills.
import { describe, it, expect, beforeAll } from 'vitest';
import { BOARDS } from '../../boards/index.ts';
import { validateBoardProfile } from '../../boards/board-profile.ts';
import { boardAscFlags, compileEngine, measureTrainingMemory } from '../../host/deploy/board-module.ts';
import { capacityRow, fillAccuracy, formatCapacityTable, mnistNetwork, type CapacityRow } from '../bench/lib/board-capacity.ts';
import { usableLinearBytes } from '../../host/deploy/linear-budget.ts';

const modules = new Map<string, Uint8Array>();
let rows: CapacityRow[];

beforeAll(async () => {
  for (const b of BOARDS) {
    const flags = boardAscFlags(usableLinearBytes(b));
    modules.set(flags.join(' '), await compileEngine(flags));
  }
  rows = BOARDS.map((b) => capacityRow(b, (budget) => modules.get(boardAscFlags(budget).join(' '))!));
}, 120_000);

describe('board profiles', () => {
  it('are valid, one per board, and include the tethered Uno', () => {
    for (const b of BOARDS) expect(validateBoardProfile(b)).toBe(b);
    expect(BOARDS.map((b) => b.id)).toEqual(['arduino-uno', 'arduino-uno-spintrain', 'esp32-devkitc', 'nrf52840-nano33ble', 'rp2040-pico', 'teensy41']);
    // every runtime a profile names has a port for the board's core: wasm3 (Arduino library); WAMR has no
    // Arduino/Teensyduino platform layer, so no shipped profile names it (wamr-pool.spec.ts covers a WAMR profile)
    expect(new Set(BOARDS.filter((b) => b.runtime.kind !== 'host-tethered').map((b) => b.runtime.kind))).toEqual(new Set(['wasm3']));
    expect(BOARDS.find((b) => b.id === 'teensy41')!.runtime).toMatchObject({ kind: 'wasm3', wasmMemoryLimitBytes: 384 * 1024 });
  });
});

describe('RAM/flash table', () => {
  it('gives each WebAssembly board the largest 784-H-10 that fits, from the engine’s plan', () => {
    for (const r of rows) {
      const board = BOARDS.find((b) => b.id === r.board)!;
      if (board.runtime.kind === 'host-tethered') {
        expect(r.layout).toBeNull();
        continue;
      }
      const wasm = modules.get(boardAscFlags(usableLinearBytes(board)).join(' '))!;
      const h = r.layout![1];
      expect(measureTrainingMemory(wasm, mnistNetwork(h)).linearBytes).toBeLessThanOrEqual(usableLinearBytes(board));
      expect(measureTrainingMemory(wasm, mnistNetwork(h + 1)).linearBytes).toBeGreaterThan(usableLinearBytes(board));
      expect(r.flashUsedBytes).toBeLessThan(board.memory.flashBytes);
      expect(r.accuracy).toBeNull();
    }
    const table = formatCapacityTable(rows);
    expect(table).toContain('pending (bench)');
    console.log(table);
  });

  it('takes the accuracy column from a benchmark', () => {
    const filled = formatCapacityTable(fillAccuracy(rows, { 'rp2040-pico': 0.9512 }));
    expect(filled).toMatch(/\| rp2040-pico \|.*\| 95\.12 % \|/);
  });
});
