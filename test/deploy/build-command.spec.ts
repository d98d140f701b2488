// `spintrain build`: outputs for a WebAssembly board, refusals with clear errors and nothing
// overwritten, and the board glue (syntax-checked against the runtimes' documented APIs; its weights
// reader run natively against good, truncated and tampered files).
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCommand } from '../../host/commands/build.ts';
import { buildForBoard } from '../../host/deploy/build-board.ts';
import { decodeWeights } from '../../host/io/weights-file.ts';
import { checkModule, DOCUMENTED_IMPORTS } from '../harness/runtimes/module-checks.ts';
import { readJsonSection } from '../../host/deploy/wasm-sections.ts';
import { BUILD_SECTION, measureTrainingMemory } from '../../host/deploy/board-module.ts';
import { LayoutTooLargeError, ModuleMismatchError, UnknownBoardError, BoardCannotHostWasmError } from '../../host/deploy/errors.ts';
import { WeightsFileError } from '../../host/io/errors.ts';
import { findBoard } from '../../boards/index.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { compileNativeObjects, linkNative, runNative } from '../harness/runtimes/wasm2c-native.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { encodeTrainingStream } from '../../host/deploy/serial-stream.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { applyWeightsFile, configOf } from '../../host/engine/checkpoint.ts';
import { loadXor } from '../../host/data/xor.ts';
import { skipReason } from '../setup/tool-list.ts';

const OUT = fileURLToPath(new URL('../../build/test-build-command/', import.meta.url));
const NANO = join(OUT, 'nano');
const LAYOUT = [2, 8, 2];
const args = (...extra: string[]) => ['--board', 'nano33ble', '--layout', LAYOUT.join(','), '--algo', 'pgaf', '--lr', '1', '--seed', '9', ...extra];

/** Runs buildCommand and captures stderr. */
async function build(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const orig = console.error;
  const origLog = console.log;
  console.error = (...a: unknown[]) => void (err += a.join(' ') + '\n');
  console.log = () => {};
  try {
    return { code: await buildCommand(argv), err };
  } finally {
    console.error = orig;
    console.log = origLog;
  }
}

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const r = await build([...args('--out', NANO)]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
}, 120_000);

