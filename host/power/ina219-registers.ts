/**
 * The INA219 register map and conversions (TI datasheet SBOS448): shared by the johnny-five driver
 * (host/power/ina219.ts) and the emulated chip (test/harness/uno/emulated-ina219.ts).
 *
 *   0x00 configuration: RST[15] BRNG[13] (0: 16 V, 1: 32 V) PG[12:11] (shunt range 40·2^PG mV)
 *        BADC[10:7] SADC[6:3] MODE[2:0] (7 = shunt and bus, continuous); power-on 0x399F
 *   0x01 shunt voltage: signed, LSB 10 µV
 *   0x02 bus voltage:   BD[15:3] LSB 4 mV, CNVR[1] conversion ready, OVF[0] math overflow
 *   0x03 power:         current·BD / 5000, LSB = 20·Current_LSB
 *   0x04 current:       signed, shunt·CAL / 4096, LSB = Current_LSB
 *   0x05 calibration:   CAL = trunc(0.04096 / (Current_LSB [A] · R_shunt [Ω])), bit 0 reads 0
 * Registers are 16-bit, big-endian on the wire; a write is [pointer, MSB, LSB], a read returns the
 * register at the last pointer written.
 */

export const INA219_REG = { config: 0x00, shunt: 0x01, bus: 0x02, power: 0x03, current: 0x04, calibration: 0x05 } as const;

export const INA219_POWER_ON_CONFIG = 0x399f;
export const SHUNT_LSB_V = 10e-6;
export const BUS_LSB_V = 4e-3;

/** ADC setting (BADC/SADC field) → conversion time [s] (12-bit with 2^n-sample averaging above 0b1000). */
export function adcConversionTimeS(code: number): number {
  const c = code & 0xf;
  if (c & 0b1000) return [532e-6, 1.06e-3, 2.13e-3, 4.26e-3, 8.51e-3, 17.02e-3, 34.05e-3, 68.1e-3][c & 0b0111];
  return [84e-6, 148e-6, 276e-6, 532e-6][c & 0b0011];
}

/** The averaging ADC code with the longest conversion time ≤ maxS (at least 12-bit, 1 sample: 0b1000). */
export function adcCodeForWindow(maxS: number): number {
  let code = 0b1000;
  for (let c = 0b1000; c <= 0b1111; c++) if (adcConversionTimeS(c) <= maxS) code = c;
  return code;
}

/** Shunt range [V] of a PG field (0..3): 40, 80, 160, 320 mV. */
export function shuntRangeV(pg: number): number {
  return 0.04 * 2 ** (pg & 3);
}

export interface Ina219Setup {
  /** Configuration register value. */
  config: number;
  /** Calibration register value. */
  calibration: number;
  /** Current register LSB [A]. */
  currentLsbA: number;
  /** Conversion (averaging) time of the shunt ADC [s]: a reading is the mean over this window. */
  conversionS: number;
}

/**
 * Configuration for a shunt of `shuntOhm` [Ω] and currents up to `maxCurrentA` [A], averaging over at
 * most `windowS` [s]: the smallest PGA range that holds maxCurrentA·R, Current_LSB = 100 µA·(10 mΩ / R)
 * rounded to fit CAL in 15 bits, 16 V bus range, continuous shunt + bus conversions.
 */
export function ina219Setup(shuntOhm: number, maxCurrentA: number, windowS: number): Ina219Setup {
  if (!(shuntOhm > 0 && Number.isFinite(shuntOhm))) throw new RangeError(`shuntOhm: expected a positive resistance [Ω], got ${shuntOhm}`);
  if (!(maxCurrentA > 0 && Number.isFinite(maxCurrentA))) throw new RangeError(`maxCurrentA: expected a positive current [A], got ${maxCurrentA}`);
  let pg = 0;
  while (pg < 3 && maxCurrentA * shuntOhm > shuntRangeV(pg)) pg++;
  if (maxCurrentA * shuntOhm > shuntRangeV(3)) throw new RangeError(`maxCurrentA ${maxCurrentA} A through ${shuntOhm} Ω exceeds the INA219's 320 mV shunt range`);
  // The shunt ADC resolves 10 µV, i.e. 10 µV / R amperes; take that as the current LSB (CAL = 4096).
  let currentLsbA = SHUNT_LSB_V / shuntOhm;
  let calibration = Math.trunc(0.04096 / (currentLsbA * shuntOhm));
  while (calibration > 0xfffe) {
    currentLsbA *= 2;
    calibration = Math.trunc(0.04096 / (currentLsbA * shuntOhm));
  }
  calibration &= 0xfffe;
  const adc = adcCodeForWindow(windowS);
  const config = (0 << 13) | (pg << 11) | (adc << 7) | (adc << 3) | 0b111;
  return { config, calibration, currentLsbA, conversionS: adcConversionTimeS(adc) };
}

/** Signed 16-bit from two bytes (MSB first). */
export function int16(msb: number, lsb: number): number {
  const v = ((msb & 0xff) << 8) | (lsb & 0xff);
  return v & 0x8000 ? v - 0x10000 : v;
}

/** Bus voltage [V] from the bus register (BD[15:3] · 4 mV). */
export function busVoltsFromRegister(reg: number): number {
  return ((reg & 0xffff) >> 3) * BUS_LSB_V;
}
