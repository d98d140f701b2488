// `spintrain board train|pull|eval` against real parts: the native wasm2c build of the board glue (the
// module `spintrain build` wrote, its spintrain_config.h) behind a pseudo-terminal (socat), opened through
// node-serialport. The board trains Iris from the host and ends with the weights the host engine trains
// with the build's configuration, bit for bit; `spintrain eval` on the pulled weights gives the accuracy
// the board reported. Errors: a port that never sends the banner (on a clock the test drives, and through
// the real executable), a board built for another layout, a line that damages frames (NAKs, resends).
// Timing: every wait ends on the board's answers; the timeouts are bounds, never what a result depends on.
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../host/cli.ts';
import { BOARD_OPTIONS, boardCommand } from '../../host/commands/board.ts';
import { buildForBoard } from '../../host/deploy/build-board.ts';
import { openBoardSerialPort } from '../../host/deploy/board-serial-port.ts';
import { BoardLink, type BoardPort } from '../../host/deploy/board-link.ts';
import type { LinkClock } from '../../host/deploy/frame-link.ts';
import { loadWeights } from '../../host/io/weights-file.ts';
import { configOf } from '../../host/engine/checkpoint.ts';
import { loadDataset } from '../../host/data/index.ts';
import { train } from '../../host/train/trainer.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { assertSerialPortPath } from '../../host/device/serial-port-path.ts';
import { compileNativeObjects, linkNative, type NativeObjects } from '../harness/runtimes/wasm2c-native.ts';
import { findSystemCommand, systemCommand } from '../harness/runtimes/system-command.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { PORTABLE_SOURCES, glue } from '../../host/deploy/glue-sources.ts';
import { skipReason } from '../setup/tool-list.ts';
import { captureOutput } from '../support/capture-output.ts';
import { lossyChannel } from './lossy-channel.ts';
import { socatPtyBoard, type PtyBoard } from '../harness/link/socat-pty.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'build/test-board-command');
const BIN = join(ROOT, 'host/bin/spintrain.js');
const TOOLS = ['wasm2c', 'cc', 'wasmRtImpl'] as const;
const SOCAT = findSystemCommand('socat');
const SKIP = skipReason(TOOLS) || (SOCAT ? false : 'missing socat (apt-get install socat)');
const EPOCHS = 4;

afterEach(() => vi.restoreAllMocks());

/** A board behind a pseudo-terminal: socat runs `exe` on a pty of its own and links a second pty to `link`. */
const running: ChildProcess[] = [];

/** Starts socat; resolves when socat says its transfer loop runs (its own answer, no sleep). */
function ptyBoard(name: string, exec: string): Promise<PtyBoard> {
  return socatPtyBoard(SOCAT!, join(OUT, `tty-${name}`), exec, running);
}

/** A pty that nothing answers on (socat between two ptys, the other end never opened). */
async function silentPty(name: string): Promise<PtyBoard> {
  return ptyBoard(name, `PTY,raw,echo=0,link=${join(OUT, `tty-${name}-far`)}`);
}

/** A clock the test advances: timers fire only in advance(). */
class ManualClock implements LinkClock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private id = 0;
  private waiters: (() => void)[] = [];
  set(ms: number, fn: () => void): unknown {
    this.timers.set(++this.id, { at: this.now + ms, fn });
    for (const w of this.waiters.splice(0)) w();
    return this.id;
  }
  clear(h: unknown): void {
    this.timers.delete(h as number);
  }
  /** Resolves once a timer is set. */
  armed(): Promise<void> {
    return this.timers.size ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
}

/** Runs the real executable (the bundle). */
function spintrain(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, SPINTRAIN_DEBUG: '' } }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr });
    });
  });
}

