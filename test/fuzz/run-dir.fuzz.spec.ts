/**
 * Property-based fuzz of the run-directory reader and the report renderer (host/report/run-dir.ts,
 * run-record-schema.ts, power-record-schema.ts, report-html.ts), and of the power.csv (CSV) reader
 * behind it. A valid run directory (a real XOR run, a calibration, a synthetic power measurement) has
 * its run.json, calibration.json, power.json or power.csv mutated (JSON fields set to wrong types,
 * huge, negative or fractional values, deleted or added; CSV and JSON text damaged byte by byte).
 * Every case is read as a checked run directory or refused with a RunDirError / CalibrationFileError
 * naming the file and the field; an accepted one renders to HTML without "undefined",
 * "[object Object]" or "NaN" in the page.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalibrationFileError } from '../../host/device/errors.ts';
import { RunDirError } from '../../host/power/errors.ts';
import { buildReportHtml } from '../../host/report/report-html.ts';
import { readRunDir, RUN_FILES, type RunDir } from '../../host/report/run-dir.ts';
import {
  byteMutation,
  expectTypedError,
  expectValueOrTypedError,
  jsonMutation,
  mutateBytes,
  mutateJson,
  outcomes,
  params,
  printOutcomes,
  timeoutFor,
  type ByteMutation,
  type JsonMutation,
} from './file-fuzz-support.ts';
import { writeValidRunDir } from './run-dir-fixture.ts';

type Which = 'run' | 'calibration' | 'power' | 'trace';
const FILES: Record<Which, string> = { run: RUN_FILES.run, calibration: RUN_FILES.calibration, power: RUN_FILES.power, trace: RUN_FILES.trace };

let root = '';
let valid = '';
let texts: Record<Which, string>;
let k = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'spintrain-fuzz-rundir-'));
  valid = join(root, 'valid');
  texts = (await writeValidRunDir(valid)).texts;
}, 120_000);
afterAll(() => {
  printOutcomes('run directory');
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A copy of the valid run directory with one file replaced by `content`. */
function mutatedDir(which: Which, content: string | Uint8Array): { dir: string; file: string } {
  const dir = join(root, `case-${++k}`);
  cpSync(valid, dir, { recursive: true });
  const file = join(dir, FILES[which]);
  writeFileSync(file, content);
  return { dir, file };
}

const EXPECTED_ERRORS = [RunDirError, CalibrationFileError];

function read(dir: string, file: string): RunDir | undefined {
  const r = expectValueOrTypedError(() => readRunDir(dir), { file, errors: EXPECTED_ERRORS });
  return r;
}

/** Every string leaf of a JSON value (a dataset may be named "-Infinity": the page shows it as given). */
function stringLeaves(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringLeaves(x, out);
  return out;
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * What the page must never show (the SVG charts are checked for the first two only). `given` holds the
 * strings of the records: shown verbatim, they may spell anything and are left out of the number check.
 */
function checkHtml(html: string, given: string[] = []): void {
  expect(html).not.toMatch(/\bundefined\b|\[object Object\]/);
  let text = html.replace(/<svg[\s\S]*?<\/svg>/g, '');
  for (const g of given.filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) text = text.split(escapeHtml(g)).join(' ');
  text = text.replace(/<[^>]+>/g, ' ');
  expect(text).not.toMatch(/\bNaN\b|\bnull\b|Infinity/);
}

const jsonFile = fc.constantFrom<Which>('run', 'run', 'calibration', 'power');

function mutateFile(which: Which, muts: readonly JsonMutation[]): string {
  return JSON.stringify(mutateJson(JSON.parse(texts[which]), muts), null, 1) ?? 'null';
}

/** For the rendering property: half the mutations scale a value slightly (mostly accepted), half are any. */
const renderMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  jsonMutation.map((m) => ({ ...m, op: 'scale' as const, factor: [0.5, 0.999, 1.001, 2][m.pick % 4] })),
  jsonMutation,
);

describe('run directory fuzz', () => {
  it('mutated JSON fields: read, or a typed error naming the file and field (no rendering)', () => {
    fc.assert(
      fc.property(jsonFile, fc.array(jsonMutation, { minLength: 1, maxLength: 3 }), (which, muts) => {
        const { dir, file } = mutatedDir(which, mutateFile(which, muts));
        read(dir, file);
        rmSync(dir, { recursive: true, force: true });
      }),
      params(0.45),
    );
  }, timeoutFor(0.45, 5));

  it('damaged bytes of run.json, calibration.json, power.json and power.csv (the CSV reader)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Which>('run', 'calibration', 'power', 'trace', 'trace'), fc.array(byteMutation, { minLength: 1, maxLength: 3 }), (which, muts: ByteMutation[]) => {
        const { dir, file } = mutatedDir(which, mutateBytes(new TextEncoder().encode(texts[which]), muts));
        read(dir, file);
        rmSync(dir, { recursive: true, force: true });
      }),
      params(0.35),
    );
  }, timeoutFor(0.35, 5));

  it('power.csv lines: random rows, out of order, non-numbers', () => {
    const row = fc.oneof(
      fc.tuple(fc.double({ min: -1, max: 10 }), fc.double({ min: 0, max: 6 }), fc.double({ min: 0, max: 1 }), fc.double({ min: 0, max: 5 })).map((v) => v.join(',')),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('1,2,3', '1,2,3,4,5', 'NaN,1,1,1', 'Infinity,1,1,1', ',,,', '1e400,1,1,1'),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), fc.boolean(), (rows, header) => {
        const lines = texts.trace.trim().split('\n');
        const csv = [header ? lines[0] : rows.shift() ?? '', ...lines.slice(1, 20), ...rows, ...lines.slice(20)].join('\n');
        const { dir, file } = mutatedDir('trace', csv);
        read(dir, file);
        rmSync(dir, { recursive: true, force: true });
      }),
      params(0.17),
    );
  }, timeoutFor(0.17, 5));

  it('mutated run.json / calibration.json / power.json that pass the checks render without undefined, [object Object] or NaN', async () => {
    let rendered = 0;
    await fc.assert(
      fc.asyncProperty(jsonFile, fc.array(renderMutation, { minLength: 1, maxLength: 2 }), async (which, muts) => {
        const text = mutateFile(which, muts);
        const { dir, file } = mutatedDir(which, text);
        const r = read(dir, file);
        if (r) {
          rendered++;
          let html: string;
          try {
            html = await buildReportHtml(r);
          } catch (e) {
            // The renderer may refuse a record only with a typed error naming a file of the run.
            expectTypedError(e, { file: dir, errors: EXPECTED_ERRORS });
            outcomes.refused++;
            return;
          }
          checkHtml(html, stringLeaves(JSON.parse(text)));
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      params(0.03),
    );
    if (process.env.FUZZ_STATS) console.log(`run directory: ${rendered} accepted directories rendered to HTML`);
  }, timeoutFor(0.03, 400));

  it('the valid run directory itself renders cleanly', async () => {
    checkHtml(await buildReportHtml(readRunDir(valid)));
  }, 60_000);
});
