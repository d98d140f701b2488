// `spintrain train` defaults by the kind of data set (issue 12): with no flag but --dataset (and --seed),
// XOR reaches 100 % on ≥ 9 of 10 seeds and Iris ≥ 94 % mean test accuracy over 8 seeded stratified splits;
// MNIST keeps its defaults; any option given overrides its default. In-process: the train command's
// parser, then the trainer, as `spintrain train` runs them.
import { describe, expect, it, vi } from 'vitest';
import { parseTrainArgs, TRAIN_USAGE } from '../../host/commands/train.ts';
import { DEFAULTS_USAGE, datasetKind, defaultLearningRates, trainDefaults } from '../../host/commands/train-defaults.ts';
import { openDeviceSession } from '../../host/train/device-session.ts';
import { train } from '../../host/train/trainer.ts';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const SPLITS = [1, 2, 3, 4, 5, 6, 7, 8];

async function defaultRun(argv: string[]): Promise<number> {
  const job = parseTrainArgs(argv);
  return (await train(job.dataset, job.config, { epochs: job.epochs })).testAccuracy;
}

describe('the defaults of each kind of data set', () => {
  it('xor: 2-4-2 softmax, lr 0.3 on every layer, no decay, 1000 epochs (bp and pgaf)', () => {
    for (const algo of ['pgaf', 'bp']) {
      const job = parseTrainArgs(['--dataset', 'xor', '--algo', algo]);
      expect(job.config).toMatchObject({ layout: [2, 4, 2], activation: 'sigmoid', output: 'softmax', learningRate: [0.3, 0.3], decay: 0, momentum: 0, pairs: 1 });
      expect(job.epochs).toBe(1000);
    }
    // the squared-error sigmoid output carries σ′ ≤ ¼ in its δ: a larger rate
    expect(parseTrainArgs(['--dataset', 'xor', '--output', 'sigmoid']).config).toMatchObject({ layout: [2, 4, 1], learningRate: [2, 2] });
  });

  it('iris (tabular): 4-16-3 softmax, lr 0.1 on every layer, 300 epochs, decay 3/300 (bp and pgaf)', () => {
    for (const algo of ['pgaf', 'bp']) {
      const job = parseTrainArgs(['--dataset', 'iris', '--algo', algo]);
      expect(job.config).toMatchObject({ layout: [4, 16, 3], output: 'softmax', learningRate: [0.1, 0.1], decay: 0.01, pairs: 1 });
      expect(job.epochs).toBe(300);
      expect(job.compare).toBe('none');
    }
  });

  it('tabular data sets: epochs for about 36,000 SGD steps, between 20 and 300; decay 3/epochs', () => {
    expect(trainDefaults('tabular', 120)).toEqual({ kind: 'tabular', hidden: [16], epochs: 300, decay: 0.01 });
    expect(trainDefaults('tabular', 142)).toMatchObject({ epochs: 254, decay: 3 / 254 });
    expect(trainDefaults('tabular', 455)).toMatchObject({ epochs: 80, decay: 3 / 80 });
    expect(trainDefaults('tabular', 1_000_000)).toMatchObject({ epochs: 20, decay: 3 / 20 });
  });

  it('the kind: built-in names, then the feature count (≤ 64 tabular, more images)', () => {
    expect(datasetKind('xor', { inputs: 2 })).toBe('xor');
    expect(datasetKind(' XOR ', { inputs: 2 })).toBe('xor');
    expect(datasetKind('iris', { inputs: 4 })).toBe('tabular');
    expect(datasetKind('mnist', { inputs: 784 })).toBe('images');
    expect(datasetKind('wine.csv', { inputs: 13 })).toBe('tabular');
    expect(datasetKind('digits.csv', { inputs: 64 })).toBe('tabular');
    expect(datasetKind('a.idx,b.idx', { inputs: 784 })).toBe('images');
    expect(trainDefaults('images', 48_000)).toEqual({ kind: 'images', hidden: [128], epochs: 20, decay: 0.1 });
    expect(trainDefaults('images', 48_000, 2).epochs).toBe(30);
    expect(trainDefaults('images', 48_000, 3).epochs).toBe(40);
    expect(trainDefaults('images', 48_000, 4).epochs).toBe(40);
    expect(trainDefaults('tabular', 120, 3).epochs).toBe(300); // the depth sets only the images epochs
    expect(defaultLearningRates('images', 'pgaf', 1, 2)).toEqual([0.01, 0.1]);
    expect(defaultLearningRates('images', 'bp', 1, 3)).toEqual([0.1, 0.1, 0.1]);
  });

  it('mnist: 784-128-10, pgaf 0.01/0.1, decay 0.1, 20 epochs (30 with two hidden layers), compared with bp', () => {
    const job = parseTrainArgs(['--train-limit', '100', '--test-limit', '10']);
    expect(job.config).toMatchObject({ layout: [784, 128, 10], activation: 'sigmoid', output: 'softmax', algorithm: 'pgaf', learningRate: [0.01, 0.1], decay: 0.1, momentum: 0, pairs: 1 });
    expect(job.epochs).toBe(20);
    expect(job.compare).toBe('bp');
    expect(parseTrainArgs(['--train-limit', '100', '--test-limit', '10', '--hidden', '256,128']).epochs).toBe(30);
    expect(parseTrainArgs(['--train-limit', '100', '--test-limit', '10', '--hidden', '256,128', '--draw-pairs', '2']).config.learningRate).toEqual([0.01 * 2 * 0.6, 0.02, 0.1]);
  });

  it('--pairs, the old name of --draw-pairs, still works and says so in one stderr line', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const job = parseTrainArgs(['--dataset', 'xor', '--pairs', '4']);
    expect(job.config.pairs).toBe(4);
    expect(job.config.learningRate).toEqual(parseTrainArgs(['--dataset', 'xor', '--draw-pairs', '4']).config.learningRate);
    expect(err.mock.calls.map((c) => String(c[0]))).toEqual(['spintrain train: --pairs is now --draw-pairs\n']);
    expect(() => parseTrainArgs(['--dataset', 'xor', '--pairs', '2', '--draw-pairs', '2'])).toThrow('--draw-pairs: given more than once (--pairs is its old name)');
    expect(() => parseTrainArgs(['--dataset', 'xor', '--draw-pairs', '3'])).toThrow('--draw-pairs: expected one of 1, 2, 4, 8, got "3"');
    err.mockRestore();
  });

  it('every option given overrides its default', () => {
    const job = parseTrainArgs(['--dataset', 'xor', '--hidden', '3', '--lr', '0.5', '--decay', '0.2', '--epochs', '7', '--output', 'sigmoid']);
    expect(job.config).toMatchObject({ layout: [2, 3, 1], learningRate: [0.5, 0.5], decay: 0.2 });
    expect(job.epochs).toBe(7);
    const iris = parseTrainArgs(['--dataset', 'iris', '--epochs', '50', '--lr', '0.2,0.05']);
    expect(iris.config).toMatchObject({ learningRate: [0.2, 0.05], decay: 0.01 }); // the decay is the data's, not 3/50
    expect(iris.epochs).toBe(50);
  });

  it('the README hardware example parses to the same defaults (a port device touches nothing while parsing)', () => {
    const hw = parseTrainArgs(['--dataset', 'xor', '--device', '/dev/ttyACM0', '--calibration', 'cal.json']);
    const plain = parseTrainArgs(['--dataset', 'xor']);
    expect(hw.config).toEqual(plain.config);
    expect(hw.epochs).toBe(plain.epochs);
  });

  it('--help states them', () => {
    expect(TRAIN_USAGE).toContain(DEFAULTS_USAGE);
    for (const kind of ['xor', 'tabular', 'images']) expect(DEFAULTS_USAGE).toMatch(new RegExp(`^    ${kind} `, 'm'));
  });
});

