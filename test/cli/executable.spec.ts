// The real executable (`node host/bin/spintrain.js`, as `npx spintrain` runs it) as a child process:
// exit codes, messages naming the option / port / file, and never a stack trace or a hang (issue 11).
// The spawns run all at once; the executable is the esbuild bundle (build/cli/, `npm run build:cli`).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Calibration, saveCalibration } from '../../host/device/calibration.ts';
import { SimMtj } from '../../host/device/sim-mtj.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'host/bin/spintrain.js');
const dir = mkdtempSync(join(tmpdir(), 'spintrain-exe-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

/** Runs the executable; a run that outlives `timeoutMs` is killed (and reported as such: a hang). */
function spintrain(args: string[], timeoutMs = 90_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, SPINTRAIN_DEBUG: '' } }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; killed?: boolean }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr, killed: e?.killed ?? false });
    });
  });
}

/** A calibration file for the Uno straight from the simulated physics (valid, so the port is what fails). */
function unoCalibration(file: string): void {
  const sim = new SimMtj({ deviceCount: 4, boardId: 'arduino-uno' }, 1);
  const cal: Calibration = {
    schema: 'spintrain.mtj-calibration',
    schemaVersion: 1,
    boardId: 'arduino-uno',
    createdAt: new Date(0).toISOString(),
    pulseWidthS: sim.limits.defaultWidthS,
    seed: null,
    devices: sim.params.map((_, device) => {
      const bridge = sim.logisticBridge(device);
      return { device, ...bridge, maxAbsError: 0, fitCoverage: 1, pairCoverage: 1, pairMaxAbsError: 0, points: [{ currentA: bridge.i50A, n: 2, high: 1, pairs: 1, pairs10: 1 }] };
    }),
  };
  saveCalibration(file, cal);
}

const unoCal = join(dir, 'uno.json');
const linux = process.platform === 'linux';

/** Every case, started together in beforeAll; each `it` checks one. */
const CASES = {
  buildWasm: ['build', '--board', 'rp2040-pico', '--layout', '64,32,10', '--out', join(dir, 'pico'), '--wasm', 'build/spintrain.wasm'],
  calibrateDevNull: ['calibrate', '--device', '/dev/null'],
  trainDevNull: ['train', '--dataset', 'xor', '--epochs', '2', '--device', '/dev/null', '--calibration', unoCal],
  powerDevNull: ['power', '--port', '/dev/null', '--samples', '5'],
  calibrateDevices: ['calibrate', '--device', 'sim', '--devices', '100000000'],
  dataset: ['train', '--dataset', 'mnistx'],
  lr: ['train', '--dataset', 'xor', '--lr', '5e-6'],
  good: ['train', '--dataset', 'xor', '--hidden', '4', '--output', 'sigmoid', '--lr', '2', '--decay', '0', '--epochs', '300', '--seed', '3', '--json'],
  version: ['--version'],
  help: ['--help'],
  powerHelp: ['power', '--help'],
  algo: ['train', '--dataset', 'xor', '--algo', 'foo'],
  flashBoard: ['flash', '--board', 'esp32', '--port', '/dev/null'],
  flashHex: ['flash', '--dry-run', '--hex', join(dir, 'damaged.hex')],
} satisfies Record<string, string[]>;

const runs = {} as Record<keyof typeof CASES, Run>;

beforeAll(async () => {
  unoCalibration(unoCal);
  writeFileSync(join(dir, 'damaged.hex'), ':0400000001020304F3\n:00000001FF\n');
  const names = Object.keys(CASES) as (keyof typeof CASES)[];
  const results = await Promise.all(names.map((n) => spintrain(CASES[n])));
  names.forEach((n, i) => (runs[n] = results[i]));
}, 180_000);

/** The contract of a refusal: the exit code, the message, no stack trace, not killed by the timeout. */
function expectRefusal(r: Run, code: 1 | 2, message: string): void {
  expect(r.killed, 'the run hung and was killed').toBe(false);
  expect(r.stderr).toContain(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/Error \[ERR_|node:internal|triggerUncaughtException/);
  expect(r.code).toBe(code);
}

describe('spintrain, the executable', () => {
  it('flash: a board without spintrain firmware is an argument error naming --board (2); a damaged --hex names the file and line (1); nothing is opened', () => {
    expectRefusal(runs.flashBoard, 2, 'spintrain flash: --board: esp32-devkitc has no spintrain firmware to flash');
    expectRefusal(runs.flashHex, 1, `spintrain flash: ${join(dir, 'damaged.hex')}: line 1: checksum does not match`);
  });

  it('build --wasm FILE: the compiler no longer reads --wasm from the command line; a module not built by spintrain build is a file error (1)', () => {
    expectRefusal(runs.buildWasm, 1, 'spintrain build: build/spintrain.wasm: spintrain.build: missing: not a module built by spintrain build');
  });

  it.skipIf(!linux)('calibrate --device /dev/null: exit 1 naming the port', () => {
    expectRefusal(runs.calibrateDevNull, 1, 'spintrain calibrate: /dev/null is not a serial port');
  });

  it.skipIf(!linux)('train --device /dev/null --calibration FILE: exit 1 naming the port, once', () => {
    expectRefusal(runs.trainDevNull, 1, 'spintrain train: /dev/null is not a serial port');
    expect(runs.trainDevNull.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!linux)('power --port /dev/null: exits (1) naming the port instead of waiting forever', () => {
    expectRefusal(runs.powerDevNull, 1, 'spintrain power: /dev/null is not a serial port');
  });

  it('calibrate --devices 100000000: exit 2 naming --devices (was out of memory)', () => {
    expectRefusal(runs.calibrateDevices, 2, 'spintrain calibrate: --devices: expected an integer in 1..1024, got "100000000"');
  });

  it('train --dataset mnistx: exit 2 naming --dataset (was 1)', () => {
    expectRefusal(runs.dataset, 2, 'spintrain train: --dataset: mnistx: unknown dataset');
  });

  it('train --lr 5e-6: exit 2, the rate rounds to 0 in the engine (was a run that trained nothing)', () => {
    expectRefusal(runs.lr, 2, "spintrain train: --lr[0]: 5e-6 rounds to 0 in the engine's Q16 fixed point; expected at least 2^-17");
  });

  it('--version prints the package version; --help lists every command; both exit 0', () => {
    expect(runs.version).toMatchObject({ code: 0, stdout: `spintrain ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`, stderr: '' });
    expect(runs.help.code).toBe(0);
    for (const c of ['train', 'calibrate', 'power', 'report', 'build', 'eval', 'predict', 'ports']) expect(runs.help.stdout).toContain(c);
  });

  it('power --help names one default data set (iris), not train\'s (mnist)', () => {
    expect(runs.powerHelp.code).toBe(0);
    expect(runs.powerHelp.stdout).toContain('(default iris for power;');
    expect(runs.powerHelp.stdout).not.toContain('default mnist');
  });

  it('--algo foo lists every algorithm the option takes, pair included', () => {
    expectRefusal(runs.algo, 2, 'spintrain train: --algo: expected one of bp, pgaf, pair, got "foo"');
  });

  it('a good run: exit 0, one JSON object, nothing on stderr', () => {
    const r = runs.good;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    expect(j.testAccuracy).toBe(1);
    expect(j.epochs).toBe(300);
    expect(Number.isFinite(j.samplesPerSecond)).toBe(true);
  });
});
