/**
 * The spintrain weights file (".stw"): trained fixed-point weights plus what is needed to use them.
 *
 * All integers little-endian. Strings are UTF-8, prefixed by a u8 byte length (1..255).
 *
 *   offset   size   field
 *   ------   ----   -----------------------------------------------------------------------------
 *   0        4      magic "STWT" (0x53 0x54 0x57 0x54)
 *   4        2      u16 format version (this code writes 1, or 2 when a tensor is stored narrower than i32
 *                    or in another Q format than the header's weights; it reads ≤ 2)
 *   6        2      u16 flags, reserved, 0
 *   8        4      u32 H: byte length of the variable header (a multiple of 4)
 *   12       4      u32 P: byte length of the payload (version 1: 4 · total tensor elements;
 *                    version 2: Σ over tensors of count · bits/8 rounded up to a multiple of 4)
 *   16       H      variable header:
 *                     u16 L layer count, then L × u32 layer widths (input first, output last)
 *                     str activation name (e.g. "pgaf-sigmoid"; the engine owns the vocabulary)
 *                     u8  fractional bits of the weights (Q format, 0..31)
 *                     u8  fractional bits of the activations (0..31)
 *                     u16 T tensor count, then T × { str name, u32 element count }
 *                         version 2: T × { str name, u32 element count, u8 bits (32, 16 or 8),
 *                                          u8 fractional bits of this tensor (0..31) }
 *                     u16 M meta count, then M × { str key, u8 kind, value }
 *                         kind 0: f64 number; kind 1: u32 byte length + UTF-8 string
 *                     zero padding to a multiple of 4
 *   16+H     P      payload: the T tensors' elements in tensor-table order: version 1 i32 each; version 2
 *                    each tensor as i32, i16 or i8 (its bits), then zero padding to a multiple of 4, so
 *                    every tensor starts 4-byte aligned
 *   16+H+P   4      u32 CRC-32 (zlib / IEEE) of bytes [0, 16+H+P)
 *
 * Version 2 exists for narrow weights (issue 16, host/engine/weight-format.ts: W as i16 Q12 or i8 Q6, the
 * biases i32 Q24); a file that needs neither is still written as version 1, byte for byte as before, so
 * older readers keep reading 32-bit files; they refuse a version-2 file by its version.
 * The payload starts 4-byte aligned, so a device can use it in place. Decoding checks, in order:
 * minimum length, magic, version, total length, checksum, then every header field (tensor names and
 * meta keys unique, meta numbers finite: NaN and ±Infinity are never stored); any failure throws a
 * WeightsFileError naming the file and the field. Only a regular file is read (host/io/regular-file.ts).
 */
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from './atomic-write.ts';
import { InvalidWeightsError, WeightsFileError } from './errors.ts';
import { readRegularFile, RegularFileError } from './regular-file.ts';

/** Trained weights of a network, as stored in a weights file. */
export interface WeightsFile {
  /** Layer widths, input first, output last (e.g. [784, 100, 10]). */
  layout: number[];
  /** Activation name (e.g. "pgaf-sigmoid"). */
  activation: string;
  /** Q formats: fractional bits of the weights and of the activations. */
  fracBits: { weights: number; activations: number };
  /** Named tensors: weights and biases, optionally momentum, trainable slope/shift, … */
  tensors: WeightsTensor[];
  /** Free-form metadata (seed, epochs, accuracy, dataset…). */
  meta?: Record<string, string | number>;
}

/**
 * A named tensor: its integers (always held in an Int32Array), stored in the file as `bits`-bit
 * integers (default 32) in Q`fracBits` (default: the file's fracBits.weights). Version 2 files give
 * both fields on every tensor.
 */
export interface WeightsTensor {
  name: string;
  data: Int32Array;
  bits?: TensorBits;
  fracBits?: number;
}

export type TensorBits = 32 | 16 | 8;
const TENSOR_BITS: readonly number[] = [32, 16, 8];

