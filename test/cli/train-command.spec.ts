// `spintrain train`: argument errors, the --json report, and checkpoint/resume.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../host/cli.ts';
import { captureOutput } from '../support/capture-output.ts';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { loadWeights } from '../../host/io/weights-file.ts';

const capture = captureOutput;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('arguments', () => {
  it.each([
    [['--dataset', 'xor', '--hidden', '0'], '--hidden[0]: expected an integer in 1..8192, got "0"'],
    [['--dataset', 'xor', '--hidden', '4,4,4,4,4'], '--hidden: expected 1 to 4 hidden widths, got 5'],
    [['--dataset', 'xor', '--algo', 'sgd'], /--algo: expected one of bp, pgaf(, pair)?, got "sgd"/],
    [['--dataset', 'xor', '--lr', '0.1,0.2,0.3'], '--lr: expected 1 or 2 rates (one per weight layer), got 3'],
    [['--dataset', 'xor', '--epochs', '0'], '--epochs: expected an integer in 1..100000, got "0"'],
    [['--dataset', 'cifar'], 'cifar'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });

  it('exits 2 with the option named for a bad argument, 1 for a missing file', async () => {
    const io = capture();
    expect(await main(['train', '--dataset', 'xor', '--activation', 'gelu'])).toBe(2);
    expect(io.err()).toContain('--activation: expected one of sigmoid, tanh, relu, got "gelu"');
    expect(await main(['train', '--dataset', '/nonexistent/a.idx,/nonexistent/b.idx'])).toBe(1);
    expect(io.err()).toContain('/nonexistent/a.idx');
    expect(await main(['train', '--no-such-option'])).toBe(2);
    expect(await main(['nope'])).toBe(2);
  });
});

describe('--json', () => {
  it('prints one JSON object with the documented fields', async () => {
    const io = capture();
    const rc = await main(['train', '--dataset', 'xor', '--hidden', '4', '--output', 'sigmoid', '--lr', '2', '--decay', '0', '--epochs', '3000', '--seed', '3', '--json']);
    expect(rc).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]);
    expect(r.testAccuracy).toBe(1);
    expect(r.epochs).toBe(3000);
    expect(r.samples).toBe(12000);
    expect(r.trainSeconds).toBeGreaterThan(0);
    expect(r.config).toMatchObject({ dataset: 'xor', layout: [2, 4, 1], algorithm: 'pgaf', activation: 'sigmoid', output: 'sigmoid' });
    expect(Object.keys(r.ops)).toEqual(['forward', 'activationGradient', 'deltaPropagation', 'weightUpdate', 'kept', 'seen']);
    expect(r.ops.activationGradient.draws).toBe(12000 * 4 * 2);
  });
});

describe('checkpoints', () => {
  it.each(['pgaf', 'bp'])('%s: a run resumed from its epoch-3 checkpoint ends bit-identical to the uninterrupted run', async (algo) => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-cp-'));
    const args = ['train', '--dataset', 'iris', '--hidden', '8', '--algo', algo, '--lr', '0.1', '--seed', '5', '--json'];
    capture();
    expect(await main([...args, '--epochs', '6', '--save', join(dir, 'full.stw')])).toBe(0);
    expect(await main([...args, '--epochs', '3', '--checkpoint', join(dir, 'cp.stw')])).toBe(0);
    const cp = await loadWeights(join(dir, 'cp.stw'));
    expect(cp.meta?.epoch).toBe(2);
    expect(await main([...args, '--epochs', '6', '--resume', join(dir, 'cp.stw'), '--save', join(dir, 'resumed.stw')])).toBe(0);
    const full = await loadWeights(join(dir, 'full.stw'));
    const resumed = await loadWeights(join(dir, 'resumed.stw'));
    expect(resumed.tensors).toEqual(full.tensors);
  });

  it('refuses a tampered checkpoint, naming the file and the field, and leaves it as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-cp-'));
    const file = join(dir, 'cp.stw');
    const io = capture();
    expect(await main(['train', '--dataset', 'xor', '--hidden', '4', '--epochs', '2', '--checkpoint', file, '--json'])).toBe(0);
    const bytes = readFileSync(file);
    bytes[bytes.length - 9] ^= 0xff;
    writeFileSync(file, bytes);
    expect(await main(['train', '--dataset', 'xor', '--epochs', '4', '--resume', file])).toBe(1);
    expect(io.err()).toContain(`${file}: checksum`);
    expect(readFileSync(file)).toEqual(bytes);
  });
});

