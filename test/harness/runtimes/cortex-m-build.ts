/**
 * Cross build for a microcontroller-class core without an FPU: the wasm2c translation of the board
 * module + portable glue + simulated MTJ HAL + a bare-metal wasm2c runtime (cortex-m/wasm_rt_static.c,
 * linear memory = a static buffer of the layout's size, less than a 64 KiB page when it needs less),
 * compiled with arm-none-eabi-gcc (newlib nano) for QEMU's mps2-an385 (Cortex-M3), and run there
 * with semihosting for the exit code and UART0 for the replies.
 */
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { PORTABLE_SOURCES, glue } from '../../../host/deploy/glue-sources.ts';
import { runTool } from './run-tool.ts';
import { systemCommand } from './system-command.ts';
import { cByteArrayHeader } from '../../../host/deploy/c-byte-array.ts';
import { parseBoardReport, type BoardReport } from '../../../host/deploy/serial-stream.ts';
import { DeployError } from '../../../host/deploy/errors.ts';

export interface CortexMBuild {
  elf: string;
  /** arm-none-eabi-size: flash = text + data, static RAM = data + bss (bss includes the linear-memory buffer). */
  sizes: { text: number; data: number; bss: number };
}

const ARM_FLAGS = ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft', '-O2', '-std=gnu11', '-ffunction-sections', '-fdata-sections', '-DNDEBUG', '-DST_W2C_TRAPS_HALT', '-Wno-unused-value', '-Wno-unused-function'];

export function buildCortexM(opts: { wasm: Uint8Array; configHeader: string; stream: Uint8Array; linearMemoryBytes: number; halSeed: number; dir: string }): CortexMBuild {
  const { dir } = opts;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spintrain.wasm'), opts.wasm);
  runTool(systemCommand('wasm2c'), ['-n', 'spintrain', join(dir, 'spintrain.wasm'), '-o', join(dir, 'spintrain.c')]);
  copyFileSync('/usr/include/wasm-rt.h', join(dir, 'wasm-rt.h')); // Debian's wabt: the API header only, no host headers
  writeFileSync(join(dir, 'spintrain_config.h'), opts.configHeader);
  writeFileSync(join(dir, 'st_stream.h'), cByteArrayHeader('st_stream', opts.stream, 'serial stream of the training run'));
  const linear = Math.ceil(opts.linearMemoryBytes / 8) * 8;
  const sources = [join(dir, 'spintrain.c'), ...[...PORTABLE_SOURCES, 'hal/st_hal_sim.c', 'runtime/st_wasm2c.c', 'cortex-m/wasm_rt_static.c', 'cortex-m/st_mps2_port.c', 'cortex-m/st_mps2_main.c'].map((s) => glue(s))];
  const elf = join(dir, 'spintrain-mps2.elf');
  runTool(systemCommand('arm-none-eabi-gcc'), [
    ...ARM_FLAGS, `-DST_LINEAR_MEMORY_BYTES=${linear}u`, `-DST_HAL_SEED=${opts.halSeed >>> 0}u`, `-I${dir}`, `-I${glue('portable')}`,
    ...sources, '-nostartfiles', '-T', glue('cortex-m/mps2_an385.ld'), '--specs=nano.specs', '--specs=nosys.specs', '-Wl,--gc-sections', '-o', elf,
  ]);
  const size = runTool(systemCommand('arm-none-eabi-size'), [elf]).stdout.trim().split('\n')[1].trim().split(/\s+/).map(Number);
  return { elf, sizes: { text: size[0], data: size[1], bss: size[2] } };
}

export interface QemuRun extends BoardReport {
  seconds: number;
  memory: { linearBytes: number; linearLimit: number; stackBytes: number };
  raw: string;
}

/** icount: `-icount shift=0` — virtual time = 1 ns per instruction, so the board's µs × 1000 count instructions. */
export function runQemu(elf: string, layout: number[], timeoutMs = 120_000, icount = false): QemuRun {
  const r = runTool(systemCommand('qemu-system-arm'), ['-M', 'mps2-an385', ...(icount ? ['-icount', 'shift=0'] : []), '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-semihosting-config', 'enable=on,target=native', '-kernel', elf], { timeoutMs, allowFailure: true, input: '' });
  if (r.status !== 0) throw new DeployError(`qemu-system-arm (mps2-an385) exited with ${r.status}:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  const mem = /^mem linear (\d+) limit (\d+) stack (\d+)$/m.exec(r.stdout);
  if (!mem) throw new DeployError(`no memory report from the emulated board:\n${r.stdout.slice(-2000)}`);
  return { ...parseBoardReport(r.stdout, layout), seconds: r.seconds, memory: { linearBytes: Number(mem[1]), linearLimit: Number(mem[2]), stackBytes: Number(mem[3]) }, raw: r.stdout };
}
