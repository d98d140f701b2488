/**
 * Typed errors of the data layer. Every message starts with the file (or dataset spec) it is about
 * and says what was expected and what was found.
 */

/** A dataset could not be loaded: missing, malformed or inconsistent file, or bad options. */
export class DatasetError extends Error {
  override name = 'DatasetError';
  /** The file (or dataset spec) the error is about, as the caller named it. */
  readonly file: string;

  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.file = file;
  }
}

/** An IDX file is malformed: bad magic, unsupported type, wrong dimensions or wrong byte length. */
export class IdxFormatError extends DatasetError {
  override name = 'IdxFormatError';
  /** The IDX field at fault: 'magic', 'type', 'ndims', 'dims', 'data', 'gzip'. */
  readonly field: string;

  constructor(file: string, field: string, detail: string) {
    super(file, detail);
    this.field = field;
  }
}

/** `loadDataset` was given a spec that names no known dataset and no IDX file pair. */
export class UnknownDatasetError extends DatasetError {
  override name = 'UnknownDatasetError';
}
