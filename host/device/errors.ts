/**
 * Typed errors of the MTJ device layer. Every message names the thing at fault
 * (port, pin, file, field, device index) and, where one applies, the allowed range.
 * A board profile's own errors (BoardProfileError) are boards/errors.ts's, re-exported here; they are
 * BoardErrors, not MtjDeviceErrors (boards/ sits below host/ and imports nothing from it).
 */
export { BoardError, BoardProfileError } from '../../boards/errors.ts';

/** Base class: `instanceof MtjDeviceError` catches every error of this layer. */
export class MtjDeviceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A write/bias current outside the range the hardware (or simulation) allows; thrown before any pin is touched. */
export class CurrentOutOfRangeError extends MtjDeviceError {
  constructor(
    readonly field: string,
    readonly valueA: number,
    readonly minA: number,
    readonly maxA: number,
    readonly pin?: string | number,
  ) {
    super(
      `${field}${pin === undefined ? '' : ` (pin ${pin})`}: current ${fmtA(valueA)} is outside the allowed range [${fmtA(minA)}, ${fmtA(maxA)}]`,
    );
  }
}

/** A write-pulse width outside what the hardware can produce. */
export class PulseWidthOutOfRangeError extends MtjDeviceError {
  constructor(
    readonly field: string,
    readonly valueS: number,
    readonly minS: number,
    readonly maxS: number,
    readonly pin?: string | number,
  ) {
    super(
      `${field}${pin === undefined ? '' : ` (pin ${pin})`}: pulse width ${valueS} s is outside the allowed range [${minS} s, ${maxS} s]`,
    );
  }
}

/** A device index that is not in [0, deviceCount). */
export class DeviceIndexError extends MtjDeviceError {
  constructor(readonly device: number, readonly deviceCount: number) {
    super(`device index ${device} is outside [0, ${deviceCount}) of this MTJ array`);
  }
}

/** An operation on an array that is not open (never opened, or closed). */
export class DeviceNotOpenError extends MtjDeviceError {
  constructor(readonly what: string) {
    super(`${what} is not open: call open() first (or it was closed)`);
  }
}

/** The requested serial port does not exist. */
export class PortNotFoundError extends MtjDeviceError {
  constructor(readonly port: string, detail = '') {
    super(`serial port ${port} not found${detail ? `: ${detail}` : ''}`);
  }
}

/** No Firmata version report within the timeout: the board runs other firmware, or none. */
export class FirmwareTimeoutError extends MtjDeviceError {
  constructor(
    readonly port: string,
    readonly timeoutS: number,
    hint = 'flash StandardFirmata (wrong or missing firmware?)',
  ) {
    super(`no Firmata version report from ${port} within ${timeoutS} s: ${hint}`);
  }
}

/** The board answers, but with firmware its profile cannot use (profile runtime.firmware). */
export class FirmwareMismatchError extends MtjDeviceError {
  constructor(
    readonly port: string,
    readonly found: string,
    readonly needed: string,
    hint: string,
  ) {
    super(`board on ${port} runs ${found}, and its profile needs ${needed}: ${hint}`);
  }
}

/** The transport (serial port or emulated link) closed while the device was in use. */
export class TransportClosedError extends MtjDeviceError {
  constructor(readonly port: string, readonly during: string) {
    super(`transport ${port} closed during ${during}`);
  }
}

/** A board reply did not arrive in time (board hung, link saturated). */
export class BoardResponseTimeoutError extends MtjDeviceError {
  constructor(readonly port: string, readonly waitingFor: string, readonly timeoutS: number) {
    super(`no ${waitingFor} from ${port} within ${timeoutS} s`);
  }
}

/** A calibration file that is corrupt, of another schema, or for another board. */
export class CalibrationFileError extends MtjDeviceError {
  constructor(readonly file: string, readonly field: string, readonly reason: string) {
    super(`calibration file ${file}: field ${field} ${reason}`);
  }
}

/** Fetching the StandardFirmata hex for the emulated board failed. */
export class FirmwareHexError extends MtjDeviceError {
  constructor(readonly source: string, readonly reason: string) {
    super(`StandardFirmata hex from ${source}: ${reason}`);
  }
}

function fmtA(a: number): string {
  if (!Number.isFinite(a)) return String(a);
  return `${(a * 1e6).toPrecision(4)} µA`;
}

/**
 * node-serialport, an optional dependency with a native part, is not usable here (its install was skipped
 * or its binding failed to build or load): real serial ports cannot be opened. Emulated boards and the
 * simulated array do not need it.
 */
export class SerialSupportError extends MtjDeviceError {
  constructor(readonly reason: string) {
    super(
      `serial ports are not available: node-serialport (an optional dependency with a native binding) did not load: ${reason}. ` +
        'Reinstall spintrain where npm can build or download the binding (npm rebuild serialport), or use --device sim',
    );
  }
}
