// `spintrain deep train|eval` through the real executable (`node host/bin/spintrain.js`, the esbuild bundle of
// build/cli/: `npm run build:cli`), on small data: the Iris and XOR built-ins and a 64-feature CSV of 8×8 images
// written here. Train → save → eval gives the accuracy training reported (bp, pgaf and the sparse-backprop baselines
// topk, random and adaptive with their knobs); bad options exit 2 naming the option;
// a bad weights or net file exits 1 naming the file (and the field); never a stack trace; --save is atomic and
// nothing is written by a run that fails. The runs of each stage start together.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../host/rng.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'host/bin/spintrain.js');
const dir = mkdtempSync(join(tmpdir(), 'spintrain-deep-cli-'));
const at = (f: string): string => join(dir, f);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spintrain(args: string[], timeoutMs = 50_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, timeout: timeoutMs, env: { ...process.env, SPINTRAIN_DEBUG: '' } }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr });
    });
  });
}

async function runAll<K extends string>(cases: Record<K, string[]>): Promise<Record<K, Run>> {
  const names = Object.keys(cases) as K[];
  const results = await Promise.all(names.map((n) => spintrain(cases[n])));
  return Object.fromEntries(names.map((n, i) => [n, results[i]])) as Record<K, Run>;
}

/** 8×8 images of 3 classes (a bright row, column or diagonal) with noise; header row, text labels. */
function imagesCsv(file: string, n: number): void {
  const rng = new Rng(5);
  const rows = [[...Array.from({ length: 64 }, (_v, i) => `p${i}`), 'label'].join(',')];
  for (let s = 0; s < n; s++) {
    const k = s % 3;
    const px: number[] = [];
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) px.push(rng.int(4) + ((k === 0 && y === 2) || (k === 1 && x === 5) || (k === 2 && x === y) ? 12 : 0));
    rows.push([...px, ['bar', 'column', 'diagonal'][k]].join(','));
  }
  writeFileSync(file, rows.join('\n') + '\n');
}

const json = (r: Run): Record<string, unknown> => JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
const noStack = (r: Run): void => expect(r.stderr).not.toMatch(/\n\s+at /);

