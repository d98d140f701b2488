// `spintrain eval` and `spintrain predict` (issue 13): a saved model measured on a data set's test part
// gives the accuracy its training run reported, through the model's own input transform (min-max for Iris
// and CSV, reflection for inverted IDX images); predict gives the same classes on raw rows; bad input is a
// clean error (exit 2 naming the option, 1 naming the file and line).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../host/cli.ts';
import { loadDataset } from '../../host/data/index.ts';
import { mnistDataDir } from '../../host/data/mnist.ts';
import { captureOutput } from '../support/capture-output.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'spintrain-eval-'));
afterEach(() => vi.restoreAllMocks());

/** `spintrain <argv> --json` in-process: exit code and the parsed JSON line. */
async function json(argv: string[]): Promise<{ code: number; out: Record<string, unknown> }> {
  const io = captureOutput();
  const code = await main([...argv, '--json']);
  const text = io.out().trim();
  vi.restoreAllMocks();
  return { code, out: text ? JSON.parse(text.split('\n').pop()!) : {} };
}

/** The Iris model every case uses (seed 3), and what its training run reported. */
const irisWeights = join(dir, 'iris.stw');
let irisTrained: { code: number; out: Record<string, unknown> };
beforeAll(async () => {
  irisTrained = await json(['train', '--dataset', 'iris', '--seed', '3', '--save', irisWeights]);
}, 120_000);

describe('spintrain eval', () => {
  it('Iris: the accuracy training reported, a confusion matrix over the test part, the class names', async () => {
    const w = irisWeights;
    const t = irisTrained;
    expect(t.code).toBe(0);
    const e = await json(['eval', '--weights', w, '--dataset', 'iris']);
    expect(e.code).toBe(0);
    expect(e.out.accuracy).toBe(t.out.testAccuracy);
    expect(e.out.n).toBe(30);
    expect(e.out.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const m = e.out.confusion as number[][];
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(30);
    expect(m.reduce((a, row, k) => a + row[k], 0) / 30).toBe(e.out.accuracy);
  });

  it('inverted IDX images: the model\'s reflection is applied to the bytes (the accuracy training reported)', async () => {
    const n = 300;
    const images = Buffer.from(readFileSync(join(mnistDataDir(), 'train-images-idx3-ubyte')).subarray(0, 16 + n * 784));
    images.writeUInt32BE(n, 4);
    for (let i = 16; i < images.length; i++) images[i] = 255 - images[i];
    const labels = Buffer.from(readFileSync(join(mnistDataDir(), 'train-labels-idx1-ubyte')).subarray(0, 8 + n));
    labels.writeUInt32BE(n, 4);
    writeFileSync(join(dir, 'x.idx'), images);
    writeFileSync(join(dir, 'y.idx'), labels);
    const spec = `${join(dir, 'x.idx')},${join(dir, 'y.idx')}`;
    const w = join(dir, 'inv.stw');
    const t = await json(['train', '--dataset', spec, '--hidden', '16', '--epochs', '3', '--save', w]);
    expect(t.out.reflectedInputs).toBe('0-783');
    const e = await json(['eval', '--weights', w, '--dataset', spec]);
    expect(e.out.accuracy).toBe(t.out.testAccuracy);
    expect(e.out.accuracy as number).toBeGreaterThan(0.3);
  });

  it('a CSV train/test pair: the test file through the model\'s min-max scale', async () => {
    const d = loadDataset('iris', { seed: 5 });
    const csv = (rows: number[][], y: Uint8Array) => rows.map((r, i) => [...r, ['a', 'b', 'c'][y[i]]].join(',')).join('\n') + '\n';
    const trainRows = Array.from({ length: d.train.n }, (_v, i) => Array.from(d.train.x.subarray(4 * i, 4 * i + 4), (u) => u / 10 + 1));
    writeFileSync(join(dir, 'tr.csv'), csv(trainRows, d.train.y));
    writeFileSync(join(dir, 'te.csv'), csv(d.testRaw!, d.test.y));
    const spec = `${join(dir, 'tr.csv')},${join(dir, 'te.csv')}`;
    const w = join(dir, 'csv.stw');
    const t = await json(['train', '--dataset', spec, '--save', w]);
    expect(t.code).toBe(0);
    const e = await json(['eval', '--weights', w, '--dataset', spec]);
    expect(e.out.accuracy).toBe(t.out.testAccuracy);
    expect(e.out.classNames).toEqual(['a', 'b', 'c']);
  });

  it('refusals: a missing option (2), a data set of another width (2), a missing weights file (1)', async () => {
    const io = captureOutput();
    expect(await main(['eval', '--dataset', 'iris'])).toBe(2);
    expect(io.err()).toContain('spintrain eval: --weights: required');
    expect(await main(['eval', '--weights', join(dir, 'iris.stw'), '--dataset', 'xor'])).toBe(2);
    expect(io.err()).toContain('--dataset: xor has 2 features; the model');
    expect(await main(['eval', '--weights', join(dir, 'nope.stw'), '--dataset', 'iris'])).toBe(1);
    expect(io.err()).toContain(join(dir, 'nope.stw'));
  });
});

describe('spintrain predict (the real executable)', () => {
  const bin = join(ROOT, 'host/bin/spintrain.js');
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });

  it('raw Iris rows on stdin and from a file with a header: one JSON line per row, the classes eval counts as correct', () => {
    const d = loadDataset('iris', { seed: 3 });
    const rows = d.testRaw!.map((r) => r.join(',')).join('\n');
    const r = run(['predict', '--weights', join(dir, 'iris.stw'), '--input', '-'], rows + '\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(30);
    expect(out[0]).toMatchObject({ line: 1 });
    const correct = out.filter((p, i) => p.class === d.test.y[i]).length;
    const evaluated = JSON.parse(run(['eval', '--weights', join(dir, 'iris.stw'), '--dataset', 'iris', '--json']).stdout);
    expect(correct / 30).toBe(evaluated.accuracy);
    writeFileSync(join(dir, 'rows.csv'), 'a,b,c,d\n' + rows + '\n');
    const f = run(['predict', '--weights', join(dir, 'iris.stw'), '--input', join(dir, 'rows.csv')]);
    expect(f.stdout.trim().split('\n').map((l) => JSON.parse(l).class)).toEqual(out.map((p) => p.class));
    expect(JSON.parse(f.stdout.split('\n')[0])).toMatchObject({ line: 2, name: expect.any(String) });
  });

  it('a row of the wrong width or a cell that is not a number: exit 1 naming the file and line, nothing printed', () => {
    writeFileSync(join(dir, 'bad.csv'), '5.1,3.5,1.4,0.2\n5.1,3.5,1.4\n');
    const w = run(['predict', '--weights', join(dir, 'iris.stw'), '--input', join(dir, 'bad.csv')]);
    expect(w.status).toBe(1);
    expect(w.stdout).toBe('');
    expect(w.stderr).toContain(`${join(dir, 'bad.csv')}: line 2: expected 4 comma-separated feature values`);
    writeFileSync(join(dir, 'nan.csv'), '5.1,3.5,1.4,0.2\n5.1,x,1.4,0.2\n');
    const n = run(['predict', '--weights', join(dir, 'iris.stw'), '--input', join(dir, 'nan.csv')]);
    expect(n.status).toBe(1);
    expect(n.stderr).toContain('line 2, column 2: expected a number, found "x"');
    expect(n.stderr).not.toMatch(/^\s+at /m);
  });
});
