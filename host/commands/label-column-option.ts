/**
 * `--label-column NAME|INDEX` of `spintrain train`: the label column of a CSV data set. An integer is a
 * 0-based index (−1 is the last column; write `--label-column=-1`), anything else a header name; the
 * default is the last column. Refused as an option error (exit 2) when it can name a column in no CSV
 * file (an empty name, an index beyond 8,193 columns) or when --dataset is not CSV; a column that this
 * file lacks is a file error naming the file (exit 1, host/data/csv.ts).
 */
import { impossibleLabelColumn, isCsvSpec, parseLabelColumn, type LabelColumn } from '../data/csv.ts';
import { CliError } from './errors.ts';

export const LABEL_COLUMN_USAGE = `  --label-column NAME|INDEX  CSV: the label column, a header name or a 0-based index (default: the last column;
                             --label-column=-1 counts from the end); every other column is a numeric feature`;

export function labelColumnOption(raw: string | undefined, datasetSpec: string): LabelColumn | undefined {
  if (raw === undefined) return undefined;
  const column = parseLabelColumn(raw);
  const why = impossibleLabelColumn(column);
  if (why) throw new CliError('--label-column', `${why}, got "${raw}"`);
  if (!isCsvSpec(datasetSpec)) throw new CliError('--label-column', 'only applies with a CSV --dataset (<file.csv> or <train.csv>,<test.csv>)');
  return column;
}
