/**
 * CSV data sets: numeric feature columns and one label column.
 *
 *   spec = "<file.csv>"                 seeded stratified 80/20 split (like an IDX pair without test files)
 *        | "<train.csv>,<test.csv>"     explicit test file
 *
 * A path is CSV by its name: it ends in .csv or .csv.gz (any case). Gzip is recognised by its magic,
 * whatever the name, and inflated up to MAX_CSV_BYTES, never beyond (a gzip bomb stops there).
 *
 * Format. Cells are separated by commas; a cell may be double-quoted ("" is a quote inside it, and a
 * quoted cell may span lines); line ends are LF, CRLF or CR; a UTF-8 byte-order mark is skipped; blank
 * lines are skipped. Unquoted cells are trimmed of spaces and tabs.
 *
 * Columns. The label column is `labelColumn` (a name, or a 0-based index where −1 is the last column);
 * by default the last column. Every other column is a feature and must hold a finite decimal number in
 * every row (no empty cells, no NaN). Labels are any non-empty text: when every label is a number the
 * classes are the distinct values in numeric order ("1" and "1.0" are one class, named "1"), otherwise
 * the distinct texts in code-point order; class ids are 0..C−1 in that order, and the names are kept
 * (Dataset.classNames). A train/test pair's classes are those of the train file; a test label that the
 * train file lacks is refused.
 *
 * Header. Row 1 is a header when a feature cell of it is a non-empty non-number, or when the label
 * column is given by name (the header must then hold it), or when its label is a non-number while every
 * other row's label is a number ("x1,x2,class" over numeric classes).
 *
 * Rules (as for IDX): only regular files are read; at least 1 data row per file; 1..8,192 features
 * (the engine's widest layer); 2..256 classes; neither side of a random split may be empty. Features
 * are min-max scaled to u8 on the train split only and the same scale is applied to the test split
 * (Dataset.inputScale). Every error is a DatasetError naming the file; a CsvFormatError also names
 * the row (the 1-based line number where the record starts) and the column (its header name and
 * 0-based index, or the index alone).
 */
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MAX_FEATURES } from './dataset.ts';
import { readRegularFileSync, RegularFileError } from '../io/regular-file.ts';
import { Rng } from '../rng.ts';
import type { Dataset } from './dataset.ts';
import { DatasetError, UnknownDatasetError } from './errors.ts';
import { fitMinMaxRows, quantiseRowsU8 } from './feature-scaling.ts';
import { stratifiedSplit } from './stratified-split.ts';

/** Most bytes a CSV file may hold, plain or inflated (256 MiB). */
export const MAX_CSV_BYTES = 2 ** 28;
/** Most feature columns: the engine's widest layer. */
export const MAX_CSV_FEATURES = MAX_FEATURES;
/** Most columns of any CSV file: the features and the label. */
export const MAX_CSV_COLUMNS = MAX_CSV_FEATURES + 1;
/** Most classes (labels are stored as u8). */
export const MAX_CSV_CLASSES = 256;

/** The label column: a header name, or a 0-based index (negative: from the end, −1 = the last column). */
export type LabelColumn = string | number;

/** A CSV file is malformed: the message names the file, and the row and column when there is one. */
export class CsvFormatError extends DatasetError {
  override name = 'CsvFormatError';
  constructor(
    file: string,
    detail: string,
    /** 1-based line number where the record starts. */
    readonly row?: number,
    /** The column: `"name" (index j)` or `index j`. */
    readonly column?: string,
  ) {
    super(file, `${[row === undefined ? '' : `row ${row}`, column === undefined ? '' : `column ${column}`].filter((s) => s !== '').map((s) => `${s}, `).join('').replace(/, $/, ': ')}${detail}`);
  }
}

const CSV_NAME = /\.csv(\.gz)?$/i;

/** True if the path names a CSV file (.csv or .csv.gz, any case). */
export function isCsvPath(path: string): boolean {
  return CSV_NAME.test(path.trim());
}

