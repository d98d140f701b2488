import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../host/io/atomic-write.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates a file, then replaces it, leaving no temp files', async () => {
    const p = join(dir, 'a.bin');
    await writeFileAtomic(p, Uint8Array.from([1, 2, 3]));
    expect([...readFileSync(p)]).toEqual([1, 2, 3]);
    await writeFileAtomic(p, 'replaced');
    expect(readFileSync(p, 'utf8')).toBe('replaced');
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('writes streamed chunks in order', async () => {
    const p = join(dir, 'chunks.bin');
    function* chunks(): Generator<Uint8Array> {
      yield Uint8Array.from([1, 2]);
      yield Uint8Array.from([3]);
    }
    await writeFileAtomic(p, chunks());
    expect([...readFileSync(p)]).toEqual([1, 2, 3]);
  });

  it('keeps the old file and removes the temp file when the data fails mid-write', async () => {
    const sub = join(dir, 'fail');
    mkdirSync(sub);
    const p = join(sub, 'model.stw');
    writeFileSync(p, 'old contents');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(4096).fill(7);
      throw new Error('producer died');
    }
    await expect(writeFileAtomic(p, failing())).rejects.toThrow('producer died');
    expect(readFileSync(p, 'utf8')).toBe('old contents');
    expect(readdirSync(sub)).toEqual(['model.stw']);
  });

  it('removes the temp file when the rename fails (target is a non-empty directory)', async () => {
    const sub = join(dir, 'rename');
    mkdirSync(join(sub, 'target'), { recursive: true });
    writeFileSync(join(sub, 'target', 'keep'), 'x');
    await expect(writeFileAtomic(join(sub, 'target'), 'data')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(readdirSync(sub)).toEqual(['target']);
    expect(readFileSync(join(sub, 'target', 'keep'), 'utf8')).toBe('x');
  });

  it('keeps the permission bits of the file it replaces', async () => {
    const p = join(dir, 'mode.bin');
    writeFileSync(p, 'x');
    chmodSync(p, 0o600);
    await writeFileAtomic(p, 'y');
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });
});