export const WEIGHTS_MAGIC = 'STWT';
/** The newest version this code reads and writes; it writes 1 when a file needs nothing of 2. */
export const WEIGHTS_VERSION = 2;
const FIXED_HEADER = 16;
const TRAILER = 4;
const META_NUMBER = 0;
const META_STRING = 1;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Serialise `w` to the bytes of a weights file. */
export function encodeWeights(w: WeightsFile): Uint8Array {
  const header = new ByteWriter();
  if (w.layout.length < 1 || w.layout.length > 0xffff) {
    throw new InvalidWeightsError('layout', `expected 1..65535 layer widths, found ${w.layout.length}`);
  }
  header.u16(w.layout.length);
  w.layout.forEach((width, i) => {
    if (!Number.isInteger(width) || width < 1 || width > 0xffffffff) {
      throw new InvalidWeightsError('layout', `width ${i} must be an integer in 1..2^32-1, found ${width}`);
    }
    header.u32(width);
  });
  header.str(w.activation, 'activation');
  for (const key of ['weights', 'activations'] as const) {
    const bits = w.fracBits[key];
    if (!Number.isInteger(bits) || bits < 0 || bits > 31) {
      throw new InvalidWeightsError(`fracBits.${key}`, `expected an integer in 0..31, found ${bits}`);
    }
    header.u8(bits);
  }
  if (w.tensors.length > 0xffff) throw new InvalidWeightsError('tensors', `expected at most 65535 tensors, found ${w.tensors.length}`);
  header.u16(w.tensors.length);
  const names = new Set<string>();
  const formats = w.tensors.map((t) => tensorFormat(t, w.fracBits.weights));
  const version = formats.every((f) => f.bits === 32 && f.fracBits === w.fracBits.weights) ? 1 : 2;
  let payloadLength = 0;
  w.tensors.forEach((t, i) => {
    if (names.has(t.name)) throw new InvalidWeightsError('tensors', `duplicate tensor name "${t.name}"`);
    names.add(t.name);
    header.str(t.name, 'tensor name');
    header.u32(t.data.length);
    if (version === 2) {
      header.u8(formats[i].bits);
      header.u8(formats[i].fracBits);
    }
    payloadLength += tensorBytes(t.data.length, formats[i].bits);
  });
  const meta = Object.entries(w.meta ?? {});
  if (meta.length > 0xffff) throw new InvalidWeightsError('meta', `expected at most 65535 entries, found ${meta.length}`);
  header.u16(meta.length);
  for (const [key, value] of meta) {
    header.str(key, 'meta key');
    if (typeof value === 'number') {
      // A meta number is a measurement or a setting: NaN and ±Infinity are neither, and are never stored.
      if (!Number.isFinite(value)) throw new InvalidWeightsError(`meta.${key}`, `expected a finite number, found ${value}`);
      header.u8(META_NUMBER);
      header.f64(value);
    } else if (typeof value === 'string') {
      header.u8(META_STRING);
      const bytes = utf8.encode(value);
      header.u32(bytes.length);
      header.bytes(bytes);
    } else {
      throw new InvalidWeightsError(`meta.${key}`, `expected a string or number, found ${typeof value}`);
    }
  }
  header.padTo(4);

  const headerBytes = header.finish();
  const out = new Uint8Array(FIXED_HEADER + headerBytes.length + payloadLength + TRAILER);
  const view = new DataView(out.buffer);
  out.set(utf8.encode(WEIGHTS_MAGIC), 0);
  view.setUint16(4, version, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, headerBytes.length, true);
  view.setUint32(12, payloadLength, true);
  out.set(headerBytes, FIXED_HEADER);
  let at = FIXED_HEADER + headerBytes.length;
  w.tensors.forEach((t, k) => {
    const { bits } = formats[k];
    const start = at;
    for (let i = 0; i < t.data.length; i++, at += bits / 8) {
      if (bits === 32) view.setInt32(at, t.data[i], true);
      else if (bits === 16) view.setInt16(at, t.data[i], true);
      else view.setInt8(at, t.data[i]);
    }
    at = start + tensorBytes(t.data.length, bits); // zero padding (the buffer starts zeroed)
  });
  view.setUint32(at, crc32(out.subarray(0, at)), true);
  return out;
}

