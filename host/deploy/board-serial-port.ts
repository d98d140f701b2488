/**
 * A board's serial port as a BoardPort (board-link.ts), through node-serialport (host/device/
 * serial-port-module.ts). The path is checked first (host/device/serial-port-path.ts: it must be a
 * terminal device; pseudo-terminals count, since socat-bridged and remote boards appear as ptys), so a
 * wrong path fails at once with the port named instead of inside the driver.
 */
import { assertSerialPortPath } from '../device/serial-port-path.ts';
import { loadSerialPort, type SerialPortModule } from '../device/serial-port-module.ts';
import { BoardLinkError, type BoardPort } from './board-link.ts';

/** The baud rate of the board sketch (ST_SERIAL_BAUD in boards/glue/ports/arduino/st_port_arduino.cpp). */
export const BOARD_BAUD = 115200;

/** node-serialport's port object, the parts used here. */
interface SerialPortLike {
  open(cb: (e?: Error | null) => void): void;
  write(data: Uint8Array): boolean;
  close(cb?: (e?: Error | null) => void): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
  isOpen?: boolean;
}

const message = (e: unknown): string => String((e as Error)?.message ?? e).replace(/^Error: /, '');

/** Opens `path` (8N1 at baudRate); BoardLinkError naming the port when it cannot be opened. */
export async function openBoardSerialPort(path: string, opts: { baudRate?: number; load?: () => SerialPortModule } = {}): Promise<BoardPort> {
  assertSerialPortPath(path, { option: '--port' });
  const SerialPort = opts.load ? loadSerialPort(opts.load) : loadSerialPort();
  const port = new SerialPort(path, { baudRate: opts.baudRate ?? BOARD_BAUD, autoOpen: false }) as SerialPortLike;
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(new BoardLinkError(path, `cannot open it: ${message(e)}`)) : resolve())));
  let closing = false;
  const closeCbs: ((reason: string) => void)[] = [];
  const closed = (reason: string): void => {
    for (const cb of closeCbs.splice(0)) cb(reason);
  };
  port.on('error', (e) => closed(message(e)));
  port.on('close', () => {
    if (!closing) closed('the port closed (board unplugged or reset?)');
  });
  return {
    name: path,
    write: (bytes) => void port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    onData: (cb) => port.on('data', (chunk) => cb(chunk as Uint8Array)),
    onClose: (cb) => void closeCbs.push(cb),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (port.isOpen === false) return resolve();
        port.close(() => resolve());
      }),
  };
}
