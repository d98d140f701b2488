/**
 * Bad data-set files (issue 11, items 7 and 10, and the gzip bomb): each is refused with a DatasetError
 * naming the file (IdxFormatError with its field), through loadDataset and through `spintrain train`
 * (exit 1), quickly: an empty IDX, a pair too small for its 80/20 split, more than 8,192 features per
 * sample, and a gzip bomb, which is never inflated beyond what its header declares.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../host/cli.ts';
import { DatasetError, IdxFormatError } from '../../host/data/errors.ts';
import { encodeIdx, parseIdx, readIdx } from '../../host/data/idx.ts';
import { loadDataset } from '../../host/data/index.ts';
import { loadIdxPair } from '../../host/data/mnist.ts';
import { captureOutput } from '../support/capture-output.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-bad-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** An images/labels IDX pair of n samples of `features` bytes, labels cycling through `classes`. */
function pair(name: string, n: number, features: number, classes: number): [string, string] {
  const x = Uint8Array.from({ length: n * features }, (_v, i) => (i * 37) & 0xff);
  const y = Uint8Array.from({ length: n }, (_v, i) => i % classes);
  return [write(`${name}-images.idx`, encodeIdx([n, features], x)), write(`${name}-labels.idx`, encodeIdx([n], y))];
}

function idxError(f: () => unknown): IdxFormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IdxFormatError);
    return e as IdxFormatError;
  }
  throw new Error('expected an IdxFormatError');
}

/**
 * A gzip bomb: a first member holding a valid IDX (header + data), then `megabytes` members of 1 MiB
 * of zeros each (multi-member gzip is one stream to gunzip): small on disk, huge inflated.
 */
function bomb(dims: number[], megabytes: number): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  const first = gzipSync(encodeIdx(dims, new Uint8Array(count)));
  const zeros = gzipSync(new Uint8Array(1 << 20), { level: 9 });
  const out = new Uint8Array(first.length + megabytes * zeros.length);
  out.set(first, 0);
  for (let i = 0; i < megabytes; i++) out.set(zeros, first.length + i * zeros.length);
  return out;
}

describe('gzip bomb', () => {
  it('a 2 GiB bomb behind a valid 1000×28×28 header stops at the declared size, naming the file and field', () => {
    const gz = bomb([1000, 28, 28], 2048);
    expect(gz.length).toBeLessThan(5_000_000);
    const p = write('bomb-idx3-ubyte.gz', gz);
    const t0 = performance.now();
    const e = idxError(() => readIdx(p, { minNdims: 2 }));
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(e.field).toBe('data');
    expect(e.message).toBe(`${p}: inflates to more than the ${16 + 784_000} bytes its header declares (1000×28×28): trailing bytes, or a gzip bomb; stopped there`);
  });

  it('a header that declares more than 1 GiB is refused before anything else is inflated', () => {
    const gz = gzipSync(Uint8Array.from([0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x10, 0]));
    const e = idxError(() => parseIdx(gz, 'huge.gz'));
    expect(e.field).toBe('dims');
    expect(e.message).toMatch(/^huge\.gz: declares 4294967295×4096 = \d+ data bytes, more than the 1073741824 this reader accepts$/);
  });

  it('the same data gzipped or plain still reads; a truncated gzip is a corrupt stream', () => {
    const plain = encodeIdx([3, 2], Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect([...parseIdx(gzipSync(plain), 'ok.gz').data]).toEqual([1, 2, 3, 4, 5, 6]);
    const gz = gzipSync(plain);
    expect(idxError(() => parseIdx(gz.subarray(0, gz.length - 5), 'cut.gz')).field).toBe('gzip');
  });
});

describe('features per sample', () => {
  it('more than 8,192 features per sample: named from the header, before the data is read (gz bomb body too)', () => {
    const [images] = pair('wide', 2, 8193, 2);
    const e = idxError(() => loadIdxPair(images, images));
    expect(e.field).toBe('dims');
    expect(e.message).toBe(`${images}: expected at most 8192 features (the engine's widest layer) per sample, found 8193 = 8193`);
    const wideBomb = write('wide-bomb.gz', bomb([2, 100, 100], 512));
    const t0 = performance.now();
    expect(() => loadIdxPair(wideBomb, wideBomb)).toThrow(`${wideBomb}: expected at most 8192 features (the engine's widest layer) per sample, found 100×100 = 10000`);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('spintrain train exits 1 naming the images file', async () => {
    const [images, labels] = pair('wide-cli', 2, 9000, 2);
    const io = captureOutput();
    expect(await main(['train', '--dataset', `${images},${labels}`, '--epochs', '1'])).toBe(1);
    expect(io.err()).toContain(`${images}: expected at most 8192 features`);
  });
});

describe('empty and too-small data sets', () => {
  it('an IDX pair with 0 samples is refused, naming the images file', () => {
    const [images, labels] = pair('empty', 0, 4, 2);
    const e = idxError(() => loadDataset(`${images},${labels}`));
    expect(e.field).toBe('dims');
    expect(e.message).toBe(`${images}: expected at least 1 sample, found 0 (dims 0×4)`);
  });

  it('explicit test files with 0 samples are refused, naming the test images file', () => {
    const [images, labels] = pair('train4', 20, 4, 2);
    const [testImages, testLabels] = pair('test0', 0, 4, 2);
    expect(() => loadDataset(`${images},${labels},${testImages},${testLabels}`)).toThrow(`${testImages}: expected at least 1 sample, found 0`);
  });

  it.each([
    [2, 2, 'test'],
    [4, 2, 'test'],
  ])('%i samples of %i classes: the 80/20 split leaves the %s split empty, a clear error naming the file', (n, classes, side) => {
    const [images, labels] = pair(`small-${n}`, n, 4, classes);
    const err = (() => {
      try {
        loadDataset(`${images},${labels}`);
      } catch (e) {
        return e as DatasetError;
      }
    })();
    expect(err).toBeInstanceOf(DatasetError);
    expect(err!.message).toContain(`${images}: data set too small to split: ${n} samples`);
    expect(err!.message).toContain(`leaves the ${side} split empty`);
  });

  it('a pair just large enough splits (5 per class: 4 train, 1 test each)', () => {
    const [images, labels] = pair('ok-10', 10, 4, 2);
    const d = loadDataset(`${images},${labels}`);
    expect([d.train.n, d.test.n]).toEqual([8, 2]);
  });

  it('spintrain train exits 1 for both, and never prints a NaN accuracy', async () => {
    const io = captureOutput();
    const [e1, e2] = pair('cli-empty', 0, 4, 2);
    expect(await main(['train', '--dataset', `${e1},${e2}`, '--epochs', '1', '--json'])).toBe(1);
    expect(io.err()).toContain(`${e1}: expected at least 1 sample, found 0`);
    const [s1, s2] = pair('cli-small', 4, 4, 2);
    expect(await main(['train', '--dataset', `${s1},${s2}`, '--epochs', '1', '--json'])).toBe(1);
    expect(io.err()).toContain(`${s1}: data set too small to split`);
    expect(io.out()).not.toMatch(/NaN|null/);
  });
});
