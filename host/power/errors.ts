/** Typed errors of the power-measurement and report layer; messages name the port, address, pin, file or field. */

/** Base class: `instanceof PowerError` catches every error of this layer. */
export class PowerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The sensor did not answer, or answered with values that are not an INA219's. */
export class PowerSensorError extends PowerError {
  constructor(
    readonly port: string,
    readonly address: number,
    reason: string,
  ) {
    super(`power sensor at I²C 0x${address.toString(16).padStart(2, '0')} on ${port}: ${reason}`);
  }
}

/** A marker pin that cannot be used (not a digital pin of the board, or taken by the MTJ wiring). */
export class MarkerPinError extends PowerError {
  constructor(
    readonly board: string,
    readonly pin: number,
    reason: string,
  ) {
    super(`marker pin ${pin} on ${board}: ${reason}`);
  }
}

/** A run-directory file that is missing or malformed; names the file and the field. */
export class RunDirError extends PowerError {
  constructor(
    readonly file: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${file}: ${field}: ${reason}`);
  }
}

/** A measurement that cannot be evaluated (e.g. no trace samples inside a phase). */
export class MeasurementError extends PowerError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`power measurement: ${field}: ${reason}`);
  }
}