const TRAIN = {
  iris: ['deep', 'train', '--net', 'resnet', '--dataset', 'iris', '--epochs', '3', '--algorithm', 'pgaf', '--lr', '0.05', '--seed', '4', '--save', at('iris.stw'), '--json'],
  images: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--input-shape', '1x8x8', '--algorithm', 'bp', '--epochs', '3', '--lr-out', '0.03', '--save', at('img.stw'), '--json'],
  imagesShifted: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--input-shape', '1x8x8', '--algorithm', 'bp', '--epochs', '3', '--lr-out', '0.03', '--shift', '1', '--json'],
  xor: ['deep', 'train', '--net', at('net.json'), '--dataset', 'xor', '--algorithm', 'bp', '--activation', 'sigmoid', '--epochs', '30', '--lr', '0.5', '--decay', '0', '--save', at('xor.stw')],
  dense: ['train', '--dataset', 'xor', '--epochs', '1', '--save', at('dense.stw')],
  // the sparse-backprop baselines
  topk: ['deep', 'train', '--net', 'resnet', '--dataset', 'iris', '--epochs', '2', '--algorithm', 'topk', '--keep', '0.25', '--seed', '2', '--save', at('topk.stw'), '--json'],
  random: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--input-shape', '1x8x8', '--algorithm', 'random', '--keep', '0.5', '--epochs', '3', '--lr-out', '0.03', '--save', at('random.stw'), '--json'],
  adaptive: ['deep', 'train', '--net', 'resnet', '--dataset', 'iris', '--epochs', '2', '--algorithm', 'adaptive', '--keep-max', '0.8', '--save', at('adaptive.stw')],
  adaptiveJson: ['deep', 'train', '--net', 'resnet', '--dataset', 'iris', '--epochs', '1', '--algorithm', 'adaptive', '--json'],
  // options: exit 2, the option named
  netNonsense: ['deep', 'train', '--net', 'nonsense', '--dataset', 'iris'],
  epochs0: ['deep', 'train', '--net', 'resnet', '--dataset', 'iris', '--epochs', '0'],
  shape2x2: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--input-shape', '2x2'],
  shapeProduct: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--input-shape', '1x4x8'],
  cnnFlat: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--save', at('flat.stw')],
  cnnShape: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--input-shape', '1x2x32'],
  algorithm: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'pair'],
  lrZero: ['deep', 'train', '--dataset', 'iris', '--lr', '0'],
  lrTiny: ['deep', 'train', '--dataset', 'iris', '--lr', '1e-7'],
  decayToZero: ['deep', 'train', '--dataset', 'iris', '--lr', '0.0001', '--decay', '1000', '--epochs', '100'],
  weightsOnTrain: ['deep', 'train', '--dataset', 'iris', '--weights', at('iris.stw')],
  noSubcommand: ['deep', '--dataset', 'iris'],
  badSubcommand: ['deep', 'fit', '--dataset', 'iris'],
  twice: ['deep', 'train', '--epochs', '2', '--epochs', '3'],
  unknownDataset: ['deep', 'train', '--net', 'resnet', '--dataset', 'mnistx'],
  shiftFlat: ['deep', 'train', '--net', 'resnet', '--dataset', 'iris', '--shift', '1'],
  shiftLarge: ['deep', 'train', '--net', 'cnn', '--dataset', at('img.csv'), '--input-shape', '1x8x8', '--shift', '8'],
  keepMissing: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'topk'],
  keepMissingRandom: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'random'],
  keepZero: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'topk', '--keep', '0'],
  keepOver: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'random', '--keep', '1.5'],
  keepText: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'topk', '--keep', 'half'],
  keepTiny: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'topk', '--keep', '0.00001'],
  keepForBp: ['deep', 'train', '--dataset', 'iris', '--keep', '0.5'],
  keepForAdaptive: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'adaptive', '--keep', '0.5'],
  keepMinForTopk: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'topk', '--keep', '0.5', '--keep-min', '0.2'],
  dampingForPgaf: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'pgaf', '--damping', '0.5'],
  keepMaxBelowMin: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'adaptive', '--keep-min', '0.6', '--keep-max', '0.5'],
  keepMinAboveDefault: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'adaptive', '--keep-min', '0.95'],
  keepMaxOver: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'adaptive', '--keep-max', '2'],
  dampingZero: ['deep', 'train', '--dataset', 'iris', '--algorithm', 'adaptive', '--damping', '0'],
  keepOnEval: ['deep', 'eval', '--weights', at('topk.stw'), '--keep', '0.5'],
  // files: exit 1, the file named
  saveNoDir: ['deep', 'train', '--net', 'resnet', '--dataset', 'iris', '--epochs', '1', '--save', at('no-such-dir/w.stw')],
  saveOnDir: ['deep', 'train', '--net', 'resnet', '--dataset', 'xor', '--epochs', '1', '--save', at('a-directory')],
  netMissing: ['deep', 'train', '--net', at('missing.json'), '--dataset', 'iris'],
  netBadField: ['deep', 'train', '--net', at('bad-net.json'), '--dataset', 'iris', '--save', at('kept.stw')],
  netOutputs: ['deep', 'train', '--net', at('net.json'), '--dataset', 'iris'],
} satisfies Record<string, string[]>;

let train: Record<keyof typeof TRAIN, Run>;
let evals: Record<string, Run>;