describe('every bad option exits 2 naming it (issue 11)', () => {
  it.each([
    [['--dataset', 'mnistx'], '--dataset: mnistx: unknown dataset'],
    [['--dataset', ''], '--dataset: : unknown dataset'],
    [['--dataset', 'a,b,c'], '--dataset: a,b,c: expected 2 or 4 comma-separated IDX paths, found 3'],
    [['--dataset', 'xor,'], '--dataset: xor,: expected 2 or 4 comma-separated IDX paths, found 1'],
    [['--dataset', 'xor', '--lr', '5e-6'], "--lr[0]: 5e-6 rounds to 0 in the engine's Q16 fixed point; expected at least 2^-17 (0.00000763)"],
    [['--dataset', 'xor', '--lr', '0'], '--lr[0]: expected a positive rate, got 0'],
    [['--dataset', 'xor', '--decay', '1e-7'], "--decay: 1e-7 rounds to 0 in the engine's Q16 fixed point; expected 0 or at least 2^-17"],
    [['--dataset', 'xor', '--momentum', '1e-7'], "--momentum: 1e-7 rounds to 0 in the engine's Q16"],
    [['--dataset', 'xor', '--p-floor', '1e-7'], "--p-floor: 1e-7 rounds to 0 in the engine's Q16"],
    [['--dataset', 'xor', '--delta-clip', '1e-9'], "--delta-clip: 1e-9 rounds to 0 in the engine's Q24 fixed point; expected 0 or at least 2^-25"],
    [['--dataset', 'xor', '--lr', '1e-5', '--decay', '1000', '--epochs', '100'], "--decay: 1000 makes the learning rate 0.00001 of weight layer 0 round to 0 in the engine's Q16 from epoch 2 of 100"],
    [['--dataset', 'xor', '--pair-step', '0.1'], '--pair-step: only applies with --algo pair'],
    [['--dataset', 'xor', '--temperature', '4'], '--temperature: only applies with --teacher'],
    [['--dataset', 'xor', '--alpha', '0.5'], '--alpha: only applies with --teacher'],
    [['--dataset', 'xor', '--seed', ''], '--seed: expected an integer in 0..4294967295, got ""'],
    [['--dataset', 'xor', '--epochs', 'NaN'], '--epochs: expected an integer in 1..100000, got "NaN"'],
    [['--dataset', 'xor', '--save', ''], '--save: expected a path, got ""'],
    [['--dataset', 'xor', '--lr', '0.1', '--lr', '0.2'], '--lr: given more than once'],
    [['--dataset', 'xor', '--json=yes'], '--json: is a flag and takes no value'],
    [['--dataset', 'xor', '--json', 'yes'], '--json: is a flag and takes no value, got "yes"'],
    [['--dataset', 'xor', '--epochs'], '--epochs: expected a value'],
    [['--dataset', 'xor', '--epochs', '-3'], '--epochs: expected a value, got the option-like "-3"'],
    [['--dataset', 'xor', 'stray'], '"stray": unexpected argument'],
    [['--dataset', 'xor', '--bogus'], '--bogus: unknown option'],
  ])('%j → exit 2: %s', async (argv, message) => {
    const io = capture();
    expect(await main(['train', ...argv])).toBe(2);
    expect(io.err()).toContain(`spintrain train: ${message}`);
    expect(io.out()).toBe('');
  });
});

describe('--resume and --teacher (issue 11)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spintrain-resume-'));
  const IRIS = ['train', '--dataset', 'iris', '--hidden', '8', '--seed', '5', '--json'];

  it('a checkpoint that already finished --epochs is refused naming --epochs; nothing is saved', async () => {
    const cp = join(dir, 'done.stw');
    const io = capture();
    expect(await main([...IRIS, '--epochs', '3', '--checkpoint', cp])).toBe(0);
    const save = join(dir, 'never.stw');
    expect(await main([...IRIS, '--epochs', '3', '--resume', cp, '--save', save])).toBe(2);
    expect(io.err()).toContain(`--epochs: 3, but the checkpoint ${cp} (--resume) has already finished 3 epochs; give --epochs > 3 to train on`);
    expect(existsSync(save)).toBe(false);
    expect(io.err()).not.toContain('NaN');
  });

  it('a network option that differs from the checkpoint is refused naming it, never ignored', async () => {
    const cp = join(dir, 'cp.stw');
    const io = capture();
    expect(await main([...IRIS, '--epochs', '2', '--checkpoint', cp])).toBe(0);
    expect(await main(['train', '--dataset', 'iris', '--hidden', '9', '--seed', '5', '--epochs', '4', '--resume', cp])).toBe(2);
    expect(io.err()).toContain(`--hidden: [9] differs from the checkpoint ${cp} ([8])`);
    expect(await main(['train', '--dataset', 'iris', '--hidden', '8', '--seed', '5', '--lr', '0.3', '--epochs', '4', '--resume', cp])).toBe(2);
    expect(io.err()).toContain('--lr: [0.3,0.3] differs from the checkpoint');
  });

  it('distillation checkpoints: a resumed run ends bit-identical to the uninterrupted one; teacher and α are checked', async () => {
    const io = capture();
    const teacher = join(dir, 'teacher.stw');
    expect(await main([...IRIS, '--epochs', '2', '--save', teacher])).toBe(0);
    const student = ['train', '--dataset', 'iris', '--hidden', '4', '--seed', '2', '--json', '--teacher', teacher];
    expect(await main([...student, '--epochs', '4', '--save', join(dir, 'full.stw')])).toBe(0);
    expect(await main([...student, '--epochs', '2', '--checkpoint', join(dir, 'dcp.stw')])).toBe(0);
    expect((await loadWeights(join(dir, 'dcp.stw'))).meta?.epoch).toBe(1);
    expect(await main([...student, '--epochs', '4', '--resume', join(dir, 'dcp.stw'), '--save', join(dir, 'resumed.stw')])).toBe(0);
    expect((await loadWeights(join(dir, 'resumed.stw'))).tensors).toEqual((await loadWeights(join(dir, 'full.stw'))).tensors);
    expect(await main([...student, '--epochs', '4', '--alpha', '0.5', '--resume', join(dir, 'dcp.stw')])).toBe(2);
    expect(io.err()).toContain(`--alpha: 0.5 differs from the checkpoint ${join(dir, 'dcp.stw')} (0.9)`);
    expect(await main(['train', '--dataset', 'iris', '--hidden', '4', '--seed', '2', '--epochs', '4', '--resume', join(dir, 'dcp.stw')])).toBe(2);
    expect(io.err()).toContain('--teacher: required: the checkpoint');
    const plain = join(dir, 'plain.stw');
    expect(await main(['train', '--dataset', 'iris', '--hidden', '4', '--seed', '2', '--json', '--epochs', '2', '--checkpoint', plain])).toBe(0);
    expect(await main([...student, '--epochs', '4', '--resume', plain])).toBe(2);
    expect(io.err()).toContain(`--teacher: the checkpoint ${plain} (--resume) was trained without a teacher`);
  });
});