describe('spintrain build --board nano33ble', () => {
  it('writes the module, weights, C headers, glue and a manifest', () => {
    for (const f of ['spintrain.wasm', 'weights.stw', 'build.json', 'spintrain/spintrain.ino', 'spintrain/st_port_arduino.cpp', 'spintrain/src/generated/spintrain_module.h',
      'spintrain/src/generated/spintrain_weights.h', 'spintrain/src/generated/spintrain_config.h', 'spintrain/src/generated/spintrain_board.h',
      'spintrain/src/portable/st_session.c', 'spintrain/src/hal/st_hal_gpio.c', 'spintrain/src/runtime/st_wasm3.c',
      // what a board user installs instead of the sketch (checked in build-package.spec.ts)
      'platformio/platformio.ini', 'platformio/src/main.cpp', 'arduino-library/spintrain/library.properties', 'arduino-library/spintrain/examples/nrf52840-nano33ble/nrf52840-nano33ble.ino']) {
      expect(existsSync(join(NANO, f)), f).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(NANO, 'build.json'), 'utf8'));
    expect(manifest).toMatchObject({ board: 'nrf52840-nano33ble', runtime: 'wasm3', layout: LAYOUT, module: { lowMemoryLimit: 49152 } });
    expect(manifest.memory.linearBytes).toBeLessThanOrEqual(manifest.memory.budgetBytes);
  });

  it('builds the module below 64 KiB: --lowMemoryLimit, one fixed page, a build record', () => {
    const wasm = new Uint8Array(readFileSync(join(NANO, 'spintrain.wasm')));
    const mem = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).find((e) => e.kind === 'memory');
    expect(mem).toBeDefined();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { mtj_sample: () => {} } });
    const memory = instance.exports.memory as WebAssembly.Memory;
    expect(memory.buffer.byteLength).toBe(65536);
    expect(() => memory.grow(1)).toThrow(); // maximum = minimum = 1 page
    expect(readJsonSection(wasm, BUILD_SECTION)).toMatchObject({ board: 'nrf52840-nano33ble', layout: LAYOUT, pages: 1, budgetBytes: 49152 });
    const header = readFileSync(join(NANO, 'spintrain/src/generated/spintrain_module.h'), 'utf8');
    expect(header).toContain(`spintrain_module_len = ${wasm.length}u`);
    expect(header).toContain('0x00, 0x61, 0x73, 0x6d');
  });

  it('writes the seeded initial weights in the project format, for the layout', () => {
    const w = decodeWeights(readFileSync(join(NANO, 'weights.stw')), 'weights.stw');
    expect(w.layout).toEqual(LAYOUT);
    expect(w.tensors.map((t) => t.name)).toEqual(['W0', 'B0', 'W1', 'B1']);
    const engine = new SpintrainEngine(configOf(w, 'weights.stw'));
    expect(Array.from(w.tensors[0].data)).toEqual(Array.from(engine.weights(0)));
  });

  it.skipIf(skipReason(['wasmValidate', 'wasmObjdump']))('module: MVP only, integer only, documented import', () => {
    const r = checkModule(join(NANO, 'spintrain.wasm'));
    expect(r.mvpValid, r.validateOutput).toBe(true);
    expect(r.floatUses).toEqual([]);
    expect(r.imports).toEqual(DOCUMENTED_IMPORTS);
  });

  it.skipIf(skipReason(['cc']))('glue type-checks against wasm3 / WAMR / Arduino declarations (C and C++)', async () => {
    const decl = `-I${glue('api-decl')}`;
    const src = join(NANO, 'spintrain/src');
    const cfiles = [
      'app/st_app.c', 'portable/st_session.c', 'portable/st_protocol.c', 'portable/st_frame.c', 'portable/st_crc16.c', 'portable/st_weights.c', 'portable/st_mtj.c', 'portable/st_engine.c',
      'portable/st_errors.c', 'hal/st_hal_gpio.c', 'runtime/st_wasm3.c',
    ];
    runTool('cc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', decl, ...cfiles.map((f) => join(src, f))]);
    runTool('c++', ['-std=c++17', '-Wall', '-fsyntax-only', decl, '-x', 'c++', join(NANO, 'spintrain/st_port_arduino.cpp')]);
    runTool('c++', ['-std=c++17', '-fsyntax-only', decl, '-include', 'Arduino.h', '-x', 'c++', join(NANO, 'spintrain/spintrain.ino')]);
    // Teensy 4.1 runs wasm3 too (WAMR has no Teensyduino platform layer); the WAMR variant: wamr-pool.spec.ts.
    const teensy = join(OUT, 'teensy41');
    // --out ending in / (the README's example): build.json names its files whole (it once listed "eights.stw")
    expect((await build(['--board', 'teensy41', '--out', `${teensy}/`, '--layout', '16,8,4'])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(teensy, 'build.json'), 'utf8'));
    expect(manifest.runtime).toBe('wasm3');
    expect(manifest.files).toEqual(expect.arrayContaining(['spintrain.wasm', 'weights.stw', 'spintrain/spintrain.ino']));
    const tSrc = join(teensy, 'spintrain/src');
    expect(readFileSync(join(tSrc, 'generated/spintrain_board.h'), 'utf8')).toContain('#define ST_RUNTIME_WASM3 1');
    runTool('cc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', decl, join(tSrc, 'app/st_app.c'), join(tSrc, 'runtime/st_wasm3.c'), join(tSrc, 'hal/st_hal_gpio.c')]);
  });
});

