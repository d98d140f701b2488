/**
 * BoardProfile: everything spintrain needs to know about a microcontroller board — the CPU and memory
 * budget for the WebAssembly runtime, how the MTJ array and the power sensor are wired, the ADC, and an
 * energy table for the op counters. One file per board in boards/ exports one profile.
 * validateBoardProfile() checks a profile and names the offending field (dotted path) on failure.
 */
import { BoardProfileError } from './errors.ts';

/** How the trainer runs on the board. */
export type BoardRuntime =
  /** The host runs the WASM trainer; the board only drives the MTJ circuit over Firmata (johnny-five). */
  /**
   * firmware: 'spintrain' when the board's MTJ circuit only works with spintrain's own firmware
   * (boards/firmware/uno: its 31.37 kHz PWM); absent when any Firmata firmware (e.g. StandardFirmata) will do.
   */
  | { kind: 'host-tethered'; transport: 'firmata'; baud: number; firmware?: 'spintrain' }
  /**
   * The board runs the WASM module itself. wamrInterpreter (WAMR only, default 'fast'): which interpreter the
   * WAMR build has; it sizes WAMR's pool (host/deploy/wamr-pool.ts).
   */
  | { kind: 'wasm3' | 'wamr'; wasmMemoryLimitBytes: number; transport: 'serial' | 'ble' | 'wifi' | 'usb'; baud?: number; wamrInterpreter?: 'fast' | 'classic' };

/** Write-current source: current = V_out / R_sense (V→I converter). */
export type WriteCurrentSource =
  /**
   * PWM through an RC low-pass filter: V_out = duty · V_pwm (its mean); pins[d] drives device d.
   * rcTimeConstantS [s]: τ of each pole; rcPoles (default 1): how many equal, buffered poles in series.
   * settleS [s]: the driver waits this long after changing a duty before it pulses (filter settling).
   */
  | { kind: 'pwm-rc'; pins: number[]; pwmBits: number; pwmHighV: number; rcTimeConstantS: number; rcPoles?: 1 | 2; settleS: number; senseOhm: number }
  /** One MCP4725 12-bit I²C DAC per device: V_out = code/4096 · V_ref. */
  | { kind: 'mcp4725'; i2cAddresses: number[]; dacBits: number; vrefV: number; settleS: number; senseOhm: number };

export interface MtjWiring {
  current: WriteCurrentSource;
  /** Rising edge on `pin` fires a hardware one-shot of `widthS` [s] that gates the write current through every SOT line. */
  pulse: { pin: number; widthS: number };
  /** Rising edge on `pin` fires the reset one-shot: every junction back to P. */
  reset: { pin: number };
  /**
   * Read path: a fixed current source `biasCurrentA` [A] through each junction; adcPins[d] (analog channel number)
   * reads junction d's voltage V = I_b · R; bit = V ≥ thresholdV.
   */
  read: { adcPins: number[]; biasCurrentA: number; thresholdV: number };
  /** Write-current limits [A] the driver enforces (hardware protection). */
  limits: { minCurrentA: number; maxCurrentA: number };
}

/**
 * MTJ pairs for the finite-difference gradient (V(I + ΔI) − V(I))/ΔI (optional). Pair p is two nominally
 * identical junctions, twin A and twin B. Each twin's read current comes from its own PWM pin through an RC
 * low-pass and a bipolar V→I converter, I = (duty·pwmHighV − midV)/senseOhm (so |I| ≤ min(midV,
 * pwmHighV − midV)/senseOhm); its junction voltage, level-shifted by adcOffsetV to fit the ADC, is read on
 * its own ADC channel: V = V_adc − adcOffsetV.
 */
export interface MtjPairWiring {
  /** Per pair, the PWM pins of twin A (current I) and twin B (current I + ΔI). */
  biasPins: [number, number][];
  /** Per pair, the ADC channels of twin A and twin B. */
  adcPins: [number, number][];
  pwmBits: number;
  pwmHighV: number;
  /** Converter mid-point [V]: duty·pwmHighV = midV gives I = 0. */
  midV: number;
  senseOhm: number;
  /** Wait after a duty change before reading [s] (filter settling). */
  settleS: number;
  /** Level shift added to the junction voltage before the ADC [V]. */
  adcOffsetV: number;
}

