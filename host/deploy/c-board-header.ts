/**
 * spintrain_board.h: the board profile as C for the glue — runtime choice (and WAMR's pool, sized for the
 * module: wamr-pool.ts; wasm2c's static linear memory: runtime-ram.ts), serial speed, and the MTJ
 * circuit (pins, ADC inputs, threshold code, settling time) with a write-current code table per
 * junction: ST_MTJ_CODE[d][r] is the code for p = (r + ½)/256, I = I50 + ln(p/(1 − p))/k clamped to
 * the circuit's limits (calibration.ts's currentForProbability, as the host's draws), code =
 * round(I / I_fullscale · (2^bits − 1)). I50 and k come from the array's
 * calibration (host/device/calibration.ts) when given, else from a nominal centre (mid-range) and slope
 * (±4 logits over the range) — recalibrate on the board.
 * MTJ pairs (the profile's optional mtjPairs, for the pair algorithm): per pair the twins' PWM bias pins
 * and ADC inputs, and fixed-point constants for the conversions of J5Mtj.readPair and MtjPairSource:
 * PWM code = (midV + z·I_z·R)/V_pwm·(2^bits − 1), activation = (code_adc·V_ref/2^bits − adcOffsetV)/V_u,
 * |z| ≤ I_max/I_z. I_z (current per pre-activation unit) and V_u (volts per activation unit) are the
 * nominal device's (pair-iv-model.ts: 1/b = 100 µA, a = 0.2 V, as sim-pair-draws.ts) unless given.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import { currentCodeMax, fullScaleCurrentA, pairMaxCurrentA } from '../../boards/board-profile.ts';
import { type Calibration, currentForProbability } from '../device/calibration.ts';
import { defaultPairIvConfig } from '../device/pair-iv-model.ts';
import type { MtjPairScale } from '../device/mtj-pair-source.ts';
import { BuildArgumentError } from './errors.ts';
import { WAMR_FIXED_BYTES, WAMR_LOAD_FACTOR, WASM_STACK_BYTES, wamrInterpreterOf, wamrPoolBytes } from './wamr-pool.ts';
import { linearMemoryBytes, type RuntimeKind } from './runtime-ram.ts';

/** What the runtime lines need to know of the module built for the board. */
export interface BoardModuleInfo {
  /** Module size [bytes]. */
  bytes: number;
  /** Linear-memory pages it declares (min = max). */
  pages: number;
  /** The runtime the build picked (`--runtime`); default the profile's. */
  runtime?: RuntimeKind;
  /** The linear-memory budget [bytes] (linear-budget.ts): caps wasm2c's static linear memory. */
  budgetBytes?: number;
  /** Bits per stored weight of the module build (32, 16, 8); written as ST_WEIGHT_BITS when given. */
  weightBits?: number;
}

/** Default when no module is given: the module budget (module-checks.ts) and one page. */
const MODULE_BUDGET: BoardModuleInfo = { bytes: 8 * 1024, pages: 1 };

/** Runtime choice, the wasm stack, for WAMR its pool (wamr-pool.ts) with the formula, for wasm2c its static linear memory. */
function runtimeLines(board: BoardProfile, module: BoardModuleInfo): string[] {
  const stack = `#define ST_WASM_STACK_BYTES ${WASM_STACK_BYTES}u /* wasm stack the runtime gets [bytes] */`;
  const kind = module.runtime ?? (board.runtime.kind === 'wamr' ? 'wamr' : 'wasm3');
  if (kind === 'wasm2c') {
    const budget = module.budgetBytes ?? (board.runtime.kind === 'host-tethered' ? 0 : board.runtime.wasmMemoryLimitBytes);
    return [
      '#define ST_RUNTIME_WASM2C 1',
      `/* the module translated by wasm2c (generated/spintrain.c); linear memory is a static array (runtime/wasm_rt_static.c):`,
      ` *   min(pages ${module.pages} x 65536, budget ${budget}) [bytes] */`,
      `#define ST_LINEAR_MEMORY_BYTES ${linearMemoryBytes('wasm2c', module.pages, budget)}u`,
    ];
  }
  if (kind !== 'wamr') return ['#define ST_RUNTIME_WASM3 1', stack];
  const interp = wamrInterpreterOf(board);
  const k = WAMR_LOAD_FACTOR[interp];
  return [
    '#define ST_RUNTIME_WAMR 1',
    stack,
    `/* WAMR pool (loaded module, instance, exec env; host/deploy/wamr-pool.ts), ${interp} interpreter:`,
    ` *   pool = ceil_KiB(9/8 * (stack ${WASM_STACK_BYTES} + ${k} * module ${module.bytes} + ${WAMR_FIXED_BYTES})) [bytes]`,
    ` * Linear memory, ${module.pages} x 65536 B, comes from the platform heap (os_mmap -> os_malloc), not the pool. */`,
    `#define ST_WAMR_POOL_BYTES ${wamrPoolBytes(module.bytes, interp)}u`,
    `#define ST_WAMR_LINEAR_BYTES ${module.pages * 65536}u`,
  ];
}

