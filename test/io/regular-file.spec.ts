/**
 * Only regular files are read (host/io/regular-file.ts): /dev/zero, /dev/urandom, a FIFO with no
 * writer or a directory as a dataset, --resume, --calibration, --teacher, --weights or a run-directory
 * file is refused at once with the reader's typed error naming the file, never read forever.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../host/cli.ts';
import { loadDataset } from '../../host/data/index.ts';
import { DatasetError } from '../../host/data/errors.ts';
import { readIdx } from '../../host/data/idx.ts';
import { CalibrationFileError } from '../../host/device/errors.ts';
import { loadCalibration } from '../../host/device/calibration.ts';
import { loadCheckpoint } from '../../host/engine/checkpoint.ts';
import { WeightsFileError } from '../../host/io/errors.ts';
import { readRegularFile, readRegularFileSync, RegularFileError } from '../../host/io/regular-file.ts';
import { loadWeights } from '../../host/io/weights-file.ts';
import { RunDirError } from '../../host/power/errors.ts';
import { readRunDir } from '../../host/report/run-dir.ts';
import { captureOutput } from '../support/capture-output.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-regular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function fifo(name: string): string {
  const p = join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
}

const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const specials = [['/dev/zero', /character device/], ['/dev/urandom', /character device/]] as const;

describe('readRegularFile', () => {
  it.each(specials)('refuses %s at once', async (path, why) => {
    expect(() => readRegularFileSync(path)).toThrow(RegularFileError);
    expect(() => readRegularFileSync(path)).toThrow(why);
    await expect(readRegularFile(path)).rejects.toThrow(`${path}: is a character device`);
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO with no writer without blocking', async () => {
    const p = fifo('pipe');
    expect(() => readRegularFileSync(p)).toThrow(`${p}: is a FIFO (named pipe), expected a regular file`);
    await expect(readRegularFile(p)).rejects.toThrow('FIFO');
  });

  it('refuses a directory and a missing file, and a file over the size limit', () => {
    const d = join(dir, 'a-dir');
    mkdirSync(d);
    expect(() => readRegularFileSync(d)).toThrow(`${d}: is a directory`);
    expect(() => readRegularFileSync(join(dir, 'missing'))).toThrow(`${join(dir, 'missing')}: no such file`);
    expect(() => readRegularFileSync('/etc/hostname', { maxBytes: 0 })).toThrow(/more than the 0 bytes this reader accepts/);
  });
});

describe('every file reader refuses what is not a regular file, naming it', () => {
  it.each(specials)('%s as IDX, weights, checkpoint, calibration', async (path) => {
    expect(() => readIdx(path)).toThrow(DatasetError);
    expect(() => loadDataset(`${path},${path}`)).toThrow(`${path}: is a character device`);
    await expect(loadWeights(path)).rejects.toThrow(WeightsFileError);
    await expect(loadWeights(path)).rejects.toThrow(`${path}: file: is a character device`);
    await expect(loadCheckpoint(path)).rejects.toThrow(`${path}: file: is a character device`);
    expect(() => loadCalibration(path)).toThrow(CalibrationFileError);
    expect(() => loadCalibration(path)).toThrow(`calibration file ${path}: field (file) cannot be read: is a character device`);
  });

  it.skipIf(!hasMkfifo)('a FIFO as IDX, weights, calibration and run.json', async () => {
    const p = fifo('data.fifo');
    expect(() => readIdx(p)).toThrow(`${p}: is a FIFO`);
    await expect(loadWeights(p)).rejects.toThrow(`${p}: file: is a FIFO`);
    expect(() => loadCalibration(p)).toThrow('is a FIFO');
    const run = join(dir, 'run-fifo');
    mkdirSync(run);
    const runJson = fifo(join('run-fifo', 'run.json'));
    expect(existsSync(runJson)).toBe(true);
    expect(() => readRunDir(run)).toThrow(RunDirError);
    expect(() => readRunDir(run)).toThrow(`${runJson}: (file): is a FIFO`);
  });

  it.skipIf(!hasMkfifo)('spintrain train exits 1 at once for /dev/zero or a FIFO as --dataset, --resume, --teacher, --calibration', async () => {
    const p = fifo('cli.fifo');
    const io = captureOutput();
    const t0 = performance.now();
    expect(await main(['train', '--dataset', `/dev/zero,${p}`, '--epochs', '1'])).toBe(1);
    expect(io.err()).toContain('/dev/zero: is a character device');
    expect(await main(['train', '--dataset', 'xor', '--epochs', '1', '--resume', p])).toBe(1);
    expect(io.err()).toContain(`${p}: file: is a FIFO`);
    expect(await main(['train', '--dataset', 'xor', '--epochs', '1', '--resume', '/dev/urandom'])).toBe(1);
    expect(io.err()).toContain('/dev/urandom: file: is a character device');
    expect(await main(['train', '--dataset', 'xor', '--epochs', '1', '--teacher', '/dev/zero', '--json'])).toBe(1);
    expect(io.err()).toContain('/dev/zero: file: is a character device');
    expect(await main(['train', '--dataset', 'xor', '--epochs', '1', '--device', 'sim', '--calibration', p, '--json'])).toBe(1);
    expect(io.err()).toContain(`calibration file ${p}: field (file) cannot be read: is a FIFO`);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});
