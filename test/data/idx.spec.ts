import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, IdxFormatError } from '../../host/data/errors.ts';
import { encodeIdx, parseIdx, readIdx } from '../../host/data/idx.ts';
import { mnistDataDir } from '../../host/data/mnist.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('readIdx on the real MNIST files', () => {
  it('reads the train labels: 60000 of them, first is 5', () => {
    const t = readIdx(join(mnistDataDir(), 'train-labels-idx1-ubyte'), { ndims: 1 });
    expect(t.dims).toEqual([60000]);
    expect(t.data.length).toBe(60000);
    expect(t.data[0]).toBe(5);
    expect(Math.max(...t.data)).toBe(9);
  });

  it('reads the test images: 10000×28×28', () => {
    const t = readIdx(join(mnistDataDir(), 't10k-images-idx3-ubyte'), { ndims: 3 });
    expect(t.dims).toEqual([10000, 28, 28]);
    expect(t.data.length).toBe(10000 * 784);
  });

  it('rejects a labels file read as images with the exact magic in the message', () => {
    const p = join(mnistDataDir(), 't10k-labels-idx1-ubyte');
    expect(() => readIdx(p, { ndims: 3 })).toThrow(`${p}: expected magic 0x00000803, found 0x00000801`);
  });
});

describe('readIdx on crafted files', () => {
  const good = encodeIdx([2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6]));

  it('round-trips a small u8 tensor, plain and gzipped (whatever the name)', () => {
    for (const p of [write('good.idx', good), write('good.idx.gz', gzipSync(good)), write('gz-without-suffix', gzipSync(good))]) {
      const t = readIdx(p);
      expect(t.dims).toEqual([2, 3]);
      expect([...t.data]).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('rejects a bad magic, naming the file and expected vs found', () => {
    const bad = good.slice();
    bad[0] = 0x12;
    const p = write('badmagic.idx', bad);
    const err = catchError(() => readIdx(p));
    expect(err).toBeInstanceOf(IdxFormatError);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as IdxFormatError).field).toBe('magic');
    expect(err.message).toBe(`${p}: expected magic 0x0000TTNN (two zero bytes, type, ndims), found 0x12000802`);
  });

  it('rejects short data and trailing data with byte counts', () => {
    const short = write('short.idx', good.subarray(0, good.length - 2));
    expect(() => readIdx(short)).toThrow(`${short}: expected 6 data bytes (2×3), found 4 (truncated)`);
    const long = write('long.idx', Uint8Array.from([...good, 9]));
    expect(() => readIdx(long)).toThrow(`${long}: expected 6 data bytes (2×3), found 7 (trailing bytes)`);
  });

  it('rejects wrong dimension counts and a header cut inside the dims', () => {
    const p = write('dims.idx', good);
    expect(() => readIdx(p, { ndims: 1 })).toThrow(`${p}: expected magic 0x00000801, found 0x00000802`);
    expect(() => readIdx(p, { minNdims: 3 })).toThrow(`${p}: expected at least 3 dimensions, found 2`);
    const cut = write('cut.idx', good.subarray(0, 9));
    expect(() => readIdx(cut)).toThrow(`${cut}: expected 12 header bytes for 2 dimensions, found 9`);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 0]), 'zero.idx')).toThrow('zero.idx: expected at least 1 dimension, found 0');
  });

  it('rejects non-u8 type codes, naming known ones', () => {
    const f32 = good.slice();
    f32[2] = 0x0d;
    expect(() => parseIdx(f32, 'f.idx')).toThrow('f.idx: expected type code 0x08 (unsigned byte), found 0x0d (float32), which is not supported');
    f32[2] = 0x42;
    expect(() => parseIdx(f32, 'f.idx')).toThrow('found unknown type code 0x42');
  });

  it('reports a missing file and a corrupt gzip stream as DatasetErrors', () => {
    const missing = join(dir, 'nope.idx');
    expect(() => readIdx(missing)).toThrow(`${missing}: no such file`);
    const gz = gzipSync(good);
    const broken = write('broken.gz', gz.subarray(0, gz.length - 6));
    const err = catchError(() => readIdx(broken));
    expect(err).toBeInstanceOf(IdxFormatError);
    expect((err as IdxFormatError).field).toBe('gzip');
  });
});

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