export interface PowerSensor {
  kind: 'ina219' | 'ina226';
  i2cAddress: number;
  sdaPin: number | string;
  sclPin: number | string;
  shuntOhm: number;
}

/** Energy per operation [pJ] for the op counters (process-dependent estimates; cite the source in the board file). */
export interface EnergyTablePj {
  intAdd32: number;
  intMul32: number;
  intMul16: number;
  sramRead32: number;
  flashRead32: number;
  /** One MTJ write pulse (SOT). */
  mtjWrite: number;
  /** One MTJ read. */
  mtjRead: number;
}

export interface BoardProfile {
  /** Stable id, written into calibration files. */
  id: string;
  name: string;
  cpu: { arch: 'avr' | 'xtensa' | 'riscv' | 'arm-cortex-m0+' | 'arm-cortex-m4f' | 'arm-cortex-m7'; core: string; clockHz: number };
  /** On-chip memory [bytes]. */
  memory: { ramBytes: number; flashBytes: number };
  runtime: BoardRuntime;
  adc: { bits: number; referenceV: number };
  mtj?: MtjWiring;
  /**
   * Optional: the trainable activation's range the device realises, p = σ(k(z + c)) (README: k from the
   * anisotropy Δ, c from the write pulse width); training with --trainable-activation clamps k and c into it.
   */
  activationRange?: { kMin: number; kMax: number; cMin: number; cMax: number };
  /** Optional MTJ pairs for the pair algorithm's finite-difference gradient. */
  mtjPairs?: MtjPairWiring;
  powerSensor?: PowerSensor;
  /** A Firmata board's pin numbering (host-tethered boards): how the host names its pins. */
  firmataPins?: FirmataPins;
  /** How `spintrain flash` writes spintrain's own firmware to the board (absent: the command refuses it). */
  flash?: FlashSpec;
  /**
   * The board's PlatformIO environment (a board that runs the module): `spintrain build` writes a PlatformIO
   * project for it (host/deploy/platformio-project.ts); absent, it writes none.
   */
  platformio?: PlatformIoTarget;
  /**
   * The Arduino cores the board runs on (a board that runs the module): `spintrain build` writes the glue as
   * an Arduino library for them (host/deploy/arduino-library.ts); absent, it writes none.
   */
  arduino?: ArduinoTarget;
  energyPj: EnergyTablePj;
}

/** A board's PlatformIO environment: `[env:<id>]` with platform, board and framework = arduino. */
export interface PlatformIoTarget {
  /** `platform =`: a registry name (espressif32, …) or the Git URL of a platform the registry lacks. */
  platform: string;
  /** `board =`: PlatformIO's board id (esp32dev, …). */
  board: string;
  /** Further options of the environment, written as given (e.g. `board_build.core` to pick the Arduino core). */
  options?: Record<string, string>;
}

/** The keys platformio-project.ts writes itself: an option may not set them. */
export const PLATFORMIO_OWN_KEYS = ['platform', 'board', 'framework', 'monitor_speed', 'lib_deps', 'build_flags'] as const;

/** A board's Arduino cores: their architecture names, as library.properties `architectures=` lists them. */
export interface ArduinoTarget {
  architectures: string[];
}

/** avrdude's view of a board `spintrain flash` can write (boards/firmware/<firmware>/). */
export interface FlashSpec {
  /** The firmware's folder under boards/firmware/. */
  firmware: 'uno';
  /** avrdude -p (the MCU; avrdude also checks its signature before writing). */
  avrdudePart: string;
  /** avrdude -c (the bootloader's protocol) and -b (its baud rate). */
  programmer: string;
  baud: number;
  /** Flash a sketch may use [bytes] (without the bootloader). */
  sketchFlashBytes: number;
  /** USB vendor:product ids (lowercase hex) of the board's serial adapters; a listed port with other ids is refused. */
  usbIds: string[];
}

