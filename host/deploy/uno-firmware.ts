/**
 * Builds spintrain's own Uno firmware (boards/firmware/uno/) into an Intel HEX, with Debian's toolchain:
 * gcc-avr (avr-gcc, avr-g++, avr-objcopy, avr-size), avr-libc and arduino-core-avr (the Arduino core
 * from /usr/share/arduino/hardware/arduino/avr: cores/arduino, variants/standard, libraries/Wire/src).
 *
 * Every core file, Wire and the firmware sources are compiled for the ATmega328P at 16 MHz with the
 * Arduino IDE's flags (-Os, function/data sections), linked with --gc-sections, and turned into a HEX with
 * avr-objcopy. Output: build/firmware/uno/<hash>/spintrain_firmata.{elf,hex}, where <hash> covers the
 * sources (firmware, core, Wire), the flags and the compiler version: a second call with nothing changed
 * reads the cached HEX. Concurrent builds (parallel spec files) each build in a private directory and
 * rename it into place; the first one wins.
 *
 * The default output is the package's build/firmware/uno/; where that is not writable (an installed
 * package), ~/.cache/spintrain/firmware/uno/. `spintrain flash` builds through here; so do the tests.
 *
 *   const fw = await buildUnoFirmware();   // { hex, hexPath, flashBytes, ramBytes, cached }
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { packagePath } from '../package-root.ts';
import { FirmwareBuildError } from './errors.ts';

const run = promisify(execFile);

export const ARDUINO_AVR = '/usr/share/arduino/hardware/arduino/avr';
export const FIRMWARE_DIR = packagePath('boards', 'firmware', 'uno');
/** Uno flash available to a sketch: 32 KiB minus the 512-byte optiboot bootloader. */
export const UNO_SKETCH_FLASH_BYTES = 32768 - 512;
export const UNO_SRAM_BYTES = 2048;

const MCU_FLAGS = ['-mmcu=atmega328p', '-DF_CPU=16000000L', '-DARDUINO=10819', '-DARDUINO_AVR_UNO', '-DARDUINO_ARCH_AVR'];
const C_FLAGS = ['-c', '-Os', '-w', '-std=gnu11', '-ffunction-sections', '-fdata-sections'];
/**
 * -DDECIMAL_DIG: Debian's gcc-avr 5.4 float.h defines DECIMAL_DIG for C99 only, not for C++11, and the core's
 * WString.cpp needs it (the Arduino IDE's avr-gcc 7.3 defines it for C++11 too): the compiler's own value.
 */
const CXX_FLAGS = [
  '-c',
  '-Os',
  '-std=gnu++11',
  '-fpermissive',
  '-fno-exceptions',
  '-ffunction-sections',
  '-fdata-sections',
  '-fno-threadsafe-statics',
  '-DDECIMAL_DIG=__DECIMAL_DIG__',
];
const S_FLAGS = ['-c', '-x', 'assembler-with-cpp'];
const LINK_FLAGS = ['-Os', '-Wl,--gc-sections', '-mmcu=atmega328p'];

export interface FirmwareBuild {
  /** Intel HEX text. */
  hex: string;
  hexPath: string;
  elfPath: string;
  /** Flash used (.text + .data) [bytes]. */
  flashBytes: number;
  /** Static RAM used (.data + .bss) [bytes]. */
  ramBytes: number;
  /** Serial baud rate compiled in. */
  baud: number;
  /** Read from the cache (no compiler run). */
  cached: boolean;
  /** Compiler warnings on the firmware's own sources. */
  warnings: string;
}

export interface BuildFirmwareOptions {
  /** Firmware sources. Default the package's boards/firmware/uno. */
  sourceDir?: string;
  /** Output root. Default the package's build/firmware/uno, or ~/.cache/spintrain/firmware/uno. */
  outDir?: string;
  /** The Arduino AVR platform. Default Debian's arduino-core-avr. */
  arduinoDir?: string;
  /**
   * Serial baud rate of the link (-DSPINTRAIN_BAUD): the board profile's runtime.baud. Default 57600 (as
   * StandardFirmata). 16 MHz / (8 · (UBRR + 1)) hits 57600 within 2.1 % and 115200, 250000, 500000 exactly or within 2.1 %.
   */
  baud?: number;
}

interface Unit {
  src: string;
  kind: 'c' | 'cpp' | 'S';
  own: boolean;
}

function unitsIn(dir: string, own: boolean): Unit[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f): Unit[] => {
      const m = /\.(c|cpp|S)$/.exec(f);
      return m ? [{ src: join(dir, f), kind: m[1] as Unit['kind'], own }] : [];
    });
}

