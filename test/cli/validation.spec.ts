// `spintrain train --validation F`: the stratified hold-out of the training split, the best epoch's
// weights kept bit for bit, the refusals, and the --json fields.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../host/cli.ts';
import { captureOutput } from '../support/capture-output.ts';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { loadWeights } from '../../host/io/weights-file.ts';
import { train } from '../../host/train/trainer.ts';
import { holdOutValidation } from '../../host/data/validation-split.ts';
import type { Split } from '../../host/data/dataset.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const dir = mkdtempSync(join(tmpdir(), 'spintrain-validation-'));

const perClass = (s: Split, classes: number): number[] => {
  const c = new Array<number>(classes).fill(0);
  for (const y of s.y) c[y]++;
  return c;
};
/** The samples of a split as sorted "features|label" rows (a multiset). */
const rows = (s: Split, inputs: number): string[] =>
  Array.from({ length: s.n }, (_v, i) => `${s.x.subarray(i * inputs, (i + 1) * inputs).join(',')}|${s.y[i]}`).sort();

describe('the hold-out', () => {
  it('takes a stratified, seeded fraction of the training split and leaves the test split alone', () => {
    const plain = parseTrainArgs(['--dataset', 'iris', '--seed', '4']);
    const job = parseTrainArgs(['--dataset', 'iris', '--seed', '4', '--validation', '0.2']);
    const v = job.validation!.split;
    expect([job.dataset.train.n, v.n]).toEqual([96, 24]);
    expect(perClass(v, 3)).toEqual([8, 8, 8]);
    expect(perClass(job.dataset.train, 3)).toEqual([32, 32, 32]);
    // the test split is the very one of the run without validation; train + validation = the old train split
    expect(job.dataset.test).toEqual(plain.dataset.test);
    expect([...rows(job.dataset.train, 4), ...rows(v, 4)].sort()).toEqual(rows(plain.dataset.train, 4));
    // seeded: the same seed gives the same parts, another seed others
    expect(parseTrainArgs(['--dataset', 'iris', '--seed', '4', '--validation', '0.2']).validation!.split).toEqual(v);
    const other = holdOutValidation(plain.dataset, 0.2, 5).validation;
    expect(Buffer.from(other.x).equals(Buffer.from(v.x))).toBe(false);
    // round(count · F) per class: 0.1 of 40 → 4
    expect(perClass(holdOutValidation(plain.dataset, 0.1, 4).validation, 3)).toEqual([4, 4, 4]);
  });
});

describe('the best epoch', () => {
  // seed 3, 30 epochs: validation peaks first at epoch index 7 (24/24) and ties later; the last epoch differs
  const ARGS = ['--dataset', 'iris', '--hidden', '8', '--momentum', '0.5', '--epochs', '30', '--seed', '3', '--validation', '0.2'];

  it('is restored bit for bit: the saved weights equal a run of bestEpoch + 1 epochs on the same reduced training set', async () => {
    const io = captureOutput();
    const save = join(dir, 'best.stw');
    expect(await main(['train', ...ARGS, '--json', '--save', save])).toBe(0);
    const r = JSON.parse(io.out());
    const accs: number[] = r.perEpoch.map((e: { validationAccuracy: number }) => e.validationAccuracy);
    const best = accs.indexOf(Math.max(...accs)); // ties → the earliest
    expect(r.bestEpoch).toBe(best);
    expect(best).toBeLessThan(29);
    expect(accs.lastIndexOf(accs[best])).toBeGreaterThan(best); // a later tie did not move it
    expect(r.validationAccuracy).toBe(accs[best]);
    expect(r.testAccuracy).toBe(r.perEpoch[best].testAccuracy);
    expect(r.trainAccuracy).toBe(r.perEpoch[best].trainAccuracy);

    // the same job without validation, stopped after bestEpoch + 1 epochs
    const job = parseTrainArgs(ARGS);
    const ref = await train(job.dataset, job.config, { epochs: best + 1 });
    const saved = await loadWeights(save);
    const tensors = new Map(saved.tensors.map((t) => [t.name, t.data]));
    const p = ref.engine.exportParameters();
    for (let l = 0; l < 2; l++) {
      expect(tensors.get(`W${l}`)).toEqual(p.weights[l]);
      expect(tensors.get(`B${l}`)).toEqual(p.biases[l]);
      expect(tensors.get(`VW${l}`)).toEqual(ref.engine.velocityWeights(l).slice());
      expect(tensors.get(`VB${l}`)).toEqual(ref.engine.velocityBiases(l).slice());
    }
    expect(saved.meta).toMatchObject({ epoch: best, validation: 0.2, validationAccuracy: accs[best], testAccuracy: r.testAccuracy });

    // and they are not the last epoch's weights
    const last = await train(job.dataset, job.config, { epochs: 30 });
    expect(last.engine.exportParameters().weights[0]).not.toEqual(p.weights[0]);
  });

  it('--json reports it; the log line shows the validation accuracy; without --validation the fields are absent', async () => {
    let io = captureOutput();
    expect(await main(['train', '--dataset', 'iris', '--hidden', '8', '--epochs', '4', '--validation', '0.25', '--json'])).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.perEpoch).toHaveLength(4);
    for (const e of r.perEpoch) expect(e.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(r).toMatchObject({ validationFraction: 0.25, validationSamples: 30, samples: 4 * 90 });
    expect(Number.isInteger(r.bestEpoch)).toBe(true);
    expect(typeof r.validationAccuracy).toBe('number');
    vi.restoreAllMocks();
    io = captureOutput();
    expect(await main(['train', '--dataset', 'iris', '--hidden', '8', '--epochs', '2', '--json'])).toBe(0);
    const plain = JSON.parse(io.out());
    expect(plain.bestEpoch).toBeUndefined();
    expect(plain.validationAccuracy).toBeUndefined();
    expect(plain.perEpoch[0].validationAccuracy).toBeUndefined();
    vi.restoreAllMocks();
    io = captureOutput();
    expect(await main(['train', '--dataset', 'iris', '--hidden', '8', '--epochs', '2', '--validation', '0.1'])).toBe(0);
    expect(io.out()).toMatch(/epoch 1: loss [\d.]+  train [\d.]+%  val [\d.]+%  test [\d.]+%/);
    expect(io.out()).toMatch(/validation: 12 samples \(0\.1 of the training split, stratified\) held out; training on 108/);
    expect(io.out()).toMatch(/best epoch +[12] of 2: validation/);
  });
});

