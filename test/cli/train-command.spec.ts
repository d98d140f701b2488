// `spintrain train`: argument errors, the --json report, and checkpoint/resume.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