/** True if a --dataset spec is a CSV spec: any of its comma-separated parts names a CSV file. */
export function isCsvSpec(spec: string): boolean {
  return spec.split(',').some((p) => isCsvPath(p));
}

/**
 * Why a label column can exist in no CSV file at all, or undefined if it can exist in some: an empty
 * name, a non-integer index, or an index beyond the most columns a file may have.
 */
export function impossibleLabelColumn(c: LabelColumn): string | undefined {
  if (typeof c === 'number') {
    if (!Number.isInteger(c)) return `expected an integer column index, got ${c}`;
    if (c >= MAX_CSV_COLUMNS || c < -MAX_CSV_COLUMNS) {
      return `a CSV file has at most ${MAX_CSV_COLUMNS} columns (${MAX_CSV_FEATURES} features and the label), so index ${c} names no column (indices are 0-based; −1 is the last column)`;
    }
    return undefined;
  }
  if (c.trim() === '') return 'expected a column name or a 0-based index, got an empty name';
  return undefined;
}

/** An integer written as digits ("3", "-1", "+2") is an index; anything else is a column name. */
export function parseLabelColumn(raw: string): LabelColumn {
  const t = raw.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : t;
}

// ---------------------------------------------------------------------------------------------------
// Reading and tokenising

/**
 * The text of a CSV file's bytes: gunzipped when they start with the gzip magic, but never to more than
 * `maxBytes` (default MAX_CSV_BYTES); a UTF-8 byte-order mark dropped.
 */
export function decodeCsvBytes(bytes: Uint8Array, file: string, maxBytes = MAX_CSV_BYTES): string {
  let raw: Uint8Array = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new DatasetError(file, `inflates to more than ${maxBytes} bytes, the most a CSV file may hold (a gzip bomb?); stopped there`);
      }
      throw new DatasetError(file, `gzip stream is corrupt (${(e as Error).message})`);
    }
  }
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read the text of the CSV file at `path`: a regular file only, at most MAX_CSV_BYTES (plain or inflated). */
export function readCsvText(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(path, { maxBytes: MAX_CSV_BYTES });
  } catch (e) {
    if (e instanceof RegularFileError) throw new DatasetError(path, e.code === 'EISDIR' ? 'is a directory, expected a CSV file' : e.reason);
    throw e;
  }
  return decodeCsvBytes(bytes, path);
}

/** One record: its cells (unquoted ones trimmed) and the 1-based line where it starts. */
interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * Calls `onRecord` for every non-blank record of `text`, in order. `maxCells(recordIndex)` bounds the
 * cells of a record: one cell beyond it ends the record's collection early (the caller refuses it as
 * ragged or too wide), so a huge line never builds a huge array. Throws CsvFormatError for a quoted cell
 * left open or text after a closing quote.
 */
function scanRecords(text: string, file: string, maxCells: (record: number) => number, onRecord: (r: CsvRecord) => void): void {
  const n = text.length;
  let i = 0;
  let line = 1;
  let records = 0;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    const limit = maxCells(records);
    let anyQuoted = false;
    let endOfRecord = false;
    while (!endOfRecord) {
      // one cell starting at i
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      let cell: string;
      if (i < n && text.charCodeAt(i) === 34) {
        anyQuoted = true;
        const cellLine = line;
        i++;
        const start = i;
        let parts = '';
        let from = i;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            throw new CsvFormatError(file, 'a quoted cell is not closed before the end of the file', cellLine, `index ${cells.length}`);
          }
          if (q + 1 < n && text.charCodeAt(q + 1) === 34) {
            parts += text.slice(from, q + 1);
            i = q + 2;
            from = i;
            continue;
          }
          parts += text.slice(from, q);
          for (let k = start; k < q; k++) {
            const c = text.charCodeAt(k);
            if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) line++;
          }
          i = q + 1;
          break;
        }
        cell = parts;
        while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
        if (i < n) {
          const c = text.charCodeAt(i);
          if (c !== 44 && c !== 10 && c !== 13) {
            throw new CsvFormatError(file, `unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted cell is written "")`, cellLine, `index ${cells.length}`);
          }
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          j++;
        }
        let e = j;
        while (e > i && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
        cell = text.slice(i, e);
        i = j;
      }
      if (cells.length <= limit) cells.push(cell);
      // delimiter or end of record
      if (i >= n) endOfRecord = true;
      else {
        const c = text.charCodeAt(i);
        if (c === 44) i++;
        else {
          i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
          line++;
          endOfRecord = true;
        }
      }
    }
    if (cells.length === 1 && cells[0] === '' && !anyQuoted) continue; // a blank line
    records++;
    onRecord({ cells, line: startLine });
  }
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True if a cell is written as a number, finite or not ("1e999", "NaN", "-inf" too): never a header name. */
function looksNumeric(cell: string): boolean {
  return NUMBER.test(cell) || /^[+-]?(inf|infinity|nan)$/i.test(cell);
}

