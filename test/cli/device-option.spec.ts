// `spintrain train --device prng|sim|<port> [--calibration FILE] [--board uno]`: the device in the JSON
// config, and the device errors surfacing through the CLI with the option, port, file and field named.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../host/cli.ts';
import { captureOutput } from '../support/capture-output.ts';
import { parseDeviceOption } from '../../host/commands/device-option.ts';
import { type Calibration, saveCalibration } from '../../host/device/calibration.ts';
import { SimMtj } from '../../host/device/sim-mtj.ts';

const capture = captureOutput;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A calibration straight from a simulated board's physics (no sweep). */
function physicsCalibration(boardId: string, deviceCount: number): Calibration {
  const sim = new SimMtj({ deviceCount, boardId }, 1);
  return {
    schema: 'spintrain.mtj-calibration',
    schemaVersion: 1,
    boardId,
    createdAt: new Date(0).toISOString(),
    pulseWidthS: sim.limits.defaultWidthS,
    seed: null,
    devices: sim.params.map((_, device) => ({
      device,
      ...sim.logisticBridge(device),
      maxAbsError: 0,
      fitCoverage: 1,
      pairCoverage: 1,
      pairMaxAbsError: 0,
      points: [],
    })),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'spintrain-device-'));
const unoCal = join(dir, 'uno.json');
saveCalibration(unoCal, physicsCalibration('arduino-uno', 4));
const XOR = ['train', '--dataset', 'xor', '--hidden', '4', '--epochs', '3', '--json'];

describe('--device in the report', () => {
  it.each([
    [[], 'prng'],
    [['--device', 'sim'], 'sim'],
  ])('%j → config.device %s', async (extra, device) => {
    const io = capture();
    expect(await main([...XOR, ...extra])).toBe(0);
    const r = JSON.parse(io.out().trim());
    expect(r.config.device).toBe(device);
    expect(r.ops.activationGradient.draws).toBe(3 * 4 * 4 * 2);
  });

  it('sim: on-the-fly calibration and a calibration file give the draws; a file of another seed is refused', async () => {
    const sim = new SimMtj({}, 4);
    await sim.open();
    const { calibrate } = await import('../../host/device/calibration.ts');
    const file = join(dir, 'sim-seed4.json');
    saveCalibration(file, await calibrate(sim, { coarsePoints: 9, coarseDraws: 8, finePoints: 5, fineDraws: 32, seed: 4 }));
    const io = capture();
    expect(await main([...XOR, '--device', 'sim', '--seed', '4', '--calibration', file])).toBe(0);
    expect(JSON.parse(io.out().trim()).config.device).toBe('sim');
    expect(await main([...XOR, '--device', 'sim', '--seed', '5', '--calibration', file])).toBe(1);
    expect(io.err()).toContain(`calibration file ${file}: field seed is 4, but the simulated array is seeded with --seed 5`);
  });
});

describe('device errors through the CLI', () => {
  it.each([
    [{ device: '/dev/ttyACM0' }, '--calibration: is required with --device /dev/ttyACM0'],
    [{ device: '/dev/ttyACM0', calibration: 'c.json', board: 'mega' }, '--board: expected one of uno, got "mega"'],
    [{ device: 'sim', board: 'uno' }, '--board: only applies to a serial port device'],
    [{ calibration: 'c.json' }, '--calibration: only applies to --device sim or a serial port'],
  ])('%j is refused: %s', (values, message) => {
    expect(() => parseDeviceOption(values)).toThrow(message);
  });

  it('a port without --calibration exits 2 naming the option', async () => {
    const io = capture();
    expect(await main([...XOR, '--device', '/dev/ttyACM0'])).toBe(2);
    expect(io.err()).toContain('--calibration: is required with --device /dev/ttyACM0');
  });

  it('a missing port exits 1 naming the port', async () => {
    const io = capture();
    expect(await main([...XOR, '--device', '/dev/does-not-exist', '--calibration', unoCal])).toBe(1);
    expect(io.err()).toContain('serial port /dev/does-not-exist not found');
  });

  it.each([
    ['corrupt JSON', (f: string) => writeFileSync(f, '{"schema": "spintrain.mtj-calibration", '), 'field (json) is not valid JSON'],
    ['another board', (f: string) => saveCalibration(f, physicsCalibration('sim', 4)), 'field boardId is "sim" but this device is board "arduino-uno"'],
    ['a device the board lacks', (f: string) => saveCalibration(f, physicsCalibration('arduino-uno', 6)), 'field devices[4].device is 4, but board arduino-uno has 4 devices'],
    ['a bad field', (f: string) => saveCalibration(f, { ...physicsCalibration('arduino-uno', 4), pulseWidthS: -1 }), 'field pulseWidthS must be a positive number'],
  ])('a calibration file with %s exits 1 naming the file and the field', async (_what, write, message) => {
    const file = join(dir, `bad-${_what.replace(/\W/g, '-')}.json`);
    write(file);
    const io = capture();
    // /dev/null exists: the file is checked before any hardware is touched.
    expect(await main([...XOR, '--device', '/dev/null', '--calibration', file])).toBe(1);
    expect(io.err()).toContain(`calibration file ${file}: ${message}`);
  });
});
