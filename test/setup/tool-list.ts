/**
 * The system tools the edge-deployment tests need, the Debian package that provides each, and a
 * synchronous probe so a spec can skip (visibly, with the reason) where a tool is missing.
 * In CI (CI=true) a missing tool is not a reason to skip: the spec fails instead (see requireTools).
 */
import { existsSync } from 'node:fs';
import { findSystemCommand } from '../harness/runtimes/system-command.ts';

export interface SystemTool {
  /** What the tests use it for. */
  purpose: string;
  /** A command on PATH, or an absolute file path that the package installs. */
  probe: string;
  /** Debian package providing it. */
  aptPackage: string;
  /** Needed by a benchmark only (test/bench/robust.ts): installed by `system-tools.ts --bench`, not before the tests. */
  benchOnly?: boolean;
}

export const SYSTEM_TOOLS = {
  cc: { purpose: 'compile the wasm2c build natively', probe: 'cc', aptPackage: 'gcc' },
  wasm2c: { purpose: 'translate the module to C', probe: 'wasm2c', aptPackage: 'wabt' },
  wasmValidate: { purpose: 'validate the module with post-MVP features disabled', probe: 'wasm-validate', aptPackage: 'wabt' },
  wasmObjdump: { purpose: 'disassemble the module (no floating point, imports)', probe: 'wasm-objdump', aptPackage: 'wabt' },
  spectestInterp: { purpose: 'run the module in wabt’s interpreter', probe: 'spectest-interp', aptPackage: 'wabt' },
  wasmRtImpl: { purpose: 'wasm2c runtime (wasm-rt-impl.c)', probe: '/usr/share/wabt/wasm2c/wasm-rt-impl.c', aptPackage: 'wabt' },
  armGcc: { purpose: 'cross-compile for Cortex-M', probe: 'arm-none-eabi-gcc', aptPackage: 'gcc-arm-none-eabi' },
  armNewlib: { purpose: 'C library for Cortex-M (newlib, nano specs)', probe: '/usr/lib/arm-none-eabi/newlib/thumb/v7-m/nofp/libc_nano.a', aptPackage: 'libnewlib-arm-none-eabi' },
  qemuArm: { purpose: 'emulate an MPS2-AN385 Cortex-M3 board', probe: 'qemu-system-arm', aptPackage: 'qemu-system-arm' },
  avrGcc: { purpose: 'compile spintrain’s own Uno firmware (boards/firmware/uno)', probe: 'avr-gcc', aptPackage: 'gcc-avr' },
  avrLibc: { purpose: 'C library and device headers for the ATmega328P', probe: '/usr/lib/avr/include/avr/io.h', aptPackage: 'avr-libc' },
  arduinoCoreAvr: {
    purpose: 'the Arduino AVR core (Serial, analogRead, analogWrite, Wire) the Uno firmware links',
    probe: '/usr/share/arduino/hardware/arduino/avr/cores/arduino/Arduino.h',
    aptPackage: 'arduino-core-avr',
  },
  avrdude: { purpose: 'write firmware through a bootloader (spintrain flash)', probe: 'avrdude', aptPackage: 'avrdude' },
  socat: { purpose: 'a pseudo-terminal in front of an emulated bootloader or board', probe: 'socat', aptPackage: 'socat' },
  chromium: { purpose: 'render the run report headless (playwright-core)', probe: '/usr/bin/chromium', aptPackage: 'chromium' },
  sklearnData: {
    purpose: 'scikit-learn’s bundled data sets (digits, wine, breast cancer) for the training benchmark',
    probe: '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz',
    aptPackage: 'python3-sklearn',
    benchOnly: true,
  },
  fashionMnist: {
    purpose: 'Zalando’s Fashion-MNIST (the IDX files) for the sparse-backprop benchmark: a second data set nobody tuned on',
    probe: '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz',
    aptPackage: 'dataset-fashion-mnist',
    benchOnly: true,
  },
} as const satisfies Record<string, SystemTool>;

export type ToolName = keyof typeof SYSTEM_TOOLS;

const cache = new Map<string, boolean>();

/** True when the tool's command is on PATH outside node_modules/.bin (or its file exists). */
export function hasTool(name: ToolName): boolean {
  const { probe } = SYSTEM_TOOLS[name];
  let ok = cache.get(probe);
  if (ok === undefined) {
    ok = probe.startsWith('/') ? existsSync(probe) : findSystemCommand(probe) !== undefined;
    cache.set(probe, ok);
  }
  return ok;
}

export function missingTools(names: readonly ToolName[]): ToolName[] {
  return names.filter((n) => !hasTool(n));
}

/**
 * Skip reason for a spec needing `names`, or false when it can run. Outside CI a missing tool skips
 * the spec with this reason; in CI it returns false, so the spec runs and fails on the missing tool.
 */
export function skipReason(names: readonly ToolName[]): string | false {
  const missing = missingTools(names);
  if (missing.length === 0 || process.env.CI) return false;
  const pkgs = [...new Set(missing.map((n) => SYSTEM_TOOLS[n].aptPackage))].join(' ');
  return `missing ${missing.map((n) => SYSTEM_TOOLS[n].probe).join(', ')} (apt-get install ${pkgs}; run \`tsx test/setup/system-tools.ts\` as root)`;
}
