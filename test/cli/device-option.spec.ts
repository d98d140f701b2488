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
import { assertSerialPortPath, charDriverName, charDriverNames, NotASerialPortError } from '../../host/device/serial-port-path.ts';
import { PortNotFoundError } from '../../host/device/errors.ts';

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
    devices: sim.params.map((_, device) => {
      const bridge = sim.logisticBridge(device);
      return {
        device,
        ...bridge,
        maxAbsError: 0,
        fitCoverage: 1,
        pairCoverage: 1,
        pairMaxAbsError: 0,
        points: [{ currentA: bridge.i50A, n: 2, high: 1, pairs: 1, pairs10: 1 }],
      };
    }),
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
    [{ device: '/dev/ttyACM0', calibration: 'c.json', board: 'mega' }, '--board: expected one of uno, uno-spintrain, got "mega"'],
    [{ device: '/dev/ttyACM0', calibration: 'c.json', board: 'esp32' }, '--board: expected one of uno, uno-spintrain, got "esp32"'],
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

describe('a path that is not a serial port: exit 1 naming the port, no stack trace, no hang (issue 11)', () => {
  it.each([
    [['train', ...XOR.slice(1), '--device', '/dev/null', '--calibration', unoCal], '/dev/null is not a serial port (a character device of driver "mem"'],
    [['train', ...XOR.slice(1), '--device', dir, '--calibration', unoCal], `${dir} is not a serial port (a directory)`],
    [['train', ...XOR.slice(1), '--device', unoCal, '--calibration', unoCal], `${unoCal} is not a serial port (a regular file)`],
    [['calibrate', '--device', '/dev/null'], '/dev/null is not a serial port'],
    [['calibrate', '--device', '/dev/zero', '--devices', '2'], '/dev/zero is not a serial port'],
    [['power', '--port', '/dev/null', '--samples', '5'], '/dev/null is not a serial port'],
    [['power', '--port', '/dev/spintrain-nope'], 'serial port /dev/spintrain-nope not found: --port expects the path of a serial port'],
  ])('%j', async (argv, message) => {
    if (process.platform !== 'linux' && message.includes('driver')) return;
    const io = capture();
    expect(await main(argv)).toBe(1);
    expect(io.err()).toContain(message);
    expect(io.err()).not.toMatch(/^\s+at /m);
  });

  it('assertSerialPortPath: the driver of the major number decides (/proc/devices)', () => {
    const table = 'Character devices:\n  1 mem\n  4 tty\n  5 /dev/tty\n136 pts\n166 ttyACM\n\nBlock devices:\n  1 ramdisk\n';
    expect(charDriverName(table, 166)).toBe('ttyACM');
    expect(charDriverName(table, 1)).toBe('mem'); // not the block device of the same number
    expect(charDriverName(table, 42)).toBeUndefined();
    // major 4 carries /dev/vc/0, tty and ttyS: /dev/ttyS* is a serial port (it was refused on the first name)
    expect(charDriverNames('Character devices:\n  4 /dev/vc/0\n  4 tty\n  4 ttyS\n  5 /dev/tty\n', 4)).toEqual(['/dev/vc/0', 'tty', 'ttyS']);
    expect(() => assertSerialPortPath('/dev/null', { procDevices: table })).toThrow(NotASerialPortError);
    expect(() => assertSerialPortPath('/dev/null', { procDevices: 'Character devices:\n  1 ttyFAKE\n' })).not.toThrow();
    expect(() => assertSerialPortPath('/dev/spintrain-nope')).toThrow(PortNotFoundError);
  });
});

describe('calibrate: numeric options are bounded (issue 11)', () => {
  it.each([
    [['--device', 'sim', '--devices', '100000000'], '--devices: expected an integer in 1..1024, got "100000000"'],
    [['--device', 'sim', '--devices', '1e9'], '--devices: expected an integer in 1..1024, got "1e9"'],
    [['--device', 'sim', '--devices', '4294967296'], '--devices: expected an integer in 1..1024, got "4294967296"'],
    [['--device', '/dev/ttyACM0', '--devices', '5'], '--devices: expected an integer in 1..4, got "5"'],
    [['--device', 'sim', '--seed', ''], '--seed: expected an integer in 0..4294967295, got ""'],
    [['--device', 'sim', '--seed', '-1'], '--seed: expected a value, got the option-like "-1"'],
    [['--device', 'sim', '--seed=-1'], '--seed: expected an integer in 0..4294967295, got "-1"'],
    [['--device', ''], '--device: expected sim, auto or the path of a serial port, got ""'],
    [['--device', 'sim', '--out', ''], '--out: expected a path, got ""'],
    [['--device', 'sim', '--device', 'sim'], '--device: given more than once'],
  ])('%j → exit 2: %s', async (argv, message) => {
    const io = capture();
    expect(await main(['calibrate', ...argv])).toBe(2);
    expect(io.err()).toContain(`spintrain calibrate: ${message}`);
  });
});
