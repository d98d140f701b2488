/**
 * Checkpoint and weights-file header validation (issue 11, item 4 and the resume part of item 10):
 * files with a valid checksum whose meta fields are out of type or range are refused with a
 * WeightsFileError naming the file and the field, in-process and through `spintrain train --resume`
 * (exit 1), and never train, hang or divide by zero.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../host/cli.ts';
import { loadCheckpoint } from '../../host/engine/checkpoint.ts';
import { WeightsFileError } from '../../host/io/errors.ts';
import { decodeWeights, encodeWeights, loadWeights, type WeightsFile } from '../../host/io/weights-file.ts';
import { captureOutput } from '../support/capture-output.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const TRAIN = ['train', '--dataset', 'xor', '--hidden', '4', '--algo', 'bp', '--seed', '3', '--json'];
let good: WeightsFile;
let goodBytes: Uint8Array;
let counter = 0;

beforeAll(async () => {
  const file = join(dir, 'good.stw');
  captureOutput();
  expect(await main([...TRAIN, '--epochs', '2', '--checkpoint', file])).toBe(0);
  vi.restoreAllMocks();
  good = await loadWeights(file);
  goodBytes = encodeWeights(good);
});

function write(bytes: Uint8Array): string {
  const file = join(dir, `cp-${++counter}.stw`);
  writeFileSync(file, bytes);
  return file;
}

/** The good checkpoint with meta changed (and a valid checksum, written by the encoder). */
function withMeta(meta: Record<string, string | number>): string {
  return write(encodeWeights({ ...good, meta: { ...good.meta, ...meta } }));
}

/** The good checkpoint with its config JSON changed by `edit`. */
function withConfig(edit: (c: Record<string, unknown>) => unknown): string {
  const c = JSON.parse(good.meta!.config as string) as Record<string, unknown>;
  const out = edit(c);
  return withMeta({ config: JSON.stringify(out === undefined ? c : out) });
}

/** The good checkpoint with meta.epoch set to a number the encoder refuses (NaN, ±Infinity): patched in the bytes and re-sealed. */
function withRawEpoch(value: number): string {
  const placeholder = 123456.789;
  const bytes = encodeWeights({ ...good, meta: { ...good.meta, epoch: placeholder } }).slice();
  const needle = new Uint8Array(new Float64Array([placeholder]).buffer);
  const at = Buffer.from(bytes).indexOf(Buffer.from(needle));
  expect(at).toBeGreaterThan(0);
  new DataView(bytes.buffer).setFloat64(at, value, true);
  new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return write(bytes);
}

async function refusal(file: string): Promise<WeightsFileError> {
  const e = await loadCheckpoint(file).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, `${file} was accepted`).toBeInstanceOf(WeightsFileError);
  const w = e as WeightsFileError;
  expect(w.file).toBe(file);
  expect(w.message.startsWith(`${file}: ${w.field}: `)).toBe(true);
  return w;
}

describe('checkpoint epoch', () => {
  it.each([
    ['-Infinity', -Infinity, 'meta "epoch"'],
    ['+Infinity', Infinity, 'meta "epoch"'],
    ['NaN', NaN, 'meta "epoch"'],
  ])('epoch %s (valid checksum) is refused by the reader, naming the field', async (_name, value, field) => {
    expect((await refusal(withRawEpoch(value))).field).toBe(field);
  });

  it.each([
    ['1e9', 1e9],
    ['-2', -2],
    ['-1', -1],
    ['2.5', 2.5],
    ['100000', 100_000],
  ])('epoch %s is refused as meta.epoch', async (_name, value) => {
    const e = await refusal(withMeta({ epoch: value }));
    expect(e.field).toBe('meta.epoch');
    expect(e.message).toContain('integer in 0..99999');
  });

  it('an epoch given as a string is refused', async () => {
    expect((await refusal(withMeta({ epoch: '2' }))).field).toBe('meta.epoch');
  });

  it('testAccuracy and dataset are typed and ranged', async () => {
    expect((await refusal(withMeta({ testAccuracy: 1.5 }))).field).toBe('meta.testAccuracy');
    expect((await refusal(withMeta({ testAccuracy: 'high' }))).field).toBe('meta.testAccuracy');
    expect((await refusal(withMeta({ dataset: 7 }))).field).toBe('meta.dataset');
  });

  it('the good checkpoint loads with its epoch', async () => {
    expect((await loadCheckpoint(write(goodBytes))).epoch).toBe(1);
  });
});

