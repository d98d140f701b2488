/**
 * A deep network described in a JSON file (`spintrain deep train --net FILE.json`): either
 *   {"input": [C, H, W], "nodes": [...]}   (input optional: the data's shape, or --input-shape, gives it)
 * or the array of nodes alone, each node as in host/engine/deep-config.ts, e.g.
 *   [{"kind": "conv", "channels": 8, "kernel": 3, "pad": 1}, {"kind": "maxpool", "size": 2}, {"kind": "dense", "units": 10}]
 * The fields are checked as a weights file's meta.deep (host/engine/deep-config-schema.ts); a file that cannot
 * be read, is not JSON or describes no network is refused with a NetFileError naming the file and the field.
 */
import { NetFileError } from '../io/errors.ts';
import { readRegularTextSync, RegularFileError } from '../io/regular-file.ts';
import { ConfigError } from './config.ts';
import { parseDeepNet, type DeepNet } from './deep-config-schema.ts';

/** Net files are small: larger files are refused by size. */
const MAX_NET_FILE_BYTES = 1 << 20;

export function readDeepNetFile(path: string): DeepNet {
  let text: string;
  try {
    text = readRegularTextSync(path, { maxBytes: MAX_NET_FILE_BYTES });
  } catch (e) {
    if (e instanceof RegularFileError) throw new NetFileError(path, 'file', e.reason);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NetFileError(path, 'json', `not valid JSON: ${(e as Error).message}`);
  }
  try {
    return parseDeepNet(Array.isArray(raw) ? { nodes: raw } : raw, true);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new NetFileError(path, e.field.startsWith('(') ? '(top level)' : e.field, e.message.slice(e.field.length + 2));
  }
}
