/**
 * Write failures name the user's file, never the hidden temp file, and say what went wrong
 * (issue 11, item 10): a missing directory, a full disk (ENOSPC, simulated by failing the file
 * system calls), a read-only directory (EACCES/EROFS, simulated: the tests may run as root). The
 * old file stays intact and no temp file is left behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

/** Which fs call fails next, and with which errno code (undefined: none). */
const failNext: { call?: 'write' | 'open' | 'writeSync'; code?: string } = {};

function errno(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: simulated, ${syscall}${path ? ` '${path}'` : ''}`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = syscall;
  if (path) e.path = path;
  return e;
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args: Parameters<typeof real.open>) => {
    if (failNext.call === 'open') throw errno(failNext.code!, 'open', String(args[0]));
    const h = await real.open(...args);
    if (failNext.call === 'write') {
      const code = failNext.code!;
      h.writeFile = async () => {
        throw errno(code, 'write');
      };
    }
    return h;
  };
  return { ...real, open, default: { ...real, open } };
});

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: unknown[]) => {
    if (failNext.call === 'writeSync') throw errno(failNext.code!, 'write');
    return (real.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof real.writeSync;
  return { ...real, writeSync, default: { ...real, writeSync } };
});

const { writeFileAtomic } = await import('../../host/io/atomic-write.ts');
const { FileWriteError } = await import('../../host/io/write-error.ts');
const { saveWeights } = await import('../../host/io/weights-file.ts');
const { saveCalibration } = await import('../../host/device/calibration.ts');

const dir = mkdtempSync(join(tmpdir(), 'spintrain-write-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  failNext.call = undefined;
  failNext.code = undefined;
});

async function writeError(f: () => Promise<unknown> | unknown): Promise<InstanceType<typeof FileWriteError>> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(FileWriteError);
    return e as InstanceType<typeof FileWriteError>;
  }
  throw new Error('expected a FileWriteError');
}

/** A fresh directory dir/name, holding model.stw = `old`. */
function sub(name: string, old: string): { d: string; target: string } {
  const d = join(dir, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  const target = join(d, 'model.stw');
  writeFileSync(target, old);
  return { d, target };
}

describe('writeFileAtomic errors name the target file', () => {
  it('a missing directory: names the target and the directory, not the temp file', async () => {
    const target = join(dir, 'no-such-dir', 'cp.stw');
    const e = await writeError(() => writeFileAtomic(target, 'x'));
    expect(e.message).toBe(`${target}: cannot write: the directory ${join(dir, 'no-such-dir')} does not exist`);
    expect(e.message).not.toMatch(/\.tmp/);
    expect(e.code).toBe('ENOENT');
  });

  it.each(['ENOSPC', 'EDQUOT', 'EIO'])('%s while writing: names the target, keeps the old file, leaves no temp file', async (code) => {
    const { d, target } = sub(`full-${code}`, 'old contents');
    failNext.call = 'write';
    failNext.code = code;
    const e = await writeError(() => writeFileAtomic(target, 'new contents'));
    expect(e.message.startsWith(`${target}: cannot write: `)).toBe(true);
    expect(e.message).toContain(code);
    expect(e.message).toContain('the previous file, if any, is unchanged');
    expect(e.message).not.toMatch(/\.tmp/);
    expect(readFileSync(target, 'utf8')).toBe('old contents');
    expect(readdirSync(d)).toEqual(['model.stw']);
  });

  it.each([
    ['EACCES', /permission denied: the directory .* is not writable \(EACCES\)/],
    ['EROFS', /is on a read-only file system \(EROFS\)/],
  ])('%s on the temp file (read-only directory): names the target and the directory', async (code, why) => {
    const { target } = sub(`ro-${code}`, 'old');
    failNext.call = 'open';
    failNext.code = code;
    const e = await writeError(() => writeFileAtomic(target, 'new'));
    expect(e.message.startsWith(`${target}: cannot write: `)).toBe(true);
    expect(e.message).toMatch(why);
    expect(e.message).not.toMatch(/\.tmp/);
    expect(readFileSync(target, 'utf8')).toBe('old');
  });

  it('saveWeights (checkpoints, --save) reports a full disk naming the .stw file', async () => {
    const { target } = sub('weights-full', 'old');
    failNext.call = 'write';
    failNext.code = 'ENOSPC';
    const w = { layout: [2, 2], activation: 'bp-sigmoid', fracBits: { weights: 24, activations: 16 }, tensors: [{ name: 'W0', data: new Int32Array(4) }] };
    const e = await writeError(() => saveWeights(target, w));
    expect(e.message).toBe(`${target}: cannot write: no space left on the device (ENOSPC); the previous file, if any, is unchanged`);
    expect(readFileSync(target, 'utf8')).toBe('old');
  });
});

describe('saveCalibration errors name the calibration file', () => {
  const cal = {
    schema: 'spintrain.mtj-calibration' as const,
    schemaVersion: 1 as const,
    boardId: 'sim',
    createdAt: '2026-01-01T00:00:00Z',
    pulseWidthS: 1e-8,
    seed: 1,
    devices: [],
  };

  it('a full disk: names the file, keeps the old one, removes the temp file', async () => {
    const { d, target } = sub('cal-full', 'old calibration');
    failNext.call = 'writeSync';
    failNext.code = 'ENOSPC';
    const e = await writeError(() => saveCalibration(target, cal));
    expect(e.message).toBe(`${target}: cannot write: no space left on the device (ENOSPC); the previous file, if any, is unchanged`);
    expect(readFileSync(target, 'utf8')).toBe('old calibration');
    expect(readdirSync(d)).toEqual(['model.stw']);
  });

  it('a missing directory: names the file and the directory', async () => {
    const target = join(dir, 'nowhere', 'cal.json');
    const e = await writeError(() => saveCalibration(target, cal));
    expect(e.message).toBe(`${target}: cannot write: the directory ${join(dir, 'nowhere')} does not exist`);
  });
});
