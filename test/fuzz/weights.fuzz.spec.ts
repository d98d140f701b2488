/**
 * Property-based fuzz of the weights file and checkpoint readers (host/io/weights-file.ts,
 * host/engine/checkpoint.ts, host/engine/config-schema.ts): byte damage with and without a re-sealed
 * checksum, meta.config JSON fields set to wrong types / huge / negative / fractional values or
 * deleted or added, meta numbers (epoch, testAccuracy) set to any double (NaN and ±Infinity patched
 * into the bytes), and header fields changed. Every case yields a checkpoint whose configuration the
 * engine accepts and whose tensors load into an engine, or a WeightsFileError naming file and field.
 */
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWeightsFile, checkpointOf, engineToWeightsFile, MAX_EPOCHS, type Checkpoint } from '../../host/engine/checkpoint.ts';
import { defaultNetworkConfig, validateNetworkConfig, type NetworkConfig } from '../../host/engine/config.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { WeightsFileError } from '../../host/io/errors.ts';
import { decodeWeights, encodeWeights, type WeightsFile } from '../../host/io/weights-file.ts';
import { printOutcomes, byteMutation, expectValueOrTypedError, jsonMutation, mutateBytes, mutateJson, nastyValue, params, timeoutFor } from './file-fuzz-support.ts';

afterAll(() => printOutcomes('weights/checkpoint'));

const FILE = 'fuzz/checkpoint.stw';
let base: WeightsFile;
let baseBytes: Uint8Array;
let baseConfig: Record<string, unknown>;

beforeAll(() => {
  const config: NetworkConfig = {
    ...defaultNetworkConfig,
    layout: [3, 4, 3, 2],
    algorithm: 'pgaf',
    momentum: 0.5,
    learningRate: [0.01, 0.02, 0.1],
    trainableActivation: true,
    activationRange: { kMin: 0.8, kMax: 1.2, cMin: -3, cMax: 2 },
    seed: 9,
  };
  base = engineToWeightsFile(new SpintrainEngine(config), { epoch: 3, testAccuracy: 0.75, dataset: 'xor' });
  baseBytes = encodeWeights(base);
  baseConfig = JSON.parse(base.meta!.config as string);
});

function reseal(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4) return bytes;
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/** An accepted checkpoint: the engine takes its configuration and its tensors. */
function checkAccepted(cp: Checkpoint): void {
  expect(() => validateNetworkConfig(cp.config)).not.toThrow();
  expect(Number.isInteger(cp.epoch) && cp.epoch >= -1 && cp.epoch < MAX_EPOCHS).toBe(true);
  for (const v of Object.values(cp.file.meta ?? {})) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  const params_ = cp.config.layout.slice(1).reduce((s, n, i) => s + n * cp.config.layout[i], 0);
  if (params_ <= 100_000) {
    const engine = new SpintrainEngine(cp.config);
    try {
      applyWeightsFile(engine, cp.file, FILE);
    } catch (e) {
      if (!(e instanceof WeightsFileError)) throw e;
      expect(e.message.startsWith(`${FILE}: ${e.field}: `)).toBe(true);
    }
  }
}

function readCase(bytes: Uint8Array): void {
  expectValueOrTypedError(() => checkpointOf(decodeWeights(bytes, FILE), FILE), { file: FILE, errors: [WeightsFileError] }, checkAccepted);
}

describe('weights file / checkpoint fuzz', () => {
  it('byte damage, checksum not re-sealed (the checksum or length catches it)', () => {
    fc.assert(fc.property(fc.array(byteMutation, { minLength: 1, maxLength: 4 }), (muts) => readCase(mutateBytes(baseBytes, muts))), params(0.15));
  }, timeoutFor(0.15, 1));

  it('byte damage behind a valid checksum (every header check is reached)', () => {
    fc.assert(fc.property(fc.array(byteMutation, { minLength: 1, maxLength: 4 }), (muts) => readCase(reseal(mutateBytes(baseBytes, muts)))), params(0.25));
  }, timeoutFor(0.25, 2));

  it('meta.config fields with wrong types, NaN-free JSON extremes, deleted or added fields', () => {
    fc.assert(
      fc.property(fc.array(jsonMutation, { minLength: 1, maxLength: 3 }), (muts) => {
        const config = JSON.stringify(mutateJson(baseConfig, muts)) ?? 'null';
        readCase(encodeWeights({ ...base, meta: { ...base.meta, config } }));
      }),
      params(0.3),
    );
  }, timeoutFor(0.3, 3));

  it('meta.config replaced by any JSON value or text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'), fc.string({ minLength: 0, maxLength: 40 })), (config) => {
        readCase(encodeWeights({ ...base, meta: { ...base.meta, config } }));
      }),
      params(0.1),
    );
  }, timeoutFor(0.1, 1));

  it('meta numbers (epoch, testAccuracy, any key) set to any double, NaN and ±Infinity included (patched, re-sealed)', () => {
    const placeholder = 98765.4321;
    const needle = Buffer.from(new Float64Array([placeholder]).buffer);
    fc.assert(
      fc.property(fc.constantFrom('epoch', 'testAccuracy', 'seed', 'x'), fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -1, -2, 1e9, 99_999, 100_000, 2.5, -0)), (key, value) => {
        const bytes = encodeWeights({ ...base, meta: { ...base.meta, [key]: placeholder } }).slice();
        const at = Buffer.from(bytes).indexOf(needle);
        new DataView(bytes.buffer).setFloat64(at, value, true);
        readCase(reseal(bytes));
      }),
      params(0.1),
    );
  }, timeoutFor(0.1, 1));

  it('meta strings and header fields changed (dataset, activation, layout, fracBits, tensors)', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            dataset: fc.oneof(fc.string({ maxLength: 5 }), nastyValue.filter((v) => typeof v === 'number' && Number.isFinite(v)) as fc.Arbitrary<number>),
            activation: fc.constantFrom('pgaf-sigmoid', 'bp-sigmoid', 'pgaf-tanh', 'x', 'pair-sigmoid'),
            layout: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 5 }),
            weights: fc.integer({ min: 0, max: 31 }),
            activations: fc.integer({ min: 0, max: 31 }),
            dropTensor: fc.nat(20),
          },
          { requiredKeys: [] },
        ),
        (e) => {
          const w: WeightsFile = {
            ...base,
            activation: e.activation ?? base.activation,
            layout: e.layout ?? base.layout,
            fracBits: { weights: e.weights ?? base.fracBits.weights, activations: e.activations ?? base.fracBits.activations },
            tensors: e.dropTensor === undefined ? base.tensors : base.tensors.filter((_t, i) => i !== e.dropTensor),
            meta: { ...base.meta, ...(e.dataset === undefined ? {} : { dataset: e.dataset }) },
          };
          let bytes: Uint8Array;
          try {
            bytes = encodeWeights(w);
          } catch {
            return; // the encoder refused it (e.g. an empty dataset string): nothing to read
          }
          readCase(bytes);
        },
      ),
      params(0.1),
    );
  }, timeoutFor(0.1, 3));
});
