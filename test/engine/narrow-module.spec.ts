// The narrow-weight modules (issue 16): build/spintrain.w16.wasm and build/spintrain.w8.wasm keep the release
// module's budget (≤ 8 KiB, MVP only, integer only, no memory growth, the one import) and its ABI plus two
// exports naming their format; the memory plan counts 2 (1) bytes per weight; they refuse momentum; training is
// deterministic for a seed (also with device draws, which re-key the rounding generator); weights files
// round-trip them; the same runs give bit-identical weights in V8 and in wabt's spectest interpreter.
import { describe, it, expect } from 'vitest';
import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initWabt from 'wabt';
import { SpintrainEngine, WASM_PATH, readEngineWasm, instantiateEngine, type Draws } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, ConfigError, type NetworkConfig } from '../../host/engine/config.ts';
import { weightFormat, weightModulePath, type WeightBits } from '../../host/engine/weight-format.ts';
import { engineToWeightsFile, applyWeightsFile, checkpointOf, saveCheckpoint } from '../../host/engine/checkpoint.ts';
import { encodeWeights, decodeWeights } from '../../host/io/weights-file.ts';
import { loadModel } from '../../host/engine/saved-model.ts';
import { configureArgs } from '../../host/engine/engine-setup.ts';
import type { BitSource } from '../../host/engine/bit-source.ts';
import { Rng } from '../../host/rng.ts';
import { runInV8, type TrainingRun } from '../harness/runtimes/reference-run.ts';
import { spectestScript, parseSpectestOutput } from '../harness/runtimes/spectest-script.ts';
import { runSpectest } from '../harness/runtimes/spectest-run.ts';
import { runWasm2cReplay, runCortexMReplay } from '../harness/runtimes/wasm2c-replay.ts';
import { skipReason } from '../setup/tool-list.ts';
import { loadIris } from '../../host/data/iris.ts';
import { loadMnist } from '../../host/data/mnist.ts';
import { main } from '../../host/cli.ts';
import { captureOutput } from '../support/capture-output.ts';

const SIZE_BUDGET = 8 * 1024;
const NARROW: WeightBits[] = [16, 8];
const MVP_ONLY = {
  exceptions: false, mutable_globals: false, sat_float_to_int: false, sign_extension: false, simd: false, threads: false,
  function_references: false, multi_value: false, tail_call: false, bulk_memory: false, reference_types: false,
  annotations: false, code_metadata: false, gc: false, memory64: false, extended_const: false, relaxed_simd: false,
};

const net = (bits: WeightBits, extra: Partial<NetworkConfig> = {}): NetworkConfig => ({
  ...defaultNetworkConfig, layout: [4, 8, 3], activation: 'sigmoid', learningRate: 0.5, seed: 9, weightBits: bits, ...extra,
});

const iris = loadIris();

describe.each(NARROW)('%i-bit module', async (bits) => {
  const path = weightModulePath(bits);
  const bytes = readFileSync(path);
  const wabt = await initWabt();

  it(`is at most ${SIZE_BUDGET} bytes, like the release module`, () => {
    expect(statSync(path).size).toBeLessThanOrEqual(SIZE_BUDGET);
  });

  it('validates with every post-MVP feature disabled, has no float instruction and never grows its memory', () => {
    const m = wabt.readWasm(bytes, { readDebugNames: false, ...MVP_ONLY });
    expect(() => m.validate()).not.toThrow();
    const text = m.toText({ foldExprs: false, inlineExport: false });
    m.destroy();
    expect(text).toMatch(/i64\.mul/);
    expect(text).toMatch(bits === 16 ? /i(32|64)\.load16_s/ : /i(32|64)\.load8_s/);
    expect(text).not.toMatch(/\bf(32|64)\b|\bf(32|64)\./);
    expect(text).not.toMatch(/memory\.grow/);
  });

  it('imports only env.mtj_sample and exports the release ABI plus weightBits and weightFracBits', () => {
    const mod = new WebAssembly.Module(bytes);
    const release = new WebAssembly.Module(readFileSync(WASM_PATH));
    expect(WebAssembly.Module.imports(mod)).toEqual(WebAssembly.Module.imports(release));
    const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name).sort();
    expect(names(mod)).toEqual([...names(release), 'weightBits', 'weightFracBits'].sort());
    const e = instantiateEngine(bytes);
    expect([e.weightBits!(), e.weightFracBits!()]).toEqual([bits, weightFormat(bits).fracBits]);
  });

  it('plans 2 (1) bytes per weight, and refuses momentum', () => {
    const plan = (wasm: Uint8Array, layout: number[], momentum = 0): number => {
      const e = instantiateEngine(wasm);
      layout.forEach((n, k) => e.layoutSet(k, n));
      const rc = (e.configure as (...a: number[]) => number)(...configureArgs({ ...net(bits), layout, momentum }, 0));
      return rc < 0 ? rc : e.sizeofTrainingMemory();
    };
    const release = readEngineWasm(WASM_PATH);
    for (const layout of [[784, 24, 10], [5, 7, 3], [6, 5, 4, 3]]) {
      let weights = 0;
      let saved = 0;
      for (let l = 0; l + 1 < layout.length; l++) {
        weights = layout[l] * layout[l + 1];
        saved += 4 * weights - Math.ceil((weights * weightFormat(bits).bytes) / 4) * 4;
      }
      expect(plan(release, layout) - plan(bytes, layout), layout.join('-')).toBe(saved);
    }
    expect(plan(bytes, [4, 8, 3], 0.5)).toBe(-3); // ERR_CONFIG
    expect(() => new SpintrainEngine(net(bits, { momentum: 0.5 }))).toThrow(ConfigError);
  });

  it('the engine refuses a module of another format', () => {
    expect(() => new SpintrainEngine(net(bits), { kind: 'prng' }, readEngineWasm(WASM_PATH))).toThrow(/weightBits: the module stores 32-bit weights, the configuration asks for/);
  });
});

