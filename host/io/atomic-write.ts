/**
 * Crash-safe file replacement: write a temp file in the target's directory, fsync it, rename it over
 * the target, fsync the directory. Readers see either the old or the new file, never a partial one.
 * On any error the old file is untouched and the temp file is removed, and a file-system error is
 * reported as a FileWriteError naming `path` (the user's file, not the temp file) and the cause.
 */
import { constants } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isSystemError, writeErrorFor } from './write-error.ts';

/** File contents: bytes, text, or chunks produced while writing (a throwing producer aborts the write). */
export type AtomicWriteData = Uint8Array | string | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

let tempCounter = 0;

/** Atomically replace (or create) `path` with `data`. Keeps an existing file's permission bits. */
export async function writeFileAtomic(path: string, data: AtomicWriteData): Promise<void> {
  const dir = dirname(path);
  const mode = await stat(path).then(
    (s) => s.mode & 0o7777,
    () => 0o666,
  );
  let tmp = '';
  let handle: FileHandle | undefined;
  try {
    // Unique by pid + counter; 'wx' (O_EXCL) guards against a stale file of the same name.
    for (;;) {
      tmp = join(dir, `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
      try {
        handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    await writeAll(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
    tmp = '';
    await syncDirectory(dir);
  } catch (e) {
    await handle?.close().catch(() => {});
    const temp = tmp;
    if (tmp) await unlink(tmp).catch(() => {});
    throw isSystemError(e) ? writeErrorFor(path, e, temp || undefined) : e;
  }
}

async function writeAll(handle: FileHandle, data: AtomicWriteData): Promise<void> {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    await handle.writeFile(data);
    return;
  }
  for await (const chunk of data) {
    for (let done = 0; done < chunk.length; ) {
      const { bytesWritten } = await handle.write(chunk, done, chunk.length - done);
      done += bytesWritten;
    }
  }
}

/** fsync a directory so a rename in it is durable; a no-op where directories cannot be synced (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try {
    h = await open(dir, constants.O_RDONLY);
    await h.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EACCES') throw e;
  } finally {
    await h?.close().catch(() => {});
  }
}
