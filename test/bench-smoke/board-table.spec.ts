/**
 * The README's board table generator (test/bench/boards.ts boardTableMarkdown, lib/board-capacity.ts narrowCells
 * and formatCapacityTable) on the recorded runs it is rendered from: the 16- and 8-bit columns are the means of
 * the narrow-weights record's runs for the same board budget, and a board without a budget there says so.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { boardTableMarkdown } from '../bench/boards.ts';
import { narrowCells, weightsFileBytes } from '../bench/lib/board-capacity.ts';

const results = (f: string) => fileURLToPath(new URL(`../bench/results/${f}`, import.meta.url));
const BOARDS = results('boards-2026-12-01.json');
const NARROW = results('narrow-weights-2026-12-01.json');

describe('board table with narrow weights', () => {
  it('narrowCells: the mean of the record’s runs per board and width', () => {
    const rec = JSON.parse(readFileSync(NARROW, 'utf8'));
    const cells = narrowCells(rec);
    const nrf = cells['nrf52840-nano33ble'];
    expect(nrf.map((c) => [c.bits, c.layout.join('-'), c.seeds])).toEqual([[16, '784-18-10', 3], [8, '784-37-10', 3]]);
    const runs = rec.runs.filter((r: { caseId: string; bits: number }) => r.caseId === 'mnist nrf52840-nano33ble' && r.bits === 16);
    expect(nrf[0].meanAccuracy).toBeCloseTo(runs.reduce((a: number, r: { testAccuracy: number }) => a + r.testAccuracy, 0) / runs.length, 12);
    expect(cells['teensy41']).toBeUndefined();
  });

  it('the README block: the two columns, "not run" for the Teensy, "—" for the tethered Unos, and where the numbers come from', () => {
    const md = boardTableMarkdown(BOARDS, NARROW);
    const row = (board: string) => md.split('\n').find((l) => l.startsWith(`| ${board} |`))!;
    expect(md.split('\n')[0]).toMatch(/\| with 16-bit weights \| with 8-bit weights \|$/);
    expect(row('nrf52840-nano33ble')).toMatch(/\| 784-18-10: 94\.72 % \(mean of 3\) \| 784-37-10: 95\.89 % \(mean of 3\) \|$/);
    expect(row('teensy41')).toMatch(/\| not run \| not run \|$/);
    expect(row('arduino-uno')).toMatch(/\| — \| — \|$/);
    expect(md).toContain('test/bench/results/narrow-weights-2026-12-01.json');
    // the README carries exactly this block
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(readme).toContain(`<!-- boards:begin -->\n${md}\n<!-- boards:end -->`);
  });

  it('weightsFileBytes: 2 or 1 bytes per weight, each tensor padded to 4, biases 4', () => {
    expect(weightsFileBytes([784, 9, 10])).toBe(16 + 256 + 4 * (784 * 9 + 9 + 9 * 10 + 10) + 4);
    expect(weightsFileBytes([784, 18, 10], 256, 2)).toBe(16 + 256 + 784 * 18 * 2 + 4 * 18 + Math.ceil((18 * 10 * 2) / 4) * 4 + 4 * 10 + 4);
    expect(weightsFileBytes([3, 3, 1], 256, 1)).toBe(16 + 256 + 12 + 12 + 4 + 4 + 4);
  });
});
