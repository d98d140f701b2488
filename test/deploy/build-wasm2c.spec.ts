// `spintrain build --runtime wasm2c`: the module translated ahead of time by the system's wasm2c into the sketch
// (src/generated/spintrain.c), with the glue's bare-metal wasm2c runtime (static linear memory, traps unwound to
// the protocol). The sketch's own sources are compiled as written — natively, where they train as V8 does bit for
// bit and report a trap as an error; for Cortex-M4 with arm-none-eabi-gcc, with no include flags, as an
// Arduino build compiles them; and on the emulated Cortex-M3 (QEMU mps2-an385), where they train as V8 does too. A missing wasm2c and a bad --runtime are refused before anything is written.
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWeights } from '../../host/io/weights-file.ts';
import { configOf } from '../../host/engine/checkpoint.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { encodeTrainingStream } from '../../host/deploy/serial-stream.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { WASM2C_C_STACK_BYTES, WASM2C_RUNTIME_BYTES } from '../../host/deploy/runtime-ram.ts';
import { loadXor } from '../../host/data/xor.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { runNative } from '../harness/runtimes/wasm2c-native.ts';
import { systemCommand } from '../harness/runtimes/system-command.ts';
import { cByteArrayHeader } from '../../host/deploy/c-byte-array.ts';
import { parseBoardReport } from '../../host/deploy/serial-stream.ts';
import { skipReason } from '../setup/tool-list.ts';
import { buildCaptured, cFiles } from './build-capture.ts';

// Hides wasm2c from `spintrain build` while `hidden.wasm2c` is set (the missing-tool case), whatever PATH holds.
const hidden = vi.hoisted(() => ({ wasm2c: false }));
vi.mock('../../host/deploy/system-command.ts', async (original) => {
  const m = await original<typeof import('../../host/deploy/system-command.ts')>();
  return { ...m, findSystemCommand: (name: string) => (hidden.wasm2c && name === 'wasm2c' ? undefined : m.findSystemCommand(name)) };
});

const OUT = fileURLToPath(new URL('../../build/test-build-wasm2c/', import.meta.url));
const NANO = join(OUT, 'nano');
const SRC = join(NANO, 'spintrain/src');
const LAYOUT = [2, 8, 2];
const args = (...extra: string[]) => ['--board', 'nano33ble', '--layout', LAYOUT.join(','), '--algo', 'pgaf', '--lr', '1', '--seed', '9', '--draws', 'prng', ...extra];

const build = buildCaptured;


const NATIVE_FLAGS = ['-O2', '-std=gnu11', '-Wall', '-Wno-unused-function', '-Wno-unused-value', '-Wno-unused-variable', '-Wno-unused-but-set-variable'];

/** The reference: the build's network trained in V8 on XOR for 3 epochs (the stream the boards replay). */
async function v8Reference() {
  const network = configOf(decodeWeights(readFileSync(join(NANO, 'weights.stw'))), 'weights.stw');
  const engine = new SpintrainEngine(network);
  const xor = loadXor();
  const split = engine.loadSplit(xor.train);
  for (let e = 0; e < 3; e++) {
    engine.setEpoch(e);
    await engine.trainEpoch(split);
  }
  return { engine, xor };
}

describe('refusals, before anything is written', () => {
  it('a missing wasm2c: exit 1 naming Debian’s wabt package', async () => {
    const out = join(OUT, 'no-wasm2c');
    hidden.wasm2c = true;
    try {
      const r = await build(args('--runtime', 'wasm2c', '--out', out));
      expect(r.code).toBe(1);
      expect(r.err).toContain('spintrain build: wasm2c not found on PATH: spintrain build --runtime wasm2c needs it (Debian/Ubuntu: apt-get install wabt)');
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      hidden.wasm2c = false;
    }
    expect(existsSync(out)).toBe(false);
  });

  it('a bad --runtime: exit 2 naming the option and the choices', async () => {
    const r = await build(args('--runtime', 'aot', '--out', join(OUT, 'never')));
    expect(r.code).toBe(2);
    expect(r.err).toContain('spintrain build: --runtime: expected one of wasm3, wamr, wasm2c, got "aot"');
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  });

  it('--runtime wamr for a board whose budget is below one page: exit 2 naming --runtime', async () => {
    const r = await build(args('--runtime', 'wamr', '--out', join(OUT, 'never')));
    expect(r.code).toBe(2);
    expect(r.err).toContain('spintrain build: --runtime: wamr allocates whole 64 KiB pages, and board nrf52840-nano33ble gives linear memory 49152 bytes, less than one: use wasm3 or wasm2c');
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  });
});

