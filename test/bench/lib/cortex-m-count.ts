/**
 * Guest instructions per training sample on QEMU's MPS2 boards (test/bench/board-speed.ts). The image is
 * boards/glue/cortex-m/st_mps2_count_main.c: it replays a compiled-in stream through the serial protocol,
 * whose training clock there is SysTick ticks (25 MHz). QEMU runs with `-icount shift=0`, 1 ns of virtual
 * time per guest instruction, so one tick is 40 instructions; the count covers st_session_train only
 * (the protocol times each 'S' frame), not frame parsing, CRC or replies.
 *
 * Each count is a difference: the same run with N and 2N samples, (ticks(2N) − ticks(N)) · 40 / N, so
 * anything paid once (the first call, a warm-up) drops out. QEMU's icount is deterministic: the same
 * image gives the same count every time (checked by the bench).
 *
 * Code generation per core (arm-none-eabi-gcc -O2, newlib nano, soft float), and the QEMU board it runs on:
 *   cortex-m3     -mcpu=cortex-m3      mps2-an385
 *   cortex-m0plus -mcpu=cortex-m0plus  mps2-an385 (ARMv6-M Thumb is a subset of ARMv7-M: the Thumb-1 binary
 *                                      runs unchanged on the M3 model and its instructions are counted)
 *   cortex-m4     -mcpu=cortex-m4      mps2-an386
 *   cortex-m7     -mcpu=cortex-m7      mps2-an500
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { PORTABLE_SOURCES, glue } from '../../../host/deploy/glue-sources.ts';
import { cByteArrayHeader } from '../../../host/deploy/c-byte-array.ts';
import { parseBoardReport, type BoardReport } from '../../../host/deploy/serial-stream.ts';
import { DeployError } from '../../../host/deploy/errors.ts';
import { withAlignedAccess } from '../../../host/deploy/wasm2c-sketch.ts';
import { runTool } from '../../harness/runtimes/run-tool.ts';
import { systemCommand } from '../../harness/runtimes/system-command.ts';

import type { CountIsa, CountRuntime } from '../board-speed-markdown.ts';
export type { CountIsa, CountRuntime };

export const QEMU_MACHINE: Record<CountIsa, string> = { 'cortex-m3': 'mps2-an385', 'cortex-m0plus': 'mps2-an385', 'cortex-m4': 'mps2-an386', 'cortex-m7': 'mps2-an500' };
/** Guest instructions per SysTick tick under -icount shift=0 (1 ns per instruction, 25 MHz SysTick). */
export const INSTRUCTIONS_PER_TICK = 40;
export const OPT = '-O2';

const flags = (isa: CountIsa): string[] => [
  `-mcpu=${isa}`, '-mthumb', '-mfloat-abi=soft', OPT, '-std=gnu11', '-ffunction-sections', '-fdata-sections', '-DNDEBUG', '-Wno-unused-value', '-Wno-unused-function',
];

const hash = (...parts: (string | Uint8Array)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
};

/** A digest of the glue folders the images are compiled from (boards/glue/{portable,runtime,hal,cortex-m}). */
function glueDigest(): string {
  const parts: (string | Uint8Array)[] = [];
  for (const folder of ['portable', 'runtime', 'hal', 'cortex-m']) {
    for (const f of readdirSync(glue(folder)).sort()) parts.push(`${folder}/${f}`, readFileSync(glue(`${folder}/${f}`)));
  }
  return hash(...parts);
}

function compile(isa: CountIsa, src: string, obj: string, extra: string[]): string {
  if (!existsSync(obj)) runTool(systemCommand('arm-none-eabi-gcc'), [...flags(isa), ...extra, '-c', src, '-o', obj], { timeoutMs: 600_000 });
  return obj;
}

/** wasm3's core sources (no WASI/libc bindings) compiled for a core, once per directory. Built as for Arduino (-DARDUINO: its device defaults). */
export const WASM3_SOURCES = ['m3_bind.c', 'm3_code.c', 'm3_compile.c', 'm3_core.c', 'm3_emit.c', 'm3_env.c', 'm3_exec.c', 'm3_function.c', 'm3_info.c', 'm3_module.c', 'm3_optimize.c', 'm3_parse.c'];
export const WASM3_DEFINES = ['-DARDUINO=10819', '-Dd_m3LogOutput=0'];

/** The directory holding wasm3.h (WASM3_SRC itself or its source/). */
export function wasm3SourceDir(root: string): string | undefined {
  return [join(root, 'source'), root].find((d) => existsSync(join(d, 'wasm3.h')) && existsSync(join(d, 'm3_exec.c')));
}

function wasm3Objects(isa: CountIsa, src: string, dir: string): string[] {
  const out = join(dir, `wasm3-${isa}`);
  mkdirSync(out, { recursive: true });
  return WASM3_SOURCES.filter((s) => existsSync(join(src, s))).map((s) => compile(isa, join(src, s), join(out, s.replace(/\.c$/, '.o')), [...WASM3_DEFINES, `-I${src}`]));
}

export interface CountBuild {
  isa: CountIsa;
  runtime: CountRuntime;
  wasm: Uint8Array;
  configHeader: string;
  linearMemoryBytes: number;
  /** Where wasm3.h and its sources are (runtime wasm3). */
  wasm3Src?: string;
  /** Scratch directory (build products stay under build/). */
  dir: string;
}

