/**
 * Bounded inflation of a gzipped IDX file. Rule: nothing is inflated beyond what the file's own
 * header declares. First only a prefix of the compressed bytes is inflated, just enough to read the
 * IDX header (at most MAX_IDX_HEADER bytes); the header gives the file's total size; then the whole
 * stream is inflated with that size as a hard limit, so a gzip bomb stops at the declared size
 * instead of filling memory. Errors are IdxFormatErrors naming the file (field 'gzip' or 'data').
 */
import { constants, gunzipSync } from 'node:zlib';
import { IdxFormatError } from './errors.ts';

/** The largest IDX header: magic (4 bytes) + 255 dimension sizes (4 bytes each). */
export const MAX_IDX_HEADER = 4 + 4 * 255;
/** Output bound of the header probe: no honest gzip needs this much output before its first kilobyte. */
const PROBE_MAX_OUTPUT = 64 * 1024 * 1024;
/** First compressed prefix tried (deflate inflates at most ~1032× a prefix: ≤ 0.5 MB here). */
const FIRST_PROBE = 512;

function corrupt(fileName: string, e: unknown): IdxFormatError {
  return new IdxFormatError(fileName, 'gzip', `gzip stream is corrupt (${(e as Error).message})`);
}

/**
 * The first ≥ `wanted` inflated bytes of a gzip stream, or all of them if the stream inflates to
 * fewer. Inflates growing prefixes of the compressed bytes (sync flush: a cut stream yields what it
 * holds), doubling until enough output appears.
 */
export function inflateHead(gz: Uint8Array, fileName: string, wanted = MAX_IDX_HEADER): Buffer {
  for (let k = Math.min(FIRST_PROBE, gz.length); ; k = Math.min(2 * k, gz.length)) {
    let out: Buffer;
    try {
      out = gunzipSync(gz.subarray(0, k), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: PROBE_MAX_OUTPUT });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new IdxFormatError(fileName, 'gzip', `inflates to more than ${PROBE_MAX_OUTPUT} bytes within its first ${k} compressed bytes before an IDX header is complete`);
      }
      throw corrupt(fileName, e);
    }
    if (out.length >= wanted || k === gz.length) return out;
  }
}

/**
 * The whole inflated stream, refused as soon as it exceeds `declaredBytes` (the size the IDX
 * header declares): `describe` says what the header declared, for the message.
 */
export function inflateBounded(gz: Uint8Array, fileName: string, declaredBytes: number, describe: string): Buffer {
  try {
    return gunzipSync(gz, { maxOutputLength: Math.max(1, declaredBytes) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IdxFormatError(fileName, 'data', `inflates to more than the ${declaredBytes} bytes its header declares (${describe}): trailing bytes, or a gzip bomb; stopped there`);
    }
    throw corrupt(fileName, e);
  }
}