describe.skipIf(skipReason(['wasm2c']))(`spintrain build --runtime wasm2c ${skipReason(['wasm2c']) || ''}`, () => {
  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const r = await build(args('--runtime', 'wasm2c', '--out', NANO));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('built nrf52840-nano33ble (wasm2c)');
    expect(r.out).toContain(`RAM ${49152 + WASM2C_RUNTIME_BYTES + WASM2C_C_STACK_BYTES} of 262144 bytes (linear memory 49152 + runtime 1024 + C stack 1024)`);
  }, 120_000);

  it('writes the translation, wabt’s runtime headers and the bare-metal runtime, and no module bytes', () => {
    for (const f of ['generated/spintrain.c', 'generated/spintrain.h', 'generated/wasm-rt.h', 'generated/wasm-rt-impl.h', 'runtime/st_wasm2c.c', 'runtime/st_wasm2c.h', 'runtime/wasm_rt_static.c']) {
      expect(existsSync(join(SRC, f)), f).toBe(true);
    }
    expect(existsSync(join(SRC, 'generated/spintrain_module.h'))).toBe(false);
    expect(existsSync(join(SRC, 'runtime/st_wasm3.c'))).toBe(false);
    expect(readFileSync(join(SRC, 'generated/spintrain.h'), 'utf8')).toContain('Z_spintrainZ_trainStep');
    expect(readFileSync(join(SRC, 'generated/wasm-rt.h'))).toEqual(readFileSync('/usr/include/wasm-rt.h'));
    expect(readFileSync(join(SRC, 'runtime/wasm_rt_static.c'))).toEqual(readFileSync(glue('cortex-m/wasm_rt_static.c')));
    const header = readFileSync(join(SRC, 'generated/spintrain_board.h'), 'utf8');
    expect(header).toContain('#define ST_RUNTIME_WASM2C 1');
    expect(header).toContain('#define ST_LINEAR_MEMORY_BYTES 49152u'); // min(1 page, the Nano's 48 KiB budget)
    expect(header).not.toContain('ST_RUNTIME_WASM3');
  });

  it('build.json: runtime wasm2c, and the RAM it needs by parts', () => {
    const manifest = JSON.parse(readFileSync(join(NANO, 'build.json'), 'utf8'));
    expect(manifest.runtime).toBe('wasm2c');
    expect(manifest.memory.runtimeRam).toEqual({
      runtime: 'wasm2c',
      parts: [{ name: 'linear memory', bytes: 49152 }, { name: 'runtime', bytes: 1024 }, { name: 'C stack', bytes: 1024 }],
      runtimeBytes: 2048,
      totalBytes: 51200,
    });
    expect(manifest.files).toEqual(expect.arrayContaining(['spintrain/src/generated/spintrain.c', 'spintrain/src/runtime/wasm_rt_static.c']));
  });

  it('PlatformIO and the Arduino library install no runtime', () => {
    const ini = readFileSync(join(NANO, 'platformio/platformio.ini'), 'utf8');
    expect(ini).not.toContain('lib_deps');
    expect(ini).toContain('; Runtime: none. The module is compiled in as C, translated ahead of time by wasm2c');
    const props = readFileSync(join(NANO, 'arduino-library/spintrain/library.properties'), 'utf8');
    expect(props).not.toMatch(/^depends=/m);
    expect(props).toContain('translated ahead of time by wasm2c');
    expect(existsSync(join(NANO, 'arduino-library/spintrain/src/src/generated/spintrain.c'))).toBe(true);
  });

  describe.skipIf(skipReason(['cc']))('the sketch’s sources, natively (cc, with native/st_native_sketch.c as the port)', () => {
    let exe: string;
    beforeAll(() => {
      exe = join(OUT, 'sketch-native');
      // WASM_RT_MEMCHECK_SIGNAL_HANDLER=0: wasm2c's explicit bounds checks, as on a 32-bit board
      runTool('cc', [...NATIVE_FLAGS, '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', `-I${join(SRC, 'generated')}`, ...cFiles(SRC), glue('native/st_native_sketch.c'), glue('native/st_port_no_mtj.c'), '-o', exe, '-lm']);
    });

    it('train as V8 does, bit for bit, from the weights compiled into the sketch', async () => {
      const { engine, xor } = await v8Reference();
      const got = runNative(exe, encodeTrainingStream(xor.train, 2, 3), LAYOUT);
      expect(got.raw).toMatch(/^ready wasm2c \d+ draws module-prng$/m);
      for (let l = 0; l < LAYOUT.length - 1; l++) {
        expect(Array.from(got.parameters.weights[l])).toEqual(Array.from(engine.weights(l)));
        expect(Array.from(got.parameters.biases[l])).toEqual(Array.from(engine.biases(l)));
      }
    });

    it('a trap (a data segment beyond a too-small linear memory) is reported on the serial line, not a crash', () => {
      const small = join(OUT, 'small-linear');
      rmSync(small, { recursive: true, force: true });
      cpSync(SRC, small, { recursive: true });
      const board = join(small, 'generated/spintrain_board.h');
      writeFileSync(board, readFileSync(board, 'utf8').replace(/#define ST_LINEAR_MEMORY_BYTES \d+u/, '#define ST_LINEAR_MEMORY_BYTES 8u'));
      const trapExe = join(OUT, 'sketch-native-small');
      runTool('cc', [...NATIVE_FLAGS, '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', `-I${join(small, 'generated')}`, ...cFiles(small), glue('native/st_native_sketch.c'), glue('native/st_port_no_mtj.c'), '-o', trapExe, '-lm']);
      const r = runTool(trapExe, [], { input: '', allowFailure: true });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^! -\d+ runtime/m);
    });
  });

  it.skipIf(skipReason(['armGcc', 'armNewlib', 'qemuArm']))('the sketch’s sources on the emulated Cortex-M3 (QEMU mps2-an385), also built for Cortex-M0+: trains as V8 does, bit for bit', async () => {
    const { engine, xor } = await v8Reference();
    const dir = join(OUT, 'mps2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'st_stream.h'), cByteArrayHeader('st_stream', encodeTrainingStream(xor.train, 2, 3), 'XOR, 3 epochs'));
    const elf = join(dir, 'sketch-mps2.elf');
    // the sketch's files as an Arduino build takes them (traps unwound, not halted), the MPS2 start-up and UART, and a main feeding the stream
    const armBuild = (src: string, out: string, cpu = 'cortex-m3') =>
      runTool(systemCommand('arm-none-eabi-gcc'), [
        `-mcpu=${cpu}`, '-mthumb', '-mfloat-abi=soft', '-O2', '-std=gnu11', '-ffunction-sections', '-fdata-sections', '-w', `-I${dir}`,
        ...cFiles(src), glue('cortex-m/st_mps2_port.c'), glue('cortex-m/st_mps2_sketch_main.c'), glue('native/st_port_no_mtj.c'),
        '-nostartfiles', '-T', glue('cortex-m/mps2_an385.ld'), '--specs=nano.specs', '--specs=nosys.specs', '-Wl,--gc-sections', '-o', out,
      ]);
    const qemu = (kernel: string) =>
      runTool(systemCommand('qemu-system-arm'), ['-M', 'mps2-an385', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-semihosting-config', 'enable=on,target=native', '-kernel', kernel], { input: '', timeoutMs: 120_000, allowFailure: true });
    armBuild(SRC, elf);
    const q = qemu(elf);
    expect(q.status, q.stdout.slice(-2000)).toBe(0);
    expect(q.stdout).toMatch(/^ready wasm2c \d+ draws module-prng$/m);
    const got = parseBoardReport(q.stdout, LAYOUT);
    for (let l = 0; l < LAYOUT.length - 1; l++) {
      expect(Array.from(got.parameters.weights[l])).toEqual(Array.from(engine.weights(l)));
      expect(Array.from(got.parameters.biases[l])).toEqual(Array.from(engine.biases(l)));
    }
    // the same sources for ARMv6-M (Cortex-M0+, the RP2040's core: its Thumb-1 code runs on the M3 model), where
    // runtime/st_wasm2c_access.h replaces wasm2c's memcpy accesses: the same weights, bit for bit
    const m0 = join(dir, 'sketch-mps2-m0plus.elf');
    armBuild(SRC, m0, 'cortex-m0plus');
    const q0 = qemu(m0);
    expect(q0.status, q0.stdout.slice(-2000)).toBe(0);
    const got0 = parseBoardReport(q0.stdout, LAYOUT);
    for (let l = 0; l < LAYOUT.length - 1; l++) expect(Array.from(got0.parameters.weights[l])).toEqual(Array.from(engine.weights(l)));
    const stack = Number(/^stack (\d+)$/m.exec(q.stdout)![1]);
    expect(stack).toBeLessThanOrEqual(WASM2C_C_STACK_BYTES); // the C stack runtime-ram.ts counts
    console.log(`[wasm2c sketch on cortex-m3] C stack ${stack} B`);
    // a trap on the board (a data segment beyond a linear memory cut to 8 bytes): longjmp back, "! -100 runtime" on the UART
    const small = join(dir, 'small-linear');
    rmSync(small, { recursive: true, force: true });
    cpSync(SRC, small, { recursive: true });
    const header = join(small, 'generated/spintrain_board.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace(/#define ST_LINEAR_MEMORY_BYTES \d+u/, '#define ST_LINEAR_MEMORY_BYTES 8u'));
    armBuild(small, join(dir, 'small.elf'));
    const t = qemu(join(dir, 'small.elf'));
    expect(t.status).toBe(1);
    expect(t.stdout).toMatch(/^! -100 runtime/m);
  }, 180_000);

  it.skipIf(skipReason(['armGcc', 'armNewlib']))('the sketch, its PlatformIO project and its library compile for Cortex-M4 (arm-none-eabi-gcc, no include flags for the sketch)', () => {
    const target = ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=soft', '-O2', '-std=gnu11', '-ffunction-sections', '-fdata-sections'];
    const objDir = join(OUT, 'arm');
    mkdirSync(objDir, { recursive: true });
    // the sketch as the Arduino builder compiles it: every .c under src/, no -I, no -D
    for (const [i, f] of cFiles(SRC).entries()) {
      const generated = f.includes('/generated/');
      runTool('arm-none-eabi-gcc', [...target, '-Wall', ...(generated ? ['-Wno-unused-value', '-Wno-unused-function', '-Wno-unused-variable'] : ['-Werror']), '-c', f, '-o', join(objDir, `${i}.o`)]);
    }
    const decl = `-I${glue('api-decl')}`;
    runTool('arm-none-eabi-g++', [...target.filter((f) => f !== '-std=gnu11'), '-std=c++17', '-Wall', '-fsyntax-only', decl, join(NANO, 'spintrain/st_port_arduino.cpp')]);
    // the library: its src/ on the include path, where src/spintrain.h (the library's) sits beside src/src/generated/spintrain.h (wasm2c's)
    const lib = join(NANO, 'arduino-library/spintrain/src');
    for (const f of cFiles(lib)) runTool('arm-none-eabi-gcc', [...target, '-w', `-I${lib}`, '-fsyntax-only', f]);
    const pio = join(NANO, 'platformio');
    for (const f of cFiles(join(pio, 'src'))) runTool('arm-none-eabi-gcc', [...target, '-w', `-I${pio}`, `-I${join(pio, 'src')}`, '-fsyntax-only', f]);
  });
});
