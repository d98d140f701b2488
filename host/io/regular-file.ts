/**
 * The one way every file reader opens its input. Rule: only a regular file is read. A FIFO, a
 * character device (/dev/zero, /dev/urandom, a tty), a block device, a socket or a directory is
 * refused before a byte is read, because reading it may never end (or never start).
 *
 * The file is opened with O_NONBLOCK, so opening a FIFO that has no writer returns at once instead
 * of blocking, and its type is then checked on the open descriptor (fstat): the file checked is the
 * file read. Readers turn a RegularFileError into their own typed error naming the same file.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** Node reads at most this many bytes into one buffer (kIoMaxLength); larger files are refused by size. */
export const MAX_READ_BYTES = 2 ** 31 - 1;

/** A path that cannot be read as a regular file; `reason` says why, without the path. */
export class RegularFileError extends Error {
  override name = 'RegularFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface ReadLimits {
  /** Refuse files larger than this many bytes (default MAX_READ_BYTES). */
  maxBytes?: number;
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Why an open/read error happened, in words (the errno code kept in parentheses). */
export function describeReadError(e: unknown): { reason: string; code?: string } {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return { reason: 'no such file', code };
    case 'EISDIR':
      return { reason: 'is a directory, expected a regular file', code };
    case 'EACCES':
    case 'EPERM':
      return { reason: `permission denied (${code})`, code };
    case 'ENOTDIR':
      return { reason: 'a component of the path is not a directory (ENOTDIR)', code };
    case 'ELOOP':
      return { reason: 'too many symbolic links (ELOOP)', code };
    case 'ENAMETOOLONG':
      return { reason: 'the path is too long (ENAMETOOLONG)', code };
    default:
      return { reason: `cannot be read: ${(e as Error).message ?? String(e)}`, code };
  }
}

/** "is a FIFO …" for anything that is not a regular file; undefined for a regular file. */
function notRegular(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  const kind = s.isDirectory()
    ? 'a directory'
    : s.isFIFO()
      ? 'a FIFO (named pipe)'
      : s.isCharacterDevice()
        ? 'a character device (such as /dev/zero or a tty)'
        : s.isBlockDevice()
          ? 'a block device'
          : s.isSocket()
            ? 'a socket'
            : 'not a regular file';
  return `is ${kind}, expected a regular file (only regular files are read)`;
}

function checkStats(path: string, s: Stats, limits: ReadLimits): void {
  const why = notRegular(s);
  if (why) throw new RegularFileError(path, why);
  const max = limits.maxBytes ?? MAX_READ_BYTES;
  if (s.size > max) throw new RegularFileError(path, `is ${s.size} bytes, more than the ${max} bytes this reader accepts`);
}

/** The bytes of the regular file at `path`; throws RegularFileError naming it otherwise. */
export function readRegularFileSync(path: string, limits: ReadLimits = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    const { reason, code } = describeReadError(e);
    throw new RegularFileError(path, reason, code);
  }
  try {
    const s = fstatSync(fd);
    checkStats(path, s, limits);
    // Read exactly the size fstat reported (a regular file); a file that grows meanwhile is read to that size.
    const out = Buffer.allocUnsafe(s.size);
    let done = 0;
    while (done < s.size) {
      const n = readSync(fd, out, done, s.size - done, null);
      if (n === 0) break;
      done += n;
    }
    return done === s.size ? out : out.subarray(0, done);
  } catch (e) {
    if (e instanceof RegularFileError) throw e;
    const { reason, code } = describeReadError(e);
    throw new RegularFileError(path, reason, code);
  } finally {
    closeSync(fd);
  }
}

/** Text (UTF-8) of the regular file at `path`. */
export function readRegularTextSync(path: string, limits: ReadLimits = {}): string {
  return readRegularFileSync(path, limits).toString('utf8');
}

/** Async form of readRegularFileSync. */
export async function readRegularFile(path: string, limits: ReadLimits = {}): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (e) {
    const { reason, code } = describeReadError(e);
    throw new RegularFileError(path, reason, code);
  }
  try {
    checkStats(path, await handle.stat(), limits);
    return await handle.readFile();
  } catch (e) {
    if (e instanceof RegularFileError) throw e;
    const { reason, code } = describeReadError(e);
    throw new RegularFileError(path, reason, code);
  } finally {
    await handle.close().catch(() => {});
  }
}