beforeAll(async () => {
  imagesCsv(at('img.csv'), 90);
  writeFileSync(at('net.json'), JSON.stringify({ nodes: [{ kind: 'dense', units: 8 }, { kind: 'dense', units: 2 }] }));
  writeFileSync(at('bad-net.json'), JSON.stringify([{ kind: 'dense', units: 8 }, { kind: 'conv', channels: 3, kernel: 9 }]));
  writeFileSync(at('kept.stw'), 'an older file, kept as it is');
  mkdirSync(at('a-directory'));
  train = await runAll(TRAIN);
  const corrupt = readFileSync(at('iris.stw'));
  corrupt[corrupt.length - 20] ^= 1;
  writeFileSync(at('corrupt.stw'), corrupt);
  writeFileSync(at('text.stw'), 'hello');
  evals = await runAll({
    iris: ['deep', 'eval', '--weights', at('iris.stw'), '--json'],
    irisText: ['deep', 'eval', '--weights', at('iris.stw'), '--dataset', 'iris'],
    images: ['deep', 'eval', '--weights', at('img.stw'), '--dataset', at('img.csv'), '--json'],
    imagesNoDataset: ['deep', 'eval', '--weights', at('img.stw')],
    xor: ['deep', 'eval', '--weights', at('xor.stw'), '--json'],
    wrongData: ['deep', 'eval', '--weights', at('iris.stw'), '--dataset', at('img.csv')],
    noWeights: ['deep', 'eval', '--dataset', 'iris'],
    quietOnEval: ['deep', 'eval', '--weights', at('iris.stw'), '--quiet'],
    missing: ['deep', 'eval', '--weights', at('missing.stw'), '--dataset', 'iris'],
    corrupt: ['deep', 'eval', '--weights', at('corrupt.stw'), '--dataset', 'iris'],
    text: ['deep', 'eval', '--weights', at('text.stw'), '--dataset', 'iris'],
    dense: ['deep', 'eval', '--weights', at('dense.stw'), '--dataset', 'xor'],
    topk: ['deep', 'eval', '--weights', at('topk.stw'), '--json'],
    random: ['deep', 'eval', '--weights', at('random.stw'), '--dataset', at('img.csv'), '--json'],
    adaptive: ['deep', 'eval', '--weights', at('adaptive.stw'), '--json'],
    denseEvalOfDeep: ['eval', '--weights', at('iris.stw'), '--dataset', 'iris'],
    help: ['deep', '--help'],
    topHelp: ['--help'],
  });
}, 58_000);

describe('spintrain deep train → save → eval', () => {
  it('Iris, resnet: eval reports the accuracy training reported, over the same 30 test samples', () => {
    const t = train.iris;
    expect(t.code, t.stderr).toBe(0);
    const out = json(t);
    expect(out.epochs).toBe(3);
    expect((out.perEpoch as unknown[]).length).toBe(3);
    expect(out.config).toMatchObject({ net: 'resnet', input: [1, 1, 4], algorithm: 'pgaf', activation: 'tanh', learningRate: 0.05, decay: 0.3, seed: 4 });
    expect((out.energy as { total: number }).total).toBeGreaterThan(0);
    expect(out.keptFraction as number).toBeGreaterThan(0);
    const e = evals.iris;
    expect(e.code, e.stderr).toBe(0);
    expect(json(e)).toMatchObject({ accuracy: out.testAccuracy, n: 30, classNames: ['setosa', 'versicolor', 'virginica'] });
    expect(evals.irisText.stdout).toContain(`accuracy ${(100 * (out.testAccuracy as number)).toFixed(2)}%`);
    expect(evals.irisText.stdout).toContain('confusion');
  });

  it('a 64-feature CSV as 1×8×8 images, cnn with bp: the same accuracy through the model\'s min-max scale', () => {
    const t = train.images;
    expect(t.code, t.stderr).toBe(0);
    const out = json(t);
    expect((out.config as { units: number[] }).units[0]).toBe(64);
    expect((out.config as { nodes: { learningRate?: number }[] }).nodes.map((n) => n.learningRate)).toEqual([undefined, undefined, undefined, undefined, undefined, 0.03]);
    expect(out.testAccuracy as number).toBeGreaterThan(0.6);
    const e = json(evals.images);
    expect(e).toMatchObject({ accuracy: out.testAccuracy, n: 18, classNames: ['bar', 'column', 'diagonal'] });
    const m = e.confusion as number[][];
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(18);
  });

  it('--shift 1 trains on shifted copies of the images: the same run otherwise, another first-epoch loss, the same test images', () => {
    const t = train.imagesShifted;
    expect(t.code, t.stderr).toBe(0);
    const shifted = json(t);
    const plain = json(train.images);
    expect(shifted.config).toMatchObject({ shift: 1 });
    expect(plain.config).toMatchObject({ shift: 0 });
    const loss = (o: Record<string, unknown>): number => (o.perEpoch as { trainLoss: number }[])[0].trainLoss;
    expect(loss(shifted)).not.toBe(loss(plain));
    expect(shifted.testAccuracy as number).toBeGreaterThan(0.6);
    expect(evals.help.stdout).toContain('--shift S');
  });

  it('a net from a JSON file on XOR; eval without --dataset takes the built-in data set the model names', () => {
    const t = train.xor;
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('epoch 30:');
    expect(t.stdout).toContain(`weights saved to ${at('xor.stw')}`);
    const trained = /test accuracy\s+([\d.]+)%/.exec(t.stdout)![1];
    const e = evals.xor;
    expect(e.code, e.stderr).toBe(0);
    expect((100 * (json(e).accuracy as number)).toFixed(2)).toBe(trained);
    // a data set it does not name by a built-in name must be given
    expect(evals.imagesNoDataset.code).toBe(2);
    expect(evals.imagesNoDataset.stderr).toContain('--dataset: required');
  });
});

