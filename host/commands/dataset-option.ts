/**
 * `--dataset D` of the training commands (spintrain train, spintrain deep): loadDataset (host/data/index.ts),
 * with a spec that names no data set refused as an option error (CliError, exit 2); a bad file stays a file
 * error naming the file (exit 1).
 */
import { loadDataset, UnknownDatasetError, type Dataset } from '../data/index.ts';
import { CliError } from './errors.ts';

export function loadDatasetOption(spec: string, opts: Parameters<typeof loadDataset>[1]): Dataset {
  try {
    return loadDataset(spec, opts);
  } catch (e) {
    if (e instanceof UnknownDatasetError) throw new CliError('--dataset', e.message);
    throw e;
  }
}
