/**
 * CSV data sets (host/data/csv.ts, issue 12): header detection, the label column by name and index,
 * numeric and string labels, gzip (bounded), the 80/20 split and a train/test pair, the min-max scale
 * fitted on the train split only, and every refusal naming the file, the row and the column.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvFormatError, decodeCsvBytes, isCsvSpec, parseCsv, parseLabelColumn, readCsv, MAX_CSV_COLUMNS } from '../../host/data/csv.ts';
import { DatasetError, UnknownDatasetError } from '../../host/data/errors.ts';
import { loadDataset } from '../../host/data/index.ts';
import { stratifiedSplit } from '../../host/data/stratified-split.ts';
import { Rng } from '../../host/rng.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The error `f` throws (it must throw a DatasetError). */
function errorOf(f: () => unknown): DatasetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

/** n rows per class of `features` numeric features; label `label(c)`; feature 0 is the row number. */
function table(classes: number, perClass: number, features: number, label: (c: number) => string = String): string[] {
  const rows: string[] = [];
  for (let i = 0; i < classes * perClass; i++) {
    const c = i % classes;
    rows.push([i, ...Array.from({ length: features - 1 }, (_v, j) => (c * 10 + j + ((i * 7) % 3)) / 4), label(c)].join(','));
  }
  return rows;
}

describe('spec syntax', () => {
  it('a spec is CSV when a path ends in .csv or .csv.gz (any case)', () => {
    expect(isCsvSpec('data.csv')).toBe(true);
    expect(isCsvSpec('a/b/DATA.CSV.GZ')).toBe(true);
    expect(isCsvSpec('train.csv, test.csv')).toBe(true);
    expect(isCsvSpec('images.idx,labels.idx')).toBe(false);
    expect(isCsvSpec('data.csv.bak')).toBe(false);
  });

  it('a CSV mixed with IDX paths, or 3 paths, is an unknown data set naming the paths', () => {
    expect(() => loadDataset('a.csv,b.idx')).toThrow(UnknownDatasetError);
    expect(() => loadDataset('a.csv,b.idx')).toThrow('"b.idx" is not a CSV file name (.csv or .csv.gz); CSV and IDX files cannot be mixed');
    expect(() => loadDataset('a.csv,b.csv,c.csv')).toThrow('a.csv,b.csv,c.csv: expected 1 or 2 comma-separated CSV paths, found 3');
  });

  it('--label-column values: an integer is a 0-based index, anything else a name', () => {
    expect(parseLabelColumn('3')).toBe(3);
    expect(parseLabelColumn('-1')).toBe(-1);
    expect(parseLabelColumn(' species ')).toBe('species');
    expect(parseLabelColumn('1.5')).toBe('1.5');
  });
});

describe('header and label column', () => {
  it('a header row is detected by a non-numeric feature cell; the label is the last column by default', () => {
    const t = parseCsv('x1,x2,y\n1,2,a\n3,4,b\n', 'h.csv');
    expect(t.header).toEqual(['x1', 'x2', 'y']);
    expect([t.n, t.features, t.labelIndex]).toEqual([2, 2, 2]);
    expect([...t.values]).toEqual([1, 2, 3, 4]);
    expect([...t.lines]).toEqual([2, 3]);
  });

  it('no header: every feature cell of row 1 is a number; string labels are data', () => {
    const t = parseCsv('1,2,a\n3,4,b\n', 'n.csv');
    expect(t.header).toBeUndefined();
    expect(t.n).toBe(2);
    expect(t.labels).toEqual(['a', 'b']);
  });

  it('numeric feature names over numeric labels: row 1 with a text label is still a header', () => {
    const t = parseCsv('0,1,2,digit\n5,6,7,0\n8,9,1,1\n', 'digits.csv');
    expect(t.header).toEqual(['0', '1', '2', 'digit']);
    expect(t.n).toBe(2);
    expect([...t.lines]).toEqual([2, 3]);
  });

  it('the label column by name, by 0-based index, and from the end', () => {
    const text = 'cls,a,b\nx,1,2\ny,3,4\n';
    for (const c of ['cls', 0, -3] as const) {
      const t = parseCsv(text, 'l.csv', c);
      expect(t.labelIndex).toBe(0);
      expect(t.labels).toEqual(['x', 'y']);
      expect([...t.values]).toEqual([1, 2, 3, 4]);
    }
    expect(parseCsv('1,9,2\n3,8,4\n', 'mid.csv', 1).labels).toEqual(['9', '8']);
  });

  it('quoted cells, CRLF, a byte-order mark, blank lines and spaces around cells', () => {
    const t = parseCsv('\ufeff"a", b ,"the ""label"""\r\n 1 , 2 ,"x, y"\r\n\r\n3,4,"multi\nline"\r\n5,6,z', 'q.csv');
    expect(t.header).toEqual(['a', 'b', 'the "label"']);
    expect(t.labels).toEqual(['x, y', 'multi\nline', 'z']);
    expect([...t.lines]).toEqual([2, 4, 6]);
  });
});