/** Arduino-core pin expression for an ADC channel of the profile. */
function analogInput(board: BoardProfile, channel: number): string {
  switch (board.cpu.arch) {
    case 'xtensa': {
      const esp32Adc1 = [36, 37, 38, 39, 32, 33, 34, 35]; // ADC1_CH0..7 → GPIO
      return String(esp32Adc1[channel] ?? channel);
    }
    case 'arm-cortex-m0+':
      return String(26 + channel); // RP2040 ADC0..3 = GPIO26..29
    default:
      return String(14 + channel); // Nano 33 BLE and Teensy 4.x: A0 is pin 14, A1 15, …
  }
}

export function nominalCalibration(board: BoardProfile): { i50A: number; kPerA: number }[] {
  const m = board.mtj!;
  const span = m.limits.maxCurrentA - m.limits.minCurrentA;
  return m.read.adcPins.map(() => ({ i50A: m.limits.minCurrentA + span / 2, kPerA: 8 / span }));
}

/** The nominal pair scale: I_z = 1/b, V_u = a of pair-iv-model.ts's default device (as simPairDraws). */
export function nominalPairScale(): MtjPairScale {
  return { currentPerUnitA: 1 / defaultPairIvConfig.saturationPerA, voltsPerUnit: defaultPairIvConfig.swingV };
}

/** The pair wiring's lines of spintrain_board.h (ST_MTJ_PAIRS 0 without mtjPairs). */
function pairLines(board: BoardProfile, analog: (channel: number) => string, scale: MtjPairScale): string[] {
  const pw = board.mtjPairs;
  if (!pw) return ['#define ST_MTJ_PAIRS 0 /* no mtjPairs: the pair algorithm cannot run (pair reads trap) */'];
  const m = board.mtj;
  if (m && Math.log2(currentCodeMax(m) + 1) !== pw.pwmBits) {
    throw new BuildArgumentError('mtjPairs.pwmBits', `${pw.pwmBits} differs from the MTJ write current's ${Math.log2(currentCodeMax(m) + 1)} bits: an Arduino core has one analogWriteResolution`);
  }
  if ((scale.centreCurrentA ?? 0) !== 0 || (scale.offsetV ?? 0) !== 0) throw new BuildArgumentError('pairScale', 'the board glue supports I_c = 0 and V_c = 0 only');
  const P = pw.biasPins.length;
  const codeMax = 2 ** pw.pwmBits - 1;
  const iz = scale.currentPerUnitA;
  const vu = scale.voltsPerUnit;
  const int64 = (x: number): string => `INT64_C(${x})`;
  return [
    `/* MTJ pairs: twin A at I(z), twin B at I(z + Δz); I = z · ${iz} A, V = ${vu} V per activation unit${iz === nominalPairScale().currentPerUnitA && vu === nominalPairScale().voltsPerUnit ? ' (nominal device: measure yours)' : ''} */`,
    `#define ST_MTJ_PAIRS ${P}`,
    `#define ST_MTJ_PAIR_PWM_BITS ${pw.pwmBits}`,
    `#define ST_MTJ_PAIR_CODE_MAX ${codeMax}`,
    `static const uint8_t ST_MTJ_PAIR_BIAS_PINS[${P}][2] = { ${pw.biasPins.map(([a, b]) => `{ ${a}, ${b} }`).join(', ')} };`,
    `static const uint8_t ST_MTJ_PAIR_ADC_INPUTS[${P}][2] = { ${pw.adcPins.map(([a, b]) => `{ ${analog(a)}, ${analog(b)} }`).join(', ')} };`,
    `#define ST_MTJ_PAIR_SETTLE_US ${Math.round(pw.settleS * 1e6)}u`,
    `/* code = (midV ${pw.midV} V + I · ${pw.senseOhm} Ω) / ${pw.pwmHighV} V · ${codeMax}, in Q16 codes */`,
    `#define ST_MTJ_PAIR_CODE_MID_Q16 ${int64(Math.round((pw.midV / pw.pwmHighV) * codeMax * 65536))}`,
    `#define ST_MTJ_PAIR_CODE_PER_UNIT_Q16 ${int64(Math.round(((iz * pw.senseOhm) / pw.pwmHighV) * codeMax * 65536))}`,
    `/* |I| ≤ ${pairMaxCurrentA(pw)} A */`,
    `#define ST_MTJ_PAIR_Z_MAX_Q16 ${Math.floor((pairMaxCurrentA(pw) / iz) * 65536)}`,
    `/* activation = (adc · ${board.adc.referenceV} V / 2^${board.adc.bits} − ${pw.adcOffsetV} V) / ${vu} V */`,
    `#define ST_MTJ_PAIR_UNITS_PER_LSB_Q24 ${int64(Math.round((board.adc.referenceV / 2 ** board.adc.bits / vu) * 2 ** 24))}`,
    `#define ST_MTJ_PAIR_UNITS_OFFSET_Q16 ${Math.round((pw.adcOffsetV / vu) * 65536)}`,
  ];
}