describe('the sparse-backprop baselines: topk, random, adaptive', () => {
  const ag = (o: Record<string, unknown>): { add: number; compares?: number } => (o.ops as { activationGradient: { add: number; compares?: number } }).activationGradient;

  it('topk --keep 0.25 on Iris (resnet): the knob and the comparisons in --json; the saved model evaluates the same', () => {
    const t = train.topk;
    expect(t.code, t.stderr).toBe(0);
    const out = json(t);
    expect(out.config).toMatchObject({ algorithm: 'topk', sparsity: 0.25, learningRate: 0.02 });
    // 9 hidden nodes of 64 units: k = ⌈0.25·64⌉ = 16 each
    expect(out.keptFraction).toBe(0.25);
    expect(ag(out).compares).toBeGreaterThan(0);
    expect(out.comparesPerSample).toBe(ag(out).compares! / (out.samples as number));
    const e = evals.topk;
    expect(e.code, e.stderr).toBe(0);
    expect(json(e)).toMatchObject({ accuracy: out.testAccuracy, n: 30 });
  });

  it('random --keep 0.5 on the 8×8 CSV (cnn): about half the hidden units kept, no comparisons; the saved model evaluates the same', () => {
    const t = train.random;
    expect(t.code, t.stderr).toBe(0);
    const out = json(t);
    expect(out.config).toMatchObject({ algorithm: 'random', sparsity: 0.5 });
    expect(out.keptFraction as number).toBeGreaterThan(0.45);
    expect(out.keptFraction as number).toBeLessThan(0.55);
    expect('compares' in ag(out)).toBe(false);
    expect(out).not.toHaveProperty('comparesPerSample');
    expect(json(evals.random)).toMatchObject({ accuracy: out.testAccuracy, n: 18 });
  });

  it('adaptive (text): the knob with its defaults in the header, kept per epoch, the comparisons in the summary; the saved model evaluates the same', () => {
    const t = train.adaptive;
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('tanh adaptive (S_min 0.1, S_max 0.8, Z 0.5), lr 0.02');
    expect(t.stdout).toMatch(/epoch 2: .* kept \d+\.\d\d%/);
    expect(t.stdout).toMatch(/\nselection\s+\d+ comparisons per sample/);
    expect(t.stdout).toMatch(/\nkept gradients\s+\d+\.\d\d% of hidden units/);
    const trained = /test accuracy\s+([\d.]+)%/.exec(t.stdout)![1];
    const e = evals.adaptive;
    expect(e.code, e.stderr).toBe(0);
    expect((100 * (json(e).accuracy as number)).toFixed(2)).toBe(trained);
  });

  it('adaptive --json: the default knob (TinyProp\'s authors\' MNIST example) and the comparisons', () => {
    const out = json(train.adaptiveJson);
    expect(out.config).toMatchObject({ algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.9, damping: 0.5 } });
    expect(ag(out).compares).toBeGreaterThan(0);
    const kept = out.keptFraction as number;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1);
  });

  it('bp and pgaf report no comparisons and no knob (their --json as before)', () => {
    for (const r of [train.iris, train.images]) {
      const out = json(r);
      expect('compares' in ag(out)).toBe(false);
      expect(out.config).not.toHaveProperty('sparsity');
      expect(out).not.toHaveProperty('comparesPerSample');
    }
    expect(train.xor.stdout).not.toContain('selection');
  });
});