/** The finite number a cell holds, or undefined if it holds none (empty, text, NaN, Infinity, hex, 1e999). */
function numberIn(cell: string): number | undefined {
  if (!NUMBER.test(cell)) return undefined;
  const v = Number(cell);
  return Number.isFinite(v) ? v : undefined;
}

/** A cell's text for a message: quoted, escaped, cut at 40 characters. */
function shown(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);
}

// ---------------------------------------------------------------------------------------------------
// Tables

/** One CSV file read as features and labels, not yet scaled. */
export interface CsvTable {
  file: string;
  /** Header names (trimmed), when row 1 is a header. */
  header?: string[];
  /** Columns per row. */
  columns: number;
  /** 0-based index of the label column. */
  labelIndex: number;
  /** Feature columns per row (columns − 1). */
  features: number;
  /** Data rows. */
  n: number;
  /** Row-major feature values, n × features. */
  values: Float64Array;
  /** Label text per data row. */
  labels: string[];
  /** 1-based line number per data row. */
  lines: Uint32Array;
}

/** `"name" (index j)` or `index j`; with `what`: `"name" (index j, what)` or `index j (what)`. */
function columnName(header: string[] | undefined, j: number, what?: string): string {
  const name = header?.[j];
  if (name) return `${JSON.stringify(name)} (index ${j}${what ? `, ${what}` : ''})`;
  return `index ${j}${what ? ` (${what})` : ''}`;
}

/** The 0-based label index in a file of `columns` columns whose first row is `first`; `header` when it is one. */
function resolveLabel(file: string, first: CsvRecord, labelColumn: LabelColumn | undefined): { labelIndex: number; header: boolean } {
  const columns = first.cells.length;
  const isText = (c: string): boolean => c !== '' && !looksNumeric(c);
  if (typeof labelColumn === 'string') {
    const name = labelColumn.trim();
    const hits = first.cells.flatMap((c, j) => (c === name ? [j] : []));
    if (hits.length === 1) return { labelIndex: hits[0], header: true };
    if (hits.length > 1) throw new CsvFormatError(file, `--label-column ${JSON.stringify(name)} is ambiguous: the header has it at indices ${hits.join(', ')}; give the index instead`, first.line);
    const texts = first.cells.filter(isText).length;
    if (texts === 0) {
      throw new CsvFormatError(
        file,
        `has no header (every cell of its first row is a number), so --label-column ${JSON.stringify(name)} names no column; give the label column's 0-based index instead`,
        first.line,
      );
    }
    const list = first.cells.slice(0, 12).map((c) => shown(c)).join(', ') + (columns > 12 ? `, … (${columns} columns)` : '');
    const hint = texts === 1 ? '; this row looks like data rather than a header: give the label column\'s 0-based index instead' : '';
    throw new CsvFormatError(file, `the header has no column named ${JSON.stringify(name)} (--label-column); its columns are ${list}${hint}`, first.line);
  }
  const want = labelColumn ?? -1;
  const labelIndex = want < 0 ? columns + want : want;
  if (labelIndex < 0 || labelIndex >= columns) {
    throw new CsvFormatError(file, `--label-column ${want} names no column: the file has ${columns} column${columns === 1 ? '' : 's'} (indices 0..${columns - 1}, or −1 for the last)`, first.line);
  }
  const header = first.cells.some((c, j) => j !== labelIndex && isText(c));
  return { labelIndex, header };
}

