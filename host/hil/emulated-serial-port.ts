/**
 * A serial-port-like object in process, for johnny-five / firmata-io: `path`, `isOpen`, `write(buf, cb)`,
 * `close(cb)`, emitting 'open', 'data', 'close', 'error'. Bytes written go to the emulated board's RX;
 * bytes the board transmits are emitted as 'data'. `disconnect()` emulates a cable pulled mid-way.
 */
import { EventEmitter } from 'node:events';
import type { UnoEmulator } from './uno-emulator.ts';

export class EmulatedSerialPort extends EventEmitter {
  readonly path: string;
  readonly transport = 'EmulatedSerialPort';
  private open_ = false;

  constructor(
    readonly board: UnoEmulator,
    path = 'emulated:uno',
  ) {
    super();
    this.path = path;
    board.onSerialOut = (bytes) => {
      if (this.open_) this.emit('data', bytes);
    };
    // Like node-serialport: opens on the next turn of the event loop.
    setImmediate(() => {
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
