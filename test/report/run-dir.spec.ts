/**
 * The run-directory reader checks run.json, calibration.json, power.json and power.csv in full (issue
 * 11, item 8): a null or mistyped field is a RunDirError / CalibrationFileError naming the file and the
 * field (never "Cannot read properties of null"), `spintrain report` exits 1 with it, and the HTML
 * never shows "undefined", "[object Object]" or "NaN".
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../host/cli.ts';
import { CalibrationFileError } from '../../host/device/errors.ts';
import { RunDirError } from '../../host/power/errors.ts';
import { buildReportHtml } from '../../host/report/report-html.ts';
import { readRunDir, RUN_FILES, writeRunRecord, type RunDir } from '../../host/report/run-dir.ts';
import { FileWriteError } from '../../host/io/write-error.ts';
import { captureOutput } from '../support/capture-output.ts';
import { writeValidRunDir } from '../fuzz/run-dir-fixture.ts';

let root = '';
let valid = '';
let k = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'spintrain-rundir-'));
  valid = join(root, 'valid');
  await writeValidRunDir(valid);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A copy of the valid run directory with `name`'s JSON changed by `edit` (or replaced by text). */
function edited(name: string, edit: ((j: Record<string, unknown>) => unknown) | string): { dir: string; file: string } {
  const dir = join(root, `case-${++k}`);
  cpSync(valid, dir, { recursive: true });
  const file = join(dir, name);
  if (typeof edit === 'string') writeFileSync(file, edit);
  else {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    const out = edit(j);
    writeFileSync(file, JSON.stringify(out === undefined ? j : out));
  }
  return { dir, file };
}

function refusal(dir: string): RunDirError | CalibrationFileError {
  try {
    readRunDir(dir);
  } catch (e) {
    expect(e instanceof RunDirError || e instanceof CalibrationFileError, String(e)).toBe(true);
    return e as RunDirError;
  }
  throw new Error('expected the run directory to be refused');
}

describe('run.json', () => {
  it.each([
    ['config null', (j: Record<string, unknown>) => void (j.config = null), 'config'],
    ['config.layout "784-10"', (j: Record<string, unknown>) => void ((j.config as Record<string, unknown>).layout = '784-10'), 'config.layout'],
    ['config.dataset missing', (j: Record<string, unknown>) => void delete (j.config as Record<string, unknown>).dataset, 'config.dataset'],
    ['config.algorithm {}', (j: Record<string, unknown>) => void ((j.config as Record<string, unknown>).algorithm = {}), 'config.algorithm'],
    ['config.pairs "2"', (j: Record<string, unknown>) => void ((j.config as Record<string, unknown>).pairs = '2'), 'config.pairs'],
    ['testAccuracy "0.9"', (j: Record<string, unknown>) => void (j.testAccuracy = '0.9'), 'testAccuracy'],
    ['testAccuracy null (a NaN written as JSON)', (j: Record<string, unknown>) => void (j.testAccuracy = null), 'testAccuracy'],
    ['samples 0', (j: Record<string, unknown>) => void (j.samples = 0), 'samples'],
    ['ops null', (j: Record<string, unknown>) => void (j.ops = null), 'ops'],
    ['ops.forward.mul -1', (j: Record<string, unknown>) => void ((j.ops as { forward: { mul: number } }).forward.mul = -1), 'ops.forward.mul'],
    ['perEpoch[0] null', (j: Record<string, unknown>) => void ((j.perEpoch as unknown[])[0] = null), 'perEpoch[0]'],
    ['perEpoch[0].keptFraction {}', (j: Record<string, unknown>) => void ((j.perEpoch as Record<string, unknown>[])[0].keptFraction = {}), 'perEpoch[0].keptFraction'],
    ['curve[0].testAccuracy 2', (j: Record<string, unknown>) => void ((j.curve as Record<string, unknown>[])[0].testAccuracy = 2), 'curve[0].testAccuracy'],
    ['compare.ops missing', (j: Record<string, unknown>) => void delete (j.compare as Record<string, unknown>).ops, 'compare.ops'],
    ['schema missing', (j: Record<string, unknown>) => void delete j.schema, 'schema'],
    ['keptControl.rate[0] 2', (j: Record<string, unknown>) => void (j.keptControl = { floor: 0.03, rate: [2], gain: [1], stepsPerEpoch: [[0]], multiplies: 0 }), 'keptControl.rate[0]'],
    ['keptControl.stepsPerEpoch[0][0] -1', (j: Record<string, unknown>) => void (j.keptControl = { floor: 0.03, rate: [1], gain: [1], stepsPerEpoch: [[-1]], multiplies: 0 }), 'keptControl.stepsPerEpoch[0][0]'],
    ['the whole file null', () => null, '(root)'],
  ])('%s → RunDirError naming run.json and %s', (_name, edit, field) => {
    const { dir, file } = edited(RUN_FILES.run, edit);
    const e = refusal(dir);
    expect(e).toBeInstanceOf(RunDirError);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${file}: ${field}: `)).toBe(true);
    expect(e.message).not.toMatch(/Cannot read properties|undefined/);
  });

  it('text that is not JSON → (json)', () => {
    const { dir, file } = edited(RUN_FILES.run, '{"schema": ');
    expect(refusal(dir).message.startsWith(`${file}: (json): `)).toBe(true);
  });
});

describe('calibration.json, power.json, power.csv', () => {
  it.each([
    ['devices null', (j: Record<string, unknown>) => void (j.devices = null), 'devices'],
    ['devices[0] null', (j: Record<string, unknown>) => void ((j.devices as unknown[])[0] = null), 'devices[0]'],
    ['devices[0].points[0].n 0', (j: Record<string, unknown>) => void ((j.devices as { points: { n: number }[] }[])[0].points[0].n = 0), 'devices[0].points[0].n'],
    ['devices[0].kPerA 1e-300', (j: Record<string, unknown>) => void ((j.devices as { kPerA: number }[])[0].kPerA = 1e-300), 'devices[0].kPerA'],
    ['an unknown field', (j: Record<string, unknown>) => void (j.note = 'x'), 'note'],
  ])('calibration.json: %s → CalibrationFileError naming the file and %s', (_name, edit, field) => {
    const { dir, file } = edited(RUN_FILES.calibration, edit);
    const e = refusal(dir) as CalibrationFileError;
    expect(e).toBeInstanceOf(CalibrationFileError);
    expect(e.field).toBe(field);
    expect(e.message).toContain(file);
  });

  it.each([
    ['sensor null', (j: Record<string, unknown>) => void (j.sensor = null), 'sensor'],
    ['sensor.kind 7', (j: Record<string, unknown>) => void ((j.sensor as Record<string, unknown>).kind = 7), 'sensor.kind'],
    ['measured.phases.forward missing', (j: Record<string, unknown>) => void delete ((j.measured as Record<string, unknown>).phases as Record<string, unknown>).forward, 'measured.phases.forward'],
    ['markers[1].tS before markers[0]', (j: Record<string, unknown>) => void ((j.markers as { tS: number }[])[1].tS = -5), 'markers[1].tS'],
  ])('power.json: %s → RunDirError naming the file and %s', (_name, edit, field) => {
    const { dir, file } = edited(RUN_FILES.power, edit);
    const e = refusal(dir);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${file}: ${field}: `)).toBe(true);
  });

  it('power.csv readings out of time order → RunDirError naming power.csv (was a bare RangeError)', () => {
    const csv = readFileSync(join(valid, RUN_FILES.trace), 'utf8').trim().split('\n');
    const { dir, file } = edited(RUN_FILES.trace, [csv[0], csv[2], csv[1], ...csv.slice(3)].join('\n'));
    const e = refusal(dir);
    expect(e.message.startsWith(`${file}: readings: `)).toBe(true);
  });
});

