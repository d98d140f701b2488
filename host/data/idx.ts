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
 * their name, and inflated transparently, but never beyond the size their header declares
 * (host/data/idx-gunzip.ts). Only regular files are read (host/io/regular-file.ts).
 */
import { readRegularFileSync, RegularFileError } from '../io/regular-file.ts';
import { DatasetError, IdxFormatError } from './errors.ts';
import { inflateBounded, inflateHead } from './idx-gunzip.ts';

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
  /**
   * Most elements per sample (the product of the dims after the first), checked from the header
   * before the data is read or inflated; `sampleWhat` names them in the message (default "elements").
   */
  maxPerSample?: number;
  sampleWhat?: string;
}

/**
 * Most data bytes an IDX file may declare (1 GiB): more than the engine's 32-bit memory could hold
 * beside its plan, and a bound on what a gzipped file may inflate to.
 */
export const MAX_IDX_DATA_BYTES = 2 ** 30;

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

/** Read and decode an IDX file (plain or gzipped) at any path; only a regular file is read. */
export function readIdx(path: string, expect: IdxExpectation = {}): IdxTensor {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(path);
  } catch (e) {
    if (e instanceof RegularFileError) throw new DatasetError(path, e.code === 'EISDIR' ? 'is a directory, expected an IDX file' : e.reason);
    throw e;
  }
  return parseIdx(bytes, path, expect);
}

/** The header of an IDX file: dims, header length, and the data bytes the dims declare. */
interface IdxHeader {
  dims: number[];
  headerBytes: number;
  count: number;
}

/**
 * Checks the header at the start of `bytes` (which may hold only the header, or less when the file
 * is that short) against the format and `expect`; throws IdxFormatError naming the field.
 */
function parseIdxHeader(bytes: Uint8Array, fileName: string, expect: IdxExpectation): IdxHeader {
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
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  // Checked in this order so that no product can overflow: per sample first, then the total.
  const perSample = dims.slice(1).reduce((a, b) => (a === 0 || b === 0 ? 0 : Math.min(a * b, Number.MAX_SAFE_INTEGER)), 1);
  if (expect.maxPerSample !== undefined && perSample > expect.maxPerSample) {
    throw new IdxFormatError(
      fileName,
      'dims',
      `expected at most ${expect.maxPerSample} ${expect.sampleWhat ?? 'elements'} per sample, found ${dims.slice(1).join('×')} = ${perSample}`,
    );
  }
  const count = perSample === 0 ? 0 : Math.min(dims[0] * perSample, Number.MAX_SAFE_INTEGER);
  if (count > MAX_IDX_DATA_BYTES) {
    throw new IdxFormatError(fileName, 'dims', `declares ${dims.join('×')} = ${count} data bytes, more than the ${MAX_IDX_DATA_BYTES} this reader accepts`);
  }
  return { dims, headerBytes, count };
}

/** Decode IDX bytes (plain or gzipped); `fileName` is used in error messages. */
export function parseIdx(bytes: Uint8Array, fileName: string, expect: IdxExpectation = {}): IdxTensor {
  let header: IdxHeader;
  if (isGzip(bytes)) {
    // The header first, from a bounded prefix; then inflate no more than the header declares.
    header = parseIdxHeader(inflateHead(bytes, fileName), fileName, expect);
    bytes = inflateBounded(bytes, fileName, header.headerBytes + header.count, header.dims.join('×'));
  } else {
    header = parseIdxHeader(bytes, fileName, expect);
  }
  const { dims, headerBytes, count } = header;
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
