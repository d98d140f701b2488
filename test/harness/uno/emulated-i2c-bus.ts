/**
 * The I²C bus of an emulated Uno: the TWI master of avr8js (UnoEmulator.twi) talks to slave devices
 * registered by 7-bit address. Implements avr8js's TWIEventHandler; an address with no device NACKs,
 * as on a real bus. Each byte takes 9 SCL periods of emulated time (8 data bits + ACK) at the
 * firmware's SCL frequency f = f_cpu / (16 + 2·TWBR·prescaler); START/STOP take one period.
 */
import type { AVRTWI, CPU, TWIEventHandler } from 'avr8js';
import { UNO_CLOCK_HZ, type UnoEmulator } from './uno-emulator.ts';

/** A slave on the bus. Times are emulated seconds. */
export interface EmulatedI2cDevice {
  /** Addressed by the master: `write` true for SLA+W, false for SLA+R. */
  select(write: boolean, timeS: number): void;
  /** A byte from the master; return false to NACK it. */
  writeByte(value: number, timeS: number): boolean;
  /** The next byte for the master. */
  readByte(timeS: number): number;
  /** STOP condition (end of the transaction). */
  stop(timeS: number): void;
}

export class EmulatedI2cBus implements TWIEventHandler {
  private readonly devices = new Map<number, EmulatedI2cDevice>();
  private active: EmulatedI2cDevice | null = null;
  private readonly twi: AVRTWI;
  private readonly cpu: CPU;
  /** Transactions addressed to an absent device (for diagnostics). */
  nacks = 0;

  constructor(readonly board: UnoEmulator) {
    this.twi = board.twi;
    this.cpu = board.cpu;
    this.twi.eventHandler = this;
  }

  /** Put a device at `address` (0x08–0x77). */
  attach(address: number, device: EmulatedI2cDevice): void {
    if (!(Number.isInteger(address) && address >= 0x08 && address <= 0x77)) throw new RangeError(`I²C address 0x${address.toString(16)} is outside 0x08–0x77`);
    if (this.devices.has(address)) throw new Error(`I²C address 0x${address.toString(16)} is already taken`);
    this.devices.set(address, device);
  }

  detach(): void {
    this.devices.clear();
    this.active = null;
  }

  start(): void {
    this.after(1, () => this.twi.completeStart());
  }

  stop(): void {
    this.active?.stop(this.board.timeS);
    this.active = null;
    this.after(1, () => this.twi.completeStop());
  }

  connectToSlave(addr: number, write: boolean): void {
    const dev = this.devices.get(addr) ?? null;
    this.active = dev;
    if (dev) dev.select(write, this.board.timeS);
    else this.nacks++;
    this.after(9, () => this.twi.completeConnect(dev !== null));
  }

  writeByte(value: number): void {
    const ack = this.active ? this.active.writeByte(value, this.board.timeS) : false;
    this.after(9, () => this.twi.completeWrite(ack));
  }

  readByte(): void {
    const v = this.active ? this.active.readByte(this.board.timeS) & 0xff : 0xff;
    this.after(9, () => this.twi.completeRead(v));
  }

  /** Complete after `periods` SCL periods of emulated time. */
  private after(periods: number, done: () => void): void {
    const f = this.twi.sclFrequency;
    const cycles = Number.isFinite(f) && f > 0 ? Math.round((periods * UNO_CLOCK_HZ) / f) : 0;
    this.cpu.addClockEvent(done, Math.max(1, cycles));
  }
}