/** Parse the bytes of a weights file; `fileName` names it in errors. */
export function decodeWeights(bytes: Uint8Array, fileName = '(buffer)'): WeightsFile {
  const fail = (field: string, detail: string): never => {
    throw new WeightsFileError(fileName, field, detail);
  };
  const minLength = FIXED_HEADER + TRAILER;
  const magic = bytes.subarray(0, 4);
  const magicText = [...magic].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  if (magic.length === 4 && magicText !== WEIGHTS_MAGIC) {
    fail('magic', `expected "${WEIGHTS_MAGIC}", found "${magicText}" (not a spintrain weights file)`);
  }
  if (bytes.length < minLength) fail('length', `truncated: expected at least ${minLength} bytes, found ${bytes.length}`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version > WEIGHTS_VERSION) {
    fail('version', `expected version ≤ ${WEIGHTS_VERSION}, found ${version} (written by a newer spintrain)`);
  }
  if (version === 0) fail('version', `expected version 1..${WEIGHTS_VERSION}, found 0`);
  const typed = version >= 2;
  const flags = view.getUint16(6, true);
  if (flags !== 0) fail('flags', `expected 0, found 0x${flags.toString(16)}`);
  const headerLength = view.getUint32(8, true);
  const payloadLength = view.getUint32(12, true);
  const total = FIXED_HEADER + headerLength + payloadLength + TRAILER;
  if (bytes.length < total) fail('length', `truncated: expected ${total} bytes, found ${bytes.length}`);
  if (bytes.length > total) fail('length', `expected ${total} bytes, found ${bytes.length} (trailing bytes)`);
  const crcAt = total - TRAILER;
  const stored = view.getUint32(crcAt, true);
  const computed = crc32(bytes.subarray(0, crcAt));
  if (stored !== computed) {
    fail('checksum', `expected CRC-32 0x${stored.toString(16).padStart(8, '0')} (stored), computed 0x${computed.toString(16).padStart(8, '0')}: the file is corrupt or was modified`);
  }
  if (headerLength % 4 !== 0) fail('header length', `expected a multiple of 4, found ${headerLength}`);
  if (payloadLength % 4 !== 0) fail('payload length', `expected a multiple of 4, found ${payloadLength}`);


  const r = new ByteReader(bytes.subarray(FIXED_HEADER, FIXED_HEADER + headerLength), fail);
  const layers = r.u16('layout');
  if (layers === 0) fail('layout', 'expected at least 1 layer width, found 0');
  const layout: number[] = [];
  for (let i = 0; i < layers; i++) {
    const width = r.u32('layout');
    if (width === 0) fail('layout', `width ${i}: expected ≥ 1, found 0`);
    layout.push(width);
  }
  const activation = r.str('activation');
  const fracWeights = r.u8('fracBits.weights');
  const fracActivations = r.u8('fracBits.activations');
  if (fracWeights > 31) fail('fracBits.weights', `expected 0..31, found ${fracWeights}`);
  if (fracActivations > 31) fail('fracBits.activations', `expected 0..31, found ${fracActivations}`);
  const tensorCount = r.u16('tensors');
  const table: { name: string; count: number; bits: TensorBits; fracBits: number }[] = [];
  let elements = 0;
  let expectedPayload = 0;
  for (let i = 0; i < tensorCount; i++) {
    const name = r.str('tensor name');
    // Tensor names and meta keys are unique, as the writer makes them: a duplicate would be ambiguous.
    if (table.some((t) => t.name === name)) fail('tensor name', `duplicate tensor name "${name}"`);
    const count = r.u32(`tensor "${name}" length`);
    let bits: TensorBits = 32;
    let fracBits = fracWeights;
    if (typed) {
      const b = r.u8(`tensor "${name}" bits`);
      if (!TENSOR_BITS.includes(b)) fail(`tensor "${name}" bits`, `expected 32, 16 or 8, found ${b}`);
      bits = b as TensorBits;
      fracBits = r.u8(`tensor "${name}" fracBits`);
      if (fracBits > 31) fail(`tensor "${name}" fracBits`, `expected 0..31, found ${fracBits}`);
    }
    table.push({ name, count, bits, fracBits });
    elements += count;
    expectedPayload += tensorBytes(count, bits);
  }
  if (expectedPayload !== payloadLength) {
    fail('payload length', `expected ${expectedPayload} bytes for ${elements} tensor elements, found ${payloadLength}`);
  }
  const metaCount = r.u16('meta');
  const meta: Record<string, string | number> = {};
  for (let i = 0; i < metaCount; i++) {
    const key = r.str('meta key');
    if (Object.hasOwn(meta, key)) fail('meta key', `duplicate meta key "${key}"`);
    const kind = r.u8(`meta "${key}" kind`);
    let value: string | number;
    if (kind === META_NUMBER) {
      value = r.f64(`meta "${key}"`);
      if (!Number.isFinite(value)) fail(`meta "${key}"`, `expected a finite number, found ${value}`);
    } else if (kind === META_STRING) value = r.text(r.u32(`meta "${key}" length`), `meta "${key}"`);
    else value = fail(`meta "${key}" kind`, `expected 0 (number) or 1 (string), found ${kind}`);
    // An own property even for a key such as "__proto__".
    Object.defineProperty(meta, key, { value, enumerable: true, writable: true, configurable: true });
  }
  r.expectZeroPadding('header padding');

  let at = FIXED_HEADER + headerLength;
  const tensors = table.map(({ name, count, bits, fracBits }): WeightsTensor => {
    const data = new Int32Array(count);
    const start = at;
    for (let i = 0; i < count; i++, at += bits / 8) data[i] = bits === 32 ? view.getInt32(at, true) : bits === 16 ? view.getInt16(at, true) : view.getInt8(at);
    for (at = start + (bits / 8) * count; at < start + tensorBytes(count, bits); at++) {
      if (bytes[at] !== 0) fail(`tensor "${name}" padding`, `expected zero padding, found 0x${bytes[at].toString(16)}`);
    }
    return typed ? { name, data, bits, fracBits } : { name, data };
  });
  const w: WeightsFile = { layout, activation, fracBits: { weights: fracWeights, activations: fracActivations }, tensors };
  if (metaCount > 0) w.meta = meta;
  return w;
}