/**
 * Parse CSV text into a table (see the module comment for the format and the rules checked here:
 * header, label column, numeric features, row widths, 1..8,192 features, at least 1 data row).
 * `like`: the train file's table, when this is its test file: the columns must agree with it.
 */
export function parseCsv(text: string, file: string, labelColumn?: LabelColumn, like?: CsvTable): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let first: CsvRecord | undefined;
  let labelIndex = -1;
  let header: string[] | undefined;
  let features = 0;
  let columns = 0;
  let headerPending = false; // row 1 held as data, unless every later label is numeric while its label is not
  let laterLabelsNumeric = true;
  let values = new Float64Array(1024);
  const labels: string[] = [];
  let lines = new Uint32Array(256);
  let n = 0;

  const addRow = (r: CsvRecord): void => {
    const cells = r.cells;
    if (cells.length !== columns) {
      const detail =
        cells.length < columns
          ? `expected ${columns} cells like row ${first!.line}${header ? ' (the header)' : ''}, found ${cells.length}: this column is missing`
          : `expected ${columns} cells like row ${first!.line}${header ? ' (the header)' : ''}, found more than ${columns}: this column is extra`;
      throw new CsvFormatError(file, detail, r.line, cells.length < columns ? columnName(header, cells.length) : `index ${columns}`);
    }
    if ((n + 1) * features > values.length) {
      const grown = new Float64Array(Math.max(2 * values.length, (n + 1) * features));
      grown.set(values);
      values = grown;
    }
    if (n >= lines.length) {
      const grown = new Uint32Array(2 * lines.length);
      grown.set(lines);
      lines = grown;
    }
    let k = n * features;
    for (let j = 0; j < columns; j++) {
      if (j === labelIndex) continue;
      const cell = cells[j];
      const v = numberIn(cell);
      if (v === undefined) {
        const what =
          cell === ''
            ? 'empty cell: every feature cell needs a number (missing values are not supported)'
            : looksNumeric(cell)
              ? `expected a finite number, found ${shown(cell)}`
              : `expected a number, found ${shown(cell)}`;
        throw new CsvFormatError(file, what, r.line, columnName(header, j));
      }
      values[k++] = v;
    }
    const label = cells[labelIndex];
    if (label === '') throw new CsvFormatError(file, 'empty label cell', r.line, columnName(header, labelIndex, 'the label'));
    labels.push(label);
    lines[n] = r.line;
    n++;
  };

  scanRecords(
    text,
    file,
    (record) => (record === 0 ? MAX_CSV_COLUMNS : columns),
    (r) => {
      if (first === undefined) {
        first = r;
        columns = r.cells.length;
        if (columns > MAX_CSV_COLUMNS) {
          throw new CsvFormatError(file, `more than ${MAX_CSV_COLUMNS} columns: at most ${MAX_CSV_FEATURES} features (the engine's widest layer) and the label`, r.line);
        }
        if (columns < 2) {
          const hint = /[;\t|]/.test(r.cells[0] ?? '') ? ' (cells are separated by commas; this row holds ";", tab or "|" instead)' : '';
          throw new CsvFormatError(file, `expected at least 2 columns (features and a label), found ${columns}${hint}`, r.line);
        }
        const resolved = resolveLabel(file, r, labelColumn);
        labelIndex = resolved.labelIndex;
        features = columns - 1;
        if (like) checkLike(file, r, columns, labelIndex, like);
        if (resolved.header) header = r.cells.slice();
        else {
          // Row 1 might still be a header over numeric feature names ("1,2,3,digit"): decided once every
          // label is seen. Kept as data meanwhile.
          headerPending = !looksNumeric(r.cells[labelIndex]) && r.cells[labelIndex] !== '';
          addRow(r);
        }
        if (header && like?.header) checkHeaderLike(file, r, like);
        return;
      }
      if (headerPending && numberIn(r.cells[labelIndex] ?? '') === undefined) laterLabelsNumeric = false;
      addRow(r);
    },
  );
  if (first === undefined) throw new CsvFormatError(file, 'expected a header or data rows, found none (an empty file)');
  let skip = 0;
  if (headerPending && n > 1 && laterLabelsNumeric) {
    // Row 1's label is text over numeric labels everywhere else: it is a header after all.
    header = first.cells.slice();
    if (like?.header) checkHeaderLike(file, first, like);
    skip = 1;
    labels.shift();
  }
  n -= skip;
  if (n === 0) throw new CsvFormatError(file, `expected at least 1 data row, found none${header ? ' (only a header)' : ''}`);
  return { file, header, columns, labelIndex, features, n, values: values.slice(skip * features, (skip + n) * features), labels, lines: lines.slice(skip, skip + n) };
}