describe('spintrain board: help and options', () => {
  it('--help names every option', async () => {
    const io = captureOutput();
    expect(await main(['board', '--help'])).toBe(0);
    const missing = Object.keys(BOARD_OPTIONS).filter((o) => o !== 'help' && !io.out().includes(`--${o}`));
    expect(missing).toEqual([]);
    expect(io.out()).toMatch(/train[\s\S]*pull[\s\S]*eval/);
  });

  it.each([
    [['train', '--build', 'x', '--dataset', 'iris'], '--port'],
    [['train', '--port', '/dev/null', '--dataset', 'iris'], '--build'],
    [['train', '--port', 'p', '--build', 'x'], '--dataset'],
    [['pull', '--port', 'p', '--build', 'x'], '--out'],
    [['pull', '--port', 'p', '--build', 'x', '--out', 'w', '--epochs', '2'], '--epochs'],
    [['train', '--port', 'p', '--build', 'x', '--dataset', 'iris', '--epochs', '0'], '--epochs'],
    [['train', '--port', 'p', '--build', 'x', '--dataset', 'iris', '--timeout', 'soon'], '--timeout'],
    [['fly', '--port', 'p'], 'subcommand'],
  ])('%j: exit 2 naming %s', async (args, option) => {
    const io = captureOutput();
    expect(await main(['board', ...args])).toBe(2);
    expect(io.err()).toContain(`spintrain board: ${option}`);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  it('a pseudo-terminal is a serial port; /dev/null is not', async () => {
    mkdirSync(OUT, { recursive: true });
    if (SOCAT) {
      const pty = await silentPty('pts-check');
      expect(() => assertSerialPortPath(pty.path, { option: '--port' })).not.toThrow();
      const ptys = 'Character devices:\n  1 mem\n  5 /dev/tty\n  5 /dev/console\n  5 /dev/ptmx\n136 pts\n';
      expect(() => assertSerialPortPath(pty.path, { option: '--port', procDevices: ptys })).not.toThrow();
      pty.stop();
    }
    expect(() => assertSerialPortPath('/dev/null', { option: '--port' })).toThrow(/not a serial port/);
    // the driver table as Linux lists it: pseudo-terminal slaves are major 136, driver "pts"
    expect(() => assertSerialPortPath('/dev/null', { option: '--port', procDevices: 'Character devices:\n  1 mem\n136 pts\n' })).toThrow(/driver "mem"/);
  });
});

describe.skipIf(SKIP)(`spintrain board against the native board build behind a pty ${SKIP || ''}`, () => {
  const BUILD = join(OUT, 'build-iris');
  let objs: NativeObjects;
  let exe: string;
  let other: string;
  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    // the board build a user would flash: ESP32 profile, Iris's layout, the module's own draws (reproducible)
    await buildForBoard({ board: 'esp32-devkitc', outDir: BUILD, network: { layout: [4, 8, 3] }, draws: 'prng' });
    objs = compileNativeObjects(new Uint8Array(readFileSync(join(BUILD, 'spintrain.wasm'))), join(OUT, 'native'));
    exe = linkNative(objs, readFileSync(join(BUILD, 'spintrain/src/generated/spintrain_config.h'), 'utf8'), 'iris');
    // a board flashed for another layout (4-5-3)
    const config = configOf(await loadWeights(join(BUILD, 'weights.stw')), 'weights.stw');
    other = linkNative(objs, cConfigHeader({ network: { ...config, layout: [4, 5, 3] }, draws: 'prng', linearMemoryLimit: 96 * 1024 }, 'other layout'), 'other');
  }, 180_000);
  afterAll(() => {
    for (const c of running) c.kill();
  });

  it(`trains Iris on the board from the host (${EPOCHS} epochs): spintrain eval agrees, the weights equal the host engine's bit for bit, pull and eval agree`, async () => {
    const board = await ptyBoard('train', `EXEC:${exe},pty,raw,echo=0`);
    const W = join(OUT, 'board-iris.stw');
    const EV = join(OUT, 'events.jsonl');
    let io = captureOutput();
    const t0 = performance.now();
    const code = await main(['board', 'train', '--port', board.path, '--build', BUILD, '--dataset', 'iris', '--epochs', String(EPOCHS), '--save', W, '--json', '--events', EV]);
    const seconds = (performance.now() - t0) / 1000;
    expect(code, io.err()).toBe(0);
    const summary = JSON.parse(io.out().trim());
    vi.restoreAllMocks();
    console.log(`[board] native over a pty: ${EPOCHS} × 120 samples at ${summary.samplesPerSecond.toFixed(0)} samples/s; whole command ${seconds.toFixed(2)} s; link ${JSON.stringify(summary.link)}`);
    expect(summary).toMatchObject({ runtime: 'wasm2c', drawSource: 'module-prng', layout: [4, 8, 3], epochs: EPOCHS, samples: 120, testSamples: 30 });
    expect(summary.link.resends).toBe(0);
    const events = readFileSync(EV, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.event)).toEqual([...Array(EPOCHS).fill('epoch'), 'test']);

    // the host engine, same configuration (the build's), seed, data and epochs: the same weights
    const file = await loadWeights(W);
    const config = configOf(file, W);
    const data = loadDataset('iris', { seed: config.seed });
    const host = await train(data, config, { epochs: EPOCHS, draws: { kind: 'prng' } });
    const tensors = new Map(file.tensors.map((t) => [t.name, t.data]));
    for (let l = 0; l < 2; l++) {
      expect(Array.from(tensors.get(`W${l}`)!), `W${l}`).toEqual(Array.from(host.engine.weights(l)));
      expect(Array.from(tensors.get(`B${l}`)!), `B${l}`).toEqual(Array.from(host.engine.biases(l)));
    }
    expect(events.slice(0, EPOCHS).map((e) => e.trainAccuracy)).toEqual(host.epochs.map((e) => e.trainAccuracy));
    expect(summary.testAccuracy).toBe(host.testAccuracy);

    // spintrain eval on the host: the accuracy the board reported
    io = captureOutput();
    expect(await main(['eval', '--weights', W, '--dataset', 'iris', '--json'])).toBe(0);
    expect(JSON.parse(io.out().trim()).accuracy).toBe(summary.testAccuracy);
    vi.restoreAllMocks();

    // the same board, a new session (the host finds the sequence number the board expects): pull, eval
    const P = join(OUT, 'pulled.stw');
    io = captureOutput();
    expect(await main(['board', 'pull', '--port', board.path, '--build', BUILD, '--out', P]), io.err()).toBe(0);
    expect(await main(['board', 'eval', '--port', board.path, '--build', BUILD, '--dataset', 'iris', '--json']), io.err()).toBe(0);
    const evalLine = JSON.parse(io.out().trim().split('\n').pop()!);
    vi.restoreAllMocks();
    expect(evalLine.accuracy).toBe(summary.testAccuracy);
    const pulled = await loadWeights(P);
    for (const name of ['W0', 'B0', 'W1', 'B1']) expect(Array.from(pulled.tensors.find((t) => t.name === name)!.data), name).toEqual(Array.from(tensors.get(name)!));
    board.stop();
  }, 60_000);

  it('a line that damages frames: the board NAKs, the host resends, the weights are still the host engine\'s', async () => {
    const board = await ptyBoard('lossy', `EXEC:${exe},pty,raw,echo=0`);
    const channel = lossyChannel(4242, 0.1);
    const io = captureOutput();
    const code = await boardCommand(['train', '--port', board.path, '--build', BUILD, '--dataset', 'iris', '--epochs', '2', '--save', join(OUT, 'lossy.stw'), '--json'], {
      openPort: async (path, baud) => {
        const port = await openBoardSerialPort(path, { baudRate: baud });
        return { ...port, name: port.name, write: (bytes: Uint8Array) => port.write(channel(bytes)) } satisfies BoardPort;
      },
    });
    expect(code, io.err()).toBe(0);
    const summary = JSON.parse(io.out().trim());
    vi.restoreAllMocks();
    const hit = Object.values(channel.faults).reduce((a, b) => a + b, 0);
    console.log(`[board] lossy line: ${hit} faults ${JSON.stringify(channel.faults)} → link ${JSON.stringify(summary.link)}`);
    expect(hit).toBeGreaterThan(0);
    expect(summary.link.naks).toBeGreaterThan(0);
    expect(summary.link.resends).toBeGreaterThan(0);
    const file = await loadWeights(join(OUT, 'lossy.stw'));
    const config = configOf(file, 'lossy.stw');
    const host = await train(loadDataset('iris', { seed: config.seed }), config, { epochs: 2, draws: { kind: 'prng' } });
    expect(Array.from(file.tensors.find((t) => t.name === 'W0')!.data)).toEqual(Array.from(host.engine.weights(0)));
    expect(Array.from(file.tensors.find((t) => t.name === 'W1')!.data)).toEqual(Array.from(host.engine.weights(1)));
    board.stop();
  }, 60_000);

  it('a board built for another layout: refused before any sample is sent, naming the port and both layouts; nothing written', async () => {
    const board = await ptyBoard('other', `EXEC:${other},pty,raw,echo=0`);
    const W = join(OUT, 'never.stw');
    const io = captureOutput();
    expect(await main(['board', 'train', '--port', board.path, '--build', BUILD, '--dataset', 'iris', '--epochs', '1', '--save', W])).toBe(1);
    expect(io.err()).toContain(`${board.path}: the board runs layout 4-5-3 (its weight dump), but the build ${BUILD} is 4-8-3`);
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(existsSync(W)).toBe(false);
    board.stop();
  }, 30_000);

  it('a --build directory without a build: exit 1 naming the file and --build', async () => {
    const io = captureOutput();
    expect(await main(['board', 'pull', '--port', '/dev/null', '--build', join(OUT, 'no-such-build'), '--out', join(OUT, 'x.stw')])).toBe(1);
    expect(io.err()).toContain(`${join(OUT, 'no-such-build', 'weights.stw')}: file: `);
    expect(io.err()).toContain('--build: give the directory spintrain build --out wrote');
  });

  it('a data set the build does not fit: exit 2 naming --dataset, before the port is opened', async () => {
    const io = captureOutput();
    expect(await main(['board', 'train', '--port', '/nonexistent/tty', '--build', BUILD, '--dataset', 'xor'])).toBe(2);
    expect(io.err()).toContain('--dataset: xor has 2 inputs and 2 classes, but the build');
  });

  it('a port that never sends the banner: the error names the port when the driven clock passes the timeout', async () => {
    const pty = await silentPty('silent');
    const clock = new ManualClock();
    const cap = captureOutput();
    const pending = boardCommand(['pull', '--port', pty.path, '--build', BUILD, '--out', join(OUT, 'silent.stw'), '--timeout', '30'], { clock });
    await clock.armed();
    clock.advance(29_999);
    let settled = false;
    void pending.then(() => (settled = true), () => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    clock.advance(1);
    await expect(pending).rejects.toThrow(`${pty.path}: no banner ("ready <runtime> …") from the board within 30 s`);
    expect(cap.err()).toBe('');
    vi.restoreAllMocks();
    expect(existsSync(join(OUT, 'silent.stw'))).toBe(false);
    pty.stop();
  }, 30_000);

  it.skipIf(!existsSync(join(ROOT, 'build/cli/cli.js')))('the real executable: a silent port ends with exit 1 naming the port, no stack trace, nothing written', async () => {
    const pty = await silentPty('silent-exe');
    const W = join(OUT, 'exe.stw');
    const r = await spintrain(['board', 'train', '--port', pty.path, '--build', BUILD, '--dataset', 'iris', '--save', W, '--timeout', '0.5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`spintrain board: ${pty.path}: no banner`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(W)).toBe(false);
    const bad = await spintrain(['board', 'train', '--port', pty.path, '--build', BUILD, '--dataset', 'iris', '--epochs', '-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--epochs');
    pty.stop();
  }, 30_000);

  it('BoardLink finds the sequence number a board that already ran commands expects', async () => {
    const board = await ptyBoard('seq', `EXEC:${exe},pty,raw,echo=0`);
    for (let session = 0; session < 3; session++) {
      const port = await openBoardSerialPort(board.path);
      const link = new BoardLink(port);
      const banner = await link.hello();
      expect(banner.runtime).toBe('wasm2c');
      // E, then 150 R frames: the next session's board expects a seq the host does not know
      const cmds = [{ cmd: 'E' as const, payload: Uint8Array.of(0, 0) }, ...Array.from({ length: 150 }, () => ({ cmd: 'R' as const, payload: new Uint8Array(0) }))];
      let replies = 0;
      await link.exchange(cmds, cmds.length, () => replies++);
      expect(replies).toBe(cmds.length);
      await port.close();
    }
    board.stop();
  }, 30_000);
});

// The emulated Cortex-M3 (QEMU mps2-an385) as the board: the same module and configuration, built with
// arm-none-eabi-gcc and the glue's interactive main (boards/glue/cortex-m/st_mps2_uart_main.c: UART0's receiver
// feeds the protocol), its UART on a pty (-serial pty).
const QEMU_TOOLS = ['wasm2c', 'armGcc', 'armNewlib', 'qemuArm'] as const;
const QEMU_SKIP = skipReason(QEMU_TOOLS);
const ARM_FLAGS = ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft', '-O2', '-std=gnu11', '-ffunction-sections', '-fdata-sections', '-DNDEBUG', '-DST_W2C_TRAPS_HALT', '-Wno-unused-value', '-Wno-unused-function'];

describe.skipIf(QEMU_SKIP || SKIP)(`spintrain board against the emulated Cortex-M3 on a pty ${QEMU_SKIP || SKIP || ''}`, () => {
  it('board train (2 epochs) and board pull: the weights equal the host engine\'s', async () => {
    const BUILD = join(OUT, 'build-iris-qemu');
    const dir = join(OUT, 'qemu');
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    await buildForBoard({ board: 'esp32-devkitc', outDir: BUILD, network: { layout: [4, 8, 3] }, draws: 'prng' });
    const manifest = JSON.parse(readFileSync(join(BUILD, 'build.json'), 'utf8'));
    copyFileSync(join(BUILD, 'spintrain.wasm'), join(dir, 'spintrain.wasm'));
    runTool(systemCommand('wasm2c'), ['-n', 'spintrain', join(dir, 'spintrain.wasm'), '-o', join(dir, 'spintrain.c')]);
    copyFileSync('/usr/include/wasm-rt.h', join(dir, 'wasm-rt.h'));
    copyFileSync(join(BUILD, 'spintrain/src/generated/spintrain_config.h'), join(dir, 'spintrain_config.h'));
    const linear = Math.ceil(manifest.memory.linearBytes / 8) * 8;
    const sources = [join(dir, 'spintrain.c'), ...[...PORTABLE_SOURCES, 'hal/st_hal_sim.c', 'runtime/st_wasm2c.c', 'cortex-m/wasm_rt_static.c', 'cortex-m/st_mps2_port.c', 'cortex-m/st_mps2_uart_main.c'].map((s) => glue(s))];
    const elf = join(dir, 'spintrain-uart.elf');
    runTool(systemCommand('arm-none-eabi-gcc'), [
      ...ARM_FLAGS, `-DST_LINEAR_MEMORY_BYTES=${linear}u`, `-I${dir}`, `-I${glue('portable')}`, `-I${glue('runtime')}`,
      ...sources, '-nostartfiles', '-T', glue('cortex-m/mps2_an385.ld'), '--specs=nano.specs', '--specs=nosys.specs', '-Wl,--gc-sections', '-o', elf,
    ]);
    const built = (performance.now() - t0) / 1000;
    const qemu = spawn(systemCommand('qemu-system-arm'), ['-M', 'mps2-an385', '-display', 'none', '-monitor', 'none', '-serial', 'pty', '-semihosting-config', 'enable=on,target=native', '-kernel', elf], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(qemu);
    try {
      // QEMU says where the UART went: "char device redirected to /dev/pts/N (label serial0)"
      const pts = await new Promise<string>((resolve, reject) => {
        let text = '';
        const look = (c: Buffer): void => {
          text += c;
          const m = /redirected to (\/dev\/pts\/\d+)/.exec(text);
          if (m) resolve(m[1]);
        };
        qemu.stdout!.on('data', look);
        qemu.stderr!.on('data', look);
        qemu.on('exit', (code) => reject(new Error(`qemu exited with ${code}: ${text}`)));
      });
      const W = join(OUT, 'qemu.stw');
      let io = captureOutput();
      const t1 = performance.now();
      expect(await main(['board', 'train', '--port', pts, '--build', BUILD, '--dataset', 'iris', '--epochs', '2', '--save', W, '--json']), io.err()).toBe(0);
      const summary = JSON.parse(io.out().trim());
      vi.restoreAllMocks();
      const trained = (performance.now() - t1) / 1000;
      expect(summary).toMatchObject({ runtime: 'wasm2c-cortex-m3', layout: [4, 8, 3], epochs: 2 });
      const file = await loadWeights(W);
      const config = configOf(file, W);
      const host = await train(loadDataset('iris', { seed: config.seed }), config, { epochs: 2, draws: { kind: 'prng' } });
      for (let l = 0; l < 2; l++) expect(Array.from(file.tensors.find((t) => t.name === `W${l}`)!.data), `W${l}`).toEqual(Array.from(host.engine.weights(l)));
      expect(summary.testAccuracy).toBe(host.testAccuracy);
      const P = join(OUT, 'qemu-pulled.stw');
      io = captureOutput();
      const t2 = performance.now();
      expect(await main(['board', 'pull', '--port', pts, '--build', BUILD, '--out', P]), io.err()).toBe(0);
      vi.restoreAllMocks();
      const pulled = await loadWeights(P);
      expect(Array.from(pulled.tensors.find((t) => t.name === 'W1')!.data)).toEqual(Array.from(host.engine.weights(1)));
      console.log(`[board] QEMU Cortex-M3 over a pty: build ${built.toFixed(1)} s; train 2 × 120 samples at ${summary.samplesPerSecond.toFixed(0)} samples/s (command ${trained.toFixed(2)} s, board's own training time ${summary.boardTrainSeconds.toFixed(3)} s); pull ${((performance.now() - t2) / 1000).toFixed(2)} s; link ${JSON.stringify(summary.link)}`);
    } finally {
      qemu.kill();
    }
  }, 60_000);
});
