import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../host/rng.ts';
import { InvalidWeightsError, WeightsFileError } from '../../host/io/errors.ts';
import { decodeWeights, encodeWeights, loadWeights, saveWeights, type WeightsFile } from '../../host/io/weights-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-weights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(): WeightsFile {
  const rng = new Rng(5);
  const rand = (n: number): Int32Array => Int32Array.from({ length: n }, () => rng.nextU32() | 0);
  return {
    layout: [4, 3, 2],
    activation: 'pgaf-sigmoid',
    fracBits: { weights: 12, activations: 8 },
    tensors: [
      { name: 'w0', data: rand(12) },
      { name: 'b0', data: rand(3) },
      { name: 'w1', data: Int32Array.from([-2147483648, 2147483647, 0, -1, 1, 42]) },
      { name: 'b1', data: new Int32Array(2) },
      { name: 'momentum/w0', data: rand(12) },
      { name: 'empty', data: new Int32Array(0) },
    ],
    meta: { seed: 5, epochs: 3, accuracy: 0.9667, dataset: 'iris', note: 'µ-test ✓' },
  };
}

function decodeError(bytes: Uint8Array, name = 'model.stw'): WeightsFileError {
  try {
    decodeWeights(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsFileError);
    return e as WeightsFileError;
  }
  throw new Error('expected decodeWeights to throw');
}

/** Re-seal a modified file with a valid checksum, to reach the checks behind the CRC. */
function reseal(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

describe('weights file', () => {
  it('round-trips layout, activation, Q formats, tensors (incl. i32 extremes) and meta', () => {
    const w = sample();
    const bytes = encodeWeights(w);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('STWT');
    expect(bytes[4] | (bytes[5] << 8)).toBe(1);
    expect(decodeWeights(bytes, 'x')).toEqual(w);
  });

  it('aligns the payload to 4 bytes and sizes it from the tensors', () => {
    const bytes = encodeWeights(sample());
    const v = new DataView(bytes.buffer);
    const headerLength = v.getUint32(8, true);
    expect(headerLength % 4).toBe(0);
    expect(v.getUint32(12, true)).toBe(4 * (12 + 3 + 6 + 2 + 12));
    expect(bytes.length).toBe(16 + headerLength + v.getUint32(12, true) + 4);
    expect(v.getInt32(16 + headerLength, true)).toBe(sample().tensors[0].data[0]);
  });

  it('omits meta when there is none and is byte-for-byte deterministic', () => {
    const { meta: _meta, ...w } = sample();
    expect(decodeWeights(encodeWeights(w))).toEqual(w);
    expect(encodeWeights(sample())).toEqual(encodeWeights(sample()));
  });

  it('saves atomically and loads back from disk', async () => {
    const p = join(dir, 'model.stw');
    await saveWeights(p, sample());
    expect(await loadWeights(p)).toEqual(sample());
    await expect(loadWeights(join(dir, 'missing.stw'))).rejects.toThrow(`${join(dir, 'missing.stw')}: file: no such file`);
  });

  it('rejects a truncated file, naming file and field with expected vs found', () => {
    const bytes = encodeWeights(sample());
    const e = decodeError(bytes.subarray(0, bytes.length - 10));
    expect(e.field).toBe('length');
    expect(e.message).toBe(`model.stw: length: truncated: expected ${bytes.length} bytes, found ${bytes.length - 10}`);
    expect(decodeError(bytes.subarray(0, 10)).message).toBe('model.stw: length: truncated: expected at least 20 bytes, found 10');
    expect(decodeError(new Uint8Array(0)).field).toBe('length');
  });

  it('rejects a tampered payload byte by checksum', () => {
    const bytes = encodeWeights(sample());
    bytes[bytes.length - 9] ^= 0x01;
    const e = decodeError(bytes);
    expect(e.field).toBe('checksum');
    expect(e.message).toMatch(/^model\.stw: checksum: expected CRC-32 0x[0-9a-f]{8} \(stored\), computed 0x[0-9a-f]{8}/);
  });

  it('rejects a foreign file by magic', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(40)]);
    const e = decodeError(png, 'photo.png');
    expect(e.field).toBe('magic');
    expect(e.message).toBe('photo.png: magic: expected "STWT", found "\\x89PNG" (not a spintrain weights file)');
  });

  it('rejects a future version, even with a valid checksum', () => {
    const bytes = encodeWeights(sample());
    new DataView(bytes.buffer).setUint16(4, 3, true);
    const e = decodeError(reseal(bytes));
    expect(e.field).toBe('version');
    expect(e.message).toBe('model.stw: version: expected version ≤ 2, found 3 (written by a newer spintrain)');
  });

  it('rejects trailing bytes and an inconsistent payload length behind a valid checksum', () => {
    const bytes = encodeWeights(sample());
    expect(decodeError(Uint8Array.from([...bytes, 0])).message).toMatch(/length: expected \d+ bytes, found \d+ \(trailing bytes\)/);
    // Claim one tensor element fewer in the table than the payload holds: w0 count 12 → 11.
    const v = new DataView(bytes.buffer);
    const w0CountAt = 16 + 2 + 3 * 4 + 1 + 'pgaf-sigmoid'.length + 2 + 2 + 1 + 2;
    expect(v.getUint32(w0CountAt, true)).toBe(12);
    v.setUint32(w0CountAt, 11, true);
    const e = decodeError(reseal(bytes));
    expect(e.field).toBe('payload length');
    expect(e.message).toContain('expected 136 bytes for 34 tensor elements, found 140');
  });

  it('refuses to encode values the format cannot hold', () => {
    const w = sample();
    expect(() => encodeWeights({ ...w, layout: [] })).toThrow(InvalidWeightsError);
    expect(() => encodeWeights({ ...w, layout: [4, 0] })).toThrow('layout: width 1 must be an integer in 1..2^32-1, found 0');
    expect(() => encodeWeights({ ...w, fracBits: { weights: 32, activations: 8 } })).toThrow('fracBits.weights: expected an integer in 0..31, found 32');
    expect(() => encodeWeights({ ...w, tensors: [w.tensors[0], w.tensors[0]] })).toThrow('duplicate tensor name "w0"');
    expect(() => encodeWeights({ ...w, activation: 'x'.repeat(256) })).toThrow('activation: expected 1..255 UTF-8 bytes, found 256');
  });

  it('reads a file written to disk byte-for-byte as encoded', async () => {
    const p = join(dir, 'raw.stw');
    writeFileSync(p, encodeWeights(sample()));
    await saveWeights(join(dir, 'saved.stw'), sample());
    expect(readFileSync(join(dir, 'saved.stw'))).toEqual(readFileSync(p));
  });
});

