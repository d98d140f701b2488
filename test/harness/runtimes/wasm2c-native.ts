/**
 * Native build of the board firmware for this machine: the module translated by wasm2c (wabt 1.0.32,
 * `-n spintrain`), wabt's stock runtime (wasm-rt-impl.c), the portable glue, the simulated MTJ HAL and
 * native/st_native_main.c, compiled with the system C compiler. The module and glue are compiled to
 * objects once; each configuration only recompiles the small main (its spintrain_config.h differs).
 * withHal swaps the HAL: the simulated one built with other flags (e.g. without MTJ pairs), or the GPIO
 * HAL with a board header and a port that simulates the circuit at the pins.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PORTABLE_SOURCES, glue, wasm2cRuntimeDir } from '../../../host/deploy/glue-sources.ts';
import { runTool } from './run-tool.ts';
import { systemCommand } from './system-command.ts';
import { DeployError } from '../../../host/deploy/errors.ts';
import { spawn } from 'node:child_process';
import { parseBoardReport, type BoardCommand, type BoardReport } from '../../../host/deploy/serial-stream.ts';
import { FrameSender, type FrameLinkOptions, type FrameLinkStats } from '../../../host/deploy/frame-link.ts';

export interface NativeObjects {
  dir: string;
  /** Module, wasm2c runtime, portable glue, runtime adapter. */
  objects: string[];
  /** The MTJ HAL (and, for the GPIO HAL, its port). */
  hal: string[];
  includes: string[];
  cc: string;
}

const CFLAGS = ['-O2', '-std=gnu11', '-Wall', '-Wno-unused-function', '-Wno-unused-variable', '-Wno-unused-but-set-variable'];

/** wasm2c + compile the module, runtime and glue objects into dir. */
export function compileNativeObjects(wasm: Uint8Array, dir: string, cc = 'cc'): NativeObjects {
  const rt = wasm2cRuntimeDir();
  if (!rt) throw new DeployError('wasm2c runtime (wasm-rt-impl.c) not found: install Debian’s wabt package');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spintrain.wasm'), wasm);
  runTool(systemCommand('wasm2c'), ['-n', 'spintrain', join(dir, 'spintrain.wasm'), '-o', join(dir, 'spintrain.c')]);
  const includes = [`-I${dir}`, `-I${glue('portable')}`, `-I${rt}`];
  const sources = [join(dir, 'spintrain.c'), join(rt, 'wasm-rt-impl.c'), ...[...PORTABLE_SOURCES, 'runtime/st_wasm2c.c'].map((s) => glue(s))];
  const objects = sources.map((src, i) => {
    const obj = join(dir, `${i}-${src.split('/').pop()!.replace(/\.c$/, '.o')}`);
    runTool(cc, [...CFLAGS, ...includes, '-c', src, '-o', obj]);
    return obj;
  });
  const hal = join(dir, 'hal-st_hal_sim.o');
  runTool(cc, [...CFLAGS, ...includes, '-c', glue('hal/st_hal_sim.c'), '-o', hal]);
  return { dir, objects, hal: [hal], includes, cc };
}

/**
 * The same objects with another HAL: `sources` (paths) compiled into dir/name with extra flags, e.g.
 * [glue('hal/st_hal_sim.c')] with -DST_HAL_SIM_NO_PAIRS, or the GPIO HAL and a port with -I<dir of spintrain_board.h>.
 */
export function withHal(objs: NativeObjects, name: string, sources: string[], flags: string[] = []): NativeObjects {
  const dir = join(objs.dir, `hal-${name}`);
  mkdirSync(dir, { recursive: true });
  const hal = sources.map((src, i) => {
    const obj = join(dir, `${i}-${src.split('/').pop()!.replace(/\.c$/, '.o')}`);
    runTool(objs.cc, [...CFLAGS, ...flags, ...objs.includes, '-c', src, '-o', obj]);
    return obj;
  });
  return { ...objs, hal };
}

/** Links a native executable for one configuration header. */
export function linkNative(objs: NativeObjects, configHeader: string, name: string): string {
  const dir = join(objs.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spintrain_config.h'), configHeader);
  const exe = join(dir, 'st-native');
  runTool(objs.cc, [...CFLAGS, `-I${dir}`, ...objs.includes, glue('native/st_native_main.c'), ...objs.objects, ...objs.hal, '-o', exe, '-lm']);
  return exe;
}

/** Streams the protocol bytes through the executable and parses its replies. */
export function runNative(exe: string, stream: Uint8Array, layout: number[], args: string[] = []): BoardReport & { seconds: number; raw: string } {
  const r = runTool(exe, args, { input: stream, allowFailure: true });
  if (r.status !== 0) throw new DeployError(`${exe} exited with ${r.status}:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return { ...parseBoardReport(r.stdout, layout), seconds: r.seconds, raw: r.stdout };
}

/**
 * Runs the executable as a host runs a board: frame by frame through FrameSender (ACKs, NAKs, resends).
 * `channel` stands between the host and the board's input, e.g. one that drops or corrupts bytes; the
 * board's replies come back intact. `received` is every byte the board was given, in order: replayed
 * to another build of the glue (e.g. the emulated Cortex-M), it must answer the same.
 */
export async function runNativeLinked(
  exe: string, commands: BoardCommand[], layout: number[],
  opts: { args?: string[]; channel?: (frame: Uint8Array) => Uint8Array; link?: FrameLinkOptions; timeoutMs?: number } = {},
): Promise<BoardReport & { seconds: number; raw: string; stats: FrameLinkStats; received: Uint8Array }> {
  const t0 = performance.now();
  const child = spawn(exe, opts.args ?? [], { stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  let stderr = '';
  let pending = '';
  const received: Uint8Array[] = []; // what reached the board, in order (a replayable transcript)
  const sender = new FrameSender(commands, (frame) => {
    const bytes = opts.channel ? opts.channel(frame) : frame;
    received.push(bytes);
    child.stdin.write(bytes);
  }, opts.link);
  child.stdin.on('error', () => undefined); // the board quit: later resends have nowhere to go
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    raw += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) sender.onLine(line);
  });
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  void exited.then((code) => sender.fail(new DeployError(`${exe} exited with ${code} before every frame was acknowledged:\n${raw.slice(-2000)}${stderr.slice(-2000)}`)));
  const kill = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  try {
    const stats = await sender.run();
    child.stdin.end();
    const code = await exited;
    if (code !== 0) throw new DeployError(`${exe} exited with ${code}:\n${raw.slice(-2000)}${stderr.slice(-2000)}`);
    return { ...parseBoardReport(raw, layout), seconds: (performance.now() - t0) / 1000, raw, stats, received: Buffer.concat(received) };
  } finally {
    clearTimeout(kill);
    child.kill();
  }
}
