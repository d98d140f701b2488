/**
 * `spintrain calibrate` after issue 13: --samples N (draws per current of the fine sweep, which the fit
 * uses) is validated like the other options and reaches the sweep; every error line on stderr begins with
 * "spintrain calibrate: " — bad options, a missing port, files that cannot be written.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../host/cli.ts';
import { CALIBRATE_OPTIONS, CALIBRATE_USAGE, calibrateCommand, parseCalibrateArgs, SAMPLES_DEFAULT, SAMPLES_MAX, SAMPLES_MIN } from '../../host/commands/calibrate.ts';
import { defaultCalibrationOptions, loadCalibration, MAX_ERROR_MIN_DRAWS } from '../../host/device/calibration.ts';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { captureOutput } from '../support/capture-output.ts';

afterEach(() => vi.restoreAllMocks());

const tmp = () => mkdtempSync(join(tmpdir(), 'spintrain-calibrate-'));

/** Every non-empty stderr line begins with the command's prefix. */
function expectPrefixed(err: string): void {
  const lines = err.split('\n').filter((l) => l !== '');
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l, err).toMatch(/^spintrain calibrate: /);
}

describe('--samples', () => {
  it('defaults to the fine sweep’s 200 draws; bounds 64..100000 (64: fewer draws give no fit-error figure)', () => {
    expect(SAMPLES_DEFAULT).toBe(defaultCalibrationOptions.fineDraws);
    expect(SAMPLES_DEFAULT).toBe(200);
    expect(SAMPLES_MIN).toBe(MAX_ERROR_MIN_DRAWS);
    expect(SAMPLES_MAX).toBe(100_000);
    expect(parseCalibrateArgs(['--device', 'sim']).samples).toBe(200);
    expect(parseCalibrateArgs(['--device', 'sim', '--samples', '1000']).samples).toBe(1000);
  });

  it('spintrain calibrate --help names every option it accepts, --samples among them', async () => {
    const io = captureOutput();
    expect(await main(['calibrate', '--help'])).toBe(0);
    expect(Object.keys(CALIBRATE_OPTIONS).filter((o) => !io.out().includes(`--${o}`))).toEqual([]);
    expect(Object.keys(CALIBRATE_OPTIONS)).toContain('samples');
  });

  it('the usage names the option, its range, its default and the coarse sweep’s 16', () => {
    expect(CALIBRATE_USAGE).toContain('[--samples N]');
    expect(CALIBRATE_USAGE).toMatch(/--samples N\s+draws per current where P\(high\) changes, which the fit uses: 64\.\.100000/);
    expect(CALIBRATE_USAGE).toContain('(default 200;');
    expect(CALIBRATE_USAGE).toContain('keeps 16 per current');
  });

  it.each([
    ['16', '--samples: expected an integer in 64..100000, got "16"'],
    ['0', '--samples: expected an integer in 64..100000, got "0"'],
    ['100001', '--samples: expected an integer in 64..100000, got "100001"'],
    ['99.5', '--samples: expected an integer in 64..100000, got "99.5"'],
    ['x', '--samples: expected an integer in 64..100000, got "x"'],
    ['', '--samples: expected an integer in 64..100000, got ""'],
    ['-100', '--samples: expected a value, got the option-like "-100"'],
  ])('--samples %j → exit 2: %s', async (raw, message) => {
    const io = captureOutput();
    expect(await main(['calibrate', '--device', 'sim', '--samples', raw])).toBe(2);
    expect(io.err()).toContain(`spintrain calibrate: ${message}`);
    expectPrefixed(io.err());
  });

  it('reaches the sweep: every fine point has N draws (the coarse ones keep 16)', async () => {
    const dir = tmp();
    const out = join(dir, 'c.json');
    const io = captureOutput();
    expect(await calibrateCommand(['--device', 'sim', '--devices', '2', '--samples', '80', '--out', out])).toBe(0);
    expect(io.err()).toBe('');
    const cal = loadCalibration(out, 'sim');
    for (const d of cal.devices) {
      const counts = new Set(d.points.map((p) => p.n));
      expect([...counts].sort((a, b) => a - b)).toEqual(counts.has(96) ? [16, 80, 96] : [16, 80]); // 96: a fine current equal to a coarse one
      expect(d.points.filter((p) => p.n >= 80)).toHaveLength(21);
      expect(d.maxAbsError).toBeGreaterThan(0); // the fine points count in the fit error
    }
  });
});