describe('bad options exit 2, naming the option', () => {
  it.each([
    ['netNonsense', '--net: expected one of cnn, resnet, plain or a FILE.json'],
    ['epochs0', '--epochs: expected an integer in 1..100000, got "0"'],
    ['shape2x2', '--input-shape: expected CxHxW'],
    ['shapeProduct', '--input-shape: 1x4x8 holds 32 values, but'],
    ['cnnFlat', '--net: cnn does not fit the input shape 1×1×64'],
    ['cnnShape', '--input-shape: 1×2×32 does not suit --net cnn'],
    ['algorithm', '--algorithm: expected one of bp, pgaf'],
    ['lrZero', '--lr: expected a positive rate'],
    ['lrTiny', '--lr: 1e-7 rounds to 0'],
    ['decayToZero', '--decay: 1000 makes the learning rate'],
    ['weightsOnTrain', '--weights: only applies to spintrain deep eval'],
    ['noSubcommand', 'subcommand: expected one of train, eval'],
    ['badSubcommand', 'subcommand: expected one of train, eval, got "fit"'],
    ['twice', '--epochs: given more than once'],
    ['unknownDataset', '--dataset: '],
    ['shiftFlat', '--shift: shifts images, and the input 1×1×4 is not one'],
    ['shiftLarge', '--shift: expected an integer in 0..7, got "8"'],
    ['keepMissing', '--keep: required for --algorithm topk: the kept fraction'],
    ['keepMissingRandom', '--keep: required for --algorithm random: the keep probability'],
    ['keepZero', '--keep: expected the kept fraction of each hidden node\'s units, a number in (0, 1], got "0"'],
    ['keepOver', '--keep: expected the keep probability of each hidden unit, a number in (0, 1], got "1.5"'],
    ['keepText', '--keep: expected the kept fraction of each hidden node\'s units, a number in (0, 1], got "half"'],
    ['keepTiny', '--keep: 0.00001 rounds to 0 in Q16'],
    ['keepForBp', '--keep: only applies to --algorithm topk or random; the algorithm is bp'],
    ['keepForAdaptive', '--keep: only applies to --algorithm topk or random; the algorithm is adaptive (adaptive takes --keep-min, --keep-max, --damping)'],
    ['keepMinForTopk', '--keep-min: only applies to --algorithm adaptive; the algorithm is topk (topk takes --keep)'],
    ['dampingForPgaf', '--damping: only applies to --algorithm adaptive; the algorithm is pgaf'],
    ['keepMaxBelowMin', '--keep-max: S_max must be at least S_min: --keep-max 0.5 is below --keep-min 0.6'],
    ['keepMinAboveDefault', '--keep-min: S_max must be at least S_min: --keep-max 0.9 (the default) is below --keep-min 0.95'],
    ['keepMaxOver', '--keep-max: expected S_max, a number in [0, 1], got "2"'],
    ['dampingZero', '--damping: expected the damping Z, a number in (0, 1], got "0"'],
    ['keepOnEval', '--keep: only applies to spintrain deep train'],
  ] as const)('%s', (name, message) => {
    const r = train[name];
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`spintrain deep: ${message}`);
    expect(r.stderr).toContain('see: spintrain deep --help');
    noStack(r);
  });

  it('the cnn on a flat 1×1×F input points to --input-shape', () => {
    expect(train.cnnFlat.stderr).toContain('--input-shape CxHxW (e.g. 1x8x8 for 64 features)');
    expect(existsSync(at('flat.stw'))).toBe(false);
  });

  it('eval: --weights is required; a train option is refused; data of another width is refused', () => {
    expect(evals.quietOnEval.code).toBe(2);
    expect(evals.quietOnEval.stderr).toContain('--quiet: only applies to spintrain deep train');
    expect(evals.noWeights.code).toBe(2);
    expect(evals.noWeights.stderr).toContain('--weights: required');
    expect(evals.wrongData.code).toBe(2);
    expect(evals.wrongData.stderr).toContain('--dataset: ');
    expect(evals.wrongData.stderr).toContain('has 64 features; the model');
  });
});

