// Proof that the trainer runs outside V8: the board module validates as WebAssembly MVP with wabt,
// has no floating point, imports only env.mtj_sample, and the same training runs give bit-identical
// weights in V8, in wabt's spectest-interp and natively through wasm2c + the board glue (simulated MTJ HAL).
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEngineWasm, type Parameters } from '../../host/engine/wasm-engine.ts';
import { checkModule, DOCUMENTED_IMPORTS } from '../harness/runtimes/module-checks.ts';
import { runInV8, type RunResult, type TrainingRun } from '../harness/runtimes/reference-run.ts';
import { compileNativeObjects, linkNative, runNative, type NativeObjects } from '../harness/runtimes/wasm2c-native.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { encodeTrainingStream } from '../../host/deploy/serial-stream.ts';
import { spectestScript, parseSpectestOutput } from '../harness/runtimes/spectest-script.ts';
import { runSpectest } from '../harness/runtimes/spectest-run.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { systemCommand } from '../harness/runtimes/system-command.ts';
import { skipReason } from '../setup/tool-list.ts';
import { edgeRuns, edgeTestModule } from './runs.ts';

const OUT = fileURLToPath(new URL('../../build/test-deploy/', import.meta.url));
const runs = edgeRuns();
let boardWasm: Uint8Array;
let boardWasmPath: string;
const reference = new Map<string, RunResult>();

function expectSameParameters(got: Parameters, want: Parameters): void {
  expect(got.weights.length).toBe(want.weights.length);
  want.weights.forEach((w, l) => {
    expect(Array.from(got.weights[l]), `W${l}`).toEqual(Array.from(w));
    expect(Array.from(got.biases[l]), `B${l}`).toEqual(Array.from(want.biases[l]));
  });
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  boardWasm = await edgeTestModule(runs);
  boardWasmPath = join(OUT, 'board.wasm');
  writeFileSync(boardWasmPath, boardWasm);
  for (const run of runs) reference.set(run.name, await runInV8(run));
});

describe('board module in V8', () => {
  it.each(runs.map((r) => [r.name, r] as const))('%s: same weights as the release module', async (_n, run) => {
    const board = await runInV8(run, boardWasm);
    const release = await runInV8(run, readEngineWasm());
    expectSameParameters(board.parameters, release.parameters);
    expect(board.correctPerEpoch).toEqual(release.correctPerEpoch);
  });
});

describe.skipIf(skipReason(['wasmValidate', 'wasmObjdump']))(`wabt checks ${skipReason(['wasmValidate', 'wasmObjdump']) || ''}`, () => {
  it('validates with every post-MVP feature disabled, has no float or memory.grow, imports only the ABI', () => {
    for (const path of [boardWasmPath, fileURLToPath(new URL('../../build/spintrain.wasm', import.meta.url))]) {
      const r = checkModule(path);
      expect(r.mvpValid, r.validateOutput).toBe(true);
      expect(r.floatUses).toEqual([]);
      expect(r.growUses).toEqual([]);
      expect(r.imports).toEqual(DOCUMENTED_IMPORTS);
    }
  });

  it('the checks do catch a float instruction, a post-MVP feature and a foreign import (negative control)', () => {
    const wat = join(OUT, 'bad.wat');
    writeFileSync(wat, '(module (import "wasi" "fd_write" (func (param i32))) (func (export "f") (param f32) (result f32) (f32.add (local.get 0) (local.get 0))) (func (export "g") (param i32) (result i32) (i32.extend8_s (local.get 0))))');
    runTool(systemCommand('wat2wasm'), [wat, '-o', join(OUT, 'bad.wasm')]);
    const r = checkModule(join(OUT, 'bad.wasm'));
    expect(r.mvpValid).toBe(false);
    expect(r.floatUses.length).toBeGreaterThan(0);
    expect(r.imports).toEqual(['wasi.fd_write (i32) -> nil']);
  });
});

describe.skipIf(skipReason(['wasm2c', 'cc', 'wasmRtImpl']))(`wasm2c native ${skipReason(['wasm2c', 'cc', 'wasmRtImpl']) || ''}`, () => {
  let objs: NativeObjects;
  beforeAll(() => {
    objs = compileNativeObjects(boardWasm, join(OUT, 'native'));
  });

  it.each(runs.map((r) => [r.name, r] as const))('%s: bit-identical weights to V8', (_n, run) => {
    const exe = linkNative(objs, cConfigHeader({ network: run.network, draws: run.draws === 'prng' ? 'prng' : 'import', linearMemoryLimit: 65536 * 16 }, run.name), run.name);
    const got = runNative(exe, encodeTrainingStream(run.data, run.network.layout[0], run.epochs), run.network.layout, ['--hal-seed', String(run.halSeed)]);
    const want = reference.get(run.name)!;
    expect(got.runtime).toBe('wasm2c');
    expectSameParameters(got.parameters, want.parameters);
    expect(got.epochs.map((e) => e.correct)).toEqual(want.correctPerEpoch);
  });
});

const prngRuns = runs.filter((r) => r.draws === 'prng');
describe.skipIf(skipReason(['spectestInterp']))(`spectest-interp ${skipReason(['spectestInterp']) || ''}`, () => {
  it.each(prngRuns.map((r) => [r.name, r] as const))('%s: bit-identical weights to V8', (_n, run: TrainingRun) => {
    const script = spectestScript(boardWasm, run);
    const { stdout } = runSpectest(script.wast, join(OUT, 'spectest'), run.name);
    const got = parseSpectestOutput(stdout, script, run.network.layout);
    const want = reference.get(run.name)!;
    expectSameParameters(got.parameters, want.parameters);
    expect(got.correctPerEpoch).toEqual(want.correctPerEpoch);
  });
});