describe('the defaults train (issue 12 targets)', () => {
  it.each(['pgaf', 'bp'])('%s: `--dataset xor --seed S` reaches accuracy 1 on ≥ 9 of seeds 1–10', async (algo) => {
    const accs: number[] = [];
    for (const seed of SEEDS) accs.push(await defaultRun(['--dataset', 'xor', '--algo', algo, '--seed', String(seed)]));
    expect(accs.filter((a) => a === 1).length, `per seed: ${accs.join(' ')}`).toBeGreaterThanOrEqual(9);
  });

  it('pgaf: `--dataset xor --device sim` (draws from the simulated MTJ array) reaches 100 % on ≥ 4 of seeds 1–5', async () => {
    const accs: number[] = [];
    for (const seed of SEEDS.slice(0, 5)) {
      const job = parseTrainArgs(['--dataset', 'xor', '--device', 'sim', '--seed', String(seed)]);
      const session = await openDeviceSession(job.device, { seed });
      try {
        accs.push((await train(job.dataset, job.config, { epochs: job.epochs, draws: session.draws })).testAccuracy);
      } finally {
        await session.close();
      }
    }
    expect(accs.filter((a) => a === 1).length, `per seed: ${accs.join(' ')}`).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['pgaf', 0.94],
    ['bp', 0.93],
  ] as const)('%s: `--dataset iris --seed S` reaches a mean test accuracy ≥ %s over the stratified splits of seeds 1–8', async (algo, target) => {
    const accs: number[] = [];
    for (const seed of SPLITS) accs.push(await defaultRun(['--dataset', 'iris', '--algo', algo, '--seed', String(seed)]));
    const mean = accs.reduce((a, b) => a + b) / accs.length;
    expect(mean, `per split: ${accs.map((a) => a.toFixed(3)).join(' ')}`).toBeGreaterThanOrEqual(target);
  });
});