describe('refusals (exit 2, naming --validation)', () => {
  const csv = join(dir, 'small.csv');
  // class b has 5 rows: 4 after the 80/20 split; round(4 · 0.1) = 0 validation samples
  writeFileSync(csv, ['x,y,label', ...Array.from({ length: 30 }, (_v, i) => `${i},${i % 7},a`), ...Array.from({ length: 5 }, (_v, i) => `${i + 40},1,b`)].join('\n'));

  it.each([
    [['--dataset', 'iris', '--validation', '0'], '--validation: expected a fraction of the training split strictly between 0 and 1 (e.g. 0.1), got "0"'],
    [['--dataset', 'iris', '--validation', '1'], 'got "1"'],
    [['--dataset', 'iris', '--validation=-0.2'], 'got "-0.2"'],
    [['--dataset', 'iris', '--validation', 'ten'], 'got "ten"'],
    [['--dataset', 'iris', '--validation', '0.001'], '--validation: 0.001 of the iris training split (120 samples; per class 0: 40, 1: 40, 2: 40) leaves the validation part empty'],
    [['--dataset', 'iris', '--validation', '0.995'], 'of the iris training split (120 samples; per class 0: 40, 1: 40, 2: 40) leaves the remaining training part empty'],
    [['--dataset', csv, '--validation', '0.1'], 'of the small.csv training split (28 samples; per class 0: 24, 1: 4) leaves the validation part without class 1 ("b")'],
    [['--dataset', 'iris', '--validation', '0.2', '--checkpoint', join(dir, 'cp.stw')], '--validation: cannot be combined with --checkpoint'],
    [['--dataset', 'iris', '--validation', '0.2', '--resume', join(dir, 'cp.stw')], '--validation: cannot be combined with --resume'],
    [['--dataset', 'iris', '--validation', '0.2', '--teacher', join(dir, 't.stw')], '--validation: cannot be combined with --teacher'],
  ])('%j: %s', async (argv, message) => {
    const io = captureOutput();
    expect(await main(['train', ...argv])).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
    expect(existsSync(join(dir, 'cp.stw'))).toBe(false);
  });

  it('a file saved by a --validation run is not resumed (it holds the best epoch, not the last)', async () => {
    const save = join(dir, 'v.stw');
    const io = captureOutput();
    expect(await main(['train', '--dataset', 'iris', '--hidden', '8', '--epochs', '3', '--validation', '0.2', '--save', save, '--json'])).toBe(0);
    expect(await main(['train', '--dataset', 'iris', '--hidden', '8', '--epochs', '5', '--resume', save, '--json'])).toBe(2);
    expect(io.err()).toContain(`--resume: ${save} holds the best epoch's weights of a --validation run`);
  });
});