/** Builds the counting image for one stream; objects that do not depend on the stream are reused. */
export function buildCountImage(b: CountBuild, stream: Uint8Array, tag: string): { elf: string; flashBytes: number } {
  // the glue's sources are in the key too: objects are reused only while nothing they are built from changed
  const key = hash(b.isa, b.runtime, b.wasm, b.configHeader, String(b.linearMemoryBytes), glueDigest());
  const dir = join(b.dir, `${b.runtime}-${b.isa}-${key}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spintrain_config.h'), b.configHeader);
  const linear = Math.ceil(b.linearMemoryBytes / 8) * 8;
  const inc = [`-I${dir}`, `-I${glue('portable')}`];
  const objs: string[] = [];
  const runtimeDefs: string[] = [];
  if (b.runtime === 'wasm2c') {
    if (!existsSync(join(dir, 'spintrain.c'))) {
      writeFileSync(join(dir, 'spintrain.wasm'), b.wasm);
      runTool(systemCommand('wasm2c'), ['-n', 'spintrain', join(dir, 'spintrain.wasm'), '-o', join(dir, 'spintrain.c')]);
      // as spintrain build emits it: aligned accesses on ARMv6-M (boards/glue/runtime/st_wasm2c_access.h)
      writeFileSync(join(dir, 'spintrain.c'), withAlignedAccess(readFileSync(join(dir, 'spintrain.c'), 'utf8'), glue('runtime/st_wasm2c_access.h')));
      copyFileSync('/usr/include/wasm-rt.h', join(dir, 'wasm-rt.h'));
    }
    const defs = ['-DST_W2C_TRAPS_HALT', `-DST_LINEAR_MEMORY_BYTES=${linear}u`, ...inc];
    objs.push(compile(b.isa, join(dir, 'spintrain.c'), join(dir, 'spintrain.o'), defs));
    for (const s of ['runtime/st_wasm2c.c', 'cortex-m/wasm_rt_static.c']) objs.push(compile(b.isa, glue(s), join(dir, s.replace(/\//g, '_').replace(/\.c$/, '.o')), defs));
  } else {
    if (!b.wasm3Src) throw new DeployError('wasm3 build without WASM3_SRC');
    writeFileSync(join(dir, 'spintrain_module.h'), cByteArrayHeader('spintrain_module', b.wasm, 'the board module, for wasm3'));
    objs.push(...wasm3Objects(b.isa, b.wasm3Src, b.dir));
    const defs = [...WASM3_DEFINES, `-I${b.wasm3Src}`, ...inc];
    objs.push(compile(b.isa, glue('runtime/st_wasm3.c'), join(dir, 'runtime_st_wasm3.o'), defs));
    runtimeDefs.push('-DST_COUNT_WASM3');
  }
  for (const s of [...PORTABLE_SOURCES, 'hal/st_hal_sim.c', 'cortex-m/st_mps2_port.c']) objs.push(compile(b.isa, glue(s), join(dir, s.replace(/\//g, '_').replace(/\.c$/, '.o')), inc));
  writeFileSync(join(dir, `st_stream.h`), cByteArrayHeader('st_stream', stream, `serial stream ${tag}`));
  const main = compile(b.isa, glue('cortex-m/st_mps2_count_main.c'), join(dir, `main-${tag}-${hash(stream)}.o`), [...runtimeDefs, ...inc]);
  const elf = join(dir, `count-${tag}.elf`);
  runTool(systemCommand('arm-none-eabi-gcc'), [
    ...flags(b.isa), ...objs, main, '-nostartfiles', '-T', glue('cortex-m/mps2_an385.ld'), '--specs=nano.specs', '--specs=nosys.specs', '-Wl,--gc-sections', '-o', elf, '-lm',
  ], { timeoutMs: 600_000 });
  const size = runTool(systemCommand('arm-none-eabi-size'), [elf]).stdout.trim().split('\n')[1].trim().split(/\s+/).map(Number);
  return { elf, flashBytes: size[0] + size[1] };
}

export interface CountRun extends BoardReport {
  /** Sum of the epochs' training ticks (25 MHz SysTick). */
  ticks: number;
  stdout: string;
}

/**
 * UART0 goes to a file, not a pipe: a pipe that is momentarily full makes the emulated UART report
 * "TX full" for a host-dependent number of polls, which shifts the 1 ms SysTick interrupts against the
 * training steps and changed counts by a few ticks from run to run; into a file the count is the same
 * every time.
 */
export function runCountImage(elf: string, isa: CountIsa, layout: number[], timeoutMs = 900_000): CountRun {
  const out = `${elf}.uart.txt`;
  rmSync(out, { force: true });
  const r = runTool(systemCommand('qemu-system-arm'), ['-M', QEMU_MACHINE[isa], '-icount', 'shift=0', '-display', 'none', '-monitor', 'none', '-serial', `file:${out}`, '-semihosting-config', 'enable=on,target=native', '-kernel', elf], { timeoutMs, allowFailure: true, input: '' });
  const stdout = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (r.status !== 0 || !/^count ticks-per-us 25 runtime /m.test(stdout)) {
    throw new DeployError(`qemu-system-arm (${QEMU_MACHINE[isa]}) exited with ${r.status}:\n${stdout.slice(-2000)}${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  }
  const report = parseBoardReport(stdout, layout);
  return { ...report, ticks: report.epochs.reduce((s, e) => s + e.trainMicros, 0), stdout };
}
