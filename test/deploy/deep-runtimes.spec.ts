// Proof that the deep module (build/spintrain.deep.wasm) trains outside V8 bit for bit: short CNN runs
// (test/harness/runtimes/deep-runs.ts: skips, both pool kinds, strides 1 and 2; bp, pgaf, and the sparse-backprop
// baselines topk, random and adaptive, drawing from the module's own generator) give the same call results (node indices, plan size, correct counts of every
// trainEpochU8 and the final evaluateU8, region addresses, the generator's last draw), the same whole
// memory plan (weights, biases, activations, pre-activations, deltas, draw probabilities, draws, masks)
// and the same counters (topk's and adaptive's selection comparisons included) in V8 through DeepEngine, in wabt's spectest-interp and natively through wasm2c.
// env.mtj_sample traps in every runtime: finishing proves the runs never call it.
// The module's static checks (MVP, no float, no memory.grow, the import, the size): test/engine/deep-module.spec.ts.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeepEngine, readDeepWasm } from '../../host/engine/deep-engine.ts';
import { DEEP_ALGORITHMS, sparsityQ16 } from '../../host/engine/deep-config.ts';
import { deepRuns, type DeepRun } from '../harness/runtimes/deep-runs.ts';
import { runDeepInV8, runDeepReplayInV8, resultsOf, type DeepReference, type DeepReplay, type DeepReplayResult } from '../harness/runtimes/deep-replay.ts';
import { deepSpectestScript, parseDeepSpectest } from '../harness/runtimes/deep-spectest.ts';
import { runSpectest } from '../harness/runtimes/spectest-run.ts';
import { compileDeepWasm2c, runDeepWasm2c, type DeepNativeObjects } from '../harness/runtimes/deep-wasm2c.ts';
import { skipReason } from '../setup/tool-list.ts';

const OUT = fileURLToPath(new URL('../../build/test-deploy/deep/', import.meta.url));
const runs = deepRuns();
const byName = new Map(runs.map((r) => [r.name, r]));
let wasm: Uint8Array;
/** Per run: DeepEngine's run, and its replay in a fresh V8 instance (every call's result). */
const reference = new Map<string, { engine: DeepReference; v8: DeepReplayResult }>();

/** Each call as `fn(args) => result`, so that a difference names the call. */
const callLines = (replay: DeepReplay, r: DeepReplayResult): string[] => replay.calls.map((c, k) => `${k} ${c.fn}(${c.args.join(', ')}) => ${r.results[k]}`);

function expectSameRun(got: DeepReplayResult, want: DeepReplayResult, replay: DeepReplay): void {
  expect(callLines(replay, got)).toEqual(callLines(replay, want));
  expect([...got.dumps.keys()]).toEqual([...want.dumps.keys()]);
  for (const [name, words] of want.dumps) expect(Array.from(got.dumps.get(name)!), name).toEqual(Array.from(words));
}

/**
 * Negative control: the pgaf run's setup with bit source 1 (env.mtj_sample) and one training sample: the
 * first hidden node's draws call the import, whose stub traps in every runtime.
 */
function importCallingReplay(): DeepReplay {
  const run = runs.find((r) => r.config.algorithm === 'pgaf')!;
  const r = reference.get(run.name)!.engine.replay;
  const calls = r.calls.slice(0, r.calls.findIndex((c) => c.fn === 'trainEpochU8') + 1).map((c) =>
    c.fn === 'configure' ? { ...c, args: [c.args[0], c.args[1], 1, c.args[3], c.args[4]] } : c.fn === 'trainEpochU8' ? { ...c, args: [c.args[0], c.args[1], 0, 1] } : c);
  return { ...r, calls, dumps: [] };
}

beforeAll(() => {
  wasm = readDeepWasm();
  for (const run of runs) {
    const engine = runDeepInV8(run, wasm);
    reference.set(run.name, { engine, v8: runDeepReplayInV8(wasm, engine.replay) });
  }
});

const each = runs.map((r) => [r.name] as const);