describe('labels', () => {
  it('string labels map to sorted class ids and keep their names', () => {
    const p = write('str.csv', ['f,species', ...table(3, 10, 1, (c) => ['virginica', 'setosa', 'versicolor'][c]).map((r) => r)].join('\n'));
    const d = loadDataset(p);
    expect(d.classes).toBe(3);
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    // row i has class i % 3 → virginica (2), setosa (0), versicolor (1)
    const t = readCsv(p);
    expect(t.labels.slice(0, 3)).toEqual(['virginica', 'setosa', 'versicolor']);
  });

  it('numeric labels in numeric order ("10" after "9"), "1.0" and "1" one class', () => {
    const rows = ['1,2,9', '1,2,10', '1,2,1.0', '1,2,1', '3,4,9', '3,4,10', '3,4,1', '3,4,10', '3,4,9', '3,4,1'];
    const p = write('num.csv', rows.join('\n'));
    const q = write('num-test.csv', '0,0,10\n0,0,1e0\n');
    const d = loadDataset(`${p},${q}`);
    expect(d.classNames).toEqual(['1', '9', '10']);
    expect([...d.train.y]).toEqual([1, 2, 0, 0, 1, 2, 0, 2, 1, 0]);
    expect([...d.test.y]).toEqual([2, 0]);
  });
});

describe('splits and scaling', () => {
  it('one file: a seeded stratified 80/20 split (24/6 of 3×10), the same for the same seed', () => {
    const p = write('split.csv', table(3, 10, 4).join('\n'));
    const d = loadDataset(p, { seed: 7 });
    expect([d.train.n, d.test.n, d.inputs, d.classes]).toEqual([24, 6, 4, 3]);
    expect([0, 1, 2].map((c) => d.test.y.filter((y) => y === c).length)).toEqual([2, 2, 2]);
    expect(loadDataset(p, { seed: 7 })).toEqual(d);
    expect(loadDataset(p, { seed: 8 }).test.x).not.toEqual(d.test.x);
    expect(d.name).toBe('split.csv');
  });

  it('the scale is fitted on the train rows only (whatever rows the split sends to test)', () => {
    // feature 0 = the row number 0..19, labels alternate: the split's rows are known from stratifiedSplit.
    const p = write('scale.csv', table(2, 10, 2).join('\n'));
    const labels = Array.from({ length: 20 }, (_v, i) => i % 2);
    let extremeInTest = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const d = loadDataset(p, { seed });
      const split = stratifiedSplit(labels, 0.2, new Rng(seed));
      const [lo, hi] = [Math.min(...split.train), Math.max(...split.train)];
      expect(d.inputScale!.kind).toBe('min-max');
      expect([d.inputScale!.min[0], d.inputScale!.max[0]]).toEqual([lo, hi]);
      expect([...d.train.x.filter((_v, k) => k % 2 === 0)]).toEqual(split.train.map((r) => Math.round(((r - lo) / (hi - lo)) * 255)));
      expect([...d.test.x.filter((_v, k) => k % 2 === 0)]).toEqual(split.test.map((r) => Math.min(255, Math.max(0, Math.round(((r - lo) / (hi - lo)) * 255)))));
      if (lo > 0 || hi < 19) extremeInTest++;
    }
    expect(extremeInTest, 'some seed sends row 0 or 19 to the test split').toBeGreaterThan(0);
  });

  it('a train/test pair: the train file fits the scale, the test file is clamped to it', () => {
    const tr = write('pair-train.csv', 'a,b,y\n0,10,p\n10,20,q\n5,15,p\n');
    const te = write('pair-test.csv', 'a,b,y\n-5,15,q\n20,10,p\n');
    const d = loadDataset(`${tr},${te}`);
    expect(d.inputScale).toEqual({ kind: 'min-max', min: [0, 10], max: [10, 20] });
    expect([...d.train.x]).toEqual([0, 0, 255, 255, 128, 128]);
    expect([...d.test.x]).toEqual([0, 128, 255, 0]);
    expect([...d.test.y]).toEqual([1, 0]);
    expect([d.train.n, d.test.n]).toEqual([3, 2]);
  });

  it('a test file without a header is fine beside a train file with one (label by index)', () => {
    const tr = write('hdr-train.csv', 'a,b,y\n0,10,p\n10,20,q\n');
    const te = write('nohdr-test.csv', '5,15,q\n');
    expect(loadDataset(`${tr},${te}`).test.n).toBe(1);
  });

  it('gzip: the same data set as plain; inflation is bounded', () => {
    const text = table(2, 10, 3).join('\n');
    const plain = write('plain.csv', text);
    const gz = write('packed.csv.gz', gzipSync(text));
    expect(loadDataset(gz)).toEqual({ ...loadDataset(plain), name: 'packed.csv.gz' });
    const bomb = gzipSync(Buffer.alloc(4 << 20, 0x31));
    const e = errorOf(() => decodeCsvBytes(bomb, 'bomb.csv.gz', 1 << 20));
    expect(e.message).toBe(`bomb.csv.gz: inflates to more than ${1 << 20} bytes, the most a CSV file may hold (a gzip bomb?); stopped there`);
    const cut = write('cut.csv.gz', gzipSync(text).subarray(0, 30));
    expect(errorOf(() => loadDataset(cut)).message).toMatch(new RegExp(`^${cut}: gzip stream is corrupt`));
  });
});

