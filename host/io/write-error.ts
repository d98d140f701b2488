/**
 * A file that could not be written, named by the path the user gave (never a hidden temp file), with
 * what went wrong in words: a missing or read-only directory, a full disk, a directory in the way.
 * Writers are atomic (host/io/atomic-write.ts), so the message also says the old file is unchanged.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class FileWriteError extends Error {
  override name = 'FileWriteError';
  constructor(
    readonly file: string,
    readonly reason: string,
    /** The errno code (ENOSPC, ENOENT, EACCES, …) when the system gave one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: cannot write: ${reason}`, options);
  }
}

/** True for an error of the file system (an errno code such as ENOSPC), not one of the data's producer. */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** The FileWriteError for `target` of a system error met while writing it (possibly through `tempPath`). */
export function writeErrorFor(target: string, e: NodeJS.ErrnoException, tempPath?: string): FileWriteError {
  const dir = dirname(target);
  const code = e.code;
  const unchanged = 'the previous file, if any, is unchanged';
  let reason: string;
  switch (code) {
    case 'ENOENT':
      reason = `the directory ${dir} does not exist`;
      break;
    case 'ENOTDIR':
      reason = `a component of ${dir} is not a directory`;
      break;
    case 'EACCES':
    case 'EPERM':
      reason = `permission denied: the directory ${dir} (or the file) is not writable (${code})`;
      break;
    case 'EROFS':
      reason = `${dir} is on a read-only file system (EROFS)`;
      break;
    case 'ENOSPC':
      reason = `no space left on the device (ENOSPC); ${unchanged}`;
      break;
    case 'EDQUOT':
      reason = `disk quota exceeded (EDQUOT); ${unchanged}`;
      break;
    case 'EFBIG':
      reason = `file too large for the file system (EFBIG); ${unchanged}`;
      break;
    case 'EIO':
      reason = `input/output error (EIO); ${unchanged}`;
      break;
    case 'EISDIR':
    case 'ENOTEMPTY':
    case 'EEXIST':
      reason = `is a directory (${code})`;
      break;
    default: {
      const msg = tempPath ? String(e.message).split(tempPath).join(target) : String(e.message);
      reason = `${msg}; ${unchanged}`;
    }
  }
  return new FileWriteError(target, reason, code, { cause: e });
}

/**
 * Creates `dir` (and its parents) for `file`, about to be written there; a failure is a FileWriteError
 * naming dir/file and why (a file in the way: "<dir> exists and is not a directory").
 */
export function makeDirFor(dir: string, file: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    if (!isSystemError(e)) throw e;
    if (e.code === 'EEXIST') throw new FileWriteError(join(dir, file), `${dir} exists and is not a directory`, e.code, { cause: e });
    throw writeErrorFor(join(dir, file), e);
  }
}