describe('deep module in V8', () => {
  it.each(each)('%s: the replay is DeepEngine’s run (same plan, counters and correct counts)', (name) => {
    const { engine, v8 } = reference.get(name)!;
    const replay = engine.replay;
    const run = byName.get(name)!;
    // every setup call succeeded, and the node calls returned the node indices 1..L
    const setupEnd = replay.calls.findIndex((c) => c.fn === 'trainEpochU8');
    for (let k = 0; k < setupEnd; k++) if (v8.results[k] !== null) expect(v8.results[k], callLines(replay, v8)[k]).toBeGreaterThanOrEqual(0);
    const adds = replay.calls.flatMap((c, k) => (c.fn.startsWith('add') ? [v8.results[k]] : []));
    expect(adds).toEqual(run.config.nodes.map((_, i) => i + 1));
    expect(resultsOf(replay, v8, 'trainEpochU8')).toEqual(engine.trainCorrect);
    expect(resultsOf(replay, v8, 'evaluateU8')).toEqual([engine.evalCorrect]);
    expect([...v8.dumps.keys()]).toEqual([...engine.dumps.keys()]);
    for (const [dump, words] of engine.dumps) expect(Array.from(v8.dumps.get(dump)!), dump).toEqual(Array.from(words));
    // the dumps hold DeepEngine's own view of the weights and biases
    for (const [node, w] of engine.weights) {
      expect(Array.from(v8.dumps.get(`n${node}.W`)!), `W of node ${node}`).toEqual(Array.from(w));
      expect(Array.from(v8.dumps.get(`n${node}.B`)!), `B of node ${node}`).toEqual(Array.from(engine.biases.get(node)!));
    }
  });

  it('the runs cover every algorithm of the deep module', () => {
    expect(new Set(runs.map((r) => r.config.algorithm))).toEqual(new Set(DEEP_ALGORITHMS));
  });

  it.each(each)('%s: the replay configures the algorithm and its knob as DeepEngine does', (name) => {
    const { engine, v8 } = reference.get(name)!;
    const run = byName.get(name)!;
    const replay = engine.replay;
    const at = (fn: string): number => replay.calls.findIndex((c) => c.fn === fn);
    expect(replay.calls[at('configure')].args[1]).toBe(DEEP_ALGORITHMS.indexOf(run.config.algorithm));
    const knob = sparsityQ16(run.config);
    if (knob) {
      expect(at('setSparsity')).toBe(at('configure') + 1);
      expect(replay.calls[at('setSparsity')].args).toEqual(knob);
      expect(v8.results[at('setSparsity')]).toBe(0);
    } else expect(at('setSparsity')).toBe(-1);
  });

  it.each(each)('%s: the run trains (every weight node moved) and every algorithm but bp leaves units out', (name) => {
    const run: DeepRun = byName.get(name)!;
    const { engine } = reference.get(name)!;
    const untrained = new DeepEngine(run.config, undefined, wasm);
    for (const node of engine.weights.keys()) {
      expect(Array.from(engine.weights.get(node)!), `W of node ${node}`).not.toEqual(Array.from(untrained.weights(node)));
    }
    const counters = engine.dumps.get('counters')!; // i64 slots as (low, high) i32 words; slot 16 kept, 20 seen
    const kept = counters[32];
    const seen = counters[40];
    const compares = counters[34]; // slot 17: the selection's comparisons (topk, adaptive)
    expect(seen).toBeGreaterThan(0);
    if (run.config.algorithm === 'bp') expect(kept).toBe(seen);
    else expect(kept).toBeLessThan(seen);
    if (run.config.algorithm === 'topk' || run.config.algorithm === 'adaptive') expect(compares).toBeGreaterThan(0);
    else expect(compares).toBe(0);
    expect(engine.trainCorrect.length).toBe(run.epochs);
  });
});

describe.skipIf(skipReason(['spectestInterp']))(`deep module in spectest-interp ${skipReason(['spectestInterp']) || ''}`, () => {
  it.each(each)('%s: bit-identical to V8', (name) => {
    const { engine, v8 } = reference.get(name)!;
    const { stdout } = runSpectest(deepSpectestScript(wasm, engine.replay, name), join(OUT, 'spectest'), name);
    expectSameRun(parseDeepSpectest(stdout, engine.replay), v8, engine.replay);
  });

  it('a run that calls env.mtj_sample traps in the host stub (negative control)', () => {
    expect(() => runSpectest(deepSpectestScript(wasm, importCallingReplay(), 'calls-import'), join(OUT, 'spectest'), 'calls-import')).toThrow(/unreachable/);
  });
});

describe.skipIf(skipReason(['wasm2c', 'cc', 'wasmRtImpl']))(`deep module natively through wasm2c ${skipReason(['wasm2c', 'cc', 'wasmRtImpl']) || ''}`, () => {
  let objs: DeepNativeObjects;
  beforeAll(() => {
    objs = compileDeepWasm2c(wasm, join(OUT, 'native'));
  });

  it.each(each)('%s: bit-identical to V8', (name) => {
    const { engine, v8 } = reference.get(name)!;
    expectSameRun(runDeepWasm2c(objs, engine.replay, name), v8, engine.replay);
  });

  it('a run that calls env.mtj_sample traps in the C stub (negative control)', () => {
    expect(() => runDeepWasm2c(objs, importCallingReplay(), 'calls-import')).toThrow(/exited with 3[\s\S]*TRAP/);
  });
});