/** Bernoulli(p) bits from a seeded generator (a stand-in device). */
function bitsFrom(seed: number): BitSource {
  const rng = new Rng(seed);
  return { sampleLayer: (_l, p, draws, out) => { for (let i = 0; i < out.length; i++) out[i] = rng.next() * 65536 < p[Math.floor(i / draws)] ? 1 : 0; } };
}

async function trainIris(c: NetworkConfig, draws: Draws = { kind: 'prng' }, epochs = 3): Promise<SpintrainEngine> {
  const e = new SpintrainEngine(c, draws);
  const split = e.loadSplit(iris.train);
  for (let ep = 0; ep < epochs; ep++) {
    e.setEpoch(ep);
    await e.trainEpoch(split);
  }
  return e;
}

describe.each(NARROW)('%i-bit training', (bits) => {
  it('is deterministic for a seed, and another seed gives other weights', async () => {
    const a = await trainIris(net(bits));
    const b = await trainIris(net(bits));
    expect(Array.from(a.weights(0))).toEqual(Array.from(b.weights(0)));
    expect(a.exportParameters()).toEqual(b.exportParameters());
    const c = await trainIris(net(bits, { seed: 10 }));
    expect(Array.from(c.weights(0))).not.toEqual(Array.from(a.weights(0)));
    // it learns: Iris above chance after 3 epochs
    const test = a.loadSplit(iris.test);
    expect(a.evaluate(test) / iris.test.n).toBeGreaterThan(0.6);
  });

  it('pgaf: rows the masks skip draw nothing: one rounding draw per weight updated, counted in the update phase', () => {
    const e = new SpintrainEngine(net(bits, { layout: [6, 40, 4] }));
    const rng = new Rng(2);
    for (let s = 0; s < 20; s++) {
      const before = e.counters();
      const x = Uint8Array.from({ length: 6 }, (_v, i) => (i === 2 ? 0 : 1 + rng.int(255)));
      e.trainSample(x, s % 4);
      const after = e.counters();
      const kept = after.kept[0] - before.kept[0];
      const outRows = Array.from(e.deltas(2)).filter((d) => d !== 0).length;
      const nnzIn = 5;
      // layer 0: kept rows × 5 nonzero inputs; layer 1: output rows × the nonzero hidden activations (sigmoid: all 40)
      expect(after.weightUpdate.draws - before.weightUpdate.draws).toBe(kept * nnzIn + outRows * 40);
      expect(kept).toBeLessThan(40);
    }
  });

  it('with device draws: deterministic for the same draws; other draws re-key the rounding', async () => {
    const a = await trainIris(net(bits), { kind: 'host', source: bitsFrom(4), via: 'import' });
    const b = await trainIris(net(bits), { kind: 'host', source: bitsFrom(4), via: 'import' });
    const buffered = await trainIris(net(bits), { kind: 'host', source: bitsFrom(4), via: 'buffer' });
    expect(b.exportParameters()).toEqual(a.exportParameters());
    expect(buffered.exportParameters()).toEqual(a.exportParameters());
    const other = await trainIris(net(bits), { kind: 'host', source: bitsFrom(5), via: 'import' });
    expect(other.exportParameters()).not.toEqual(a.exportParameters());
  });

  it('saves to a version-2 weights file and loads back bit for bit (eval/predict through loadModel)', async () => {
    const e = await trainIris(net(bits));
    const file = engineToWeightsFile(e, { epoch: 2 });
    const bytes = encodeWeights(file);
    expect(new DataView(bytes.buffer).getUint16(4, true)).toBe(2);
    const decoded = decodeWeights(bytes, 'n.stw');
    const w0 = decoded.tensors.find((t) => t.name === 'W0')!;
    expect([w0.bits, w0.fracBits]).toEqual([bits, weightFormat(bits).fracBits]);
    expect(decoded.tensors.find((t) => t.name === 'B0')).toMatchObject({ bits: 32, fracBits: 24 });
    const cp = checkpointOf(decoded, 'n.stw');
    expect(cp.config.weightBits).toBe(bits);
    const f = new SpintrainEngine(cp.config);
    applyWeightsFile(f, decoded, 'n.stw');
    expect(f.exportParameters()).toEqual(e.exportParameters());
    // the payload holds the weights at their width: smaller than the 32-bit file of the same network
    const wide = encodeWeights(engineToWeightsFile(await trainIris(net(32, { weightBits: undefined }))));
    expect(bytes.length).toBeLessThan(wide.length);
    expect(new DataView(wide.buffer).getUint16(4, true)).toBe(1);
    // a 32-bit engine refuses the narrow tensors (no silent re-rounding)
    expect(() => applyWeightsFile(new SpintrainEngine(net(32, { weightBits: undefined })), decoded, 'n.stw')).toThrow(/tensors\.W0: expected 32-bit Q24 \(the engine's format\), found/);
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-narrow-'));
    await saveCheckpoint(join(dir, 'n.stw'), e, { epoch: 2 });
    const model = await loadModel(join(dir, 'n.stw'));
    expect(model.engine.weightFormat.bits).toBe(bits);
    const x = iris.test.x.subarray(0, 4);
    expect(model.engine.predict(x)).toBe(e.predict(x));
  });
});

describe('spintrain train --weight-bits', () => {
  it('refuses another width and narrow weights with momentum, naming the option (exit 2)', async () => {
    let io = captureOutput();
    expect(await main(['train', '--dataset', 'xor', '--weight-bits', '12'])).toBe(2);
    expect(io.err()).toMatch(/--weight-bits/);
    io = captureOutput();
    expect(await main(['train', '--dataset', 'xor', '--weight-bits', '16', '--momentum', '0.5'])).toBe(2);
    expect(io.err()).toMatch(/--weight-bits.*--momentum 0/);
  });

  it.each(NARROW)('%i-bit: a run resumed from its epoch-3 checkpoint ends bit-identical; --resume keeps the width', async (bits) => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-narrow-cp-'));
    const args = ['train', '--dataset', 'iris', '--hidden', '8', '--lr', '0.1', '--seed', '5', '--json', '--weight-bits', String(bits)];
    captureOutput();
    expect(await main([...args, '--epochs', '6', '--save', join(dir, 'full.stw')])).toBe(0);
    expect(await main([...args, '--epochs', '3', '--checkpoint', join(dir, 'cp.stw')])).toBe(0);
    expect(await main([...args, '--epochs', '6', '--resume', join(dir, 'cp.stw'), '--save', join(dir, 'resumed.stw')])).toBe(0);
    const full = decodeWeights(readFileSync(join(dir, 'full.stw')));
    expect(decodeWeights(readFileSync(join(dir, 'resumed.stw'))).tensors).toEqual(full.tensors);
    expect(full.tensors[0]).toMatchObject({ name: 'W0', bits });
    const io = captureOutput();
    expect(await main(['train', '--dataset', 'iris', '--hidden', '8', '--lr', '0.1', '--seed', '5', '--weight-bits', '32', '--epochs', '6', '--resume', join(dir, 'cp.stw')])).toBe(2);
    expect(io.err()).toContain(`--weight-bits: 32 differs from the checkpoint`);
    // eval through the real command line reads the file with its width
    const ev = captureOutput();
    expect(await main(['eval', '--weights', join(dir, 'full.stw'), '--dataset', 'iris', '--json'])).toBe(0);
    expect(JSON.parse(ev.out()).accuracy).toBeGreaterThan(0.5);
  });

  it('trains XOR with 16-bit weights and reports the format and the plan', async () => {
    const io = captureOutput();
    expect(await main(['train', '--dataset', 'xor', '--weight-bits', '16', '--json'])).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.config.weightBits).toBe(16);
    expect(r.testAccuracy).toBe(1);
    expect(r.ops.weightUpdate.draws).toBeGreaterThan(0); // one rounding draw per weight updated
  });
});

