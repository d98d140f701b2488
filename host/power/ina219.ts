/**
 * Ina219: an INA219 current/power monitor on a Firmata board's I²C bus (johnny-five has no INA219
 * controller, so this drives the registers of host/power/ina219-registers.ts through firmata-io's
 * i2cWrite / i2cReadOnce / i2cRead).
 *
 * start(): configures the chip (PGA range, averaging window ≤ the sampling period, CAL), reads the two
 * registers back, then asks StandardFirmata for continuous reads of current (0x04) and bus voltage (0x02)
 * every samplingMs. Each (current, bus) pair becomes a PowerSample stamped
 *   t = t_arrival(current reply) − replyBytes·10/baud − linkLatencyS − T_conv
 * (T_conv: a reading is the mean over [t_c − T, t_c] with t_c uniform in the last T before the read,
 * so its centre lies T before the read on average; phase-energy.ts treats a reading as the mean over
 * [t − T/2, t + T/2]), P = I·V [W].
 */
import type { FirmataIo } from './firmata-board.ts';
import { INA219_REG, busVoltsFromRegister, ina219Setup, int16, type Ina219Setup } from './ina219-registers.ts';
import type { PowerClock } from './power-clock.ts';
import { PowerSensorError } from './errors.ts';
import type { PowerSample } from './power-trace.ts';

/** Bytes of one Firmata I2C_REPLY with 2 data bytes: F0 77 addr(2) reg(2) data(2·2) F7. */
const REPLY_BYTES = 11;

export interface Ina219Options {
  io: FirmataIo;
  portName: string;
  address: number;
  shuntOhm: number;
  clock: PowerClock;
  /** Highest current expected [A] (chooses the PGA range). Default 0.4 A. */
  maxCurrentA?: number;
  /** Firmata sampling interval [ms]. Default 10 (StandardFirmata 2.4 polls no faster; two 11-byte replies take 3.8 ms at 57600 baud). */
  samplingMs?: number;
  /** Serial baud rate [bit/s]. Default 57600 (StandardFirmata). */
  baud?: number;
  /** Extra one-way latency of the link (e.g. a USB-serial bridge's latency timer) [s]. Default 0. */
  linkLatencyS?: number;
  /** Seconds to wait for a reply. Default 1. */
  responseTimeoutS?: number;
}

export class Ina219 {
  readonly setup: Ina219Setup;
  readonly samplingMs: number;
  private readonly o: Required<Omit<Ina219Options, 'io' | 'clock'>> & Pick<Ina219Options, 'io' | 'clock'>;
  private pending: { t: number; currentA: number } | null = null;
  private running = false;

  constructor(options: Ina219Options) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Ina219Options;
    this.o = { maxCurrentA: 0.4, samplingMs: 10, baud: 57600, linkLatencyS: 0, responseTimeoutS: 1, ...given };
    this.samplingMs = this.o.samplingMs;
    this.setup = ina219Setup(this.o.shuntOhm, this.o.maxCurrentA, this.o.samplingMs / 1000);
  }

  /** Seconds subtracted from a reply's arrival to stamp its reading. */
  get stampOffsetS(): number {
    return (REPLY_BYTES * 10) / this.o.baud + this.o.linkLatencyS + this.setup.conversionS;
  }

  /** Configure and verify the chip; throws PowerSensorError naming port and address if it does not answer. */
  async configure(): Promise<void> {
    const { io, address } = this.o;
    io.i2cConfig(0);
    this.writeRegister(INA219_REG.config, 0x8000); // reset
    this.writeRegister(INA219_REG.config, this.setup.config);
    this.writeRegister(INA219_REG.calibration, this.setup.calibration);
    const cfg = await this.readRegister(INA219_REG.config);
    const cal = await this.readRegister(INA219_REG.calibration);
    if (cfg !== this.setup.config || cal !== this.setup.calibration) {
      throw new PowerSensorError(
        this.o.portName,
        address,
        `read back config 0x${hex(cfg)} / calibration 0x${hex(cal)}, wrote 0x${hex(this.setup.config)} / 0x${hex(this.setup.calibration)} (no INA219 at this address?)`,
      );
    }
  }

  /** Continuous sampling: `onSample` gets one PowerSample per sampling interval. */
  start(onSample: (s: PowerSample) => void): void {
    const { io, address, clock } = this.o;
    if (this.running) return;
    this.running = true;
    io.setSamplingInterval(this.samplingMs);
    io.i2cRead(address, INA219_REG.current, 2, (d) => {
      if (!this.running) return;
      this.pending = { t: clock.now(), currentA: int16(d[0], d[1]) * this.setup.currentLsbA };
    });
    io.i2cRead(address, INA219_REG.bus, 2, (d) => {
      const p = this.pending;
      this.pending = null;
      if (!this.running || !p) return;
      const busV = busVoltsFromRegister(((d[0] & 0xff) << 8) | (d[1] & 0xff));
      onSample({ tS: p.t - this.stampOffsetS, busV, currentA: p.currentA, powerW: busV * p.currentA });
    });
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    // StandardFirmata removes one continuous query per STOP_READING; firmata-io drops the listeners.
    this.o.io.i2cStop({ address: this.o.address });
    this.o.io.i2cStop({ address: this.o.address });
  }

  private writeRegister(reg: number, value: number): void {
    this.o.io.i2cWrite(this.o.address, [reg, (value >> 8) & 0xff, value & 0xff]);
  }

  private readRegister(reg: number): Promise<number> {
    const { io, address, clock, responseTimeoutS, portName } = this.o;
    return new Promise<number>((resolve, reject) => {
      let done = false;
      io.i2cReadOnce(address, reg, 2, (d) => {
        if (done) return;
        done = true;
        resolve((((d[0] ?? 0xff) & 0xff) << 8) | ((d[1] ?? 0xff) & 0xff));
      });
      clock.delay(responseTimeoutS).then(() => {
        if (done) return;
        done = true;
        reject(new PowerSensorError(portName, address, `no reply to a read of register 0x${hex(reg, 2)} within ${responseTimeoutS} s`));
      });
    });
  }
}

function hex(v: number, width = 4): string {
  return v.toString(16).padStart(width, '0');
}