describe('errors name the file, the row and the column', () => {
  const cases: [string, string, string | number | undefined, string][] = [
    ['nonnum.csv', 'a,b,y\n1,2,p\n3,oops,q\n', undefined, 'row 3, column "b" (index 1): expected a number, found "oops"'],
    ['nonnum-nohdr.csv', '1,2,p\n3,4,q\n5,6,q\n7,x,p\n', undefined, 'row 4, column index 1: expected a number, found "x"'],
    ['nan.csv', 'a,b,y\n1,NaN,p\n', undefined, 'row 2, column "b" (index 1): expected a finite number, found "NaN"'],
    ['huge.csv', '1,1e999,p\n', undefined, 'row 1, column index 1: expected a finite number, found "1e999"'],
    ['empty-cell.csv', 'a,b,y\n1,2,p\n,4,q\n', undefined, 'row 3, column "a" (index 0): empty cell: every feature cell needs a number (missing values are not supported)'],
    ['empty-label.csv', 'a,b,y\n1,2,p\n3,4,\n', undefined, 'row 3, column "y" (index 2, the label): empty label cell'],
    ['short.csv', 'a,b,y\n1,2,p\n3,4\n', undefined, 'row 3, column "y" (index 2): expected 3 cells like row 1 (the header), found 2: this column is missing'],
    ['long.csv', '1,2,p\n\n3,4,q,9\n', undefined, 'row 3, column index 3: expected 3 cells like row 1, found more than 3: this column is extra'],
    ['quote.csv', 'a,b,y\n1,2,"p\n', undefined, 'row 2, column index 2: a quoted cell is not closed before the end of the file'],
    ['after-quote.csv', 'a,b,y\n1,2,"p"x\n', undefined, 'row 2, column index 2: unexpected "x" after a closing quote (a quote inside a quoted cell is written "")'],
    ['one-col.csv', 'a;b;y\n1;2;p\n', undefined, 'row 1: expected at least 2 columns (features and a label), found 1 (cells are separated by commas; this row holds ";", tab or "|" instead)'],
    ['empty.csv', '\n\n', undefined, 'expected a header or data rows, found none (an empty file)'],
    ['header-only.csv', 'a,b,y\n', undefined, 'expected at least 1 data row, found none (only a header)'],
    ['one-class.csv', 'a,y\n1,p\n2,p\n', undefined, 'column "y" (index 1, the label): expected at least 2 classes, found 1 ("p" in all 2 rows)'],
    ['no-name.csv', 'a,b,y\n1,2,p\n', 'label', 'row 1: the header has no column named "label" (--label-column); its columns are "a", "b", "y"'],
    ['no-header.csv', '1,2,3\n', 'label', 'row 1: has no header (every cell of its first row is a number), so --label-column "label" names no column; give the label column\'s 0-based index instead'],
    ['twice.csv', 'y,b,y\n1,2,p\n', 'y', 'row 1: --label-column "y" is ambiguous: the header has it at indices 0, 2; give the index instead'],
    ['index.csv', 'a,b,y\n1,2,p\n', 5, 'row 1: --label-column 5 names no column: the file has 3 columns (indices 0..2, or −1 for the last)'],
  ];
  it.each(cases)('%s', (name, text, labelColumn, message) => {
    const p = write(name, text);
    const e = errorOf(() => loadDataset(p, { labelColumn }));
    expect(e.message).toBe(`${p}: ${message}`);
    expect(e.file).toBe(p);
  });

  it('more than 8,192 features: named at row 1 before the rest is read', () => {
    const row = Array.from({ length: MAX_CSV_COLUMNS + 1 }, (_v, i) => i % 7).join(',');
    const p = write('wide.csv', `${row}\n${row}\n`);
    const e = errorOf(() => loadDataset(p));
    expect(e).toBeInstanceOf(CsvFormatError);
    expect(e.message).toBe(`${p}: row 1: more than 8193 columns: at most 8192 features (the engine's widest layer) and the label`);
    // exactly 8,192 features and the label is accepted
    const ok = Array.from({ length: MAX_CSV_COLUMNS }, (_v, i) => (i === MAX_CSV_COLUMNS - 1 ? 'c' : String(i % 5)));
    const q = write('widest.csv', [ok.join(','), ok.map((v, i) => (i === MAX_CSV_COLUMNS - 1 ? 'd' : v)).join(',')].join('\n'));
    expect(readCsv(q).features).toBe(8192);
  });

  it('more than 256 classes', () => {
    const p = write('many.csv', Array.from({ length: 300 }, (_v, i) => `${i},${i}`).join('\n'));
    expect(errorOf(() => loadDataset(p)).message).toMatch(new RegExp(`^${p}: column index 1 \\(the label\\): expected at most 256 classes, found 300 distinct labels \\("0", "1", "2", …\\): a regression target\\?`));
  });

  it('too small to split: names the file and the per-class counts', () => {
    const p = write('tiny.csv', '1,a\n2,b\n3,a\n');
    expect(errorOf(() => loadDataset(p)).message).toBe(
      `${p}: data set too small to split: 3 rows (per class a: 2, b: 1); the stratified 80/20 split leaves the test split empty. Give more rows per class, or a test file (--dataset <train.csv>,<test.csv>)`,
    );
  });

  it('a train/test pair: unseen test labels, another column count, another header', () => {
    const tr = write('t-train.csv', 'a,b,y\n1,2,p\n3,4,q\n');
    const unseen = write('t-unseen.csv', 'a,b,y\n1,2,p\n3,4,r\n');
    expect(errorOf(() => loadDataset(`${tr},${unseen}`)).message).toBe(`${unseen}: row 3, column "y" (index 2, the label): label "r" is not a class of ${tr} (its classes: "p", "q")`);
    const narrow = write('t-narrow.csv', 'a,y\n1,p\n');
    expect(errorOf(() => loadDataset(`${tr},${narrow}`)).message).toBe(`${narrow}: row 1: expected 3 columns like ${tr}, found 2`);
    const renamed = write('t-renamed.csv', 'a,c,y\n1,2,p\n');
    expect(errorOf(() => loadDataset(`${tr},${renamed}`)).message).toBe(`${renamed}: row 1, column index 1: the header names "c" where ${tr} names "b": the columns must be the same, in the same order`);
    const noLabel = write('t-nolabel.csv', '1,2,p\n');
    expect(errorOf(() => loadDataset(`${tr},${noLabel}`, { labelColumn: 'y' })).message).toBe(
      `${noLabel}: row 1: the header has no column named "y" (--label-column); its columns are "1", "2", "p"; this row looks like data rather than a header: give the label column's 0-based index instead`,
    );
  });

  it('only regular files: a missing file and a directory are refused naming them', () => {
    const missing = join(dir, 'missing.csv');
    expect(errorOf(() => loadDataset(missing)).message).toBe(`${missing}: no such file`);
    const d = join(dir, 'folder.csv');
    mkdirSync(d);
    expect(errorOf(() => loadDataset(d)).message).toBe(`${d}: is a directory, expected a regular file (only regular files are read)`);
  });

  it('a label column with a non-CSV data set, or one no file can have, is refused before any file is read', () => {
    expect(() => loadDataset('iris', { labelColumn: 0 })).toThrow(UnknownDatasetError);
    expect(() => loadDataset('/nonexistent.csv', { labelColumn: 9000 })).toThrow('/nonexistent.csv: label column: a CSV file has at most 8193 columns');
    expect(() => loadDataset('/nonexistent.csv', { labelColumn: ' ' })).toThrow('expected a column name or a 0-based index, got an empty name');
  });
});