describe('checkpoint configuration (meta.config)', () => {
  it.each([
    ['reluSampled "false"', (c: Record<string, unknown>) => void (c.reluSampled = 'false'), 'meta.config.reluSampled'],
    ['learningRate true', (c: Record<string, unknown>) => void (c.learningRate = true), 'meta.config.learningRate'],
    ['learningRate [true, 0.1]', (c: Record<string, unknown>) => void (c.learningRate = [true, 0.1]), 'meta.config.learningRate[0]'],
    ['momentum "0.5"', (c: Record<string, unknown>) => void (c.momentum = '0.5'), 'meta.config.momentum'],
    ['decay null', (c: Record<string, unknown>) => void (c.decay = null), 'meta.config.decay'],
    ['decay -1', (c: Record<string, unknown>) => void (c.decay = -1), 'meta.config.decay'],
    ['seed 1.5', (c: Record<string, unknown>) => void (c.seed = 1.5), 'meta.config.seed'],
    ['pairs "1"', (c: Record<string, unknown>) => void (c.pairs = '1'), 'meta.config.pairs'],
    ['trainableActivation 1', (c: Record<string, unknown>) => void (c.trainableActivation = 1), 'meta.config.trainableActivation'],
    ['activationRange null', (c: Record<string, unknown>) => void (c.activationRange = null), 'meta.config.activationRange'],
    ['layout [2, "4", 2]', (c: Record<string, unknown>) => void (c.layout = [2, '4', 2]), 'meta.config.layout[1]'],
    ['an unknown field', (c: Record<string, unknown>) => void (c.lr = 0.1), 'meta.config.lr'],
    ['a missing field', (c: Record<string, unknown>) => void delete c.momentum, 'meta.config.momentum'],
    ['null', () => null, 'meta.config'],
    ['an array', () => [1, 2], 'meta.config'],
  ])('%s is refused, naming the field', async (_name, edit, field) => {
    const e = await refusal(withConfig(edit));
    expect(e.field).toBe(field);
  });

  it('config text that is not JSON is refused as meta.config', async () => {
    expect((await refusal(withMeta({ config: '{"layout": [2, 4' }))).field).toBe('meta.config');
  });

  it('a header that disagrees with meta.config is refused (activation, layout)', async () => {
    expect((await refusal(write(encodeWeights({ ...good, activation: 'pgaf-tanh' })))).field).toBe('activation');
    const c = JSON.parse(good.meta!.config as string);
    expect((await refusal(withMeta({ config: JSON.stringify({ ...c, layout: [2, 5, 2] }) }))).field).toBe('layout');
    expect((await refusal(write(encodeWeights({ ...good, fracBits: { weights: 24, activations: 8 } })))).field).toBe('fracBits.activations');
  });
});

describe('spintrain train --resume with a bad checkpoint: exit 1, file and field named, nothing trained', () => {
  it.each([
    ['epoch -Infinity', () => withRawEpoch(-Infinity), 'meta "epoch"'],
    ['epoch NaN', () => withRawEpoch(NaN), 'meta "epoch"'],
    ['epoch 1e9', () => withMeta({ epoch: 1e9 }), 'meta.epoch'],
    ['epoch -2 (decay 1)', () => withMeta({ epoch: -2 }), 'meta.epoch'],
    ['reluSampled "false"', () => withConfig((c) => void (c.reluSampled = 'false')), 'meta.config.reluSampled'],
    ['learningRate true', () => withConfig((c) => void (c.learningRate = true)), 'meta.config.learningRate'],
  ])('%s', async (_name, make, field) => {
    const file = make();
    const io = captureOutput();
    const t0 = performance.now();
    expect(await main([...TRAIN, '--epochs', '3', '--decay', '1', '--resume', file])).toBe(1);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(io.err()).toContain(`${file}: ${field}: `);
    expect(io.out()).toBe('');
  });

  it('resuming on another data set names the checkpoint (meta.dataset), and the layout when no name was recorded', async () => {
    const io = captureOutput();
    const file = write(goodBytes);
    expect(await main(['train', '--dataset', 'iris', '--hidden', '4', '--epochs', '3', '--resume', file, '--json'])).toBe(1);
    expect(io.err()).toContain(`${file}: meta.dataset: the checkpoint was trained on "xor", this run's data set is "iris"`);
    const { dataset: _d, ...meta } = good.meta!;
    const anonymous = write(encodeWeights({ ...good, meta }));
    expect(await main(['train', '--dataset', 'iris', '--hidden', '4', '--epochs', '3', '--resume', anonymous, '--json'])).toBe(1);
    expect(io.err()).toContain(`${anonymous}: layout: the checkpoint's network 2-4-2 takes 2 inputs and 2 classes; the data set iris has 4 features per sample and 3 classes`);
  });
});

describe('weights file meta numbers', () => {
  it('the encoder refuses a non-finite meta number, the decoder a stored one', () => {
    expect(() => encodeWeights({ ...good, meta: { epoch: NaN } })).toThrow('meta.epoch: expected a finite number, found NaN');
    const e = (() => {
      try {
        decodeWeights(new Uint8Array(0), 'x.stw');
      } catch (err) {
        return err as WeightsFileError;
      }
    })();
    expect(e?.field).toBe('length');
  });

  it('duplicate tensor names and meta keys are refused by the decoder', () => {
    // Encode two distinct names of the same length, then rename the second to the first and re-seal.
    const w: WeightsFile = { ...good, tensors: [{ name: 'AA', data: Int32Array.of(1) }, { name: 'AB', data: Int32Array.of(2) }], meta: { k1: 1, k2: 2 } };
    const bytes = encodeWeights(w).slice();
    const buf = Buffer.from(bytes);
    const reseal = (b: Uint8Array) => {
      new DataView(b.buffer, b.byteOffset).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
      return b;
    };
    const t = bytes.slice();
    t[buf.indexOf('AB') + 1] = 'A'.charCodeAt(0);
    expect(() => decodeWeights(reseal(t), 'dup.stw')).toThrow('dup.stw: tensor name: duplicate tensor name "AA"');
    const m = bytes.slice();
    m[buf.indexOf('k2') + 1] = '1'.charCodeAt(0);
    expect(() => decodeWeights(reseal(m), 'dup.stw')).toThrow('dup.stw: meta key: duplicate meta key "k1"');
  });
});