export function cBoardHeader(board: BoardProfile, calibration?: Calibration, pairScale: MtjPairScale = nominalPairScale(), module: BoardModuleInfo = MODULE_BUDGET): string {
  const rt = board.runtime;
  if (rt.kind === 'host-tethered') throw new RangeError(`${board.id} runs no WebAssembly runtime`);
  const lines = [
    `/* Board ${board.id}: ${board.name}. Generated by spintrain build from boards/${board.id}.ts; do not edit. */`,
    '#ifndef SPINTRAIN_BOARD_H',
    '#define SPINTRAIN_BOARD_H',
    '#include <stdint.h>',
    `#define ST_BOARD_ID "${board.id}"`,
    ...runtimeLines(board, module),
    ...(module.weightBits !== undefined ? [`#define ST_WEIGHT_BITS ${module.weightBits} /* bits per stored weight of the module (as spintrain_config.h) */`] : []),
    `#define ST_SERIAL_BAUD ${rt.baud ?? 115200}`,
    `#define ST_ADC_BITS ${board.adc.bits}`,
  ];
  const pairs = pairLines(board, (c) => analogInput(board, c), pairScale);
  const m = board.mtj;
  if (!m) {
    lines.push('#define ST_MTJ_DEVICES 0 /* no MTJ circuit: on-chip random draws */', ...pairs, '#endif', '');
    return lines.join('\n');
  }
  const devices = m.read.adcPins.length;
  const cal = calibration ? [...calibration.devices].sort((a, b) => a.device - b.device).slice(0, devices) : nominalCalibration(board);
  const codeMax = currentCodeMax(m);
  const fullScale = fullScaleCurrentA(m);
  const adcMax = 2 ** board.adc.bits - 1;
  const pins = m.current.kind === 'pwm-rc' ? m.current.pins : m.current.i2cAddresses;
  const table = cal.map((d) => {
    const codes: number[] = [];
    for (let r = 0; r < 256; r++) {
      const i = currentForProbability(d, (r + 0.5) / 256, m.limits);
      codes.push(Math.round((i / fullScale) * codeMax));
    }
    return `  { ${codes.join(', ')} }`;
  });
  lines.push(
    `#define ST_MTJ_DEVICES ${cal.length}`,
    `#define ST_MTJ_CURRENT_BITS ${Math.log2(codeMax + 1)}`,
    `static const uint8_t ST_MTJ_CURRENT_PINS[${cal.length}] = { ${pins.slice(0, cal.length).join(', ')} };`,
    `static const uint8_t ST_MTJ_ADC_INPUTS[${cal.length}] = { ${m.read.adcPins.slice(0, cal.length).map((c) => analogInput(board, c)).join(', ')} };`,
    `#define ST_MTJ_PULSE_PIN ${m.pulse.pin}`,
    `#define ST_MTJ_RESET_PIN ${m.reset.pin}`,
    `#define ST_MTJ_SETTLE_US ${Math.round((m.current.settleS ?? 0) * 1e6)}u`,
    `/* bit = ADC ≥ ${m.read.thresholdV} V; a reset junction (P) reads above ${(m.read.thresholdV / 4).toFixed(3)} V when the board is fitted */`,
    `#define ST_MTJ_ADC_THRESHOLD ${Math.round((m.read.thresholdV / board.adc.referenceV) * adcMax)}`,
    `#define ST_MTJ_ADC_PRESENT_MIN ${Math.round((m.read.thresholdV / 4 / board.adc.referenceV) * adcMax)}`,
    `/* ${calibration ? `calibration of ${calibration.createdAt}` : 'nominal I50 = mid-range, k = 8 / range: recalibrate'} */`,
    `static const uint16_t ST_MTJ_CODE[${cal.length}][256] = {`,
    table.join(',\n'),
    '};',
    ...pairs,
    '#endif',
    '',
  );
  return lines.join('\n');
}
