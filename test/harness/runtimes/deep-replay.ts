/**
 * A deep-module training run (deep-runs.ts) in V8 through DeepEngine, the host path, and the same run as a
 * flat replay any runtime can make: the memory pages, the data put into linear memory (features, labels,
 * sample orders), the export calls in DeepEngine's order, and the i32 words to read back at the end.
 *   calls  inputShape, addConv/addDense/addPool per node (then setLinear, setNodeRate where the node asks),
 *          configure (algorithm id = DEEP_ALGORITHMS' index; source 0: the module's generator), setSparsity (topk,
 *          random, adaptive: the knob in Q16, sparsityQ16), nodeUnits per node, sizeofTrainingMemory, heapBase,
 *          scheduleTrainingMemory(align8(heapBase)), setLearningRate, setDecay, initWeights(seed), setEpoch(0) +
 *          rngSeed (DeepEngine's constructor);
 *          then per epoch setEpoch(e), rngSeed(epochDrawSeed(seed, e)), trainEpochU8(x, y, order, n);
 *          then evaluateU8(x, y, n), regionPtr of every node and region, countersPtr, and rngNext (the
 *          generator's state at the end).
 *   dumps  the whole plan, region by region (n<i>.<W|B|A|Z|D|P|BITS|CNT>, then the KEPT scratch), and the
 *          25 i64 counters as 50 i32 words.
 * The renderings: runDeepReplayInV8 here, deep-spectest.ts (wabt's spectest-interp), deep-wasm2c.ts (native).
 */
import { DeepEngine, DeepRegion } from '../../../host/engine/deep-engine.ts';
import { epochDrawSeed } from '../../../host/engine/draw-seed.ts';
import { COUNTER_SLOTS } from '../../../host/engine/counters.ts';
import { DEEP_ALGORITHMS, sparsityQ16, type DeepConfig } from '../../../host/engine/deep-config.ts';
import type { DeepRun } from './deep-runs.ts';

export const align8 = (x: number): number => Math.ceil(x / 8) * 8;

/** Exports that return nothing (every other export returns an i32). */
export const DEEP_VOID_EXPORTS = new Set(['setDecay', 'setEpoch', 'rngSeed', 'inputU8']);

export interface DeepCall {
  fn: string;
  args: number[];
}

export interface DeepDump {
  name: string;
  ptr: number;
  words: number;
}

export interface DeepReplay {
  /** Linear memory the run needs, in 64 KiB pages. */
  pages: number;
  /** Bytes written into linear memory before the first call. */
  segments: { name: string; at: number; bytes: Uint8Array }[];
  calls: DeepCall[];
  dumps: DeepDump[];
}

/** What a runtime gives back: each call's result (null for a void export) and each dump's words. */
export interface DeepReplayResult {
  results: (number | null)[];
  dumps: Map<string, Int32Array>;
}

export interface DeepReference extends DeepReplayResult {
  /** Correct counts returned by trainEpochU8 per epoch, then evaluateU8's. */
  trainCorrect: number[];
  evalCorrect: number;
  /** Weights and biases of each weight node (DeepEngine.weights / biases), by node index. */
  weights: Map<number, Int32Array>;
  biases: Map<number, Int32Array>;
  replay: DeepReplay;
}

const ACT = { sigmoid: 0, tanh: 1, relu: 2 } as const;
const POOL = { maxpool: 1, avgpool: 2 } as const;
const REGION_NAMES = Object.entries(DeepRegion).sort((a, b) => a[1] - b[1]).map(([k]) => k);

/** DeepEngine's constructor as export calls (no device: bit source 0), the plan at base. */
export function deepSetupCalls(c: DeepConfig, base: number): DeepCall[] {
  const calls: DeepCall[] = [{ fn: 'inputShape', args: [...c.input] }];
  c.nodes.forEach((n, i) => {
    if (n.kind === 'conv') calls.push({ fn: 'addConv', args: [n.channels, n.kernel, n.stride ?? 1, n.pad ?? 0, n.skip ?? -1] });
    else if (n.kind === 'dense') calls.push({ fn: 'addDense', args: [n.units, n.skip ?? -1] });
    else calls.push({ fn: 'addPool', args: [POOL[n.kind], n.size] });
    if ((n.kind === 'conv' || n.kind === 'dense') && n.linear) calls.push({ fn: 'setLinear', args: [i + 1] });
    if ((n.kind === 'conv' || n.kind === 'dense') && n.learningRate !== undefined) calls.push({ fn: 'setNodeRate', args: [i + 1, Math.round(n.learningRate * 65536)] });
  });
  calls.push({ fn: 'configure', args: [ACT[c.activation], DEEP_ALGORITHMS.indexOf(c.algorithm), 0, c.reluSampled ? 1 : 0, Math.log2(c.pairs)] });
  const knob = sparsityQ16(c);
  if (knob) calls.push({ fn: 'setSparsity', args: knob });
  for (let i = 0; i <= c.nodes.length; i++) calls.push({ fn: 'nodeUnits', args: [i] });
  calls.push(
    { fn: 'sizeofTrainingMemory', args: [] },
    { fn: 'heapBase', args: [] },
    { fn: 'scheduleTrainingMemory', args: [base] },
    { fn: 'setLearningRate', args: [Math.round(c.learningRate * 65536)] },
    { fn: 'setDecay', args: [Math.round(c.decay * 65536)] },
    { fn: 'initWeights', args: [c.seed >>> 0] },
    { fn: 'setEpoch', args: [0] },
    { fn: 'rngSeed', args: [epochDrawSeed(c.seed, 0)] },
  );
  return calls;
}

