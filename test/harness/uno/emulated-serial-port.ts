/**
 * A serial-port-like object in process, for johnny-five / firmata-io: `path`, `isOpen`, `write(buf, cb)`,
 * `close(cb)`, emitting 'open', 'data', 'close', 'error'. Bytes written go to the emulated board's RX;
 * bytes the board transmits are emitted as 'data'. `disconnect()` emulates a cable pulled mid-way.
 * Opening resets the board, as opening a real Uno's port does (DTR → 100 nF → RESET): the firmware boots
 * and StandardFirmata announces its version. `resetOnOpen: false` models a board that does not reset
 * (native USB, or the reset capacitor cut).
 */
import { EventEmitter } from 'node:events';
import type { UnoEmulator } from './uno-emulator.ts';

export interface EmulatedSerialPortOptions {
  /** Serial port path shown in errors. Default 'emulated:uno'. */
  path?: string;
  /** Reset the board when the port opens. Default true. */
  resetOnOpen?: boolean;
}

export class EmulatedSerialPort extends EventEmitter {
  readonly path: string;
  readonly transport = 'EmulatedSerialPort';
  private open_ = false;

  constructor(
    readonly board: UnoEmulator,
    options: EmulatedSerialPortOptions | string = {},
  ) {
    super();
    const o = typeof options === 'string' ? { path: options } : options;
    this.path = o.path ?? 'emulated:uno';
    board.onSerialOut = (bytes) => {
      if (this.open_) this.emit('data', bytes);
    };
    // Like node-serialport: opens on the next turn of the event loop.
    setImmediate(() => {
      if (o.resetOnOpen ?? true) board.reset();
      this.open_ = true;
      this.emit('open');
    });
  }

  get isOpen(): boolean {
    return this.open_;
  }

  write(data: Buffer | number[], cb?: (err?: Error | null) => void): boolean {
    if (!this.open_) {
      const err = new Error(`Port ${this.path} is not open`);
      if (cb) setImmediate(() => cb(err));
      else setImmediate(() => this.emit('error', err));
      return false;
    }
    this.board.serialIn(data);
    if (cb) setImmediate(() => cb(null));
    return true;
  }

  close(cb?: (err?: Error | null) => void): void {
    const was = this.open_;
    this.open_ = false;
    setImmediate(() => {
      cb?.(null);
      if (was) this.emit('close');
    });
  }

  /** Emulate an unplugged cable: close with node-serialport's disconnect flag. */
  disconnect(): void {
    if (!this.open_) return;
    this.open_ = false;
    setImmediate(() => this.emit('close', { disconnected: true }));
  }
}
