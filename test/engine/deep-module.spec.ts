// The deep module (build/spintrain.deep.wasm, assembly/deep.ts) stays within its budget: ≤ 16 KiB, WebAssembly
// MVP only, integer only, no memory growth, the one import env.mtj_sample and exactly the exports its ABI
// header lists. Its setup refuses bad shapes and options with the documented codes, its step calls trap
// before the plan is placed, and the host wrapper (DeepEngine, validateDeepConfig) names the bad field.
// Bit identity across runtimes: test/deploy/deep-runtimes.spec.ts.
import { describe, it, expect } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';
import { DEEP_WASM_PATH, DeepEngine, readDeepWasm } from '../../host/engine/deep-engine.ts';
import { validateDeepConfig, defaultDeepConfig, type DeepConfig, type DeepNode } from '../../host/engine/deep-config.ts';
import { ConfigError } from '../../host/engine/config.ts';
import { checkModule, DOCUMENTED_IMPORTS } from '../harness/runtimes/module-checks.ts';
import { skipReason } from '../setup/tool-list.ts';

const SIZE_BUDGET = 16 * 1024;
const HEADER = fileURLToPath(new URL('../../assembly/deep.ts', import.meta.url));
const MVP_ONLY = {
  exceptions: false, mutable_globals: false, sat_float_to_int: false, sign_extension: false, simd: false, threads: false,
  function_references: false, multi_value: false, tail_call: false, bulk_memory: false, reference_types: false,
  annotations: false, code_metadata: false, gc: false, memory64: false, extended_const: false, relaxed_simd: false,
};

// assembly/errors.ts
const OK = 0;
const ERR_LAYER_COUNT = -1;
const ERR_LAYER_WIDTH = -2;
const ERR_CONFIG = -3;
const ERR_MEMORY = -4;
const ERR_NOT_PLACED = -5;
const ERR_LAYER_INDEX = -6;
const ERR_BASE = -8;
const ERR_SHAPE = -9;
const MAX_POOL = 1;
const AVG_POOL = 2;

/**
 * The ABI the header of assembly/deep.ts lists: the functions named `name(` on its imports line (module.name)
 * and on its setup, step and inspect lines (exports), from "// ABI" to the first empty comment line.
 */
function headerAbi(): { imports: string[]; exports: string[] } {
  const lines = readFileSync(HEADER, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('// ABI'));
  const end = lines.findIndex((l, k) => k > start && l.trim() === '//');
  const block = lines.slice(start + 1, end);
  const importLines = block.filter((l) => /^\/\/\s+imports\b/.test(l));
  const imports = importLines.flatMap((l) => [...l.matchAll(/(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
  const exports = block.filter((l) => !importLines.includes(l)).flatMap((l) => [...l.matchAll(/(?<![\w.])([a-z][A-Za-z0-9]*)\(/g)].map((m) => m[1]));
  return { imports, exports: [...new Set(exports)].sort() };
}

type Exports = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
const fresh = (): Exports =>
  new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(readDeepWasm())), { env: { mtj_sample: () => { throw new Error('env.mtj_sample called'); } } }).exports as unknown as Exports;
const planBase = (e: Exports): number => (e.heapBase() + 7) & ~7;

describe('deep module', async () => {
  const bytes = readDeepWasm();
  const wabt = await initWabt();

  it(`is at most ${SIZE_BUDGET} bytes`, () => {
    expect(statSync(DEEP_WASM_PATH).size).toBeLessThanOrEqual(SIZE_BUDGET);
  });

  it('imports only env.mtj_sample and exports exactly the ABI its header lists (and its memory)', () => {
    const abi = headerAbi();
    expect(abi.imports).toEqual(['env.mtj_sample']);
    // the parse is real: the header's first and last setup, step and inspect calls are in it
    for (const fn of ['inputShape', 'heapBase', 'inputU8', 'evaluateU8', 'regionPtr', 'countersPtr']) expect(abi.exports).toContain(fn);
    const mod = new WebAssembly.Module(new Uint8Array(bytes));
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'mtj_sample', kind: 'function' }]);
    const exports = WebAssembly.Module.exports(mod);
    expect(exports.filter((e) => e.kind !== 'function')).toEqual([{ name: 'memory', kind: 'memory' }]);
    expect(exports.filter((e) => e.kind === 'function').map((e) => e.name).sort()).toEqual(abi.exports);
  });

  it('validates with every post-MVP feature disabled, has no floating point and never grows its memory (wabt.js)', () => {
    const m = wabt.readWasm(bytes, { readDebugNames: false, ...MVP_ONLY });
    expect(() => m.validate()).not.toThrow();
    m.destroy();
    const t = wabt.readWasm(bytes, { readDebugNames: false });
    const text = t.toText({ foldExprs: false, inlineExport: false });
    t.destroy();
    expect(text).toMatch(/i64\.mul/); // the disassembly is real
    expect(text).not.toMatch(/\bf(32|64)\b|\bf(32|64)\./);
    expect(text).not.toMatch(/memory\.grow/);
  });
});

