// The README's board-speed section: estimates from instruction counts, verdicts, rendering between the markers.
import { describe, expect, it } from 'vitest';
import { CORE_MODELS, boardSpeedMarkdown, estimateBoards, replaceBoardSpeed, verdictOf, type BoardSpeedRun, type CountRow } from '../bench/board-speed-markdown.ts';
import { BOARDS } from '../../boards/index.ts';
import { machineInfo } from '../bench/lib/machine.ts';

const count = (workload: string, runtime: CountRow['runtime'], isa: CountRow['isa'], instructionsPerSample: number): CountRow => ({
  workload, layout: [784, 32, 10], algorithm: 'pgaf', runtime, isa, machine: 'mps2-an385', samples: [20, 40], ticks: [1000, 2000],
  instructionsPerSample, deterministic: true, identicalToV8: true, flashBytes: 100_000,
});
const W = 'mnist 784-32-10 pgaf';
const counts: CountRow[] = (['cortex-m3', 'cortex-m0plus', 'cortex-m4', 'cortex-m7'] as const).flatMap((isa) => [count(W, 'wasm2c', isa, 300_000), count(W, 'wasm3', isa, 2_000_000)]);

describe('board-speed section', () => {
  it('turns instructions into ms with the core model and the board clock; no row for the host-tethered Uno', () => {
    const est = estimateBoards(BOARDS, counts, () => [{ workload: W, fits: true }]);
    expect(est.map((e) => e.board)).not.toContain('arduino-uno');
    const teensy = est.find((e) => e.board === 'teensy41')!;
    const m7 = CORE_MODELS['arm-cortex-m7'];
    expect(teensy.isa).toBe('cortex-m7');
    expect(teensy.ms.wasm3![1]).toBeCloseTo((2_000_000 * m7.cpiMid) / 600e6 * 1e3, 9);
    expect(teensy.ms.wasm3![0]).toBeLessThan(teensy.ms.wasm3![1]);
    expect(teensy.ms.wasm3![2]).toBeGreaterThan(teensy.ms.wasm3![1]);
    // the ESP32 has no count of its own: the Cortex-M3 count with the ISA factor
    expect(est.find((e) => e.board === 'esp32-devkitc')!.isa).toBe('cortex-m3');
  });

  it('judges the interpreter against the target', () => {
    expect(verdictOf([1, 2, 3], [0.1, 0.2, 0.3])).toBe('interpreter OK');
    expect(verdictOf([5, 10, 15], [0.5, 1, 1.5])).toBe('borderline');
    expect(verdictOf([20, 30, 40], [2, 3, 4])).toBe('needs AOT');
    expect(verdictOf([50, 60, 70], [12, 15, 20])).toBe('too slow even with AOT');
    expect(verdictOf(undefined, [1, 2, 3])).toBeNull();
  });

  it('renders counts and estimates, says it is an estimate, and states a skipped interpreter', () => {
    const run: BoardSpeedRun = {
      date: '2026-12-01T12:00:00.000Z', commit: '0123456789abcdef', command: 'npx tsx test/bench/board-speed.ts --record', machine: machineInfo(),
      qemu: 'QEMU 7.2.22', gcc: 'arm-none-eabi-gcc 12.2.1', opt: '-O2', wasm3: { version: '0.5.0', source: 'wasm3 0.5.0', defines: ['-DARDUINO=10819'] },
      draws: 'prng', targetMsPerSample: 10, counts, boards: estimateBoards(BOARDS, counts, () => [{ workload: W, fits: true }]),
    };
    const md = boardSpeedMarkdown(run);
    for (const s of ['| mnist 784-32-10 pgaf | cortex-m3 | 300.0 k | 2.00 M | 6.7× |', 'not measurements on a board', 'board-speed-2026-12-01.json', 'QEMU 7.2.22', '| teensy41 | 600 MHz |']) expect(md).toContain(s);
    const skipped = boardSpeedMarkdown({ ...run, wasm3: { version: null, source: null, skipped: 'WASM3_SRC is not set', defines: [] }, counts: counts.filter((c) => c.runtime === 'wasm2c'), boards: [] });
    expect(skipped).toContain('skipped (WASM3_SRC is not set)');
    expect(replaceBoardSpeed('a\n<!-- board-speed:begin -->\nold\n<!-- board-speed:end -->\nb', md)).toBe(`a\n<!-- board-speed:begin -->\n${md}\n<!-- board-speed:end -->\nb`);
  });
});
