/**
 * Is this path a serial port? Checked before johnny-five/node-serialport is given the path, so that a path
 * that is not one (a regular file, a directory, a FIFO, /dev/null, /dev/zero, ...) is refused at once with
 * an error naming the port, rather than failing inside the driver (where /dev/null emitted unhandled error
 * events, and `power --port /dev/null` waited forever).
 *
 * Rules:
 *   - the path must exist (PortNotFoundError);
 *   - it must be a character device (NotASerialPortError): serial ports are;
 *   - on Linux, its major number's driver (/proc/devices) must be a tty driver (tty, ttyS, ttyACM, ttyUSB,
 *     pts, /dev/tty, rfcomm, ...): /dev/null, /dev/zero and /dev/urandom belong to "mem" and are refused.
 *     Where /proc/devices cannot be read, a character device is accepted and the open decides.
 *     Pseudo-terminals (slaves: major 136–143, driver "pts") are serial ports here: a board bridged by socat
 *     or reached over the network appears as one (`spintrain board --port`).
 *   - on Windows a COMn name is accepted as is (no file to stat).
 */
import { readFileSync, statSync } from 'node:fs';
import { MtjDeviceError, PortNotFoundError } from './errors.ts';

/** The path exists but is no serial port. */
export class NotASerialPortError extends MtjDeviceError {
  constructor(
    readonly port: string,
    readonly what: string,
  ) {
    super(`${port} is not a serial port (${what}): give the path of the board's serial port, e.g. /dev/ttyACM0`);
  }
}

/** Driver names of /proc/devices whose character devices are terminals (serial ports among them). */
const TTY_DRIVER = /tty|pts|ptm|console|rfcomm|serial|acm/i;

/** The driver name of a character major number from /proc/devices text, if listed. */
export function charDriverName(procDevices: string, major: number): string | undefined {
  return charDriverNames(procDevices, major)[0];
}

/**
 * Every driver name /proc/devices lists for a character major, in order: one major can carry several
 * (4: "/dev/vc/0", "tty" and "ttyS", the serial ports /dev/ttyS*).
 */
export function charDriverNames(procDevices: string, major: number): string[] {
  const chars = procDevices.split(/\n\s*\n|Block devices:/)[0];
  return chars.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    return m && Number(m[1]) === major ? [m[2]] : [];
  });
}

/** glibc's major() of a device number. */
function majorOf(rdev: bigint): number {
  return Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
}

/**
 * Throws PortNotFoundError or NotASerialPortError (both MtjDeviceError, exit code 1) unless `path` can be a
 * serial port. `option` names the command-line option in the hint (default --device); `procDevices` is for
 * tests (default: /proc/devices, when readable).
 */
export function assertSerialPortPath(path: string, opts: { option?: string; procDevices?: string } = {}): void {
  if (process.platform === 'win32' && /^(\\\\\.\\)?COM\d+$/i.test(path)) return;
  let st;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PortNotFoundError(path, opts.option === '--port' ? '--port expects the path of a serial port' : '--device expects prng, sim or the path of a serial port');
    }
    throw new NotASerialPortError(path, `cannot stat it: ${code ?? (e as Error).message}`);
  }
  if (!st.isCharacterDevice()) {
    const kind = st.isFile() ? 'a regular file' : st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isBlockDevice() ? 'a block device' : 'not a character device';
    throw new NotASerialPortError(path, kind);
  }
  let table = opts.procDevices;
  if (table === undefined && process.platform === 'linux') {
    try {
      table = readFileSync('/proc/devices', 'utf8');
    } catch {
      table = undefined;
    }
  }
  if (table === undefined) return;
  const major = majorOf(st.rdev);
  const drivers = charDriverNames(table, major);
  if (drivers.length > 0 && !drivers.some((d) => TTY_DRIVER.test(d))) throw new NotASerialPortError(path, `a character device of driver "${drivers.join('", "')}", not a terminal`);
}