/** A tensor's stored width and Q format, checked: bits 32, 16 or 8, fracBits 0..31, every value in range. */
function tensorFormat(t: WeightsTensor, headerFrac: number): { bits: TensorBits; fracBits: number } {
  const bits = t.bits ?? 32;
  const fracBits = t.fracBits ?? headerFrac;
  if (!TENSOR_BITS.includes(bits)) throw new InvalidWeightsError(`tensors.${t.name}.bits`, `expected 32, 16 or 8, found ${bits}`);
  if (!Number.isInteger(fracBits) || fracBits < 0 || fracBits > 31) throw new InvalidWeightsError(`tensors.${t.name}.fracBits`, `expected an integer in 0..31, found ${fracBits}`);
  if (bits < 32) {
    const lo = -(2 ** (bits - 1));
    const hi = 2 ** (bits - 1) - 1;
    const i = t.data.findIndex((v) => v < lo || v > hi);
    if (i >= 0) throw new InvalidWeightsError(`tensors.${t.name}[${i}]`, `expected an integer in ${lo}..${hi} (${bits} bits), found ${t.data[i]}`);
  }
  return { bits, fracBits };
}

/** Payload bytes of a tensor: count · bits/8, rounded up to a multiple of 4. */
function tensorBytes(count: number, bits: number): number {
  return Math.ceil((count * bits) / 8 / 4) * 4;
}

/** Atomically write `w` to `path`. */
export async function saveWeights(path: string, w: WeightsFile): Promise<void> {
  await writeFileAtomic(path, encodeWeights(w));
}

/** Read and decode the weights file at `path` (a regular file only: host/io/regular-file.ts). */
export async function loadWeights(path: string): Promise<WeightsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path);
  } catch (e) {
    if (e instanceof RegularFileError) throw new WeightsFileError(path, 'file', e.reason);
    throw e;
  }
  return decodeWeights(bytes, path);
}

/** Growable little-endian byte buffer for the variable header. */
class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  /** Claims n bytes and returns their offset; may replace buf and view, so callers take them after. */
  private reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  f64(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v, true);
  }
  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length); // may replace this.buf: reserve before taking the buffer
    this.buf.set(b, at);
  }
  /** u8-length-prefixed UTF-8 string of 1..255 bytes. */
  str(s: string, field: string): void {
    const b = utf8.encode(s);
    if (b.length < 1 || b.length > 255) throw new InvalidWeightsError(field, `expected 1..255 UTF-8 bytes, found ${b.length} ("${s.slice(0, 40)}")`);
    this.u8(b.length);
    this.bytes(b);
  }
  padTo(align: number): void {
    this.reserve((align - (this.len % align)) % align);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Bounds-checked little-endian reader over the variable header; overruns fail naming the field. */
class ByteReader {
  private readonly view: DataView;
  private at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fail: (field: string, detail: string) => never,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private take(n: number, field: string): number {
    if (this.at + n > this.bytes.length) {
      this.fail(field, `header ends at byte ${this.bytes.length}, field needs bytes ${this.at}..${this.at + n - 1}`);
    }
    const at = this.at;
    this.at += n;
    return at;
  }
  u8(field: string): number {
    return this.view.getUint8(this.take(1, field));
  }
  u16(field: string): number {
    return this.view.getUint16(this.take(2, field), true);
  }
  u32(field: string): number {
    return this.view.getUint32(this.take(4, field), true);
  }
  f64(field: string): number {
    return this.view.getFloat64(this.take(8, field), true);
  }
  text(length: number, field: string): string {
    const at = this.take(length, field);
    try {
      return utf8Strict.decode(this.bytes.subarray(at, at + length));
    } catch {
      return this.fail(field, 'expected UTF-8 text, found invalid bytes');
    }
  }
  str(field: string): string {
    const length = this.u8(field);
    if (length === 0) this.fail(field, 'expected a non-empty string, found length 0');
    return this.text(length, field);
  }
  expectZeroPadding(field: string): void {
    const rest = this.bytes.length - this.at;
    if (rest > 3) this.fail(field, `expected at most 3 padding bytes after the header fields, found ${rest}`);
    for (let i = this.at; i < this.bytes.length; i++) {
      if (this.bytes[i] !== 0) this.fail(field, `expected zero padding, found 0x${this.bytes[i].toString(16)} at header byte ${i}`);
    }
  }
}