/** Reads the dumps' i32 words from a linear memory. */
export function readDumps(memory: ArrayBuffer, dumps: DeepDump[]): Map<string, Int32Array> {
  return new Map(dumps.map((d) => [d.name, new Int32Array(memory, d.ptr, d.words).slice()]));
}

/**
 * Trains the run in V8 through DeepEngine (setEpoch(e) before each epoch, the epoch's order, then one
 * evaluate on the training split) and describes the same run as a replay, with the engine's addresses.
 */
export function runDeepInV8(run: DeepRun, wasm?: Uint8Array): DeepReference {
  const engine = new DeepEngine(run.config, undefined, wasm);
  const e = engine.exports;
  const split = engine.loadSplit(run.data);
  const base = align8(e.heapBase());
  const orderBase = align8(split.y + split.n);
  const orderAt = (ep: number): number => orderBase + ep * 4 * run.data.n;
  const trainCorrect: number[] = [];
  for (let ep = 0; ep < run.epochs; ep++) {
    engine.setEpoch(ep);
    trainCorrect.push(engine.trainEpoch(split, run.orders[ep]));
  }
  const evalCorrect = engine.evaluate(split);

  const calls = deepSetupCalls(run.config, base);
  const segments: DeepReplay['segments'] = [
    { name: 'x', at: split.x, bytes: run.data.x },
    { name: 'y', at: split.y, bytes: run.data.y.subarray(0, run.data.n) },
  ];
  for (let ep = 0; ep < run.epochs; ep++) {
    const order = run.orders[ep];
    if (order) segments.push({ name: `order${ep}`, at: orderAt(ep), bytes: new Uint8Array(Int32Array.from(order).buffer) });
    calls.push({ fn: 'setEpoch', args: [ep] }, { fn: 'rngSeed', args: [epochDrawSeed(run.config.seed, ep)] }, { fn: 'trainEpochU8', args: [split.x, split.y, order ? orderAt(ep) : 0, split.n] });
  }
  calls.push({ fn: 'evaluateU8', args: [split.x, split.y, split.n] });
  const nodes = run.config.nodes.length + 1;
  for (let i = 0; i < nodes; i++) for (let r = 0; r < REGION_NAMES.length; r++) calls.push({ fn: 'regionPtr', args: [r, i] });
  calls.push({ fn: 'countersPtr', args: [] }, { fn: 'rngNext', args: [] });

  // The plan, region by region: regions are contiguous from base in node order; KEPT (max units i32) ends it.
  const regions: { name: string; ptr: number }[] = [];
  for (let i = 0; i < nodes; i++) {
    REGION_NAMES.forEach((name, r) => {
      const ptr = e.regionPtr(r, i);
      if (ptr > 0) regions.push({ name: `n${i}.${name}`, ptr });
    });
  }
  regions.sort((a, b) => a.ptr - b.ptr);
  const keptAt = base + engine.planBytes - 4 * Math.max(...engine.units);
  regions.push({ name: 'KEPT', ptr: keptAt });
  if (regions[0].ptr !== base) throw new Error(`deep replay ${run.name}: the plan's first region is at ${regions[0].ptr}, not at its base ${base}`);
  const dumps: DeepDump[] = regions.map((g, k) => ({ name: g.name, ptr: g.ptr, words: ((k + 1 < regions.length ? regions[k + 1].ptr : base + engine.planBytes) - g.ptr) / 4 }));
  dumps.push({ name: 'counters', ptr: e.countersPtr(), words: 2 * COUNTER_SLOTS });

  const end = Math.max(...segments.map((s) => s.at + s.bytes.length), base + engine.planBytes);
  const replay: DeepReplay = { pages: Math.ceil(end / 65536), segments, calls, dumps };
  const weights = new Map(engine.weightNodes.map((i) => [i, engine.weights(i).slice()]));
  const biases = new Map(engine.weightNodes.map((i) => [i, engine.biases(i).slice()]));
  // the reference's own call results come from the replay in a fresh V8 instance (runDeepReplayInV8)
  return { results: [], dumps: readDumps(e.memory.buffer, dumps), trainCorrect, evalCorrect, weights, biases, replay };
}

/** The replay in a fresh V8 instance of the module; env.mtj_sample throws (source 0 never calls it). */
export function runDeepReplayInV8(wasm: Uint8Array, replay: DeepReplay): DeepReplayResult {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(wasm)), {
    env: { mtj_sample: () => { throw new Error('env.mtj_sample was called'); } },
  });
  const e = inst.exports as Record<string, (...a: number[]) => number | undefined> & { memory: WebAssembly.Memory };
  const have = e.memory.buffer.byteLength / 65536;
  if (have < replay.pages) e.memory.grow(replay.pages - have);
  for (const s of replay.segments) new Uint8Array(e.memory.buffer, s.at, s.bytes.length).set(s.bytes);
  const results = replay.calls.map((c) => {
    const r = e[c.fn](...c.args);
    return r === undefined ? null : r;
  });
  return { results, dumps: readDumps(e.memory.buffer, replay.dumps) };
}

/** Index of each call's result in `results` by function name, in call order (e.g. every trainEpochU8). */
export function resultsOf(replay: DeepReplay, result: DeepReplayResult, fn: string): (number | null)[] {
  return replay.calls.flatMap((c, k) => (c.fn === fn ? [result.results[k]] : []));
}
