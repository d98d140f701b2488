/**
 * One open routine for every Firmata link (the MTJ driver and the power meter): firmata-io's Board on a
 * serial port path (node-serialport) or on a serial-port-like object (the emulated Uno's link), wrapped in
 * a johnny-five Board once the handshake is done.
 *
 * The handshake (Firmata protocol): a board sends REPORT_VERSION when its firmware boots, which on an Uno
 * happens when the host opens the port (DTR resets the MCU); firmata-io then asks for the firmware name,
 * the capabilities and the analog mapping, and reports `ready`. A board that did not reset sends no version:
 * after `versionQueryS` on the device clock the link asks for it (REPORT_VERSION and QUERY_FIRMWARE), the
 * query firmata-io itself would send after its wall-clock `reportVersionTimeout`, which is disabled here.
 * So every wait of the handshake runs on the device clock: emulated time under emulation, whatever the
 * machine's speed. `readyTimeoutS` bounds the whole handshake on the same clock.
 */
import { createRequire } from 'node:module';
import type { DeviceClock } from './device-clock.ts';
import { FirmwareTimeoutError, MtjDeviceError } from './errors.ts';
import { assertSerialPortPath } from './serial-port-path.ts';
import { loadSerialPort } from './serial-port-module.ts';

/** A serial-port-like object (node-serialport, or test/harness/uno/emulated-serial-port.ts). */
export interface SerialPortLike {
  path: string;
  write(data: Buffer, cb?: (err?: Error | null) => void): unknown;
  close(cb?: (err?: Error | null) => void): void;
  on(event: string, cb: (...args: unknown[]) => void): unknown;
}

/** The part of firmata-io's Board the drivers use. */
/** firmata-io's Firmata class: new Firmata(port, options, ready). */
type FirmataClass = new (port: unknown, options: Record<string, unknown>, ready: (e?: Error) => void) => FirmataIo;

export interface FirmataIo {
  MODES: { OUTPUT: number; PWM: number; ANALOG: number };
  isReady?: boolean;
  versionReceived?: boolean;
  pinMode(pin: number, mode: number): void;
  digitalWrite(pin: number, value: number): void;
  pwmWrite?(pin: number, value: number): void;
  analogWrite?(pin: number, value: number): void;
  analogRead(ch: number, cb: (value: number) => void): void;
  reportAnalogPin?(ch: number, on: 0 | 1): void;
  reportVersion?(cb: () => void): void;
  queryFirmware?(cb: () => void): void;
  setSamplingInterval?(ms: number): void;
  i2cConfig?(delayUs: number | { delay: number }): unknown;
  i2cWrite?(address: number, bytes: number[]): unknown;
  i2cRead?(address: number, register: number, bytes: number, cb: (data: number[]) => void): unknown;
  i2cReadOnce?(address: number, register: number, bytes: number, cb: (data: number[]) => void): unknown;
  i2cStop?(options: { address: number }): void;
  on(event: string, cb: (...args: unknown[]) => void): unknown;
  once?(event: string, cb: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, cb: (...args: unknown[]) => void): unknown;
  transport?: { close?(cb?: () => void): void; isOpen?: boolean };
  reportVersionTimeoutId?: NodeJS.Timeout;
}

/** A johnny-five Board (any IO plugin): the part the drivers use. */
export interface J5Board {
  io: FirmataIo;
  isReady?: boolean;
  on(event: string, cb: (...args: unknown[]) => void): unknown;
  once(event: string, cb: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, cb: (...args: unknown[]) => void): unknown;
  timer?: NodeJS.Timeout;
}

/**
 * Wall-clock timeouts of johnny-five (connect) and firmata-io (version query) [ms]: pushed out of the way,
 * and cleared once the handshake ends; the link's own timeouts run on the device clock.
 */
const WALL_NEVER_MS = 2 ** 31 - 1;

