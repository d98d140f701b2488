/**
 * Opens a johnny-five Board (Firmata over a serial port, or a serial-port-like object such as the
 * emulated Uno's) and waits for `ready` on a PowerClock, with typed errors naming the port.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FirmwareTimeoutError, PortNotFoundError } from '../device/errors.ts';
import type { SerialPortLike } from '../device/j5-mtj.ts';
import type { PowerClock } from './power-clock.ts';
import { PowerError } from './power-errors.ts';
import { J5_WALL_TIMEOUT_MS } from '../device/j5-mtj.ts';

/** The part of firmata-io we use for the sensor and the marker. */
export interface FirmataIo {
  MODES: { OUTPUT: number };
  pinMode(pin: number, mode: number): void;
  digitalWrite(pin: number, value: number): void;
  i2cConfig(delayUs: number | { delay: number }): unknown;
  i2cWrite(address: number, bytes: number[]): unknown;
  i2cRead(address: number, register: number, bytes: number, cb: (data: number[]) => void): unknown;
  i2cReadOnce(address: number, register: number, bytes: number, cb: (data: number[]) => void): unknown;
  i2cStop(options: { address: number }): void;
  setSamplingInterval(ms: number): void;
  reportVersion?(cb: () => void): void;
  transport?: { close?(cb?: () => void): void };
  reportVersionTimeoutId?: NodeJS.Timeout;
}

export interface FirmataBoard {
  readonly io: FirmataIo;
  readonly portName: string;
  close(): Promise<void>;
}

export async function openFirmataBoard(port: string | SerialPortLike, clock: PowerClock, readyTimeoutS = 10): Promise<FirmataBoard> {
  const portName = typeof port === 'string' ? port : port.path;
  if (typeof port === 'string' && !existsSync(port)) throw new PortNotFoundError(port);
  const five = createRequire(import.meta.url)('johnny-five');
  // johnny-five's connect timeout is wall-clock; ours (readyTimeoutS) runs on the device clock.
  const board = new five.Board({ port, repl: false, debug: false, sigint: false, timeout: J5_WALL_TIMEOUT_MS });
  const release = () => {
    if (board.timer) clearTimeout(board.timer);
    if (board.io?.reportVersionTimeoutId) clearTimeout(board.io.reportVersionTimeoutId);
  };
  const ready = new Promise<void>((resolve, reject) => {
    board.once('ready', () => resolve());
    board.once('error', (e: Error) => reject(new PowerError(`board on ${portName}: ${e?.message ?? e}`)));
  });
  let timedOut = false;
  const timeout = clock.delay(readyTimeoutS).then(() => {
    timedOut = true;
  });
  await Promise.race([ready, timeout]);
  if (timedOut) {
    release();
    board.io?.transport?.close?.();
    throw new FirmwareTimeoutError(portName, readyTimeoutS);
  }
  const io = board.io as FirmataIo;
  return {
    io,
    portName,
    close: async () => {
      release();
      await new Promise<void>((resolve) => (io.transport?.close ? io.transport.close(() => resolve()) : resolve()));
    },
  };
}