const prngRun = (bits: WeightBits): TrainingRun => ({
  name: `iris20-pgaf-sigmoid-w${bits}`,
  network: { ...net(bits), layout: [4, 8, 3], learningRate: [0.25, 0.5], decay: 0.5 },
  data: { x: iris.train.x.subarray(0, 80), y: iris.train.y.subarray(0, 20), n: 20 },
  epochs: 3, draws: 'prng', halSeed: 0,
});

// 12 samples: with 16- or 8-bit weights the run fits the module's one page (the bare-metal runtime cannot grow it)
const mnist = loadMnist({ trainLimit: 12, testLimit: 1 });
const mnistRun = (bits: WeightBits): TrainingRun => ({
  name: `mnist12-pgaf-sigmoid-w${bits}`,
  network: { ...net(bits), layout: [784, 16, 10], learningRate: [0.01, 0.1], seed: 3 },
  data: { x: mnist.train.x.subarray(0, 12 * 784), y: mnist.train.y.subarray(0, 12), n: 12 },
  epochs: 3, draws: 'prng', halSeed: 0,
});

describe.skipIf(skipReason(['spectestInterp']))(`spectest-interp ${skipReason(['spectestInterp']) || ''}`, () => {
  it.each(NARROW.flatMap((b) => [[b, 'iris'], [b, 'mnist']] as const))('%i-bit %s: bit-identical weights to V8', async (bits, data) => {
    const run = data === 'iris' ? prngRun(bits) : mnistRun(bits);
    const wasm = readFileSync(weightModulePath(bits));
    const want = await runInV8(run, wasm);
    const s = spectestScript(wasm, run);
    const { stdout } = runSpectest(s.wast, join(mkdtempSync(join(tmpdir(), 'spintrain-spectest-')), 'out'), run.name);
    const got = parseSpectestOutput(stdout, s, run.network.layout);
    expect(got.parameters.weights.map((w) => Array.from(w))).toEqual(want.parameters.weights.map((w) => Array.from(w)));
    expect(got.parameters.biases.map((w) => Array.from(w))).toEqual(want.parameters.biases.map((w) => Array.from(w)));
    expect(got.correctPerEpoch).toEqual(want.correctPerEpoch);
  });
});

