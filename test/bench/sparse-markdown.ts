/**
 * The README's sparse-backprop section (issue 18), generated from a recorded run of test/bench/sparse.ts:
 * per case the plot (test/bench/results/sparse-<case>.svg, written by `sparse.ts --record` or `--from`), the
 * table of what each method needs to come within 0.5 points of bp and its accuracy at p-GAF K = 1's cost
 * (interpolated along each curve, lib/sparse-curves.ts), plain statements from the numbers, and every point.
 * Every figure comes from the JSON; nothing is typed in by hand.
 *
 * Usage: npx tsx test/bench/sparse-markdown.ts FILE [--cases mnist-1h,mnist-3h,…]   prints the section with its markers
 *        npx tsx test/bench/sparse-markdown.ts FILE [--cases …] --readme              replaces it in README.md between the markers
 * --cases: only these cases, in this order (default: every case of the file, as first recorded).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { replaceReadmeSection } from './lib/readme-section.ts';
import { sparseMarkdown, type SparseRecord } from './lib/sparse-curves.ts';

export { sparseMarkdown };

export const SPARSE_BEGIN = '<!-- sparse:begin -->';
export const SPARSE_END = '<!-- sparse:end -->';

/** The section with its markers. */
export function sparseSection(rec: SparseRecord, source: string): string {
  return `${SPARSE_BEGIN}\n${sparseMarkdown(rec, source)}\n${SPARSE_END}`;
}

/** README text with the section between the markers replaced (throws without them). */
export function replaceSparse(readme: string, rec: SparseRecord, source: string): string {
  return replaceReadmeSection(readme, 'sparse', sparseMarkdown(rec, source));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { readme: { type: 'boolean' }, cases: { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new Error('usage: npx tsx test/bench/sparse-markdown.ts FILE [--readme]');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const all = JSON.parse(readFileSync(file, 'utf8')) as SparseRecord;
  const only = values.cases?.split(',');
  const rec = only ? { ...all, rows: only.flatMap((id) => all.rows.filter((r) => r.case === id)) } : all;
  if (!rec.rows.length) throw new Error(`${file}: no rows for --cases ${values.cases}`);
  const source = `${relative(root, file)}${values.cases ? ` --cases ${values.cases}` : ''}`;
  if (values.readme) {
    const path = `${root}README.md`;
    writeFileSync(path, replaceSparse(readFileSync(path, 'utf8'), rec, source));
    console.log(`README.md: sparse section from ${source}`);
  } else {
    console.log(sparseSection(rec, source));
  }
}
