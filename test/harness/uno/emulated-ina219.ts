/**
 * An INA219 current/power monitor on the emulated Uno's I²C bus (EmulatedI2cBus), measuring a known
 * supply-current profile I(t) [A] (e.g. a function of a marker pin's level and emulated time) through a
 * shunt of R [Ω] at bus voltage V(t) [V]. Register behaviour follows host/power/ina219-registers.ts:
 *  - conversions run back to back with period T = conversion time of the SADC field, aligned to t = 0;
 *    a read at t returns the conversion that completed last, t_c = ⌊t/T⌋·T, i.e. the mean of I over
 *    [t_c − T, t_c] (32-point midpoint rule);
 *  - shunt = round(Ī·R / 10 µV) clamped to the PGA range; current = trunc(shunt·CAL/4096);
 *    bus = round(V/4 mV)<<3 | CNVR; power = trunc(current·BD/5000);
 *  - pointer write, register writes MSB first, reads return MSB, LSB of the pointed register (repeating).
 */
import {
  INA219_POWER_ON_CONFIG,
  INA219_REG,
  SHUNT_LSB_V,
  BUS_LSB_V,
  adcConversionTimeS,
  shuntRangeV,
} from '../../../host/power/ina219-registers.ts';
import type { EmulatedI2cDevice } from './emulated-i2c-bus.ts';

export interface EmulatedIna219Options {
  shuntOhm: number;
  /** Supply current at emulated time t [A]. */
  currentA: (timeS: number) => number;
  /** Bus voltage at emulated time t [V]. Default 5 V. */
  busV?: (timeS: number) => number;
}

export class EmulatedIna219 implements EmulatedI2cDevice {
  readonly regs = new Uint16Array(6);
  /** Register reads served (for tests). */
  reads = 0;
  private pointer = 0;
  private writeIndex = 0;
  private pendingMsb = 0;
  private readIndex = 0;
  private latched = 0;

  constructor(readonly options: EmulatedIna219Options) {
    this.regs[INA219_REG.config] = INA219_POWER_ON_CONFIG;
  }

  select(write: boolean, timeS: number): void {
    this.writeIndex = 0;
    this.readIndex = 0;
    if (!write) this.latched = this.registerAt(this.pointer, timeS);
  }

  writeByte(value: number): boolean {
    if (this.writeIndex === 0) this.pointer = value;
    else if (this.writeIndex === 1) this.pendingMsb = value;
    else if (this.writeIndex === 2) this.writeRegister(this.pointer, (this.pendingMsb << 8) | value);
    this.writeIndex++;
    return this.pointer <= INA219_REG.calibration;
  }

  readByte(): number {
    const b = this.readIndex++ % 2 === 0 ? this.latched >> 8 : this.latched & 0xff;
    if (this.readIndex === 2) this.reads++;
    return b;
  }

  stop(): void {
    this.writeIndex = 0;
  }

  /** Conversion period T of the shunt ADC under the present configuration [s]. */
  get conversionS(): number {
    return adcConversionTimeS((this.regs[INA219_REG.config] >> 3) & 0xf);
  }

  /** Mean current over the last completed conversion at time t [A] (what the chip reports, before quantisation). */
  averagedCurrentA(timeS: number): number {
    const T = this.conversionS;
    const end = Math.floor(timeS / T) * T;
    let s = 0;
    for (let i = 0; i < 32; i++) s += this.options.currentA(end - T + ((i + 0.5) * T) / 32);
    return s / 32;
  }

  private writeRegister(reg: number, value: number): void {
    if (reg === INA219_REG.config) {
      if (value & 0x8000) {
        this.regs.fill(0);
        this.regs[INA219_REG.config] = INA219_POWER_ON_CONFIG;
      } else this.regs[reg] = value;
    } else if (reg === INA219_REG.calibration) this.regs[reg] = value & 0xfffe;
    // 0x01–0x04 are read-only.
  }

  private registerAt(reg: number, timeS: number): number {
    const cfg = this.regs[INA219_REG.config];
    if (reg === INA219_REG.config || reg === INA219_REG.calibration) return this.regs[reg];
    const range = shuntRangeV((cfg >> 11) & 3);
    const vShunt = Math.max(-range, Math.min(range, this.averagedCurrentA(timeS) * this.options.shuntOhm));
    const shunt = Math.round(vShunt / SHUNT_LSB_V);
    const bd = Math.max(0, Math.min(0x1fff, Math.round((this.options.busV?.(timeS) ?? 5) / BUS_LSB_V)));
    const cal = this.regs[INA219_REG.calibration];
    const current = Math.trunc((shunt * cal) / 4096);
    const fits = current >= -32768 && current <= 32767;
    const power = Math.trunc((Math.abs(current) * bd) / 5000);
    switch (reg) {
      case INA219_REG.shunt:
        return shunt & 0xffff;
      case INA219_REG.bus:
        return ((bd << 3) | (cal ? 0b10 : 0) | (fits ? 0 : 1)) & 0xffff;
      case INA219_REG.power:
        return cal ? Math.min(0xffff, power) : 0;
      case INA219_REG.current:
        return cal ? Math.max(-32768, Math.min(32767, current)) & 0xffff : 0;
      default:
        return 0xffff;
    }
  }
}
