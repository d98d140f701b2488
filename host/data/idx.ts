/**
 * Reader for the IDX format (the format of the original MNIST files).
 *
 *   offset  size      field
 *   0       2         zero bytes 0x00 0x00
 *   2       1         type code: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64
 *   3       1         number of dimensions n (≥ 1)
 *   4       4·n       dimension sizes, u32 big-endian
 *   4+4n    ∏dims·w   data, row-major (w = element width; only u8 is supported here)
 *
 * Gzipped files (e.g. `train-images-idx3-ubyte.gz`) are recognised by their gzip magic, whatever
 * their name, and inflated transparently.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError, IdxFormatError } from './errors.ts';

/** A decoded IDX tensor of unsigned bytes. */
export interface IdxTensor {
  /** Dimension sizes, outermost first (e.g. [60000, 28, 28]). */
  dims: number[];
  /** Row-major elements, length = product of dims. */
  data: Uint8Array;
}

/** What the caller expects of a file; checked in addition to the file's internal consistency. */
export interface IdxExpectation {
  /** Required number of dimensions (also makes the magic check exact, e.g. 0x00000801 for 1). */
  ndims?: number;
  /** Minimum number of dimensions (used when ndims is not fixed). */
  minNdims?: number;
}

const IDX_TYPE_U8 = 0x08;
const IDX_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const hex = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;

/** True if the bytes start with the gzip magic 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Read and decode an IDX file (plain or gzipped) at any path. */
export function readIdx(path: string, expect: IdxExpectation = {}): IdxTensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected an IDX file' : String((e as Error).message);
    throw new DatasetError(path, why);
  }
  return parseIdx(bytes, path, expect);
}

/** Decode IDX bytes (plain or gzipped); `fileName` is used in error messages. */
export function parseIdx(bytes: Uint8Array, fileName: string, expect: IdxExpectation = {}): IdxTensor {
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new IdxFormatError(fileName, 'gzip', `gzip stream is corrupt (${(e as Error).message})`);
    }
  }
  if (bytes.length < 4) {
    throw new IdxFormatError(fileName, 'magic', `expected a 4-byte IDX magic, found a ${bytes.length}-byte file`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2];
  const ndims = bytes[3];

  if (expect.ndims !== undefined) {
    const wanted = (IDX_TYPE_U8 << 8) | expect.ndims;
    if (magic !== wanted) {
      throw new IdxFormatError(fileName, 'magic', `expected magic ${hex(wanted, 8)}, found ${hex(magic, 8)}`);
    }
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(fileName, 'magic', `expected magic 0x0000TTNN (two zero bytes, type, ndims), found ${hex(magic, 8)}`);
  }
  if (type !== IDX_TYPE_U8) {
    const known = IDX_TYPE_NAMES[type];
    throw new IdxFormatError(
      fileName,
      'type',
      known
        ? `expected type code 0x08 (unsigned byte), found ${hex(type, 2)} (${known}), which is not supported`
        : `expected type code 0x08 (unsigned byte), found unknown type code ${hex(type, 2)}`,
    );
  }
  if (ndims === 0) {
    throw new IdxFormatError(fileName, 'ndims', 'expected at least 1 dimension, found 0');
  }
  if (expect.minNdims !== undefined && ndims < expect.minNdims) {
    throw new IdxFormatError(fileName, 'ndims', `expected at least ${expect.minNdims} dimensions, found ${ndims}`);
  }

  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(
      fileName,
      'dims',
      `expected ${headerBytes} header bytes for ${ndims} dimensions, found ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const found = bytes.length - headerBytes;
  if (found !== count) {
    throw new IdxFormatError(
      fileName,
      'data',
      `expected ${count} data bytes (${dims.join('×')}), found ${found}${found > count ? ' (trailing bytes)' : ' (truncated)'}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Encode a u8 tensor as IDX bytes (used to write small fixtures and exports). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (dims.length === 0 || dims.length > 255) throw new RangeError(`IDX needs 1..255 dimensions, got ${dims.length}`);
  if (count !== data.length) throw new RangeError(`IDX dims ${dims.join('×')} hold ${count} bytes, data has ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = IDX_TYPE_U8;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