describe('large headers', () => {
  it('round-trips a header far beyond the writer’s initial buffer (long meta strings, many tensors)', () => {
    const tensors = Array.from({ length: 40 }, (_v, i) => ({ name: `tensor-with-a-long-name-${i}`, data: Int32Array.of(i, -i) }));
    const w = { layout: [784, 128, 10], activation: 'pgaf-sigmoid', fracBits: { weights: 24, activations: 16 }, tensors, meta: { config: 'x'.repeat(2000), epoch: 3 } };
    const back = decodeWeights(encodeWeights(w), 'big.stw');
    expect(back.tensors.map((t) => t.name)).toEqual(tensors.map((t) => t.name));
    expect(back.meta).toEqual(w.meta);
  });
});

describe('version 2: narrow tensors (issue 16)', () => {
  const narrow = (): WeightsFile => ({
    layout: [3, 2, 2],
    activation: 'pgaf-sigmoid',
    fracBits: { weights: 24, activations: 16 },
    tensors: [
      { name: 'W0', data: Int32Array.from([-32768, 32767, 0, -1, 1, 4096]), bits: 16, fracBits: 12 },
      { name: 'B0', data: Int32Array.from([-5, 7]), bits: 32, fracBits: 24 },
      { name: 'W1', data: Int32Array.from([-128, 127, 3]), bits: 8, fracBits: 6 },
      { name: 'B1', data: Int32Array.from([1, 2]), bits: 32, fracBits: 24 },
    ],
    meta: { epoch: 1 },
  });

  it('round-trips i16 and i8 tensors, each padded to 4 bytes, as version 2', () => {
    const bytes = encodeWeights(narrow());
    const v = new DataView(bytes.buffer);
    expect(v.getUint16(4, true)).toBe(2);
    // payload: W0 6·2 = 12, B0 8, W1 3 → 4 (one zero byte of padding), B1 8
    expect(v.getUint32(12, true)).toBe(12 + 8 + 4 + 8);
    expect(decodeWeights(bytes, 'n.stw')).toEqual(narrow());
  });

  it('writes version 1, byte for byte as before, when every tensor is i32 in the header\'s format', () => {
    const w = sample();
    const explicit = { ...w, tensors: w.tensors.map((t) => ({ ...t, bits: 32 as const, fracBits: 12 })) };
    expect(encodeWeights(explicit)).toEqual(encodeWeights(w));
    expect(new DataView(encodeWeights(w).buffer).getUint16(4, true)).toBe(1);
  });

  it('refuses a value outside a narrow tensor\'s range, an unknown width, and nonzero padding', () => {
    const w = narrow();
    w.tensors[0].data[1] = 32768;
    expect(() => encodeWeights(w)).toThrow('tensors.W0[1]: expected an integer in -32768..32767 (16 bits), found 32768');
    const bad = narrow();
    (bad.tensors[2] as { bits: number }).bits = 4;
    expect(() => encodeWeights(bad)).toThrow('tensors.W1.bits: expected 32, 16 or 8, found 4');
    const bytes = encodeWeights(narrow());
    const padAt = bytes.length - 4 - 8 - 1; // the last padding byte of W1
    bytes[padAt] = 9;
    expect(decodeError(reseal(bytes)).field).toBe('tensor "W1" padding');
  });
});
