/** Typed errors of the file-format layer. */

/** A weights file could not be decoded: its message names the file, the field, and expected vs found. */
export class WeightsFileError extends Error {
  override name = 'WeightsFileError';
  readonly file: string;
  /** The field at fault, e.g. 'magic', 'version', 'length', 'checksum', 'layout'. */
  readonly field: string;

  constructor(file: string, field: string, detail: string) {
    super(`${file}: ${field}: ${detail}`);
    this.file = file;
    this.field = field;
  }
}

/** A WeightsFile value cannot be encoded (out-of-range width, over-long name, duplicate tensor…). */
export class InvalidWeightsError extends Error {
  override name = 'InvalidWeightsError';
  readonly field: string;

  constructor(field: string, detail: string) {
    super(`cannot encode weights: ${field}: ${detail}`);
    this.field = field;
  }
}

/** An Intel HEX file that does not decode: the message names the file, the line and what is wrong. */
export class IntelHexError extends Error {
  override name = 'IntelHexError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}: line ${line}: ${reason}`);
  }
}

/** A network file (`spintrain deep train --net FILE.json`) that cannot be read or describes no network: names the file and the field. */
export class NetFileError extends Error {
  override name = 'NetFileError';

  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field}: ${detail}`);
  }
}