describe.skipIf(skipReason(['wasmValidate', 'wasmObjdump']))(`deep module, wabt's native tools ${skipReason(['wasmValidate', 'wasmObjdump']) || ''}`, () => {
  it('validates as MVP with post-MVP features disabled, has no float or memory.grow, imports exactly env.mtj_sample', () => {
    const r = checkModule(DEEP_WASM_PATH);
    expect(r.mvpValid, r.validateOutput).toBe(true);
    expect(r.floatUses).toEqual([]);
    expect(r.growUses).toEqual([]);
    expect(r.imports).toEqual(DOCUMENTED_IMPORTS);
  });
});

describe('setup refuses bad shapes and options with the documented codes', () => {
  it('ERR_SHAPE (−9): a kernel or pool window larger than its input, a skip between different sizes or from the previous node', () => {
    const e = fresh();
    expect(e.inputShape(1, 4, 4)).toBe(OK);
    expect(e.addConv(2, 5, 1, 0, -1)).toBe(ERR_SHAPE); // 5×5 over 4×4, no padding
    expect(e.addConv(2, 7, 2, 1, -1)).toBe(ERR_SHAPE); // 4 + 2 − 7 < 0
    expect(e.addConv(2, 5, 1, 2, -1)).toBe(1); // padded: fits (4×4 out)
    expect(e.addPool(MAX_POOL, 4)).toBe(2); // 2×4×4 → 2×1×1
    expect(e.addPool(MAX_POOL, 2)).toBe(ERR_SHAPE); // 1×1 input: an empty output
    expect(e.addConv(2, 3, 1, 0, -1)).toBe(ERR_SHAPE);

    expect(e.inputShape(1, 8, 8)).toBe(OK);
    expect(e.addConv(4, 3, 1, 1, -1)).toBe(1); // 4×8×8
    expect(e.addConv(4, 3, 1, 1, -1)).toBe(2); // 4×8×8
    expect(e.addConv(2, 3, 1, 1, 1)).toBe(ERR_SHAPE); // 2×8×8 + 4×8×8
    expect(e.addConv(4, 3, 2, 1, 1)).toBe(ERR_SHAPE); // 4×4×4 + 4×8×8
    expect(e.addConv(4, 3, 1, 1, 0)).toBe(ERR_SHAPE); // 4×8×8 + the 1×8×8 input
    expect(e.addConv(4, 3, 1, 1, 2)).toBe(ERR_SHAPE); // from the previous node
    expect(e.addConv(4, 3, 1, 1, 9)).toBe(ERR_SHAPE); // a node that does not exist
    expect(e.addDense(16, 0)).toBe(ERR_SHAPE); // 16 units + 64
    // a refused node is not appended: the next one takes its index
    expect(e.nodeUnits(3)).toBe(ERR_LAYER_INDEX);
    expect(e.addConv(4, 3, 1, 1, 1)).toBe(3);
    expect(e.addDense(64, -1)).toBe(4);
    expect(e.addDense(64, 0)).toBe(5); // 64 units + the 1×8×8 input: same size
    expect([0, 1, 2, 3, 4, 5].map((i) => e.nodeUnits(i))).toEqual([64, 256, 256, 256, 64, 64]);
  });

  it('ERR_CONFIG (−3): kernel outside 1..7, stride outside 1..2, padding over kernel/2, average pool 3, unknown pool or configure ids', () => {
    const e = fresh();
    expect(e.inputShape(1, 12, 12)).toBe(OK);
    expect(e.addConv(2, 9, 1, 0, -1)).toBe(ERR_CONFIG);
    expect(e.addConv(2, 0, 1, 0, -1)).toBe(ERR_CONFIG);
    expect(e.addConv(2, 3, 3, 0, -1)).toBe(ERR_CONFIG);
    expect(e.addConv(2, 3, 0, 0, -1)).toBe(ERR_CONFIG);
    expect(e.addConv(2, 3, 1, 2, -1)).toBe(ERR_CONFIG);
    expect(e.addConv(2, 3, 1, -1, -1)).toBe(ERR_CONFIG);
    expect(e.addPool(AVG_POOL, 3)).toBe(ERR_CONFIG);
    expect(e.addPool(MAX_POOL, 5)).toBe(ERR_CONFIG);
    expect(e.addPool(MAX_POOL, 1)).toBe(ERR_CONFIG);
    expect(e.addPool(0, 2)).toBe(ERR_CONFIG);
    expect(e.addPool(3, 2)).toBe(ERR_CONFIG);
    // the limits themselves are accepted
    expect(e.addConv(2, 7, 2, 3, -1)).toBe(1); // 2×6×6
    expect(e.addPool(MAX_POOL, 3)).toBe(2); // 2×2×2
    expect(e.addPool(AVG_POOL, 2)).toBe(3); // 2×1×1
    expect(e.addDense(3, -1)).toBe(4);
    for (const args of [[3, 0, 0, 0, 0], [0, 5, 0, 0, 0], [0, -1, 0, 0, 0], [0, 0, 2, 0, 0], [0, 0, 0, 2, 0], [0, 1, 0, 0, 4], [-1, 0, 0, 0, 0]]) {
      expect(e.configure(...args), `configure(${args})`).toBe(ERR_CONFIG);
    }
    expect(e.configure(2, 1, 1, 1, 3)).toBe(OK);
    expect(e.setLearningRate(-1)).toBe(ERR_CONFIG);
  });

  it('ERR_CONFIG (−3) from setSparsity: for bp and pgaf (no knob), and outside each sparse algorithm\'s range', () => {
    const e = fresh();
    expect(e.inputShape(1, 4, 4)).toBe(OK);
    expect(e.addDense(4, -1)).toBe(1);
    expect(e.addDense(3, -1)).toBe(2);
    const ONE = 65536;
    for (const algo of [0, 1]) {
      expect(e.configure(1, algo, 0, 0, 0)).toBe(OK);
      expect(e.setSparsity(ONE, ONE, ONE), `algorithm ${algo}`).toBe(ERR_CONFIG);
    }
    for (const algo of [2, 3]) {
      // topk: the kept fraction, random: the keep probability, in [1, 2^16] (b and c unused)
      expect(e.configure(1, algo, 0, 0, 0)).toBe(OK);
      for (const a of [0, -1, ONE + 1]) expect(e.setSparsity(a, 0, 0), `algorithm ${algo}, a = ${a}`).toBe(ERR_CONFIG);
      for (const a of [1, ONE >> 1, ONE]) expect(e.setSparsity(a, -5, 0), `algorithm ${algo}, a = ${a}`).toBe(OK);
    }
    // adaptive: 0 ≤ S_min ≤ S_max ≤ 2^16, 1 ≤ ζ ≤ 2^16
    expect(e.configure(1, 4, 0, 0, 0)).toBe(OK);
    for (const args of [[-1, ONE, ONE], [ONE >> 1, (ONE >> 1) - 1, ONE], [0, ONE + 1, ONE], [0, ONE, 0], [0, ONE, ONE + 1]]) {
      expect(e.setSparsity(args[0], args[1], args[2]), `adaptive (${args})`).toBe(ERR_CONFIG);
    }
    for (const args of [[0, 0, 1], [0, ONE, ONE], [ONE, ONE, 1], [16384, 49152, 32768]]) expect(e.setSparsity(args[0], args[1], args[2]), `adaptive (${args})`).toBe(OK);
    // the knob does not move the plan: a placed plan stays placed
    expect(e.scheduleTrainingMemory(planBase(e))).toBe(OK);
    expect(e.setSparsity(0, ONE, ONE)).toBe(OK);
    expect(e.regionPtr(2, 0)).toBeGreaterThan(0);
  });

  it('ERR_LAYER_COUNT (−1): a node before the input, more than 15 nodes after it, or a plan without a weight node last', () => {
    const e = fresh();
    expect(e.addConv(2, 3, 1, 1, -1)).toBe(ERR_LAYER_COUNT);
    expect(e.addDense(2, -1)).toBe(ERR_LAYER_COUNT);
    expect(e.addPool(MAX_POOL, 2)).toBe(ERR_LAYER_COUNT);
    expect(e.inputShape(1, 2, 2)).toBe(OK);
    for (let i = 1; i <= 15; i++) expect(e.addDense(4, -1)).toBe(i);
    expect(e.addDense(4, -1)).toBe(ERR_LAYER_COUNT);
    expect(e.addConv(4, 1, 1, 0, -1)).toBe(ERR_LAYER_COUNT);
    expect(e.addPool(MAX_POOL, 2)).toBe(ERR_LAYER_COUNT);
    expect(e.nodeUnits(15)).toBe(4);
    expect(e.nodeUnits(16)).toBe(ERR_LAYER_INDEX);
    expect(e.sizeofTrainingMemory()).toBeGreaterThan(0); // 15 nodes: a valid network

    expect(e.inputShape(1, 4, 4)).toBe(OK);
    expect(e.sizeofTrainingMemory()).toBe(ERR_LAYER_COUNT); // the input alone
    expect(e.addConv(2, 3, 1, 1, -1)).toBe(1);
    expect(e.addPool(MAX_POOL, 2)).toBe(2);
    expect(e.sizeofTrainingMemory()).toBe(ERR_LAYER_COUNT); // a pool last: no softmax output
    expect(e.scheduleTrainingMemory(planBase(e))).toBe(ERR_LAYER_COUNT);
  });

  it('other codes: an empty input (−2), a bad plan base (−8), a plan beyond memory (−4), setLinear or setNodeRate on a node without weights (−6), a linear output (−3)', () => {
    const e = fresh();
    expect(e.inputShape(0, 4, 4)).toBe(ERR_LAYER_WIDTH);
    expect(e.inputShape(1, 0, 4)).toBe(ERR_LAYER_WIDTH);
    expect(e.inputShape(1, 4096, 4096)).toBe(ERR_LAYER_WIDTH); // over 2^20 units
    expect(e.addDense(2, -1)).toBe(ERR_LAYER_COUNT); // a refused input leaves no network
    expect(e.inputShape(1, 4, 4)).toBe(OK);
    expect(e.addConv(2, 3, 1, 1, -1)).toBe(1);
    expect(e.addPool(MAX_POOL, 2)).toBe(2);
    expect(e.addDense(3, -1)).toBe(3);
    expect(e.setLinear(0)).toBe(ERR_LAYER_INDEX);
    expect(e.setLinear(2)).toBe(ERR_LAYER_INDEX); // a pool node
    expect(e.setLinear(4)).toBe(ERR_LAYER_INDEX);
    expect(e.setLinear(1)).toBe(OK);
    expect(e.setNodeRate(2, 65536)).toBe(ERR_LAYER_INDEX); // a pool node
    expect(e.setNodeRate(4, 65536)).toBe(ERR_LAYER_INDEX);
    expect(e.setNodeRate(3, -1)).toBe(ERR_CONFIG);
    expect(e.setNodeRate(3, 65536)).toBe(OK);
    expect(e.configure(0, 0, 0, 0, 0)).toBe(OK);
    const base = planBase(e);
    expect(e.scheduleTrainingMemory(base + 4)).toBe(ERR_BASE);
    expect(e.scheduleTrainingMemory(base - 8)).toBe(ERR_BASE);
    expect(e.scheduleTrainingMemory(e.memory.buffer.byteLength - 8)).toBe(ERR_MEMORY);
    expect(e.scheduleTrainingMemory(base)).toBe(OK);
    expect(e.setLinear(3)).toBe(OK); // the output made linear: the plan refuses it
    expect(e.sizeofTrainingMemory()).toBe(ERR_CONFIG);
    expect(e.scheduleTrainingMemory(base)).toBe(ERR_CONFIG);
  });
});

