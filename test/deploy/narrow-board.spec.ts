// Narrow weights on the boards (issue 16): `spintrain build --weight-bits 16|8` builds the board module from
// assembly/narrow.ts (region W 2 or 1 bytes per weight, counted by the fit check), the sketch's weights header
// carries a version 2 weights file with i16 Q12 / i8 Q6 W tensors, and the glue reads it (portable/st_weights.c,
// mirrored here against the host's decodeWeights on the same bytes, refusals included). The emitted wasm2c sketch
// trains XOR natively and on the emulated Cortex-M3 bit-identical to SpintrainEngine({ weightBits }) in V8; the
// board's dump ('W') is Q24 at every width. `spintrain board train|pull` against a 16-bit native board behind a pty
// ends with the host engine's weights, a version 2 file that `spintrain eval` reads. Option errors exit 2 naming
// the option, before anything is written.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { crc32 } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../host/cli.ts';
import { buildForBoard } from '../../host/deploy/build-board.ts';
import { decodeWeights, encodeWeights, loadWeights, type WeightsFile } from '../../host/io/weights-file.ts';
import { configOf, engineToWeightsFile } from '../../host/engine/checkpoint.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig } from '../../host/engine/config.ts';
import { weightFormat, widenToQ24, type WeightBits } from '../../host/engine/weight-format.ts';
import { encodeTrainingStream, parseBoardReport } from '../../host/deploy/serial-stream.ts';
import { cByteArrayHeader } from '../../host/deploy/c-byte-array.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { loadXor } from '../../host/data/xor.ts';
import { loadDataset } from '../../host/data/index.ts';
import { train } from '../../host/train/trainer.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { runNative, compileNativeObjects, linkNative } from '../harness/runtimes/wasm2c-native.ts';
import { findSystemCommand, systemCommand } from '../harness/runtimes/system-command.ts';
import { skipReason } from '../setup/tool-list.ts';
import { BOARDS } from '../../boards/index.ts';
import { usableLinearBytes } from '../../host/deploy/linear-budget.ts';
import { boardAscFlags, compileEngine } from '../../host/deploy/board-module.ts';
import { largestMnistHidden } from '../bench/lib/board-capacity.ts';
import { largestHidden } from '../bench/lib/narrow-budget.ts';
import { captureOutput } from '../support/capture-output.ts';
import { buildCaptured, cFiles } from './build-capture.ts';
import { socatPtyBoard } from '../harness/link/socat-pty.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'build/test-narrow-board');
const LAYOUT = [2, 8, 2];
const xorArgs = (bits: number, ...extra: string[]) => ['--board', 'nano33ble', '--layout', LAYOUT.join(','), '--algo', 'pgaf', '--lr', '1', '--seed', '9', '--draws', 'prng', '--weight-bits', String(bits), ...extra];
const NATIVE_FLAGS = ['-O2', '-std=gnu11', '-Wall', '-Wno-unused-function', '-Wno-unused-value', '-Wno-unused-variable', '-Wno-unused-but-set-variable'];

const build = buildCaptured;


/** A weights file with its CRC-32 recomputed after `edit` (a well-formed file whose fields are wrong). */
function tampered(bytes: Uint8Array, edit: (b: Uint8Array, view: DataView) => void): Uint8Array {
  const b = bytes.slice();
  const view = new DataView(b.buffer);
  edit(b, view);
  view.setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)) >>> 0, true);
  return b;
}

/** The byte offset of the first payload tensor and the header's tensor table, as decodeWeights walks them. */
function payloadStart(bytes: Uint8Array): number {
  return 16 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
}

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
});

