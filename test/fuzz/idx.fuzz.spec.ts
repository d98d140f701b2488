/**
 * Property-based fuzz of the IDX reader (host/data/idx.ts, host/data/mnist.ts): random bytes, valid
 * files with mutated headers and bodies, the same gzipped (and the gzip itself damaged), and IDX
 * pairs read from disk as a data set. Every case returns a consistent tensor / data set or throws a
 * DatasetError (IdxFormatError with its field) naming the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, IdxFormatError } from '../../host/data/errors.ts';
import { encodeIdx, parseIdx, type IdxExpectation, type IdxTensor } from '../../host/data/idx.ts';
import { loadDataset } from '../../host/data/index.ts';
import { printOutcomes, byteMutation, expectValueOrTypedError, mutateBytes, params, timeoutFor } from './file-fuzz-support.ts';

afterAll(() => printOutcomes('idx'));

const dir = mkdtempSync(join(tmpdir(), 'spintrain-fuzz-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS = ['magic', 'type', 'ndims', 'dims', 'data', 'gzip'];

/** A small valid IDX: 1 to 4 dims of 0..6 each, random body. */
const validIdx = fc
  .array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 })
  .chain((dims) => fc.tuple(fc.constant(dims), fc.uint8Array({ minLength: dims.reduce((a, b) => a * b, 1), maxLength: dims.reduce((a, b) => a * b, 1) })))
  .map(([dims, data]) => encodeIdx(dims, data));

/** Header-field damage on top of byte damage: a type code, an ndims, a dim set to any u32. */
const headerEdit = fc.record({
  type: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  ndims: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  dim: fc.option(fc.tuple(fc.nat(3), fc.oneof(fc.nat(16), fc.constantFrom(0xffffffff, 0x80000000, 8193, 60000, 2 ** 30))), { nil: undefined }),
});

function applyHeaderEdit(bytes: Uint8Array, e: { type?: number; ndims?: number; dim?: [number, number] }): Uint8Array {
  const b = bytes.slice();
  if (e.type !== undefined && b.length > 2) b[2] = e.type;
  if (e.ndims !== undefined && b.length > 3) b[3] = e.ndims;
  if (e.dim && b.length >= 8 + 4 * e.dim[0]) new DataView(b.buffer).setUint32(4 + 4 * e.dim[0], e.dim[1], false);
  return b;
}

const expectation: fc.Arbitrary<IdxExpectation> = fc.record(
  { ndims: fc.integer({ min: 1, max: 4 }), minNdims: fc.integer({ min: 1, max: 3 }), maxPerSample: fc.integer({ min: 1, max: 50 }) },
  { requiredKeys: [] },
);

function checkTensor(t: IdxTensor): void {
  expect(t.dims.length).toBeGreaterThan(0);
  expect(t.data.length).toBe(t.dims.reduce((a, b) => a * b, 1));
}

function parseCase(bytes: Uint8Array, expect_: IdxExpectation): void {
  const name = 'fuzz/case.idx';
  const read = (): IdxTensor => {
    try {
      return parseIdx(bytes, name, expect_);
    } catch (e) {
      if (e instanceof IdxFormatError) expect(FIELDS).toContain(e.field);
      throw e;
    }
  };
  expectValueOrTypedError(read, { file: name, errors: [DatasetError], fieldInMessage: false }, checkTensor);
}

/** Half the cases undamaged / unconstrained, so that accepted files are exercised too. */
const maybe = <T,>(arb: fc.Arbitrary<T>, none: T): fc.Arbitrary<T> => fc.oneof(fc.constant(none), arb);

describe('IDX reader fuzz', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), expectation, (bytes, ex) => parseCase(bytes, ex)), params(0.3));
  }, timeoutFor(0.3, 1));

  it('valid files with damaged headers and bodies', () => {
    fc.assert(
      fc.property(validIdx, maybe(headerEdit, { type: undefined, ndims: undefined, dim: undefined }), maybe(fc.array(byteMutation, { maxLength: 4 }), []), maybe(expectation, {}), (idx, edit, muts, ex) => {
        parseCase(mutateBytes(applyHeaderEdit(idx, edit), muts), ex);
      }),
      params(0.35),
    );
  }, timeoutFor(0.35, 1));

  it('gzipped: damaged IDX inside, and damaged gzip outside', () => {
    fc.assert(
      fc.property(validIdx, maybe(headerEdit, { type: undefined, ndims: undefined, dim: undefined }), maybe(fc.array(byteMutation, { maxLength: 3 }), []), maybe(fc.array(byteMutation, { maxLength: 2 }), []), maybe(expectation, {}), (idx, edit, inner, outer, ex) => {
        const gz = gzipSync(mutateBytes(applyHeaderEdit(idx, edit), inner));
        // Keep the gzip magic most of the time, so the inflater is what gets exercised.
        const damaged = mutateBytes(gz, outer.map((m) => ({ ...m, at: 2 + (m.at % Math.max(1, gz.length - 2)) })));
        parseCase(damaged, ex);
      }),
      params(0.2),
    );
  }, timeoutFor(0.2, 2));

  it('IDX pairs on disk as a data set (loadDataset): consistent splits or a DatasetError naming one of the files', () => {
    let k = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        maybe(fc.array(byteMutation, { maxLength: 2 }), []),
        maybe(fc.array(byteMutation, { maxLength: 2 }), []),
        (n, features, classes, gz, mi, ml) => {
          const images = encodeIdx([n, features], Uint8Array.from({ length: n * features }, (_v, i) => i & 0xff));
          const labels = encodeIdx([n], Uint8Array.from({ length: n }, (_v, i) => i % classes));
          const pi = join(dir, `i${++k}.idx`);
          const pl = join(dir, `l${k}.idx`);
          const pack = (b: Uint8Array) => (gz ? gzipSync(b) : b);
          writeFileSync(pi, pack(mutateBytes(images, mi)));
          writeFileSync(pl, pack(mutateBytes(labels, ml)));
          const t0 = performance.now();
          try {
            const d = loadDataset(`${pi},${pl}`);
            expect(d.train.n).toBeGreaterThan(0);
            expect(d.test.n).toBeGreaterThan(0);
            expect(d.train.x.length).toBe(d.train.n * d.inputs);
            expect(d.test.y.length).toBe(d.test.n);
          } catch (e) {
            if (!(e instanceof DatasetError)) throw e;
            expect([pi, pl].some((p) => e.message.startsWith(`${p}: `)), e.message).toBe(true);
            expect(e.message).not.toMatch(/NaN|undefined/);
          }
          expect(performance.now() - t0).toBeLessThan(5_000);
        },
      ),
      params(0.15),
    );
  }, timeoutFor(0.15, 3));
});