describe('step calls before the plan is placed', () => {
  // Until scheduleTrainingMemory every region address is 0: a step would write from address 0 over the
  // static data. inputU8, trainStep and predict trap instead (graph.ts requirePlaced) and write nothing;
  // the calls that return a code return ERR_NOT_PLACED.
  const traps: [string, (e: Exports) => unknown][] = [
    ['inputU8', (e) => e.inputU8(e.heapBase())], ['trainStep', (e) => e.trainStep(0)], ['predict', (e) => e.predict()],
  ];
  const refused: [string, (e: Exports) => number][] = [
    ['trainEpochU8', (e) => e.trainEpochU8(e.heapBase(), e.heapBase(), 0, 1)], ['evaluateU8', (e) => e.evaluateU8(e.heapBase(), e.heapBase(), 1)],
    ['initWeights', (e) => e.initWeights(1)], ['regionPtr', (e) => e.regionPtr(2, 0)],
  ];
  const expectRefused = (e: Exports): void => {
    const before = Buffer.from(e.memory.buffer.slice(0));
    for (const [name, call] of traps) expect(() => call(e), name).toThrow(/unreachable/);
    for (const [name, call] of refused) expect(call(e), name).toBe(ERR_NOT_PLACED);
    expect(Buffer.from(e.memory.buffer).equals(before), 'memory untouched').toBe(true);
  };

  it('trap (or return −5) and leave memory untouched: before the plan, and again after any setup call that moves it', () => {
    const e = fresh();
    expectRefused(e); // no network at all
    expect(e.inputShape(1, 4, 4)).toBe(OK);
    expect(e.addConv(2, 3, 1, 1, -1)).toBe(1);
    expect(e.addDense(3, -1)).toBe(2);
    expect(e.configure(1, 1, 0, 0, 1)).toBe(OK);
    expectRefused(e);
    const base = planBase(e);
    const place = (): void => {
      expect(e.scheduleTrainingMemory(base)).toBe(OK);
      expect(e.initWeights(1)).toBe(OK);
      const zeros = base + e.sizeofTrainingMemory(); // untouched memory: an all-zero sample of label 0
      e.inputU8(zeros);
      expect(e.trainStep(1)).toBeGreaterThanOrEqual(0);
      expect(e.predict()).toBeGreaterThanOrEqual(0);
      expect(e.trainEpochU8(zeros, zeros, 0, 1)).toBeGreaterThanOrEqual(0);
      expect(e.evaluateU8(zeros, zeros, 1)).toBeGreaterThanOrEqual(0);
    };
    place();
    expect(e.configure(1, 1, 0, 0, 1)).toBe(OK); // the draws per unit may change the plan
    expectRefused(e);
    place();
    expect(e.addDense(2, -1)).toBe(3); // a new node
    expectRefused(e);
    place();
    expect(e.setLinear(2)).toBe(OK); // a node loses its mask regions
    expectRefused(e);
    place();
    expect(e.inputShape(1, 4, 4)).toBe(OK); // a new network
    expectRefused(e);
  });
});