/** A test file's columns agree with its train file's: the same count and the same label column. */
function checkLike(file: string, first: CsvRecord, columns: number, labelIndex: number, like: CsvTable): void {
  if (columns !== like.columns) {
    throw new CsvFormatError(file, `expected ${like.columns} columns like ${like.file}, found ${columns}`, first.line);
  }
  if (labelIndex !== like.labelIndex) {
    throw new CsvFormatError(file, `the label column is index ${labelIndex} here but index ${like.labelIndex} in ${like.file}`, first.line);
  }
}

/** Both files have headers: they must name the same columns in the same order. */
function checkHeaderLike(file: string, first: CsvRecord, like: CsvTable): void {
  const j = first.cells.findIndex((c, k) => c !== like.header![k]);
  if (j >= 0) {
    throw new CsvFormatError(file, `the header names ${shown(first.cells[j])} where ${like.file} names ${shown(like.header![j])}: the columns must be the same, in the same order`, first.line, `index ${j}`);
  }
}

/** Read and parse the CSV file at `path` (see parseCsv). */
export function readCsv(path: string, labelColumn?: LabelColumn, like?: CsvTable): CsvTable {
  return parseCsv(readCsvText(path), path, labelColumn, like);
}

// ---------------------------------------------------------------------------------------------------
// Data sets

export interface CsvDatasetOptions {
  labelColumn?: LabelColumn;
  /** Seed of the split when there is no test file (default 1). */
  seed?: number;
  /** Test fraction of that split (default 0.2). */
  testFraction?: number;
}