describe('every error line begins with "spintrain calibrate: "', () => {
  it.each([
    [['--devices', 'x'], 2],
    [['--device', 'sim', '--bogus'], 2],
    [['--device', 'sim', '--devices', '0'], 2],
    [['--device', 'sim', '--seed', 'nope'], 2],
    [['--device', '/dev/ttySPINTRAIN-NOPE'], 1],
    [['--device', '/dev/ttySPINTRAIN-NOPE', '--board', 'teensy41'], 2],
    [['--device', 'sim', '--board', 'uno'], 2],
  ])('%j → exit %i', async (argv, code) => {
    const io = captureOutput();
    expect(await main(['calibrate', ...argv])).toBe(code);
    expectPrefixed(io.err());
    if (code === 2) expect(io.err()).toContain('spintrain calibrate: see spintrain calibrate --help\n');
  });

  it('a missing port: the hint names what calibrate takes (sim or a port, not prng)', async () => {
    const io = captureOutput();
    expect(await main(['calibrate', '--device', '/dev/ttySPINTRAIN-NOPE'])).toBe(1);
    expect(io.err()).toBe('spintrain calibrate: serial port /dev/ttySPINTRAIN-NOPE not found: --device expects sim or the path of a serial port\n');
  });

  it.skipIf(process.platform !== 'linux')('/dev/null is not a serial port', async () => {
    const io = captureOutput();
    expect(await main(['calibrate', '--device', '/dev/null'])).toBe(1);
    expect(io.err()).toMatch(/^spintrain calibrate: \/dev\/null is not a serial port/);
    expectPrefixed(io.err());
  });

  it('--out in a missing directory: exit 1 naming the file, also when called without main', async () => {
    const out = join(tmp(), 'no', 'such', 'c.json');
    let io = captureOutput();
    expect(await main(['calibrate', '--device', 'sim', '--devices', '1', '--out', out])).toBe(1);
    expect(io.err()).toBe(`spintrain calibrate: ${out}: cannot write: the directory ${join(out, '..')} does not exist\n`);
    vi.restoreAllMocks();
    io = captureOutput();
    expect(await calibrateCommand(['--device', 'sim', '--devices', '1', '--out', out])).toBe(1);
    expectPrefixed(io.err());
  });

  it('--plots where a file is in the way: exit 1, a FileWriteError naming the plot file', async () => {
    const dir = tmp();
    const blocker = join(dir, 'plots');
    writeFileSync(blocker, 'not a directory');
    const io = captureOutput();
    expect(await main(['calibrate', '--device', 'sim', '--devices', '1', '--out', join(dir, 'c.json'), '--plots', blocker])).toBe(1);
    expect(io.err()).toBe(`spintrain calibrate: ${join(blocker, 'p-high-vs-current.svg')}: cannot write: ${blocker} exists and is not a directory\n`);
    expect(readFileSync(blocker, 'utf8')).toBe('not a directory');
  });

  it('a message of several lines is prefixed line by line', async () => {
    const io = captureOutput();
    // A seed no parser accepts, with a newline in it: the echoed value carries the line break.
    expect(await main(['calibrate', '--device', 'sim', '--seed', '1\n2'])).toBe(2);
    expectPrefixed(io.err());
    expect(io.err()).toContain('spintrain calibrate: 2"\n');
  });
});

describe('--device auto (the default)', () => {
  it('without --device, calibrate looks for the one Firmata board; none: exit 1 saying so and naming the option to give', async () => {
    const { NoFirmataBoardError } = await import('../../host/device/find-firmata-board.ts');
    const io = captureOutput();
    let asked = 0;
    const findBoard = async (): Promise<string> => {
      asked++;
      throw new NoFirmataBoardError([]);
    };
    expect(await calibrateCommand(['--devices', '2'], { findBoard })).toBe(1);
    expect(asked).toBe(1);
    expect(io.err()).toBe('spintrain calibrate: no Firmata board found: no serial ports are listed. Connect a board running StandardFirmata, or give its port (--device <port>)\n');
    expect(parseCalibrateArgs([]).device).toBe('auto');
    expect(await calibrateCommand(['--device', 'sim', '--devices', '1', '--samples', '64', '--out', join(mkdtempSync(join(tmpdir(), 'spintrain-auto-')), 'c.json')], { findBoard })).toBe(0);
    expect(asked).toBe(1); // sim never looks for a board
  });
});

describe('--board: the profile of a port device, from the board registry (default the Uno)', () => {
  it('defaults to the Uno; takes its id or short name; --devices is bounded by the board', () => {
    expect(parseCalibrateArgs(['--device', '/dev/ttyFAKE0']).board).toBe(arduinoUno);
    expect(parseCalibrateArgs(['--device', '/dev/ttyFAKE0', '--board', 'arduino-uno']).board).toBe(arduinoUno);
    expect(parseCalibrateArgs(['--device', '/dev/ttyFAKE0', '--board', 'uno', '--devices', '4']).devices).toBe(4);
    expect(() => parseCalibrateArgs(['--device', '/dev/ttyFAKE0', '--devices', '5'])).toThrow('--devices: expected an integer in 1..4');
    expect(parseCalibrateArgs(['--device', 'sim']).board).toBeUndefined();
  });

  it('refuses a board J5Mtj cannot drive, and --board with sim, naming the option', () => {
    expect(() => parseCalibrateArgs(['--device', '/dev/ttyFAKE0', '--board', 'rp2040-pico'])).toThrow('--board: expected one of uno, uno-spintrain, got "rp2040-pico"');
    expect(() => parseCalibrateArgs(['--device', 'sim', '--board', 'uno'])).toThrow('--board: only applies to a serial port device');
  });

  it('is in the usage with its default', () => {
    expect(CALIBRATE_USAGE).toMatch(/--board uno\|uno-spintrain +board profile of a port device \(default uno\)/);
  });
});
