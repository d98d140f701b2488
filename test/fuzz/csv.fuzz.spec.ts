/**
 * Property-based fuzz of the CSV reader (host/data/csv.ts): random bytes, random text over the CSV
 * alphabet (digits, signs, commas, quotes, line ends, letters), valid tables with damaged cells and
 * bytes, the same gzipped (and the gzip itself damaged), and CSV files and train/test pairs read from
 * disk as a data set with any label column. Every case returns a consistent table / data set (no NaN
 * in it, u8 features, 2..256 classes with their names, a finite train-fitted scale) or throws a
 * DatasetError naming the file; a CsvFormatError's message also names its row and column, and the row
 * is a line of the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvFormatError, decodeCsvBytes, parseCsv, type CsvTable, type LabelColumn } from '../../host/data/csv.ts';
import type { Dataset } from '../../host/data/dataset.ts';
import { DatasetError } from '../../host/data/errors.ts';
import { loadDataset } from '../../host/data/index.ts';
import { byteMutation, expectValueOrTypedError, mutateBytes, outcomes, params, printOutcomes, timeoutFor } from './file-fuzz-support.ts';

afterAll(() => printOutcomes('csv'));

const dir = mkdtempSync(join(tmpdir(), 'spintrain-fuzz-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Label columns a user might give: none, indices in and out of range, names present or not. */
const labelColumn: fc.Arbitrary<LabelColumn | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.integer({ min: -6, max: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom<LabelColumn>('y', 'label', 'f0', 'f1', 'x', '"y"', ' ', '0', 'NaN') },
);

/** Cells as found in the wild: numbers in every notation, missing values, text, separators, quotes. */
const nastyCell: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '', ' ', 'NaN', 'nan', 'inf', '-Infinity', '1e999', '-1e999', '1e-999', '0x1F', '1_000', '1,5', '"', '""', '"a', 'a"b', '\n', '\r', '\r\n', ',', ';', '\t',
      'NA', '?', 'null', '٣', '1.2.3', '--1', '+', '.', 'e5', '1e', '0', '-0', '1e308', '-1e308', '5e-324', '\u0000', '\ufeff', 'x'.repeat(200), 'é',
    ),
  },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

/** A cell written as the CSV text of a value: sometimes quoted (with "" escapes). */
const written = (v: string, quote: boolean): string => (quote || /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

interface TableSpec {
  rows: string[][];
  header: boolean;
  quote: boolean;
  crlf: boolean;
}

/** A valid table: 1..12 rows of 1..5 numeric features and a numeric or text label (among 1..4 classes). */
const validTable: fc.Arbitrary<TableSpec> = fc
  .record({
    n: fc.integer({ min: 1, max: 12 }),
    features: fc.integer({ min: 1, max: 5 }),
    classes: fc.integer({ min: 1, max: 4 }),
    textLabels: fc.boolean(),
    header: fc.boolean(),
    quote: fc.boolean(),
    crlf: fc.boolean(),
    values: fc.array(fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String)), { minLength: 60, maxLength: 60 }),
  })
  .map(({ n, features, classes, textLabels, header, quote, crlf, values }) => {
    const rows: string[][] = [];
    if (header) rows.push([...Array.from({ length: features }, (_v, j) => `f${j}`), 'y']);
    for (let i = 0; i < n; i++) {
      const c = i % classes;
      rows.push([...Array.from({ length: features }, (_v, j) => values[(i * features + j) % values.length]), textLabels ? ['cat', 'dog', 'emu', 'yak'][c] : String(c)]);
    }
    return { rows, header, quote, crlf };
  });

/** Cell damage: set a cell, drop a cell, add a cell, drop a row, duplicate a row. */
const cellEdit = fc.record({
  row: fc.nat(),
  col: fc.nat(),
  op: fc.constantFrom('set', 'set', 'set', 'drop', 'add', 'drop-row', 'dup-row'),
  value: nastyCell,
});

function render(t: TableSpec, edits: readonly { row: number; col: number; op: string; value: string }[]): string {
  const rows = t.rows.map((r) => r.slice());
  for (const e of edits) {
    if (rows.length === 0) break;
    const r = e.row % rows.length;
    const c = e.col % Math.max(1, rows[r].length);
    if (e.op === 'set') rows[r][c] = e.value;
    else if (e.op === 'drop') rows[r].splice(c, 1);
    else if (e.op === 'add') rows[r].splice(c, 0, e.value);
    else if (e.op === 'drop-row') rows.splice(r, 1);
    else rows.splice(r, 0, rows[r].slice());
  }
  return rows.map((r) => r.map((v) => written(v, t.quote)).join(',')).join(t.crlf ? '\r\n' : '\n');
}

function checkTable(t: CsvTable): void {
  expect(t.n).toBeGreaterThan(0);
  expect(t.features).toBeGreaterThan(0);
  expect(t.features).toBe(t.columns - 1);
  expect(t.values.length).toBe(t.n * t.features);
  expect(t.labels.length).toBe(t.n);
  expect(t.labels.every((l) => l !== '')).toBe(true);
  expect(t.values.every((v) => Number.isFinite(v))).toBe(true);
}

