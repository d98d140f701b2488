// The release module stays within its budget: ≤ 8 KiB, WebAssembly MVP only, integer only,
// no memory growth, and the documented imports and exports only. The test build (the release ABI
// plus the golden-value kernels) is checked for its exports only: it is not shipped.
import { describe, it, expect } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import initWabt from 'wabt';
import { WASM_PATH } from '../../host/engine/wasm-engine.ts';
import { KERNEL_EXPORTS, readKernelsWasm } from '../support/kernels-module.ts';

const SIZE_BUDGET = 8 * 1024;
/** The release ABI (assembly/index.ts); the golden-value kernels are only in the test build. */
const RELEASE_EXPORTS = [
  'configure', 'countersPtr', 'evaluateU8', 'forwardLayer', 'heapBase', 'initWeights', 'inputU8', 'layoutSet', 'memory',
  'predict', 'regionPtr', 'rngNext', 'rngSeed', 'scheduleTrainingMemory',
  'setActivationRange', 'setDecay', 'setDeltaClip', 'setEpoch', 'setLearningRate', 'setPairStep', 'setProbabilityFloor', 'setTemperature', 'sizeofTrainingMemory', 'trainBackward', 'trainEpochU8', 'trainForward', 'trainStep',
];
const MVP_ONLY = {
  exceptions: false, mutable_globals: false, sat_float_to_int: false, sign_extension: false, simd: false, threads: false,
  function_references: false, multi_value: false, tail_call: false, bulk_memory: false, reference_types: false,
  annotations: false, code_metadata: false, gc: false, memory64: false, extended_const: false, relaxed_simd: false,
};

describe('release module', async () => {
  const bytes = readFileSync(WASM_PATH);
  const wabt = await initWabt();

  it(`is at most ${SIZE_BUDGET} bytes`, () => {
    expect(statSync(WASM_PATH).size).toBeLessThanOrEqual(SIZE_BUDGET);
  });

  it('validates with every post-MVP feature disabled', () => {
    const m = wabt.readWasm(bytes, { readDebugNames: false, ...MVP_ONLY });
    expect(() => m.validate()).not.toThrow();
    m.destroy();
  });

  it('has no floating-point instruction or type and never grows its memory', () => {
    const m = wabt.readWasm(bytes, { readDebugNames: false });
    const text = m.toText({ foldExprs: false, inlineExport: false });
    m.destroy();
    expect(text).toMatch(/i64\.mul/); // the disassembly is real
    expect(text).not.toMatch(/\bf(32|64)\b|\bf(32|64)\./);
    expect(text).not.toMatch(/memory\.grow/);
  });

  it('imports only env.mtj_sample and exports the documented ABI', () => {
    const mod = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'mtj_sample', kind: 'function' }]);
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name).sort();
    expect(exports).toEqual([...RELEASE_EXPORTS].sort());
  });
});

describe('step calls before the plan is placed', () => {
  // With noAssert the region table is all zero until scheduleTrainingMemory: a step would write from
  // address 0 over the static data. Each step traps instead (plan.ts, requirePlaced) and writes nothing.
  type Exports = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
  const fresh = (): Exports => {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM_PATH)), { env: { mtj_sample: () => {} } });
    return inst.exports as unknown as Exports;
  };
  const steps: [string, (e: Exports) => unknown][] = [
    ['inputU8', (e) => e.inputU8(e.heapBase())], ['trainStep', (e) => e.trainStep(0)], ['trainForward', (e) => e.trainForward()],
    ['trainBackward', (e) => e.trainBackward(0)], ['forwardLayer', (e) => e.forwardLayer(0)], ['predict', (e) => e.predict()],
  ];

  it('trap (unreachable) and leave memory untouched, before scheduleTrainingMemory and after a re-configure', () => {
    const e = fresh();
    [4, 3, 2].forEach((n, k) => expect(e.layoutSet(k, n)).toBe(0));
    expect(e.configure(3, 0, 0, 0, 0, 0, 0, 0)).toBe(0);
    const before = new Uint8Array(e.memory.buffer).slice();
    for (const [name, call] of steps) expect(() => call(e), name).toThrow(/unreachable/);
    expect(new Uint8Array(e.memory.buffer)).toEqual(before);
    // placed: the same calls run
    expect(e.scheduleTrainingMemory((e.heapBase() + 7) & ~7)).toBe(0);
    expect(e.initWeights(1)).toBe(0);
    e.inputU8(e.heapBase());
    expect(e.trainStep(1)).toBeGreaterThanOrEqual(0);
    expect(e.predict()).toBeGreaterThanOrEqual(0);
    // configure un-places the plan (its regions may move): refused again
    expect(e.configure(3, 0, 0, 0, 0, 0, 0, 0)).toBe(0);
    for (const [name, call] of steps) expect(() => call(e), name).toThrow(/unreachable/);
  });
});

describe('test build (build/spintrain.kernels.wasm)', () => {
  it('is the release ABI plus the fixed-point kernels, with the same import', () => {
    const mod = new WebAssembly.Module(readKernelsWasm());
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'mtj_sample', kind: 'function' }]);
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name).sort();
    expect(exports).toEqual([...RELEASE_EXPORTS, ...KERNEL_EXPORTS].sort());
  });
});