/** Firmata's pin numbers on a board: digital pins 0..digitalPins−1, the analog pins from analogBase on. */
export interface FirmataPins {
  /** Digital pins, analog pins included (Uno: D0–D13 and A0–A5 = 20). */
  digitalPins: number;
  /** Pins that carry the serial link to the host (never a marker). */
  serialPins: number[];
  /** Digital number of analog pin A0 (Uno: 14). */
  analogBase: number;
}

/** Check a profile (e.g. one loaded from JSON); returns it typed or throws BoardProfileError naming the field. */
export function validateBoardProfile(p: unknown): BoardProfile {
  const id = typeof (p as { id?: unknown })?.id === 'string' ? (p as { id: string }).id : '(unnamed)';
  const fail = (field: string, reason: string): never => {
    throw new BoardProfileError(id, field, reason);
  };
  const obj = (v: unknown, f: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(f, 'must be an object');
  const pos = (v: unknown, f: string): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail(f, `must be a positive number, got ${JSON.stringify(v)}`));
  const nonneg = (v: unknown, f: string): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(f, `must be a number ≥ 0, got ${JSON.stringify(v)}`));
  const int = (v: unknown, f: string, lo: number, hi: number): number =>
    Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi ? (v as number) : fail(f, `must be an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  const str = (v: unknown, f: string): string => (typeof v === 'string' && v.length > 0 ? v : fail(f, 'must be a non-empty string'));

  const b = obj(p, '(root)');
  str(b.id, 'id');
  str(b.name, 'name');
  const cpu = obj(b.cpu, 'cpu');
  const arches = ['avr', 'xtensa', 'riscv', 'arm-cortex-m0+', 'arm-cortex-m4f', 'arm-cortex-m7'];
  if (!arches.includes(cpu.arch as string)) fail('cpu.arch', `must be one of ${arches.join(', ')}`);
  str(cpu.core, 'cpu.core');
  pos(cpu.clockHz, 'cpu.clockHz');
  const mem = obj(b.memory, 'memory');
  pos(mem.ramBytes, 'memory.ramBytes');
  pos(mem.flashBytes, 'memory.flashBytes');
  const rt = obj(b.runtime, 'runtime');
  if (rt.kind === 'host-tethered') {
    if (rt.transport !== 'firmata') fail('runtime.transport', 'must be "firmata" for a host-tethered board');
    pos(rt.baud, 'runtime.baud');
    if (rt.firmware !== undefined && rt.firmware !== 'spintrain') fail('runtime.firmware', 'must be "spintrain" when given');
  } else if (rt.kind === 'wasm3' || rt.kind === 'wamr') {
    const lim = pos(rt.wasmMemoryLimitBytes, 'runtime.wasmMemoryLimitBytes');
    if (lim > (mem.ramBytes as number)) fail('runtime.wasmMemoryLimitBytes', `(${lim}) exceeds memory.ramBytes (${mem.ramBytes})`);
    if (!['serial', 'ble', 'wifi', 'usb'].includes(rt.transport as string)) fail('runtime.transport', 'must be serial, ble, wifi or usb');
    if (rt.wamrInterpreter !== undefined) {
      if (rt.kind !== 'wamr') fail('runtime.wamrInterpreter', 'applies to WAMR only');
      if (rt.wamrInterpreter !== 'fast' && rt.wamrInterpreter !== 'classic') fail('runtime.wamrInterpreter', 'must be "fast" or "classic"');
    }
  } else fail('runtime.kind', 'must be "host-tethered", "wasm3" or "wamr"');
  const adc = obj(b.adc, 'adc');
  const adcBits = int(adc.bits, 'adc.bits', 6, 24);
  const vref = pos(adc.referenceV, 'adc.referenceV');

  if (b.mtj !== undefined) {
    const m = obj(b.mtj, 'mtj');
    const read = obj(m.read, 'mtj.read');
    if (!Array.isArray(read.adcPins) || read.adcPins.length === 0) fail('mtj.read.adcPins', 'must be a non-empty array');
    const adcPins = read.adcPins as unknown[];
    adcPins.forEach((v, i) => int(v, `mtj.read.adcPins[${i}]`, 0, 63));
    if (new Set(adcPins).size !== adcPins.length) fail('mtj.read.adcPins', 'must not repeat a channel');
    const ib = pos(read.biasCurrentA, 'mtj.read.biasCurrentA');
    const th = pos(read.thresholdV, 'mtj.read.thresholdV');
    if (th >= vref) fail('mtj.read.thresholdV', `(${th} V) must be below adc.referenceV (${vref} V)`);
    if (ib > 10e-3) fail('mtj.read.biasCurrentA', 'must be ≤ 10 mA');
    const n = adcPins.length;
    const cur = obj(m.current, 'mtj.current');
    const pinsField = cur.kind === 'pwm-rc' ? 'pins' : 'i2cAddresses';
    if (cur.kind === 'pwm-rc') {
      int(cur.pwmBits, 'mtj.current.pwmBits', 1, 16);
      pos(cur.pwmHighV, 'mtj.current.pwmHighV');
      pos(cur.rcTimeConstantS, 'mtj.current.rcTimeConstantS');
      if (cur.rcPoles !== undefined && cur.rcPoles !== 1 && cur.rcPoles !== 2) fail('mtj.current.rcPoles', `must be 1 or 2, got ${JSON.stringify(cur.rcPoles)}`);
      nonneg(cur.settleS, 'mtj.current.settleS');
    } else if (cur.kind === 'mcp4725') {
      int(cur.dacBits, 'mtj.current.dacBits', 1, 16);
      pos(cur.vrefV, 'mtj.current.vrefV');
      nonneg(cur.settleS, 'mtj.current.settleS');
    } else fail('mtj.current.kind', 'must be "pwm-rc" or "mcp4725"');
    pos(cur.senseOhm, 'mtj.current.senseOhm');
    const list = cur[pinsField];
    if (!Array.isArray(list) || list.length !== n) fail(`mtj.current.${pinsField}`, `must list one entry per device (${n}, as mtj.read.adcPins)`);
    (list as unknown[]).forEach((v, i) => int(v, `mtj.current.${pinsField}[${i}]`, 0, 127));
    if (new Set(list as unknown[]).size !== n) fail(`mtj.current.${pinsField}`, 'must not repeat an entry');
    const pulse = obj(m.pulse, 'mtj.pulse');
    const pulsePin = int(pulse.pin, 'mtj.pulse.pin', 0, 127);
    pos(pulse.widthS, 'mtj.pulse.widthS');
    const reset = obj(m.reset, 'mtj.reset');
    const resetPin = int(reset.pin, 'mtj.reset.pin', 0, 127);
    if (resetPin === pulsePin) fail('mtj.reset.pin', 'must differ from mtj.pulse.pin');
    if (cur.kind === 'pwm-rc' && (list as number[]).some((x) => x === pulsePin || x === resetPin)) {
      fail('mtj.current.pins', 'must not reuse mtj.pulse.pin or mtj.reset.pin');
    }
    const lim = obj(m.limits, 'mtj.limits');
    const lo = nonneg(lim.minCurrentA, 'mtj.limits.minCurrentA');
    const hi = pos(lim.maxCurrentA, 'mtj.limits.maxCurrentA');
    if (lo >= hi) fail('mtj.limits.minCurrentA', 'must be below mtj.limits.maxCurrentA');
    const fullScale = (cur.kind === 'pwm-rc' ? (cur.pwmHighV as number) : (cur.vrefV as number)) / (cur.senseOhm as number);
    if (hi > fullScale * (1 + 1e-9)) fail('mtj.limits.maxCurrentA', `(${hi} A) exceeds the source's full scale ${fullScale} A`);
  }
  if (b.activationRange !== undefined) {
    const r = obj(b.activationRange, 'activationRange');
    const num = (v: unknown, f: string): number => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 128 ? v : fail(f, `must be a number in (−128, 128), got ${JSON.stringify(v)}`));
    if (num(r.kMin, 'activationRange.kMin') > num(r.kMax, 'activationRange.kMax')) fail('activationRange.kMin', 'must not exceed activationRange.kMax');
    if (num(r.cMin, 'activationRange.cMin') > num(r.cMax, 'activationRange.cMax')) fail('activationRange.cMin', 'must not exceed activationRange.cMax');
  }
  if (b.mtjPairs !== undefined) {
    const m = obj(b.mtjPairs, 'mtjPairs');
    const pairsOf = (v: unknown, f: string, hi: number): number[][] => {
      if (!Array.isArray(v) || v.length === 0) fail(f, 'must be a non-empty array of [twin A, twin B]');
      return (v as unknown[]).map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) fail(`${f}[${i}]`, 'must be [twin A, twin B]');
        return (p as unknown[]).map((x, t) => int(x, `${f}[${i}][${t}]`, 0, hi));
      });
    };
    const bias = pairsOf(m.biasPins, 'mtjPairs.biasPins', 127).flat();
    const adcs = pairsOf(m.adcPins, 'mtjPairs.adcPins', 63).flat();
    if (bias.length !== adcs.length) fail('mtjPairs.adcPins', 'must list one pair of channels per pair of mtjPairs.biasPins');
    if (new Set(bias).size !== bias.length) fail('mtjPairs.biasPins', 'must not repeat a pin');
    if (new Set(adcs).size !== adcs.length) fail('mtjPairs.adcPins', 'must not repeat a channel');
    const mtj = b.mtj as { read?: { adcPins?: unknown[] }; current?: { pins?: unknown[] } } | undefined;
    if (adcs.some((c) => mtj?.read?.adcPins?.includes(c))) fail('mtjPairs.adcPins', 'must not reuse a channel of mtj.read.adcPins');
    if (bias.some((p) => mtj?.current?.pins?.includes(p))) fail('mtjPairs.biasPins', 'must not reuse a pin of mtj.current.pins');
    int(m.pwmBits, 'mtjPairs.pwmBits', 1, 16);
    const high = pos(m.pwmHighV, 'mtjPairs.pwmHighV');
    const mid = pos(m.midV, 'mtjPairs.midV');
    if (mid >= high) fail('mtjPairs.midV', `(${mid} V) must be below mtjPairs.pwmHighV (${high} V)`);
    pos(m.senseOhm, 'mtjPairs.senseOhm');
    nonneg(m.settleS, 'mtjPairs.settleS');
    nonneg(m.adcOffsetV, 'mtjPairs.adcOffsetV');
  }
  if (b.powerSensor !== undefined) {
    const s = obj(b.powerSensor, 'powerSensor');
    if (s.kind !== 'ina219' && s.kind !== 'ina226') fail('powerSensor.kind', 'must be "ina219" or "ina226"');
    int(s.i2cAddress, 'powerSensor.i2cAddress', 0x08, 0x77);
    pos(s.shuntOhm, 'powerSensor.shuntOhm');
  }
  if (b.firmataPins !== undefined) {
    const f = obj(b.firmataPins, 'firmataPins');
    const n = int(f.digitalPins, 'firmataPins.digitalPins', 1, 128);
    if (!Array.isArray(f.serialPins)) fail('firmataPins.serialPins', 'must be an array of pin numbers');
    (f.serialPins as unknown[]).forEach((v, i) => int(v, `firmataPins.serialPins[${i}]`, 0, n - 1));
    int(f.analogBase, 'firmataPins.analogBase', 0, n - 1);
  }
  if (b.flash !== undefined) {
    const f = obj(b.flash, 'flash');
    if (f.firmware !== 'uno') fail('flash.firmware', 'must be "uno" (the one firmware in boards/firmware/)');
    str(f.avrdudePart, 'flash.avrdudePart');
    str(f.programmer, 'flash.programmer');
    int(f.baud, 'flash.baud', 300, 4_000_000);
    int(f.sketchFlashBytes, 'flash.sketchFlashBytes', 1, (b.memory as { flashBytes: number }).flashBytes);
    if (!Array.isArray(f.usbIds)) fail('flash.usbIds', 'must be an array of "vvvv:pppp" ids');
    (f.usbIds as unknown[]).forEach((v, i) => (typeof v === 'string' && /^[0-9a-f]{4}:[0-9a-f]{4}$/.test(v) ? v : fail(`flash.usbIds[${i}]`, `must be "vvvv:pppp" in lowercase hex, got ${JSON.stringify(v)}`)));
  }
  const runsModule = rt.kind === 'wasm3' || rt.kind === 'wamr';
  // One INI line each: no line break, no blanks around it, and nothing PlatformIO would read as a comment
  // (";" or "#" at the start or after a blank; "url.git#tag" is fine).
  const iniValue = (v: unknown, f: string): string =>
    typeof v === 'string' && v.length > 0 && v === v.trim() && !/[\r\n]|^[;#]|\s[;#]/.test(v)
      ? v
      : fail(f, `must be one line, without blanks around it and without a comment (";" or "#" at its start or after a blank), got ${JSON.stringify(v)}`);
  if (b.platformio !== undefined) {
    if (!runsModule) fail('platformio', 'applies only to a board that runs the module (runtime.kind "wasm3" or "wamr")');
    const t = obj(b.platformio, 'platformio');
    const platform = iniValue(t.platform, 'platformio.platform');
    if (/\s/.test(platform)) fail('platformio.platform', `must be a platform name or URL without blanks, got ${JSON.stringify(platform)}`);
    if (typeof t.board !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(t.board)) fail('platformio.board', `must be a PlatformIO board id (letters, digits, "_", ".", "-"), got ${JSON.stringify(t.board)}`);
    if (t.options !== undefined) {
      const o = obj(t.options, 'platformio.options');
      for (const [k, v] of Object.entries(o)) {
        if (!/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(k)) fail(`platformio.options.${k}`, 'is not a PlatformIO option name (lowercase words joined by "_" and ".")');
        if ((PLATFORMIO_OWN_KEYS as readonly string[]).includes(k)) fail(`platformio.options.${k}`, `is written by spintrain build itself (${PLATFORMIO_OWN_KEYS.join(', ')})`);
        iniValue(v, `platformio.options.${k}`);
      }
    }
  }
  if (b.arduino !== undefined) {
    if (!runsModule) fail('arduino', 'applies only to a board that runs the module (runtime.kind "wasm3" or "wamr")');
    const a = obj(b.arduino, 'arduino');
    if (!Array.isArray(a.architectures) || a.architectures.length === 0) fail('arduino.architectures', 'must be a non-empty array of Arduino architecture names');
    const archs = a.architectures as unknown[];
    archs.forEach((v, i) => (typeof v === 'string' && /^[a-z0-9_]+$/.test(v) ? v : fail(`arduino.architectures[${i}]`, `must be an architecture name (lowercase letters, digits, "_"), got ${JSON.stringify(v)}`)));
    if (new Set(archs).size !== archs.length) fail('arduino.architectures', 'must not repeat an architecture');
  }
  const e = obj(b.energyPj, 'energyPj');
  for (const k of ['intAdd32', 'intMul32', 'intMul16', 'sramRead32', 'flashRead32', 'mtjWrite', 'mtjRead']) pos(e[k], `energyPj.${k}`);
  void adcBits;
  return b as unknown as BoardProfile;
}

/** Full-scale write current of a wiring [A]. */
export function fullScaleCurrentA(m: MtjWiring): number {
  return (m.current.kind === 'pwm-rc' ? m.current.pwmHighV : m.current.vrefV) / m.current.senseOhm;
}

/** Largest read current magnitude of the pair wiring [A]: min(midV, pwmHighV − midV)/senseOhm. */
export function pairMaxCurrentA(p: MtjPairWiring): number {
  return Math.min(p.midV, p.pwmHighV - p.midV) / p.senseOhm;
}

/** Write-current resolution steps (2^bits − 1). */
export function currentCodeMax(m: MtjWiring): number {
  return 2 ** (m.current.kind === 'pwm-rc' ? m.current.pwmBits : m.current.dacBits) - 1;
}
