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
import { PORTABLE_SOURCES, glue, wasm2cRuntimeDir } from './glue-sources.ts';
import { runTool } from './run-tool.ts';
import { systemCommand } from './system-command.ts';
import { DeployError } from './errors.ts';
import { parseBoardReport, type BoardReport } from './serial-stream.ts';

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