export interface FirmataLinkOptions {
  /** A path (Firmata over node-serialport) or a serial-port-like object. */
  port: string | SerialPortLike;
  /** Time base of every wait. */
  clock: DeviceClock;
  /** Seconds to wait for the whole handshake. Default 10. */
  readyTimeoutS?: number;
  /** Seconds without a version report before the link asks for one. Default 2 (a rebooting Uno announces itself within ~1.6 s, bootloader included). */
  versionQueryS?: number;
  /** Wraps a handshake failure that is not a timeout (the port could not be opened, the transport failed). */
  error?: (message: string) => Error;
  /** Serial baud rate for a port path [bit/s]. Default 57600 (StandardFirmata). */
  baud?: number;
  /** What a handshake timeout tells the user to do. Default: flash StandardFirmata. */
  timeoutHint?: string;
}

export interface FirmataLink {
  /** johnny-five's Board over the link, ready. */
  readonly board: J5Board;
  readonly io: FirmataIo;
  readonly portName: string;
  /** Closes the transport (resolves once it is closed). */
  close(): Promise<void>;
}

export async function openFirmataLink(options: FirmataLinkOptions): Promise<FirmataLink> {
  const { port, clock } = options;
  const portName = typeof port === 'string' ? port : port.path;
  const readyTimeoutS = options.readyTimeoutS ?? 10;
  const make = options.error ?? ((m: string) => new MtjDeviceError(m));
  const fail = (e: unknown) => make(`cannot open the board on ${portName}: ${String((e as Error)?.message ?? e).replace(/^Error: /, '')}`);
  if (typeof port === 'string') assertSerialPortPath(port);
  const require = createRequire(import.meta.url);
  // firmata-io: the protocol, bound to node-serialport only for a port path (a link object is its own transport)
  const bindTransport = require('firmata-io') as ((transport: unknown) => FirmataClass) & { Firmata: FirmataClass };
  const Firmata = typeof port === 'string' ? bindTransport(loadSerialPort()) : bindTransport.Firmata;
  let io: FirmataIo | undefined;
  let settled = false;
  const handshake = new Promise<void>((resolve, reject) => {
    try {
      const serialport = { baudRate: options.baud ?? 57600, highWaterMark: 256 };
      io = new Firmata(port, { reportVersionTimeout: WALL_NEVER_MS, serialport }, (e?: Error) => {
        if (e) reject(fail(e));
        else resolve();
      });
    } catch (e) {
      reject(fail(e));
    }
  });
  // After the handshake a transport error is the driver's concern; before it, it is reported above.
  io?.on('error', () => undefined);
  if (io?.reportVersionTimeoutId) clearTimeout(io.reportVersionTimeoutId);
  const closeTransport = () => new Promise<void>((resolve) => (io?.transport?.close && io.transport.isOpen !== false ? io.transport.close(() => resolve()) : resolve()));
  void clock.delay(options.versionQueryS ?? 2).then(() => {
    if (settled || !io || io.versionReceived) return;
    io.reportVersion?.(() => undefined);
    io.queryFirmware?.(() => undefined);
  });
  const timeout = clock.delay(readyTimeoutS).then(() => {
    throw new FirmwareTimeoutError(portName, readyTimeoutS, options.timeoutHint);
  });
  try {
    await Promise.race([handshake, timeout]);
  } catch (e) {
    settled = true;
    await closeTransport().catch(() => undefined);
    throw e;
  }
  settled = true;
  const five = require('johnny-five');
  const board = new five.Board({ io, repl: false, debug: false, sigint: false, timeout: WALL_NEVER_MS }) as J5Board;
  // With a ready IO johnny-five emits its own connect and ready on the next tick.
  await new Promise<void>((resolve) => board.once('ready', () => resolve()));
  // johnny-five re-emits transport errors on the board (node-serialport follows a failure with a second
  // "Port is not open"); the drivers watch 'close'/'disconnect' and time out on missing replies instead.
  board.on('error', () => undefined);
  if (board.timer) clearTimeout(board.timer);
  return {
    board,
    io: io!,
    portName,
    close: async () => {
      if (board.timer) clearTimeout(board.timer);
      await closeTransport();
    },
  };
}