const base = (nodes: DeepNode[], extra: Partial<DeepConfig> = {}): DeepConfig => ({ ...defaultDeepConfig, input: [1, 8, 8], nodes, ...extra });
const CONV: Extract<DeepNode, { kind: 'conv' }> = { kind: 'conv', channels: 2, kernel: 3, pad: 1 };
const GOOD: DeepNode[] = [CONV, CONV, { kind: 'maxpool', size: 2 }, { kind: 'dense', units: 3 }];

/** The ConfigError a call throws (fails when it throws anything else or nothing). */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('host wrapper: ConfigError names the field', () => {
  it('accepts the good configuration', () => {
    expect(validateDeepConfig(base(GOOD))).toBeTruthy();
    for (const extra of [{ algorithm: 'topk', sparsity: 0.1 }, { algorithm: 'random', sparsity: 1 }, { algorithm: 'adaptive', sparsity: { minRatio: 0, maxRatio: 1, damping: 0.5 } }] as const) {
      expect(new DeepEngine(base(GOOD, extra)).units, extra.algorithm).toEqual([64, 128, 128, 32, 3]);
    }
    const engine = new DeepEngine(base(GOOD));
    expect(engine.units).toEqual([64, 128, 128, 32, 3]);
    expect(engine.weightNodes).toEqual([1, 2, 4]);
  });

  const fieldCases: [string, string, DeepConfig][] = [
    ['a kernel of 9', 'nodes[2].kernel', base([GOOD[0], GOOD[1], { kind: 'conv', channels: 2, kernel: 9 }, GOOD[3]])],
    ['a kernel of 8', 'nodes[0].kernel', base([{ kind: 'conv', channels: 2, kernel: 8 }, GOOD[3]])],
    ['a stride of 3', 'nodes[1].stride', base([GOOD[0], { kind: 'conv', channels: 2, kernel: 3, stride: 3 }, GOOD[3]])],
    ['a padding over kernel/2', 'nodes[0].pad', base([{ kind: 'conv', channels: 2, kernel: 3, pad: 2 }, GOOD[3]])],
    ['a skip from the previous node', 'nodes[1].skip', base([GOOD[0], { ...CONV, skip: 1 }, GOOD[2], GOOD[3]])],
    ['a skip from a later node', 'nodes[1].skip', base([GOOD[0], { ...CONV, skip: 3 }, GOOD[2], GOOD[3]])],
    ['a negative skip', 'nodes[1].skip', base([GOOD[0], { ...CONV, skip: -1 }, GOOD[2], GOOD[3]])],
    ['an average pool of 3', 'nodes[2].size', base([GOOD[0], GOOD[1], { kind: 'avgpool', size: 3 }, GOOD[3]])],
    ['a max pool of 5', 'nodes[2].size', base([GOOD[0], GOOD[1], { kind: 'maxpool', size: 5 }, GOOD[3]])],
    ['a linear output', 'nodes[3].linear', base([GOOD[0], GOOD[1], GOOD[2], { kind: 'dense', units: 3, linear: true }])],
    ['3 pairs', 'pairs', base(GOOD, { algorithm: 'pgaf', pairs: 3 })],
    ['16 pairs', 'pairs', base(GOOD, { algorithm: 'pgaf', pairs: 16 })],
    ['an empty input', 'input', base(GOOD, { input: [1, 0, 8] })],
    ['a 2-D input', 'input', base(GOOD, { input: [8, 8] as unknown as [number, number, number] })],
    ['no nodes', 'nodes', base([])],
    ['16 nodes', 'nodes', base([...Array.from({ length: 15 }, (): DeepNode => ({ kind: 'dense', units: 4 })), { kind: 'dense', units: 3 }])],
    ['a pool last', 'nodes', base([GOOD[0], { kind: 'maxpool', size: 2 }])],
    ['an unknown activation', 'activation', base(GOOD, { activation: 'gelu' as DeepConfig['activation'] })],
    ['the pair algorithm', 'algorithm', base(GOOD, { algorithm: 'pair' as DeepConfig['algorithm'] })],
    ['a zero learning rate', 'learningRate', base(GOOD, { learningRate: 0 })],
    ['a node rate of 0', 'nodes[3].learningRate', base([GOOD[0], GOOD[1], GOOD[2], { kind: 'dense', units: 3, learningRate: 0 }])],
    ['a negative decay', 'decay', base(GOOD, { decay: -1 })],
    ['topk without its kept fraction', 'sparsity', base(GOOD, { algorithm: 'topk' })],
    ['a sparsity knob for bp', 'sparsity', base(GOOD, { sparsity: 0.5 })],
    ['a sparsity knob for pgaf', 'sparsity', base(GOOD, { algorithm: 'pgaf', sparsity: 0.5 })],
    ['a kept fraction of 0', 'sparsity', base(GOOD, { algorithm: 'topk', sparsity: 0 })],
    ['a kept fraction over 1', 'sparsity', base(GOOD, { algorithm: 'topk', sparsity: 1.5 })],
    ['a kept fraction that rounds to 0 in Q16', 'sparsity', base(GOOD, { algorithm: 'topk', sparsity: 1e-6 })],
    ['a negative keep probability', 'sparsity', base(GOOD, { algorithm: 'random', sparsity: -0.5 })],
    ['an object for random', 'sparsity', base(GOOD, { algorithm: 'random', sparsity: { minRatio: 0, maxRatio: 1, damping: 1 } })],
    ['a number for adaptive', 'sparsity', base(GOOD, { algorithm: 'adaptive', sparsity: 0.5 })],
    ['adaptive without its minimum', 'sparsity.minRatio', base(GOOD, { algorithm: 'adaptive', sparsity: { maxRatio: 1, damping: 1 } as unknown as DeepConfig['sparsity'] })],
    ['an adaptive maximum below the minimum', 'sparsity.maxRatio', base(GOOD, { algorithm: 'adaptive', sparsity: { minRatio: 0.5, maxRatio: 0.25, damping: 1 } })],
    ['an adaptive damping of 0', 'sparsity.damping', base(GOOD, { algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.5, damping: 0 } })],
    ['an unknown adaptive field', 'sparsity.zeta', base(GOOD, { algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.5, damping: 1, zeta: 1 } as unknown as DeepConfig['sparsity'] })],
    ['an unknown algorithm', 'algorithm', base(GOOD, { algorithm: 'meprop' as DeepConfig['algorithm'] })],
  ];
  it.each(fieldCases)('validateDeepConfig and DeepEngine refuse %s: %s', (_what, field, config) => {
    expect(configError(() => validateDeepConfig(config)).field).toBe(field);
    const err = configError(() => new DeepEngine(config));
    expect(err.field).toBe(field);
    expect(err.message.startsWith(`${field}: `)).toBe(true);
  });

  // What only the module checks (shapes): DeepEngine names the node the module refused.
  const moduleCases: [string, number, RegExp, DeepConfig][] = [
    ['a kernel larger than its input', 1, /does not fit its input/, base([GOOD[0], { kind: 'conv', channels: 2, kernel: 7 }, GOOD[3]], { input: [1, 4, 4] })],
    ['a skip between different sizes', 2, /does not fit its input.*skip/, base([GOOD[0], GOOD[1], { kind: 'conv', channels: 3, kernel: 3, pad: 1, skip: 1 }, GOOD[3]])],
    ['a pool window larger than its input', 1, /does not fit its input/, base([{ kind: 'dense', units: 4 }, { kind: 'maxpool', size: 2 }, GOOD[3]])],
  ];
  it.each(moduleCases)('DeepEngine refuses %s, naming the node', (_what, node, message, config) => {
    expect(() => validateDeepConfig(config)).not.toThrow();
    const err = configError(() => new DeepEngine(config));
    expect(err.field).toMatch(new RegExp(`^nodes\\[${node}\\]`));
    expect(err.message).toMatch(message);
  });
});