describe('spintrain build --weight-bits: option errors exit 2 naming the option, nothing written', () => {
  it('a bad --weight-bits value', async () => {
    const r = await build(xorArgs(12, '--out', join(OUT, 'never')));
    expect(r.code).toBe(2);
    expect(r.err).toContain('spintrain build: --weight-bits: expected one of 32, 16, 8, got "12"');
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  });

  it('narrow weights with momentum', async () => {
    const r = await build(xorArgs(16, '--momentum', '0.9', '--out', join(OUT, 'never')));
    expect(r.code).toBe(2);
    expect(r.err).toContain('spintrain build: --weight-bits: 16-bit weights need --momentum 0 (the narrow modules keep no velocities), got --momentum 0.9');
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  });

  it('a narrow --weights file implies its width; a different --weight-bits is refused naming it', async () => {
    const engine = new SpintrainEngine({ ...defaultNetworkConfig, layout: LAYOUT, activation: 'sigmoid', output: 'softmax', algorithm: 'pgaf', learningRate: 1, momentum: 0, seed: 5, weightBits: 16 });
    const file = join(OUT, 'w16.stw');
    writeFileSync(file, encodeWeights(engineToWeightsFile(engine, {})));
    for (const bits of ['32', '8']) {
      const r = await build(['--board', 'nano33ble', '--weights', file, '--weight-bits', bits, '--out', join(OUT, 'never')]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(`spintrain build: --weight-bits: ${bits} differs from the weights file ${file} (16)`);
    }
    expect(existsSync(join(OUT, 'never'))).toBe(false);
    const dir = join(OUT, 'from-w16');
    const r = await build(['--board', 'nano33ble', '--weights', file, '--draws', 'prng', '--out', dir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('16-bit weights');
    expect(JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8')).weightBits).toBe(16);
    const written = decodeWeights(readFileSync(join(dir, 'weights.stw')));
    const W0 = written.tensors.find((t) => t.name === 'W0')!;
    expect(W0.bits).toBe(16);
    expect(Array.from(W0.data)).toEqual(Array.from(engine.weights(0)));
    // --wasm: a module storing another width is refused, naming the file and the field
    const w32 = join(OUT, 'w32-module');
    expect((await build(['--board', 'nano33ble', '--layout', LAYOUT.join(','), '--out', w32])).code).toBe(0);
    const m = await build(['--board', 'nano33ble', '--weights', file, '--wasm', join(w32, 'spintrain.wasm'), '--out', join(OUT, 'never')]);
    expect(m.code).toBe(1);
    expect(m.err).toContain(`${join(w32, 'spintrain.wasm')}: weightBits: the module stores 32-bit weights, the build asks for 16`);
    expect(existsSync(join(OUT, 'never'))).toBe(false);
  }, 120_000);
});

describe('the memory plan and build.json know the width', () => {
  it('64-32-10 on the Nano 33 BLE: the plan counts 4, 2 or 1 bytes per weight (from the module); build.json and the headers say the width', async () => {
    const plans: Record<number, number> = {};
    for (const bits of [32, 16, 8] as const) {
      const dir = join(OUT, `plan-${bits}`);
      const r = await buildForBoard({ board: 'nano33ble', outDir: dir, network: { layout: [64, 32, 10], ...(bits !== 32 ? { weightBits: bits } : {}) } });
      plans[bits] = r.memory.planBytes;
      const manifest = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8'));
      expect(manifest.weightBits).toBe(bits);
      expect(manifest.memory.planBytes).toBe(r.memory.planBytes);
      expect(manifest.module.lowMemoryLimit).toBe(49152); // the board flags hold for the narrow entry too
      expect(readFileSync(join(dir, 'spintrain/src/generated/spintrain_config.h'), 'utf8')).toContain(`#define ST_WEIGHT_BITS ${bits} `);
      expect(readFileSync(join(dir, 'spintrain/src/generated/spintrain_config.h'), 'utf8')).toContain(`.weight_bits = ${bits} `);
      expect(readFileSync(join(dir, 'spintrain/src/generated/spintrain_board.h'), 'utf8')).toContain(`#define ST_WEIGHT_BITS ${bits} `);
      const wasm = new Uint8Array(readFileSync(join(dir, 'spintrain.wasm')));
      const e = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { mtj_sample: () => {} } }).exports as { weightBits?: () => number };
      expect(e.weightBits ? e.weightBits() : 32).toBe(bits);
      console.log(`[narrow board] nano33ble 64-32-10 ${bits}-bit: module ${wasm.length} B, plan ${r.memory.planBytes} B, linear ${r.memory.linearBytes} B`);
    }
    const weights = 64 * 32 + 32 * 10;
    expect(plans[32] - plans[16]).toBe(2 * weights);
    expect(plans[32] - plans[8]).toBe(3 * weights);
  }, 120_000);

  it('the fit check uses the width: 784-32-10 does not fit the Nano’s 48 KiB at 32 or 16 bits, and fits at 8', async () => {
    for (const bits of ['32', '16']) {
      const r = await build(['--board', 'nano33ble', '--layout', '784,32,10', '--weight-bits', bits, '--out', join(OUT, 'never')]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('spintrain build: --layout:');
    }
    const r = await build(['--board', 'nano33ble', '--layout', '784,32,10', '--weight-bits', '8', '--out', join(OUT, 'mnist-8')]);
    expect(r.code, r.err).toBe(0);
    console.log(`[narrow board] ${r.out.split('\n')[0]}`);
  }, 120_000);
});

describe('the capacity table and the build agree: per board the largest 784-H-10 at 16 and 8 bits', () => {
  it('spintrain build --weight-bits accepts H and refuses H + 1 (--layout), H as the narrow-weights bench counts it', async () => {
    const lines: string[] = [];
    for (const board of BOARDS.filter((b) => b.runtime.kind !== 'host-tethered')) {
      const budget = usableLinearBytes(board);
      for (const bits of [16, 8] as const) {
        const wasm = await compileEngine(boardAscFlags(budget), bits);
        const h = largestMnistHidden(wasm, budget);
        // the bench measures build/spintrain.w<bits>.wasm, static data from byte 1024: the same H, except below one page,
        // where the board module (--lowMemoryLimit: static data from byte 8) has a little more room
        const bench = largestHidden(bits, budget);
        if (boardAscFlags(budget).length) expect(h, `${board.id} ${bits}-bit`).toBeGreaterThanOrEqual(bench);
        else expect(h, `${board.id} ${bits}-bit`).toBe(bench);
        const ok = await build(['--board', board.id, '--layout', `784,${h},10`, '--weight-bits', String(bits), '--out', join(OUT, `cap-${board.id}-${bits}`)]);
        expect(ok.code, ok.err).toBe(0);
        const no = await build(['--board', board.id, '--layout', `784,${h + 1},10`, '--weight-bits', String(bits), '--out', join(OUT, 'never')]);
        expect(no.code).toBe(2);
        expect(no.err).toContain('spintrain build: --layout:');
        lines.push(`${board.id} ${bits}-bit: 784-${h}-10${h !== bench ? ` (bench ${bench})` : ''}`);
      }
    }
    expect(existsSync(join(OUT, 'never'))).toBe(false);
    console.log(`[narrow board] largest MNIST MLP per board: ${lines.join('; ')}`);
  }, 240_000);
});

describe.skipIf(skipReason(['cc']))('the board’s weights reader (portable/st_weights.c) mirrors decodeWeights', () => {
  let exe: string;
  beforeAll(() => {
    exe = join(OUT, 'st-weights-golden');
    runTool('cc', [...NATIVE_FLAGS, `-I${glue('portable')}`, glue('native/st_weights_golden.c'), glue('portable/st_weights.c'), '-o', exe]);
  });

  /** What the C reader makes of the bytes: tensors, or the error code. */
  function cRead(bytes: Uint8Array, layout: number[]): { tensors?: { name: string; bits: number; fracBits: number; data: number[] }[]; err?: number } {
    const file = join(OUT, 'golden.stw');
    writeFileSync(file, bytes);
    const out = runTool(exe, [file, ...layout.map(String)]).stdout.trim().split('\n');
    if (out[0].startsWith('err ')) return { err: Number(out[0].slice(4)) };
    expect(out.pop()).toBe('ok');
    return { tensors: out.map((l) => l.split(' ')).map((f) => ({ name: f[1], bits: Number(f[2]), fracBits: Number(f[3]), data: f.slice(5).map(Number) })) };
  }
  const hostRead = (w: WeightsFile) => w.tensors.map((t) => ({ name: t.name, bits: t.bits ?? 32, fracBits: t.fracBits ?? w.fracBits.weights, data: Array.from(t.data) }));

  const layout = [3, 5, 2]; // 15 and 10 weights: the 16- and 8-bit payloads end in padding
  const files = (): [string, Uint8Array][] => {
    const out: [string, Uint8Array][] = [];
    for (const bits of [32, 16, 8] as const) {
      const e = new SpintrainEngine({ ...defaultNetworkConfig, layout, activation: 'tanh', output: 'softmax', algorithm: 'bp', learningRate: 0.5, momentum: 0, seed: 3, ...(bits !== 32 ? { weightBits: bits } : {}) });
      out.push([`engine ${bits}-bit`, encodeWeights(engineToWeightsFile(e, { source: 'golden', n: 1.5 }))]);
    }
    // every width in one file, odd counts, and a tensor the board ignores
    out.push(['mixed', encodeWeights({
      layout, activation: 'sigmoid', fracBits: { weights: 24, activations: 16 },
      tensors: [
        { name: 'W0', data: Int32Array.from({ length: 15 }, (_, i) => (i * 37 - 300) % 128), bits: 8, fracBits: 6 },
        { name: 'B0', data: Int32Array.from({ length: 5 }, (_, i) => -(2 ** 31) + i * 12345) },
        { name: 'W1', data: Int32Array.from({ length: 10 }, (_, i) => i % 2 ? -32768 + i : 32767 - i), bits: 16, fracBits: 12 },
        { name: 'B1', data: Int32Array.of(7, -7) },
        { name: 'VX', data: Int32Array.of(-1, 2, -3), bits: 8, fracBits: 0 },
      ],
      meta: { note: 'mixed widths' },
    })]);
    return out;
  };

  it('v1 and v2 files (engine-written at 32, 16 and 8 bits, and one of mixed widths): the same tensors, bits, Q and values', () => {
    for (const [name, bytes] of files()) {
      const host = decodeWeights(bytes);
      expect(bytes[4], name).toBe(name === 'engine 32-bit' ? 1 : 2); // the version
      expect(cRead(bytes, layout), name).toEqual({ tensors: hostRead(host) });
    }
  });

  it('refusals: both readers refuse the same files (version, bits, padding, payload length, CRC, layout)', () => {
    const [, v2] = files()[1];
    const at = payloadStart(v2); // W0: 15 × i16 = 30 bytes + 2 of padding
    // the table entry of W0 (the first tensor): name length 2, "W0", count:u32, bits:u8, fracBits:u8
    const table = Buffer.from(v2).indexOf(Buffer.from([2, 0x57, 0x30, 15, 0, 0, 0, 16, 12]));
    expect(table).toBeGreaterThan(16);
    const bitsAt = table + 1 + 2 + 4;
    const cases: [string, Uint8Array, number, RegExp][] = [
      ['version 3', tampered(v2, (_, v) => v.setUint16(4, 3, true)), -111, /version/],
      ['12-bit tensor', tampered(v2, (b) => void (b[bitsAt] = 12)), -114, /bits/],
      ['fracBits 32', tampered(v2, (b) => void (b[bitsAt + 1] = 32)), -114, /fracBits/],
      ['non-zero padding', tampered(v2, (b) => void (b[at + 30] = 1)), -114, /padding/],
      ['tensor count too big for the payload', tampered(v2, (_, v) => v.setUint32(table + 3, 17, true)), -114, /payload length/],
      ['CRC', (() => { const b = v2.slice(); b[at] ^= 1; return b; })(), -113, /checksum/],
    ];
    for (const [what, bytes, code, field] of cases) {
      expect(() => decodeWeights(bytes), what).toThrow(field);
      expect(cRead(bytes, layout), what).toEqual({ err: code });
    }
    expect(cRead(v2, [3, 4, 2])).toEqual({ err: -115 }); // another layout
  });
});

/** The build's network trained in V8 (SpintrainEngine with its weightBits) on XOR for 3 epochs. */
async function v8Reference(dir: string) {
  const network = configOf(decodeWeights(readFileSync(join(dir, 'weights.stw'))), 'weights.stw');
  const engine = new SpintrainEngine(network);
  const xor = loadXor();
  const split = engine.loadSplit(xor.train);
  const initial = Array.from({ length: LAYOUT.length - 1 }, (_, l) => Array.from(engine.weights(l)));
  for (let e = 0; e < 3; e++) {
    engine.setEpoch(e);
    await engine.trainEpoch(split);
  }
  return { engine, xor, initial };
}

describe.skipIf(skipReason(['wasm2c', 'cc']))(`the wasm2c sketch of a narrow build ${skipReason(['wasm2c', 'cc']) || ''}`, () => {
  const dirs: Record<number, string> = {};
  beforeAll(async () => {
    for (const bits of [16, 8]) {
      dirs[bits] = join(OUT, `nano-w${bits}`);
      const r = await build(xorArgs(bits, '--runtime', 'wasm2c', '--out', dirs[bits]));
      expect(r.code, r.err).toBe(0);
    }
  }, 120_000);

  it.each([16, 8] as const)('%i-bit: natively, trains XOR as SpintrainEngine({ weightBits }) does in V8, bit for bit; the dump is Q24', async (bits: WeightBits) => {
    const src = join(dirs[bits], 'spintrain/src');
    const weights = decodeWeights(readFileSync(join(dirs[bits], 'weights.stw')));
    expect(weights.tensors.find((t) => t.name === 'W0')!.bits).toBe(bits);
    const exe = join(OUT, `sketch-native-w${bits}`);
    runTool('cc', [...NATIVE_FLAGS, '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', `-I${join(src, 'generated')}`, ...cFiles(src), glue('native/st_native_sketch.c'), glue('native/st_port_no_mtj.c'), '-o', exe, '-lm']);
    const { engine, xor, initial } = await v8Reference(dirs[bits]);
    const got = runNative(exe, encodeTrainingStream(xor.train, 2, 3), LAYOUT);
    expect(got.raw).toMatch(/^ready wasm2c \d+ draws module-prng$/m);
    let moved = 0;
    for (let l = 0; l < LAYOUT.length - 1; l++) {
      expect(Array.from(got.parameters.weights[l]), `W${l}`).toEqual(Array.from(widenToQ24(engine.weights(l), weightFormat(bits))));
      expect(Array.from(got.parameters.biases[l]), `B${l}`).toEqual(Array.from(engine.biases(l)));
      moved += Array.from(engine.weights(l)).filter((w, i) => w !== initial[l][i]).length;
    }
    expect(moved).toBeGreaterThan(0); // it trained
  });

  it('a weights file of another width in the sketch: the board refuses it at start-up (! -117), before any step', async () => {
    const src = join(OUT, 'sketch-wrong-width');
    rmSync(src, { recursive: true, force: true });
    cpSync(join(dirs[16], 'spintrain/src'), src, { recursive: true });
    const config = configOf(decodeWeights(readFileSync(join(dirs[16], 'weights.stw'))), 'weights.stw');
    const wide = encodeWeights(engineToWeightsFile(new SpintrainEngine({ ...config, weightBits: undefined }), {}));
    writeFileSync(join(src, 'generated/spintrain_weights.h'), cByteArrayHeader('spintrain_weights', wide, '32-bit weights in a 16-bit build'));
    const exe = join(OUT, 'sketch-native-wrong-width');
    runTool('cc', [...NATIVE_FLAGS, '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', `-I${join(src, 'generated')}`, ...cFiles(src), glue('native/st_native_sketch.c'), glue('native/st_port_no_mtj.c'), '-o', exe, '-lm']);
    const r = runTool(exe, [], { input: '', allowFailure: true });
    expect(r.stdout).toMatch(/^! -117 weights: tensors: W<l>\/B<l> stored in another width/m);
  });

  it.skipIf(skipReason(['armGcc', 'armNewlib', 'qemuArm']))('16-bit: on the emulated Cortex-M3 (QEMU mps2-an385), bit for bit as V8', async () => {
    const src = join(dirs[16], 'spintrain/src');
    const { engine, xor } = await v8Reference(dirs[16]);
    const dir = join(OUT, 'mps2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'st_stream.h'), cByteArrayHeader('st_stream', encodeTrainingStream(xor.train, 2, 3), 'XOR, 3 epochs'));
    const elf = join(dir, 'sketch-mps2-w16.elf');
    runTool(systemCommand('arm-none-eabi-gcc'), [
      '-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft', '-O2', '-std=gnu11', '-ffunction-sections', '-fdata-sections', '-w', `-I${dir}`,
      ...cFiles(src), glue('cortex-m/st_mps2_port.c'), glue('cortex-m/st_mps2_sketch_main.c'), glue('native/st_port_no_mtj.c'),
      '-nostartfiles', '-T', glue('cortex-m/mps2_an385.ld'), '--specs=nano.specs', '--specs=nosys.specs', '-Wl,--gc-sections', '-o', elf,
    ]);
    const q = runTool(systemCommand('qemu-system-arm'), ['-M', 'mps2-an385', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-semihosting-config', 'enable=on,target=native', '-kernel', elf], { input: '', timeoutMs: 120_000, allowFailure: true });
    expect(q.status, q.stdout.slice(-2000)).toBe(0);
    const got = parseBoardReport(q.stdout, LAYOUT);
    for (let l = 0; l < LAYOUT.length - 1; l++) {
      expect(Array.from(got.parameters.weights[l])).toEqual(Array.from(widenToQ24(engine.weights(l), weightFormat(16))));
      expect(Array.from(got.parameters.biases[l])).toEqual(Array.from(engine.biases(l)));
    }
  }, 180_000);
});

describe.skipIf(skipReason(['cc']))('the wasm3 and WAMR sketches of a 16-bit build type-check (declaration-only headers)', () => {
  it.each(['wasm3', 'wamr'] as const)('%s', async (runtime) => {
    const dir = join(OUT, `esp32-w16-${runtime}`);
    const r = await build(['--board', 'esp32', '--layout', '16,8,4', '--weight-bits', '16', '--runtime', runtime, '--out', dir]);
    expect(r.code, r.err).toBe(0);
    const src = join(dir, 'spintrain/src');
    const decl = `-I${glue('api-decl')}`;
    runTool('cc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', decl, ...cFiles(src)]);
    runTool('c++', ['-std=c++17', '-fsyntax-only', decl, '-include', 'Arduino.h', '-x', 'c++', join(dir, 'spintrain/spintrain.ino')]);
  }, 60_000);
});

const SOCAT = findSystemCommand('socat');
const PTY_SKIP = skipReason(['wasm2c', 'cc', 'wasmRtImpl']) || (SOCAT ? false : 'missing socat (apt-get install socat)');

describe.skipIf(PTY_SKIP)(`spintrain board train|pull against a 16-bit native board behind a pty ${PTY_SKIP || ''}`, () => {
  const running: ChildProcess[] = [];
  afterAll(() => {
    for (const c of running) c.kill();
  });
  /** socat runs `exe` on a pty and links a second pty to `path`; resolves when its transfer loop runs. */
  const ptyBoard = (name: string, exe: string) => socatPtyBoard(SOCAT!, join(OUT, `tty-${name}`), `EXEC:${exe},pty,raw,echo=0`, running);

  it('trains Iris (3 epochs): the saved and the pulled weights are version 2 files with 16-bit W, equal to the host engine’s; spintrain eval reads them', async () => {
    const BUILD = join(OUT, 'build-iris-w16');
    await buildForBoard({ board: 'esp32-devkitc', outDir: BUILD, network: { layout: [4, 8, 3], weightBits: 16 }, draws: 'prng' });
    const objs = compileNativeObjects(new Uint8Array(readFileSync(join(BUILD, 'spintrain.wasm'))), join(OUT, 'native-w16'));
    const exe = linkNative(objs, readFileSync(join(BUILD, 'spintrain/src/generated/spintrain_config.h'), 'utf8'), 'iris-w16');
    const board = await ptyBoard('w16', exe);
    const W = join(OUT, 'board-iris-w16.stw');
    let io = captureOutput();
    expect(await main(['board', 'train', '--port', board.path, '--build', BUILD, '--dataset', 'iris', '--epochs', '3', '--save', W, '--json']), io.err()).toBe(0);
    const summary = JSON.parse(io.out().trim());
    vi.restoreAllMocks();
    const file = await loadWeights(W);
    expect(readFileSync(W)[4]).toBe(2);
    const config = configOf(file, W);
    expect(config.weightBits).toBe(16);
    const host = await train(loadDataset('iris', { seed: config.seed }), config, { epochs: 3, draws: { kind: 'prng' } });
    for (let l = 0; l < 2; l++) {
      const w = file.tensors.find((t) => t.name === `W${l}`)!;
      expect(w.bits).toBe(16);
      expect(Array.from(w.data), `W${l}`).toEqual(Array.from(host.engine.weights(l)));
      expect(Array.from(file.tensors.find((t) => t.name === `B${l}`)!.data), `B${l}`).toEqual(Array.from(host.engine.biases(l)));
    }
    expect(summary.testAccuracy).toBe(host.testAccuracy);
    io = captureOutput();
    expect(await main(['eval', '--weights', W, '--dataset', 'iris', '--json'])).toBe(0);
    expect(JSON.parse(io.out().trim()).accuracy).toBe(summary.testAccuracy);
    vi.restoreAllMocks();
    const P = join(OUT, 'pulled-w16.stw');
    io = captureOutput();
    expect(await main(['board', 'pull', '--port', board.path, '--build', BUILD, '--out', P]), io.err()).toBe(0);
    vi.restoreAllMocks();
    const pulled = await loadWeights(P);
    expect(readFileSync(P)[4]).toBe(2);
    for (const t of file.tensors.filter((x) => /^[WB]\d$/.test(x.name))) {
      const p = pulled.tensors.find((x) => x.name === t.name)!;
      expect(p.bits ?? 32, t.name).toBe(t.bits ?? 32);
      expect(Array.from(p.data), t.name).toEqual(Array.from(t.data));
    }
    board.stop();
  }, 120_000);
});