describe('spintrain report', () => {
  it('exits 1 naming the file and field, and leaves no report.html behind', async () => {
    const { dir, file } = edited(RUN_FILES.run, (j) => void (j.config = null));
    rmSync(join(dir, RUN_FILES.report), { force: true });
    const io = captureOutput();
    expect(await main(['report', dir])).toBe(1);
    expect(io.err()).toBe(`spintrain report: ${file}: config: expected an object, got null\n`);
    expect(() => readFileSync(join(dir, RUN_FILES.report))).toThrow();
  });

  it('renders the valid directory', async () => {
    const io = captureOutput();
    expect(await main(['report', valid])).toBe(0);
    expect(io.out()).toBe(`wrote ${join(valid, RUN_FILES.report)}\n`);
  }, 60_000);
});

describe('writing a run directory', () => {
  it('a file where the directory should be: a FileWriteError naming run.json and why', async () => {
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const run = readRunDir(valid).run;
    await expect(writeRunRecord(blocker, run)).rejects.toThrow(FileWriteError);
    await expect(writeRunRecord(blocker, run)).rejects.toThrow(`${join(blocker, RUN_FILES.run)}: cannot write: ${blocker} exists and is not a directory`);
    await expect(writeRunRecord(join(blocker, 'sub'), run)).rejects.toThrow(`${join(blocker, 'sub', RUN_FILES.run)}: cannot write: a component of ${join(blocker, 'sub')} is not a directory`);
  });
});

describe('report HTML', () => {
  it('a run with the kept-fraction control lists its steps, input gain and rate factor per hidden layer', async () => {
    const r = readRunDir(valid);
    const hidden = r.run.config.layout.length - 2;
    const run = { ...r.run, keptControl: { floor: 0.03, rate: new Array<number>(hidden).fill(0.25), gain: new Array<number>(hidden).fill(0.81), stepsPerEpoch: r.run.perEpoch.map(() => new Array<number>(hidden).fill(1)), multiplies: 100 } };
    const html = await buildReportHtml({ ...r, run });
    expect(html).toContain('control steps (floor 3.0 %)');
    expect(html).toContain(`<td>${r.run.perEpoch.length}</td><td>0.810</td><td>0.250</td>`);
  }, 60_000);

  it('never prints undefined, [object Object] or NaN, even for a record built in code with missing fields', async () => {
    const r = readRunDir(valid);
    const broken: RunDir = {
      ...r,
      run: {
        ...r.run,
        createdAt: undefined as unknown as string,
        testAccuracy: NaN,
        backwardOpsPerSample: Infinity,
        config: { ...r.run.config, dataset: { name: 'x' } as unknown as string, decay: undefined as unknown as number, seed: NaN, device: undefined },
      },
    };
    const html = await buildReportHtml(broken);
    expect(html).not.toMatch(/\bundefined\b|\[object Object\]/);
    expect(html.replace(/<svg[\s\S]*?<\/svg>/g, '')).not.toMatch(/\bNaN\b/);
  }, 60_000);
});
