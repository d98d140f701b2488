/**
 * Typed errors of the board profiles (boards/*.ts). They live here, below the host, so that boards/
 * imports nothing from host/: host/device re-exports them (host/device/errors.ts) for its callers.
 * Every message names the board and, where one applies, the offending field.
 */

/** Base class: `instanceof BoardError` catches every error of the board profiles. */
export class BoardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A board profile failing validation; `field` is a dotted path such as `mtj.read.adcPins[2]`. */
export class BoardProfileError extends BoardError {
  constructor(readonly board: string, readonly field: string, readonly reason: string) {
    super(`board profile ${board}: field ${field} ${reason}`);
  }
}

/** A board name no profile has (`--board`, a calibration or run file); `known` lists the ids there are. */
export class UnknownBoardError extends BoardError {
  constructor(readonly board: string, readonly known: string[]) {
    super(`unknown board "${board}": known boards are ${known.join(', ')}`);
  }
}