describe.skipIf(skipReason(['cc']))('the sketch without a host', () => {
  it('runs standalone after a bounded wait when no host ever opens the USB port', () => {
    // spintrain.ino's setup() against a stand-in Arduino core whose Serial never connects (native/st_native_arduino.cpp)
    const exe = join(OUT, 'ino-no-host');
    runTool('c++', ['-std=c++17', '-Wall', `-I${glue('api-decl')}`, '-include', 'Arduino.h', '-x', 'c++', join(NANO, 'spintrain/spintrain.ino'), '-x', 'c++', glue('native/st_native_arduino.cpp'), '-o', exe]);
    const r = runTool(exe, [], { timeoutMs: 10_000 });
    const m = /^setup returned at (\d+) ms, port begun 1, app set up 1$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(2000);
    expect(Number(m![1])).toBeLessThanOrEqual(2002);
  });
});

describe('spintrain build refuses bad input, writing nothing', () => {
  const sentinel = () => readFileSync(join(NANO, 'build.json'), 'utf8');

  it('a layout that does not fit: bytes needed (from the engine) and bytes the board has', async () => {
    const before = sentinel();
    const r = await build(['--board', 'nano33ble', '--layout', '784,64,10', '--out', NANO]);
    expect(r.code).toBe(2);
    const wasm = new Uint8Array(readFileSync(join(NANO, 'spintrain.wasm')));
    const need = measureTrainingMemory(wasm, { layout: [784, 64, 10], activation: 'sigmoid', output: 'softmax', algorithm: 'pgaf', momentum: 0, reluSampled: false });
    expect(r.err).toContain(`needs ${need.linearBytes} bytes`);
    expect(r.err).toContain(`training plan ${need.planBytes} bytes from sizeofTrainingMemory()`);
    expect(r.err).toContain('the board has 49152 bytes for WebAssembly linear memory (of 262144 bytes of RAM)');
    expect(sentinel()).toBe(before);
    await expect(buildForBoard({ board: 'nano33ble', outDir: NANO, network: { layout: [784, 64, 10] } })).rejects.toBeInstanceOf(LayoutTooLargeError);
  });

  it('an unknown board, and the Uno that cannot host a runtime', async () => {
    const r = await build(['--board', 'esp8266', '--out', join(OUT, 'never')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown board "esp8266": known boards are arduino-uno, arduino-uno-spintrain, esp32-devkitc, nrf52840-nano33ble, rp2040-pico, teensy41');
    await expect(buildForBoard({ board: 'uno', outDir: join(OUT, 'never') })).rejects.toBeInstanceOf(BoardCannotHostWasmError);
    await expect(buildForBoard({ board: 'esp8266', outDir: join(OUT, 'never') })).rejects.toBeInstanceOf(UnknownBoardError);
    expect((await build(['--board', 'arduino-uno', '--out', join(OUT, 'never')])).err).toContain('cannot host a WebAssembly runtime');
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  });

  it('a truncated or tampered weights file: exit 1 naming the file and the field', async () => {
    const before = sentinel();
    const good = readFileSync(join(NANO, 'weights.stw'));
    writeFileSync(join(OUT, 'truncated.stw'), good.subarray(0, good.length - 9));
    const tampered = Buffer.from(good);
    tampered[tampered.length - 12] ^= 0x40;
    writeFileSync(join(OUT, 'tampered.stw'), tampered);
    const t = await build([...args('--out', NANO, '--weights', join(OUT, 'truncated.stw'))]);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/truncated\.stw: length: truncated/);
    const m = await build([...args('--out', NANO, '--weights', join(OUT, 'tampered.stw'))]);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/tampered\.stw: checksum: .*corrupt or was modified/);
    await expect(buildForBoard({ board: 'nano33ble', outDir: NANO, weightsFile: join(OUT, 'tampered.stw') })).rejects.toBeInstanceOf(WeightsFileError);
    expect(sentinel()).toBe(before);
  });

  it('a module built for another layout or board: exit 1 naming the file and the field', async () => {
    const before = sentinel();
    const r = await build(['--board', 'nano33ble', '--layout', '4,8,3', '--out', NANO, '--wasm', join(NANO, 'spintrain.wasm')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('spintrain.wasm: layout: the module was built for layout 2-8-2, not 4-8-3');
    await expect(buildForBoard({ board: 'pico', outDir: NANO, network: { layout: LAYOUT }, wasmFile: join(NANO, 'spintrain.wasm') })).rejects.toBeInstanceOf(ModuleMismatchError);
    expect(sentinel()).toBe(before);
  });

  it('a weights file whose layout differs from --layout', async () => {
    const r = await build(['--board', 'nano33ble', '--layout', '4,8,3', '--out', NANO, '--weights', join(NANO, 'weights.stw')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--layout: [4,8,3] differs from the weights file ${join(NANO, 'weights.stw')} ([2,8,2])`);
  });
});

describe('spintrain build: option errors exit 2 naming the option, file errors exit 1 naming the file (issue 11)', () => {
  it.each([
    [['--layout', '4'], '--layout: expected inputs, 1 to 4 hidden widths and outputs (3 to 6 widths), got 1 ("4")'],
    [['--layout', ''], '--layout[0]: expected an integer in 1..8192, got ""'],
    [['--layout', '2,8,1'], '--layout: a softmax output needs at least 2 classes'],
    [['--lr', '1e-7'], "--lr[0]: 1e-7 rounds to 0 in the engine's Q16 fixed point; expected at least 2^-17"],
    [['--momentum', '1e-9'], "--momentum: 1e-9 rounds to 0 in the engine's Q16 fixed point; expected 0 or at least 2^-17"],
    [['--delta-clip', '1e-9'], "--delta-clip: 1e-9 rounds to 0 in the engine's Q24 fixed point"],
    [['--pair-step', '0.1'], '--pair-step: only applies with --algo pair'],
    [['--seed', '1', '--seed', '2'], '--seed: given more than once'],
    [['--draws', ''], '--draws: expected one of mtj, prng, got ""'],
    [['--wasm', ''], '--wasm: expected a path, got ""'],
    [['--relu-sampled=yes'], '--relu-sampled: is a flag and takes no value'],
  ])('%j → exit 2: %s', async (extra, message) => {
    const r = await build(['--board', 'nano33ble', '--out', join(OUT, 'never'), ...extra]);
    expect(r.err).toContain(`spintrain build: ${message}`);
    expect(r.code).toBe(2);
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  });

  it('an unknown board or one without a runtime names --board', async () => {
    expect((await build(['--board', 'esp8266', '--out', join(OUT, 'never')])).err).toContain('spintrain build: --board: unknown board "esp8266"');
    expect((await build(['--board', 'arduino-uno', '--out', join(OUT, 'never')])).err).toContain('spintrain build: --board: board arduino-uno cannot host');
  });

  it.each([
    ['--weights', 'missing.stw', 'missing.stw: file: no such file'],
    ['--wasm', 'missing.wasm', 'missing.wasm: file: no such file'],
    ['--calibration', 'missing.json', 'missing.json'],
  ])('a missing %s file → exit 1 naming it', async (option, name, message) => {
    const r = await build([...args('--out', join(OUT, 'never'), option, join(OUT, name))]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(OUT, message));
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  });

  it('a network option that differs from the --weights file is refused, naming it; the same value is accepted', async () => {
    const weights = join(NANO, 'weights.stw');
    const r = await build(['--board', 'nano33ble', '--out', join(OUT, 'never'), '--weights', weights, '--lr', '0.5']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`spintrain build: --lr: [0.5,0.5] differs from the weights file ${weights} ([1,1])`);
    const same = await build(['--board', 'nano33ble', '--out', join(OUT, 'same'), '--weights', weights, '--lr', '1', '--seed', '9']);
    expect(same.err).toBe('');
    expect(same.code).toBe(0);
  });

  it('--wasm FILE works while the command line itself holds --wasm (the compiler read it from process.argv)', async () => {
    const saved = process.argv;
    process.argv = [...saved, '--wasm', join(NANO, 'spintrain.wasm')];
    try {
      const { loadAsc } = await import('../../host/deploy/load-asc.ts');
      expect(typeof (await loadAsc()).default.main).toBe('function');
      expect(process.argv.slice(-2)).toEqual(['--wasm', join(NANO, 'spintrain.wasm')]);
      const r = await build([...args('--out', join(OUT, 'reused'), '--wasm', join(NANO, 'spintrain.wasm'))]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(readFileSync(join(OUT, 'reused', 'spintrain.wasm'))).toEqual(readFileSync(join(NANO, 'spintrain.wasm')));
    } finally {
      process.argv = saved;
    }
  });
});

describe.skipIf(skipReason(['wasm2c', 'cc', 'wasmRtImpl']))(`board glue weights reader, native ${skipReason(['wasm2c', 'cc', 'wasmRtImpl']) || ''}`, () => {
  let exe: string;
  let network: ReturnType<typeof configOf>;
  const xor = loadXor();
  beforeAll(() => {
    const wasm = new Uint8Array(readFileSync(join(NANO, 'spintrain.wasm')));
    network = configOf(decodeWeights(readFileSync(join(NANO, 'weights.stw'))), 'weights.stw');
    const objs = compileNativeObjects(wasm, join(OUT, 'native'));
    exe = linkNative(objs, cConfigHeader({ network, draws: 'prng', linearMemoryLimit: findBoard('nano33ble').runtime.kind === 'wasm3' ? 49152 : 0 }, 'build-command test'), 'nano');
  });

  it('loads trained weights and continues training exactly as V8 does', async () => {
    // Train 3 epochs in V8, save as a weights file, then 2 more epochs in V8 and natively from that file.
    const engine = new SpintrainEngine(network);
    const split = engine.loadSplit(xor.train);
    for (let e = 0; e < 3; e++) {
      engine.setEpoch(e);
      await engine.trainEpoch(split);
    }
    const { engineToWeightsFile } = await import('../../host/engine/checkpoint.ts');
    const { encodeWeights } = await import('../../host/io/weights-file.ts');
    const file = join(OUT, 'trained.stw');
    const weights = engineToWeightsFile(engine);
    writeFileSync(file, encodeWeights(weights));
    const resumed = new SpintrainEngine(network);
    applyWeightsFile(resumed, weights, file);
    const split2 = resumed.loadSplit(xor.train);
    for (let e = 0; e < 2; e++) {
      resumed.setEpoch(e);
      await resumed.trainEpoch(split2);
    }
    const got = runNative(exe, encodeTrainingStream(xor.train, 2, 2), LAYOUT, [file]);
    expect(Array.from(got.parameters.weights[0])).toEqual(Array.from(resumed.weights(0)));
    expect(Array.from(got.parameters.biases[1])).toEqual(Array.from(resumed.biases(1)));
  });

  it('rejects a tampered, truncated or foreign-layout weights file with a named error', () => {
    const run = (f: string) => runTool(exe, [f], { input: '', allowFailure: true });
    const t = run(join(OUT, 'tampered.stw'));
    expect(t.status).toBe(1);
    expect(t.stdout).toContain('! -113 weights: checksum: CRC-32 mismatch');
    expect(run(join(OUT, 'truncated.stw')).stdout).toContain('! -112 weights: length');
    const foreign = readFileSync(join(OUT, 'teensy41', 'weights.stw'));
    const other = join(OUT, 'other-layout.stw');
    writeFileSync(other, foreign);
    expect(run(other).stdout).toContain('! -115 weights: layout');
  });
});