/** Build (or read from the cache) the firmware HEX. */
export async function buildUnoFirmware(options: BuildFirmwareOptions = {}): Promise<FirmwareBuild> {
  const sourceDir = resolve(options.sourceDir ?? FIRMWARE_DIR);
  const outRoot = resolve(options.outDir ?? defaultOutDir());
  const avr = options.arduinoDir ?? ARDUINO_AVR;
  const baud = options.baud ?? 57600;
  if (!Number.isInteger(baud) || baud < 300 || baud > 2_000_000) throw new FirmwareBuildError(`baud ${baud}: must be an integer from 300 to 2000000`);
  const ownDefines = [`-DSPINTRAIN_BAUD=${baud}`];
  const core = join(avr, 'cores/arduino');
  const variant = join(avr, 'variants/standard');
  const wire = join(avr, 'libraries/Wire/src');
  for (const [what, path] of [
    ['the Arduino core (apt-get install arduino-core-avr)', join(core, 'Arduino.h')],
    ['the firmware sources', join(sourceDir, 'spintrain_firmata.cpp')],
  ]) {
    if (!existsSync(path)) throw new FirmwareBuildError(`${what} not found: ${path}`);
  }
  const units = [...unitsIn(sourceDir, true), ...unitsIn(core, false), ...unitsIn(wire, false), ...unitsIn(join(wire, 'utility'), false)];
  const headers = [sourceDir, core, variant, wire, join(wire, 'utility')].flatMap((d) =>
    readdirSync(d)
      .filter((f) => /\.h$/.test(f) || f === 'new')
      .sort()
      .map((f) => join(d, f)),
  );
  let compiler: string;
  try {
    compiler = (await run('avr-gcc', ['--version'])).stdout.split('\n')[0];
  } catch {
    throw new FirmwareBuildError('avr-gcc not found (apt-get install gcc-avr avr-libc arduino-core-avr)');
  }
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ compiler, MCU_FLAGS, C_FLAGS, CXX_FLAGS, S_FLAGS, LINK_FLAGS, ownDefines }));
  for (const f of [...units.map((u) => u.src), ...headers]) hash.update(`${f}\0`).update(readFileSync(f)).update('\0');
  const key = hash.digest('hex').slice(0, 16);
  const dir = join(outRoot, key);
  const hexPath = join(dir, 'spintrain_firmata.hex');
  const elfPath = join(dir, 'spintrain_firmata.elf');
  let cached = true;
  let warnings = '';
  if (!existsSync(hexPath)) {
    cached = false;
    const work = join(outRoot, `tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(work, { recursive: true });
    try {
      const includes = [core, variant, wire, sourceDir].map((d) => `-I${d}`);
      const objects = await Promise.all(
        units.map(async (u, i) => {
          const obj = join(work, `${i}-${basename(u.src)}.o`);
          const tool = u.kind === 'c' || u.kind === 'S' ? 'avr-gcc' : 'avr-g++';
          const base = u.kind === 'c' ? C_FLAGS : u.kind === 'cpp' ? [...CXX_FLAGS, u.own ? '-Wall' : '-w'] : S_FLAGS;
          const flags = u.own ? [...base, ...ownDefines] : base;
          try {
            const { stderr } = await run(tool, [...flags, ...MCU_FLAGS, ...includes, u.src, '-o', obj], { maxBuffer: 1 << 24 });
            if (u.own && stderr.trim()) warnings += stderr;
          } catch (e) {
            const err = e as Error & { stderr?: string };
            throw new FirmwareBuildError(`${tool} ${u.src} failed:\n${err.stderr ?? err.message}`);
          }
          return obj;
        }),
      );
      const elf = join(work, 'spintrain_firmata.elf');
      try {
        await run('avr-gcc', [...LINK_FLAGS, '-o', elf, ...objects, '-lm'], { maxBuffer: 1 << 24 });
      } catch (e) {
        const err = e as Error & { stderr?: string };
        throw new FirmwareBuildError(`link failed:\n${err.stderr ?? err.message}`);
      }
      await run('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', elf, join(work, 'spintrain_firmata.hex')]);
      for (const f of readdirSync(work)) if (f.endsWith('.o')) rmSync(join(work, f));
      try {
        renameSync(work, dir); // atomic; fails if a concurrent build got there first
      } catch {
        if (!existsSync(hexPath)) throw new FirmwareBuildError(`cannot move the build into ${dir}`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const { stdout } = await run('avr-size', ['-A', elfPath]);
  const section = (name: string) => Number(new RegExp(`^\\${name}\\s+(\\d+)`, 'm').exec(stdout)?.[1] ?? 0);
  return {
    hex: readFileSync(hexPath, 'utf8'),
    hexPath,
    elfPath,
    flashBytes: section('.text') + section('.data'),
    ramBytes: section('.data') + section('.bss'),
    baud,
    cached,
    warnings,
  };
}

/** The package's build/firmware/uno when it can be written, else the user's cache. */
function defaultOutDir(): string {
  const inPackage = packagePath('build', 'firmware', 'uno');
  try {
    mkdirSync(inPackage, { recursive: true });
    return inPackage;
  } catch {
    return join(homedir(), '.cache', 'spintrain', 'firmware', 'uno');
  }
}