describe.skipIf(skipReason(['wasm2c', 'cc', 'wasmRtImpl']))(`wasm2c native ${skipReason(['wasm2c', 'cc', 'wasmRtImpl']) || ''}`, () => {
  // the release module too, as the control that the replay harness reproduces V8 at all
  it.each(([32, ...NARROW] as WeightBits[]).flatMap((b) => [[b, 'iris'], [b, 'mnist']] as const))('%i-bit %s: bit-identical weights to V8', async (bits: WeightBits, data) => {
    const narrowRun = data === 'iris' ? prngRun(bits === 32 ? 16 : bits) : mnistRun(bits === 32 ? 16 : bits);
    const run = bits === 32 ? { ...narrowRun, name: narrowRun.name.replace('w16', 'w32'), network: { ...narrowRun.network, weightBits: undefined } } : narrowRun;
    const wasm = readFileSync(weightModulePath(bits));
    const want = await runInV8(run, wasm);
    const got = runWasm2cReplay(wasm, run, join(mkdtempSync(join(tmpdir(), 'spintrain-w2c-')), run.name));
    expect(got.parameters.weights.map((w) => Array.from(w))).toEqual(want.parameters.weights.map((w) => Array.from(w)));
    expect(got.parameters.biases.map((w) => Array.from(w))).toEqual(want.parameters.biases.map((w) => Array.from(w)));
    expect(got.correctPerEpoch).toEqual(want.correctPerEpoch);
  }, 120_000);
});

const CORTEX_M = ['armGcc', 'armNewlib', 'qemuArm'] as const;
describe.skipIf(skipReason([...CORTEX_M]))(`Cortex-M3 (QEMU mps2-an385, wasm2c bare metal) ${skipReason([...CORTEX_M]) || ''}`, () => {
  it.each(NARROW.flatMap((b) => [[b, 'iris'], [b, 'mnist']] as const))('%i-bit %s: bit-identical weights to V8', async (bits: WeightBits, data) => {
    const run = data === 'iris' ? prngRun(bits) : mnistRun(bits);
    const wasm = readFileSync(weightModulePath(bits));
    const want = await runInV8(run, wasm);
    const got = runCortexMReplay(wasm, run, join(mkdtempSync(join(tmpdir(), 'spintrain-m3-')), run.name));
    expect(got.parameters.weights.map((w) => Array.from(w))).toEqual(want.parameters.weights.map((w) => Array.from(w)));
    expect(got.parameters.biases.map((w) => Array.from(w))).toEqual(want.parameters.biases.map((w) => Array.from(w)));
    expect(got.correctPerEpoch).toEqual(want.correctPerEpoch);
  }, 180_000);
});