describe('bad files exit 1, naming the file', () => {
  it.each([
    ['missing', 'missing.stw: file: no such file'],
    ['corrupt', 'corrupt.stw: checksum: '],
    ['text', 'text.stw: magic: '],
    ['dense', "dense.stw: meta.deep: missing: not a deep network's weights"],
  ] as const)('deep eval --weights: %s', (name, message) => {
    const r = evals[name];
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`spintrain deep: ${join(dir, message)}`);
    expect(r.stderr).not.toContain('see: spintrain deep --help');
    noStack(r);
  });

  it('spintrain eval refuses a deep network\'s file, pointing to spintrain deep eval', () => {
    const r = evals.denseEvalOfDeep;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${at('iris.stw')}: meta.deep: a deep network's weights`);
    expect(r.stderr).toContain('spintrain deep eval');
  });

  it.each([
    ['netMissing', 'missing.json: file: no such file'],
    ['netBadField', 'bad-net.json: nodes[1].kernel: '],
    ['netOutputs', 'net.json: nodes[1]: the output node has 2 units, but iris has 3 classes'],
  ] as const)('deep train --net FILE: %s', (name, message) => {
    const r = train[name];
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`spintrain deep: ${join(dir, message)}`);
    noStack(r);
  });
});

describe('nothing half written', () => {
  it('--save into a missing directory is refused before training, naming the file; nothing is created', () => {
    const r = train.saveNoDir;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${at('no-such-dir/w.stw')}: cannot write: the directory`);
    expect(r.stdout).not.toContain('epoch 1');
    expect(existsSync(at('no-such-dir'))).toBe(false);
  });

  it('a save that fails at the end (a directory in the way) leaves no temporary file', () => {
    const r = train.saveOnDir;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${at('a-directory')}: cannot write`);
    noStack(r);
    expect(readdirSync(at('a-directory'))).toEqual([]);
  });

  it('a run that fails keeps the file --save names as it was; the saves leave no temporary files', () => {
    expect(readFileSync(at('kept.stw'), 'utf8')).toBe('an older file, kept as it is');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('help', () => {
  it('states the defaults and is listed among the commands', () => {
    expect(evals.help.code).toBe(0);
    expect(evals.help.stdout).toContain('bp: --lr 0.02 on every weight node; pgaf: --lr 0.005');
    expect(evals.help.stdout).toContain('--lr-out 4×lr --lr-gamma 0.5');
    expect(evals.help.stdout).toContain('--decay 0.3');
    expect(evals.help.stdout).toContain('--epochs 10');
    expect(evals.help.stdout).toContain('--activation tanh');
    expect(evals.help.stdout).toContain('--algorithm A');
    expect(evals.help.stdout).toContain('--keep F');
    expect(evals.help.stdout).toContain('--keep-min S --keep-max S');
    expect(evals.help.stdout).toContain('--damping Z');
    expect(evals.help.stdout).toMatch(/adaptive: --keep-min 0\.1\s+--keep-max 0\.9 --damping 0\.5/);
    expect(evals.topHelp.stdout).toMatch(/commands: .*\bdeep\b/);
  });
});