function checkDataset(d: Dataset): void {
  expect(d.train.n).toBeGreaterThan(0);
  expect(d.test.n).toBeGreaterThan(0);
  expect(d.classes).toBeGreaterThanOrEqual(2);
  expect(d.classNames).toHaveLength(d.classes);
  expect(d.train.x.length).toBe(d.train.n * d.inputs);
  expect(d.test.x.length).toBe(d.test.n * d.inputs);
  const s = d.inputScale!;
  expect(s.kind).toBe('min-max');
  expect(s.min).toHaveLength(d.inputs);
  expect(s.min.every((v, j) => Number.isFinite(v) && Number.isFinite(s.max[j]) && v <= s.max[j])).toBe(true);
  for (const split of [d.train, d.test]) expect(split.y.every((c) => c < d.classes)).toBe(true);
}

/** A CsvFormatError's message names its row and column, and the row is a line of `text`. */
function checkRowColumn(e: unknown, text: string | undefined): void {
  if (!(e instanceof CsvFormatError)) return;
  if (e.row !== undefined) {
    expect(e.message).toContain(`row ${e.row}`);
    if (text !== undefined) expect(e.row).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
    expect(e.row).toBeGreaterThanOrEqual(1);
  }
  if (e.column !== undefined) expect(e.message).toContain(`column ${e.column}`);
}

function parseCase(bytes: Uint8Array, lc: LabelColumn | undefined): void {
  const name = 'fuzz/case.csv';
  let text: string | undefined;
  const read = (): CsvTable => {
    try {
      text = decodeCsvBytes(bytes, name, 1 << 20);
      return parseCsv(text, name, lc);
    } catch (e) {
      checkRowColumn(e, text);
      throw e;
    }
  };
  expectValueOrTypedError(read, { file: name, errors: [DatasetError] }, checkTable);
}

const maybe = <T,>(arb: fc.Arbitrary<T>, none: T): fc.Arbitrary<T> => fc.oneof(fc.constant(none), arb);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Text over the CSV alphabet: dense in structure (quotes, separators, line ends) and in numbers. */
const csvishText: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom('0', '1', '7', '.', '-', '+', 'e', ',', ',', ',', '"', '\n', '\n', '\r', ' ', 'a', 'N', ';', '\t', '\ufeff'),
  maxLength: 80,
});

describe('CSV reader fuzz', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 96 }), labelColumn, (bytes, lc) => parseCase(bytes, lc)), params(0.15));
  }, timeoutFor(0.15, 1));

  it('random text over the CSV alphabet', () => {
    fc.assert(fc.property(csvishText, labelColumn, (text, lc) => parseCase(utf8(text), lc)), params(0.25));
  }, timeoutFor(0.25, 1));

  it('valid tables with damaged cells and bytes', () => {
    fc.assert(
      fc.property(validTable, maybe(fc.array(cellEdit, { maxLength: 3 }), []), maybe(fc.array(byteMutation, { maxLength: 3 }), []), labelColumn, (t, edits, muts, lc) => {
        parseCase(mutateBytes(utf8(render(t, edits)), muts), lc);
      }),
      params(0.25),
    );
  }, timeoutFor(0.25, 1));

  it('gzipped: damaged CSV inside, and damaged gzip outside', () => {
    fc.assert(
      fc.property(validTable, maybe(fc.array(cellEdit, { maxLength: 2 }), []), maybe(fc.array(byteMutation, { maxLength: 2 }), []), labelColumn, (t, edits, outer, lc) => {
        const gz = gzipSync(utf8(render(t, edits)));
        parseCase(mutateBytes(gz, outer.map((m) => ({ ...m, at: 2 + (m.at % Math.max(1, gz.length - 2)) }))), lc);
      }),
      params(0.1),
    );
  }, timeoutFor(0.1, 2));

  it('CSV files and train/test pairs on disk as a data set (loadDataset): consistent splits or a DatasetError naming one of the files', () => {
    let k = 0;
    fc.assert(
      fc.property(
        validTable,
        maybe(fc.array(cellEdit, { maxLength: 2 }), []),
        fc.option(fc.tuple(validTable, maybe(fc.array(cellEdit, { maxLength: 2 }), [])), { nil: undefined }),
        fc.boolean(),
        labelColumn,
        fc.integer({ min: 0, max: 5 }),
        (t, edits, test, gz, lc, seed) => {
          const pack = (s: string): Uint8Array => (gz ? gzipSync(utf8(s)) : utf8(s));
          const ext = gz ? '.csv.gz' : '.csv';
          const trainPath = join(dir, `train${++k}${ext}`);
          const trainText = render(t, edits);
          writeFileSync(trainPath, pack(trainText));
          const files = [trainPath];
          const texts = new Map([[trainPath, trainText]]);
          if (test) {
            const testPath = join(dir, `test${k}${ext}`);
            const testText = render(test[0], test[1]);
            writeFileSync(testPath, pack(testText));
            files.push(testPath);
            texts.set(testPath, testText);
          }
          const t0 = performance.now();
          try {
            checkDataset(loadDataset(files.join(','), { labelColumn: lc, seed }));
            outcomes.accepted++;
          } catch (e) {
            if (!(e instanceof DatasetError)) throw e;
            const named = files.find((p) => e.message.startsWith(`${p}: `) || e.message.startsWith(`${files.join(',')}: `));
            expect(named, e.message).toBeDefined();
            checkRowColumn(e, texts.get(named!));
            expect(e.message).not.toMatch(/\bundefined\b|\[object Object\]/);
            outcomes.refused++;
          }
          expect(performance.now() - t0).toBeLessThan(5_000);
        },
      ),
      params(0.25),
    );
  }, timeoutFor(0.25, 3));
});