/** Class ids of a table's labels: sorted distinct values (numeric if all numbers), with their names. */
function classesOf(table: CsvTable): { names: string[]; keys: Map<string | number, number>; numeric: boolean } {
  const nums = table.labels.map((l) => numberIn(l));
  const numeric = nums.every((v) => v !== undefined);
  const keys = new Map<string | number, number>();
  let names: string[];
  if (numeric) {
    const distinct = [...new Set(nums as number[])].sort((a, b) => a - b);
    distinct.forEach((v, c) => keys.set(v, c));
    names = distinct.map((v) => String(v));
  } else {
    names = [...new Set(table.labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    names.forEach((s, c) => keys.set(s, c));
  }
  const label = columnName(table.header, table.labelIndex, 'the label');
  if (names.length < 2) {
    throw new CsvFormatError(table.file, `expected at least 2 classes, found ${names.length} (${shown(names[0] ?? '')} in all ${table.n} rows)`, undefined, label);
  }
  if (names.length > MAX_CSV_CLASSES) {
    throw new CsvFormatError(
      table.file,
      `expected at most ${MAX_CSV_CLASSES} classes, found ${names.length} distinct labels (${names.slice(0, 3).map(shown).join(', ')}, …)${numeric ? ': a regression target? Labels are class names or numbers' : ''}`,
      undefined,
      label,
    );
  }
  return { names, keys, numeric };
}

/** Class ids of `table`'s rows under the train file's classes; a label the train file lacks is refused. */
function labelIds(table: CsvTable, classes: ReturnType<typeof classesOf>, trainFile: string): Uint8Array {
  const y = new Uint8Array(table.n);
  for (let i = 0; i < table.n; i++) {
    const text = table.labels[i];
    const key = classes.numeric ? numberIn(text) : text;
    const c = key === undefined ? undefined : classes.keys.get(key);
    if (c === undefined) {
      throw new CsvFormatError(
        table.file,
        `label ${shown(text)} is not a class of ${trainFile} (its classes: ${classes.names.slice(0, 10).map(shown).join(', ')}${classes.names.length > 10 ? ', …' : ''})`,
        table.lines[i],
        columnName(table.header, table.labelIndex, 'the label'),
      );
    }
    y[i] = c;
  }
  return y;
}

const SPEC_HELP = 'a CSV data set is "<file.csv>" (split 80/20) or "<train.csv>,<test.csv>" (.csv or .csv.gz)';

/** Load a CSV data set from 1 path (seeded stratified split) or 2 (train, test); see the module comment. */
export function loadCsvDataset(paths: string[], opts: CsvDatasetOptions = {}): Dataset {
  if ((paths.length !== 1 && paths.length !== 2) || paths.some((p) => p === '')) {
    throw new UnknownDatasetError(paths.join(','), `expected 1 or 2 comma-separated CSV paths, found ${paths.filter((p) => p !== '').length}; ${SPEC_HELP}`);
  }
  const odd = paths.find((p) => !isCsvPath(p));
  if (odd !== undefined) {
    throw new UnknownDatasetError(paths.join(','), `"${odd}" is not a CSV file name (.csv or .csv.gz); CSV and IDX files cannot be mixed; ${SPEC_HELP}`);
  }
  const train = readCsv(paths[0], opts.labelColumn);
  const classes = classesOf(train);
  const name = basename(paths[0]);
  const yAll = labelIds(train, classes, paths[0]);
  const all = Uint32Array.from({ length: train.n }, (_v, i) => i);
  if (paths.length === 2) {
    const test = readCsv(paths[1], opts.labelColumn, train);
    const scale = fitMinMaxRows(train.values, train.features, all);
    return {
      name,
      inputs: train.features,
      classes: classes.names.length,
      classNames: classes.names,
      train: { x: quantiseRowsU8(train.values, train.features, all, scale), y: yAll, n: train.n },
      test: { x: quantiseRowsU8(test.values, test.features, Uint32Array.from({ length: test.n }, (_v, i) => i), scale), y: labelIds(test, classes, paths[0]), n: test.n },
      inputScale: scale,
      testRaw: rawRows(test, Uint32Array.from({ length: test.n }, (_v, i) => i)),
    };
  }
  const testFraction = opts.testFraction ?? 0.2;
  const idx = stratifiedSplit(yAll, testFraction, new Rng(opts.seed ?? 1));
  if (idx.train.length === 0 || idx.test.length === 0) {
    const counts = classes.names.map((c, k) => `${c}: ${yAll.filter((v) => v === k).length}`).join(', ');
    throw new DatasetError(
      paths[0],
      `data set too small to split: ${train.n} rows (per class ${counts}); the stratified ${Math.round(100 * (1 - testFraction))}/${Math.round(100 * testFraction)} split leaves the ${idx.test.length === 0 ? 'test' : 'train'} split empty. ` +
        'Give more rows per class, or a test file (--dataset <train.csv>,<test.csv>)',
    );
  }
  const scale = fitMinMaxRows(train.values, train.features, idx.train);
  return {
    name,
    inputs: train.features,
    classes: classes.names.length,
    classNames: classes.names,
    train: { x: quantiseRowsU8(train.values, train.features, idx.train, scale), y: Uint8Array.from(idx.train, (i) => yAll[i]), n: idx.train.length },
    test: { x: quantiseRowsU8(train.values, train.features, idx.test, scale), y: Uint8Array.from(idx.test, (i) => yAll[i]), n: idx.test.length },
    inputScale: scale,
    testRaw: rawRows(train, idx.test),
  };
}

/** The raw feature rows of `table` at `rows`. */
function rawRows(table: CsvTable, rows: ArrayLike<number>): number[][] {
  return Array.from(rows, (i) => Array.from(table.values.subarray(i * table.features, (i + 1) * table.features)));
}
