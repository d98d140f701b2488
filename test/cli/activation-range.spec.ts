// `spintrain train --trainable-activation [--activation-range kMin,kMax,cMin,cMax]`: the range k and c
// are clamped into comes from the option, or else from the device (a port's board profile, the
// simulated array); bad values exit 2 naming the option.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../host/cli.ts';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { simActivationRange } from '../../host/device/activation-range.ts';
import { loadWeights } from '../../host/io/weights-file.ts';
import { captureOutput } from '../support/capture-output.ts';

/** The Uno's profile has no activationRange; this file's copy declares one. */
const { UNO_RANGE } = vi.hoisted(() => ({ UNO_RANGE: { kMin: 0.85, kMax: 1.15, cMin: -0.5, cMax: 0.25 } }));
vi.mock('../../boards/arduino-uno.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../boards/arduino-uno.ts')>();
  return { arduinoUno: { ...actual.arduinoUno, activationRange: UNO_RANGE } };
});

afterEach(() => {
  vi.restoreAllMocks();
});

const XOR = ['--dataset', 'xor', '--hidden', '4'];
// parsing a port device touches neither the port nor the calibration file
const PORT = ['--device', '/dev/ttyFAKE0', '--calibration', 'uno-cal.json'];

describe('the range from the device', () => {
  it("a port device: the board profile's activationRange (--board uno)", () => {
    const job = parseTrainArgs([...XOR, ...PORT, '--board', 'uno', '--trainable-activation']);
    expect(job.config.activationRange).toEqual(UNO_RANGE);
    expect(job.activationRangeFrom).toBe('board profile arduino-uno');
  });

  it('only with --trainable-activation; none for prng', () => {
    expect(parseTrainArgs([...XOR, ...PORT]).config.activationRange).toBeUndefined();
    expect(parseTrainArgs([...XOR, '--trainable-activation']).config.activationRange).toBeUndefined();
  });

  it("--device sim: the simulated array's box, passed to the engine (--json config)", async () => {
    const io = captureOutput();
    expect(await main(['train', ...XOR, '--epochs', '2', '--device', 'sim', '--trainable-activation', '--json'])).toBe(0);
    const r = JSON.parse(io.out().trim());
    expect(r.config.trainableActivation).toBe(true);
    expect(r.config.activationRange).toEqual(simActivationRange());
    expect(r.config.activationRange).toMatchObject({ kMin: 0.8, kMax: 1.2 });
  });
});

describe('--activation-range wins over the device', () => {
  it('over the board profile', () => {
    const job = parseTrainArgs([...XOR, ...PORT, '--trainable-activation', '--activation-range', '0.9,1.1,-1,1']);
    expect(job.config.activationRange).toEqual({ kMin: 0.9, kMax: 1.1, cMin: -1, cMax: 1 });
    expect(job.activationRangeFrom).toBe('--activation-range');
  });

  it('over the simulated array, and training clamps every k and c into it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-range-'));
    const io = captureOutput();
    const range = { kMin: 0.9, kMax: 0.95, cMin: 0.1, cMax: 0.2 }; // excludes the start k = 1, c = 0
    const argv = ['train', ...XOR, '--algo', 'bp', '--epochs', '2', '--device', 'sim', '--trainable-activation', '--activation-range', '0.9,0.95,0.1,0.2'];
    expect(await main([...argv, '--save', join(dir, 'w.stw'), '--json'])).toBe(0);
    expect(JSON.parse(io.out().trim()).config.activationRange).toEqual(range);
    const w = await loadWeights(join(dir, 'w.stw'));
    const q24 = (name: string): number[] => Array.from(w.tensors.find((t) => t.name === name)!.data, (v) => v / 2 ** 24);
    for (const k of q24('K1')) expect(k >= range.kMin - 1e-6 && k <= range.kMax + 1e-6).toBe(true);
    for (const c of q24('C1')) expect(c >= range.cMin - 1e-6 && c <= range.cMax + 1e-6).toBe(true);
  });

  it('the log names the range and where it came from', async () => {
    const io = captureOutput();
    expect(await main(['train', ...XOR, '--epochs', '1', '--trainable-activation', '--activation-range', '0.5,2,-3,3'])).toBe(0);
    expect(io.out()).toContain('trainable activation: k in [0.5, 2], c in [-3, 3] (from --activation-range)');
  });
});

describe('bad --activation-range values exit 2, naming the option and what was expected', () => {
  it.each([
    [['--activation-range', '0.9,1.1,-1'], '--activation-range: expected 4 numbers kMin,kMax,cMin,cMax, got 3 ("0.9,1.1,-1")'],
    [['--activation-range', '0.9,1.1,x,1'], '--activation-range[2]: expected a number in -127..127, got "x"'],
    [['--activation-range', '0.9,1.1,-1,200'], '--activation-range[3]: expected a number in -127..127, got "200"'],
    [['--activation-range', '1.1,0.9,-1,1'], '--activation-range: expected kMin ≤ kMax, got kMin 1.1 > kMax 0.9'],
    [['--activation-range', '0.9,1.1,1,-1'], '--activation-range: expected cMin ≤ cMax, got cMin 1 > cMax -1'],
  ])('%j', async (extra, message) => {
    const io = captureOutput();
    expect(await main(['train', ...XOR, '--trainable-activation', ...extra])).toBe(2);
    expect(io.err()).toContain(message);
  });

  it('without --trainable-activation', async () => {
    const io = captureOutput();
    expect(await main(['train', ...XOR, '--activation-range', '0.9,1.1,-1,1'])).toBe(2);
    expect(io.err()).toContain('--activation-range: only applies with --trainable-activation');
  });
});
