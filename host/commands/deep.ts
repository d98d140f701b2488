/**
 * `spintrain deep train|eval`: deep networks in the deep module (build/spintrain.deep.wasm; DeepEngine): conv,
 * pooling and dense nodes with identity skips, trained with bp or p-GAF-BP, or one of the sparse-backprop
 * baselines topk (meProp), random and adaptive (TinyProp) with its knob (--keep; --keep-min, --keep-max, --damping).
 *
 *   train  --net cnn|resnet|plain (host/engine/deep-presets.ts) or a JSON file of nodes (host/engine/deep-net-file.ts)
 *          on --dataset (any data set spintrain train takes) shaped --input-shape CxHxW; an epoch loop
 *          (host/train/deep-trainer.ts) with the test accuracy per epoch, the counters and an energy estimate;
 *          --save writes the network and its weights (host/engine/deep-saved-model.ts), atomically.
 *   eval   a saved deep network's accuracy and confusion matrix on the test part of --dataset (the part train
 *          tested on with the model's seed), through the model's own input transform, as spintrain eval.
 *
 * Every option is checked before a file is read (CliError naming it, exit 2), but for what needs the data: that
 * --input-shape holds its features and that a preset fits the shape (still exit 2, naming --input-shape or --net).
 * A bad net file, data file or weights file is named with its field (exit 1). Defaults: host/commands/deep-defaults.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DATASET_NAMES, type Dataset } from '../data/index.ts';
import { datasetInputTransform } from '../data/input-transform.ts';
import { encodeReflection, reflectedCount } from '../data/feature-reflection.ts';
import { NetFileError } from '../io/errors.ts';
import { FileWriteError } from '../io/write-error.ts';
import { ACTIVATIONS, ConfigError } from '../engine/config.ts';
import { DEEP_ALGORITHMS, sparsityQ16, type DeepAlgorithm, type DeepConfig, type DeepNode, type DeepSparsity } from '../engine/deep-config.ts';
import { DeepEngine } from '../engine/deep-engine.ts';
import { readDeepNetFile } from '../engine/deep-net-file.ts';
import { DEEP_PRESETS, presetNodes, withRates, type DeepPreset } from '../engine/deep-presets.ts';
import { deepPredict, loadDeepModel, saveDeepModel } from '../engine/deep-saved-model.ts';
import { MAX_IMAGE_SHIFT } from '../data/image-shift.ts';
import { trainDeep, type DeepEpochReport, type DeepTrainResult } from '../train/deep-trainer.ts';
import { CliError, choiceOption, numberOption } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { checkDecayedRates, checkRepresentable, fixedOption } from './fixed-point-options.ts';
import { loadDatasetOption } from './dataset-option.ts';
import { LABEL_COLUMN_USAGE, labelColumnOption } from './label-column-option.ts';
import { NORMALIZE_USAGE, normalizeOption } from './normalize-option.ts';
import { classNamesFromMeta, classNamesMeta } from './class-names.ts';
import { evalInputs, printEvalResult, type EvalResult } from './eval.ts';
import { DEEP_DEFAULTS, DEEP_DEFAULTS_USAGE, defaultInputShape } from './deep-defaults.ts';

export const DEEP_USAGE = `spintrain deep train [options]      train a deep network (conv, pooling, dense, identity skips) in the deep module
spintrain deep eval --weights FILE [--dataset D] [--json]
train:
  --net cnn|resnet|plain|FILE.json   a named network or a JSON file of nodes (default ${DEEP_DEFAULTS.net}):
                             cnn     conv 5×5×8, max pool 2, conv 5×5×16, max pool 2, dense 64, dense classes
                                     (3×3 kernels with padding 1 for inputs under 16 pixels high; needs a C×H×W shape)
                             resnet  dense 64, 4 residual blocks x + W₂f(W₁x) of width 64, dense classes (10 weight layers)
                             plain   resnet without the skips
                             FILE.json  {"input": [C, H, W] (optional), "nodes": [...]} or the array of nodes, e.g.
                                     [{"kind": "conv", "channels": 8, "kernel": 3, "pad": 1}, {"kind": "maxpool", "size": 2},
                                      {"kind": "dense", "units": 32}, {"kind": "dense", "units": 10}]
                                     (kinds conv, dense, maxpool, avgpool; "skip": an earlier node, "linear": true);
                                     the last node has one unit per class
  --dataset D                mnist|iris|xor|<images.idx>,<labels.idx>[,…]|<file.csv>[,<test.csv>], as spintrain train
                             (default ${DEEP_DEFAULTS.dataset})
${LABEL_COLUMN_USAGE}
  --input-shape CxHxW        how the features form an image (e.g. 1x8x8 for 64 features; the product is the feature
                             count); default 1x28x28 for mnist, 1x1xF for other data of F features (dense nets take any
                             shape; a cnn needs an image)
  --algorithm A              bp (exact backprop), pgaf (p-GAF-BP, K = 1), or a sparse-backprop baseline: topk (meProp:
                             each hidden node keeps the ⌈F·n⌉ of its n units of largest |δ|), random (each hidden unit
                             kept with probability p, its δ scaled by 1/p) or adaptive (TinyProp: each hidden node keeps
                             k = ⌊n·(S_min + (Y/Y_max)·(S_max − S_min))·Z^λ⌋ of largest |δ|, Y = Σ|δ| this step, Y_max
                             its largest so far, λ the weight nodes above it)
  --keep F                   topk: the kept fraction, 0 < F ≤ 1; random: the keep probability, 0 < F ≤ 1 (required for both)
  --keep-min S --keep-max S  adaptive: S_min and S_max, 0 ≤ S_min ≤ S_max ≤ 1
  --damping Z                adaptive: Z, 0 < Z ≤ 1 (each weight node between a node and the output multiplies its ratio by Z)
  --activation tanh|sigmoid|relu
  --epochs N                 --seed S    (the weights, the p-GAF and random draws and the order of each epoch)
  --lr X                     learning rate of every weight node    --lr-out X   the output node's own rate
  --lr-gamma G               0 < G ≤ 1: the top hidden weight node at --lr, each weight node below at G times the one
                             above (stacked p-GAF masks multiply a step's noise; 1 = every node at --lr)
  --decay D                  lr(epoch) = lr / (1 + D·epoch)
  --shift S                  each epoch, move every training image by a random (dy, dx) in −S..S pixels (0..${MAX_IMAGE_SHIFT};
                             zeros shifted in; the test images are never shifted; needs an image shape)
  --train-limit N --test-limit N   use the first N samples
${NORMALIZE_USAGE}
  --save FILE                the network and its weights (spintrain weights file, written atomically)
  --json                     one JSON object on stdout (testAccuracy, perEpoch, ops, energy, config, …; topk and adaptive:
                             ops.activationGradient.compares, the selection's comparisons)
  --quiet                    no epoch lines or summary
${DEEP_DEFAULTS_USAGE}
eval:
  --weights FILE             a weights file written by spintrain deep train --save
  --dataset D                as for train; evaluated on its test part (the test file(s) when given, else the split
                             train makes with the model's seed); default: the model's data set when it is built in
  --label-column NAME|INDEX  CSV: as for train
  --test-limit N             the first N test samples
  --json                     one JSON object: accuracy, n, classNames, confusion (rows: true class, columns: predicted)`;

export const DEEP_OPTIONS = {
  net: { type: 'string' },
  dataset: { type: 'string' },
  'label-column': { type: 'string' },
  'input-shape': { type: 'string' },
  algorithm: { type: 'string' },
  keep: { type: 'string' },
  'keep-min': { type: 'string' },
  'keep-max': { type: 'string' },
  damping: { type: 'string' },
  activation: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  lr: { type: 'string' },
  'lr-out': { type: 'string' },
  'lr-gamma': { type: 'string' },
  decay: { type: 'string' },
  shift: { type: 'string' },
  'train-limit': { type: 'string' },
  'test-limit': { type: 'string' },
  normalize: { type: 'string' },
  save: { type: 'string' },
  weights: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

const SUBCOMMANDS = ['train', 'eval'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** Options of one subcommand only (both take --dataset, --label-column, --test-limit and --json). */
const ONLY: Record<string, Sub> = {
  net: 'train', 'input-shape': 'train', algorithm: 'train', keep: 'train', 'keep-min': 'train', 'keep-max': 'train', damping: 'train', activation: 'train', epochs: 'train', seed: 'train', lr: 'train', 'lr-out': 'train', 'lr-gamma': 'train',
  decay: 'train', shift: 'train', 'train-limit': 'train', normalize: 'train', save: 'train', quiet: 'train', weights: 'eval',
};

/** --net: a preset, or a JSON file (read later). */
type NetSpec = { kind: 'preset'; preset: DeepPreset } | { kind: 'file'; file: string };

interface DeepTrainJob {
  net: NetSpec;
  dataset: string;
  labelColumn?: ReturnType<typeof labelColumnOption>;
  inputShape?: [number, number, number];
  algorithm: DeepAlgorithm;
  /** The knob of topk, random and adaptive (DeepConfig.sparsity); undefined for bp and pgaf. */
  sparsity?: DeepSparsity;
  activation: DeepConfig['activation'];
  epochs: number;
  seed: number;
  lr: number;
  lrOut?: number;
  lrGamma: number;
  decay: number;
  shift: number;
  trainLimit?: number;
  testLimit?: number;
  normalize?: string;
  save?: string;
  json: boolean;
  quiet: boolean;
}

interface DeepEvalJob {
  weights: string;
  dataset?: string;
  labelColumn?: ReturnType<typeof labelColumnOption>;
  testLimit?: number;
  json: boolean;
}

/** --input-shape CxHxW: three positive integers (x, X or ×). */
export function inputShapeOption(raw: string): [number, number, number] {
  const parts = raw.trim().split(/\s*[xX×]\s*/);
  const dims = parts.map(Number);
  if (parts.length !== 3 || dims.some((d, i) => parts[i] === '' || !Number.isInteger(d) || d < 1 || d > 1 << 24)) {
    throw new CliError('--input-shape', `expected CxHxW, three positive integers such as 1x8x8 (channels, height, width), got "${raw}"`);
  }
  return dims as [number, number, number];
}

/** --net: a preset name, or a path ending in .json. */
function netOption(raw: string | undefined): NetSpec {
  if (raw === undefined) return { kind: 'preset', preset: DEEP_DEFAULTS.net };
  if ((DEEP_PRESETS as readonly string[]).includes(raw)) return { kind: 'preset', preset: raw as DeepPreset };
  if (/\.json$/i.test(raw.trim()) && raw.trim() !== '.json') return { kind: 'file', file: raw };
  throw new CliError('--net', `expected one of ${DEEP_PRESETS.join(', ')} or a FILE.json of nodes, got "${raw}"`);
}

/** A learning rate: positive, representable in Q16 (the engine's format). */
function rateOption(option: string, raw: string | undefined, fallback: number): number {
  const v = numberOption(option, raw, fallback, 0, 1000);
  if (v === 0) throw new CliError(option, 'expected a positive rate, got 0');
  return raw === undefined ? v : checkRepresentable(option, v, 16, raw, false);
}

/** The knob options, and the algorithms that take each. */
const KNOB_OPTIONS = { keep: ['topk', 'random'], 'keep-min': ['adaptive'], 'keep-max': ['adaptive'], damping: ['adaptive'] } as const satisfies Record<string, readonly DeepAlgorithm[]>;

/** A knob option's fraction (dimensionless) in [0, 1], or (0, 1] unless zeroAllowed; one that rounds to 0 in Q16 refused. */
function fractionOption(option: string, raw: string, what: string, zeroAllowed: boolean): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1 || (!zeroAllowed && v === 0)) {
    throw new CliError(option, `expected ${what}, a number in ${zeroAllowed ? '[0, 1]' : '(0, 1]'}, got "${raw}"`);
  }
  return checkRepresentable(option, v, 16, raw, zeroAllowed);
}

/**
 * The sparsity knob of --algorithm from --keep (topk, random) or --keep-min, --keep-max, --damping (adaptive; each
 * defaults to DEEP_DEFAULTS.adaptive); a knob option given to an algorithm that does not take it is refused.
 */
function sparsityOption(algorithm: DeepAlgorithm, values: Partial<Record<keyof typeof KNOB_OPTIONS, string>>): DeepSparsity | undefined {
  for (const [o, takes] of Object.entries(KNOB_OPTIONS) as [keyof typeof KNOB_OPTIONS, readonly DeepAlgorithm[]][]) {
    if (values[o] !== undefined && !takes.includes(algorithm)) {
      const hint = algorithm === 'adaptive' ? ' (adaptive takes --keep-min, --keep-max, --damping)' : algorithm === 'topk' || algorithm === 'random' ? ` (${algorithm} takes --keep)` : '';
      throw new CliError(`--${o}`, `only applies to --algorithm ${takes.join(' or ')}; the algorithm is ${algorithm}${hint}`);
    }
  }
  let knob: DeepSparsity | undefined;
  if (algorithm === 'topk' || algorithm === 'random') {
    const what = algorithm === 'topk' ? "the kept fraction of each hidden node's units" : 'the keep probability of each hidden unit';
    if (values.keep === undefined) throw new CliError('--keep', `required for --algorithm ${algorithm}: ${what}, 0 < F ≤ 1 (e.g. --keep 0.1)`);
    knob = fractionOption('--keep', values.keep, what, false);
  } else if (algorithm === 'adaptive') {
    const d = DEEP_DEFAULTS.adaptive;
    const minRatio = values['keep-min'] === undefined ? d.minRatio : fractionOption('--keep-min', values['keep-min'], 'S_min', true);
    const maxRatio = values['keep-max'] === undefined ? d.maxRatio : fractionOption('--keep-max', values['keep-max'], 'S_max', true);
    if (maxRatio < minRatio) {
      const named = values['keep-max'] !== undefined ? '--keep-max' : '--keep-min';
      const given = (o: 'keep-min' | 'keep-max', v: number): string => `--${o} ${v}${values[o] === undefined ? ' (the default)' : ''}`;
      throw new CliError(named, `S_max must be at least S_min: ${given('keep-max', maxRatio)} is below ${given('keep-min', minRatio)}`);
    }
    const damping = values.damping === undefined ? d.damping : fractionOption('--damping', values.damping, 'the damping Z', false);
    knob = { minRatio, maxRatio, damping };
  }
  // the module's own conversion (a topk fraction is taken down to Q16): anything it still refuses, named by option
  try {
    sparsityQ16({ algorithm, sparsity: knob });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const option = { sparsity: '--keep', 'sparsity.minRatio': '--keep-min', 'sparsity.maxRatio': '--keep-max', 'sparsity.damping': '--damping' }[e.field] ?? '--algorithm';
    throw new CliError(option, e.message.slice(e.field.length + 2));
  }
  return knob;
}

/** Parses and checks every option (CliError naming it, exit 2); reads no file. */
export function parseDeepArgs(argv: string[]): { sub: 'train'; job: DeepTrainJob } | { sub: 'eval'; job: DeepEvalJob } {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub.startsWith('-')) throw new CliError('subcommand', `expected one of ${SUBCOMMANDS.join(', ')} (spintrain deep train --net cnn --dataset mnist)`);
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new CliError('subcommand', `expected one of ${SUBCOMMANDS.join(', ')}, got "${sub}"`);
  const s = sub as Sub;
  const { values } = parseOptions(rest, DEEP_OPTIONS);
  for (const [o, only] of Object.entries(ONLY)) {
    if ((values as Record<string, unknown>)[o] !== undefined && only !== s) throw new CliError(`--${o}`, `only applies to spintrain deep ${only}`);
  }
  const limit = (o: 'train-limit' | 'test-limit'): number | undefined => (values[o] === undefined ? undefined : numberOption(`--${o}`, values[o], 0, 1, 1e9, true));
  if (values.dataset !== undefined && values.dataset.trim() === '') throw new CliError('--dataset', 'expected a data set, got ""');
  const json = values.json ?? false;
  if (s === 'eval') {
    const weights = pathOption('--weights', values.weights);
    if (!weights) throw new CliError('--weights', 'required: the weights file spintrain deep train --save wrote');
    return { sub: s, job: { weights, dataset: values.dataset, labelColumn: values['label-column'] === undefined ? undefined : labelColumnOption(values['label-column'], values.dataset ?? ''), testLimit: limit('test-limit'), json } };
  }
  const dataset = values.dataset ?? DEEP_DEFAULTS.dataset;
  const algorithm = choiceOption('--algorithm', values.algorithm, DEEP_ALGORITHMS, DEEP_DEFAULTS.algorithm);
  const sparsity = sparsityOption(algorithm, values);
  const epochs = numberOption('--epochs', values.epochs, DEEP_DEFAULTS.epochs, 1, 100000, true);
  const lr = rateOption('--lr', values.lr, DEEP_DEFAULTS.learningRate[algorithm]);
  const outFactor = DEEP_DEFAULTS.learningRateOutFactor[algorithm];
  const lrOut = values['lr-out'] === undefined ? (outFactor === 1 ? undefined : lr * outFactor) : rateOption('--lr-out', values['lr-out'], lr);
  const lrGamma = fixedOption('--lr-gamma', values['lr-gamma'], DEEP_DEFAULTS.lrGamma[algorithm], 0.0001, 1, 16);
  const decay = fixedOption('--decay', values.decay, DEEP_DEFAULTS.decay, 0, 1000, 16);
  checkDecayedRates(lrOut === undefined ? [lr] : [lr, lrOut], decay, epochs - 1);
  return {
    sub: s,
    job: {
      net: netOption(values.net),
      dataset,
      labelColumn: labelColumnOption(values['label-column'], dataset),
      inputShape: values['input-shape'] === undefined ? undefined : inputShapeOption(values['input-shape']),
      algorithm,
      ...(sparsity === undefined ? {} : { sparsity }),
      activation: choiceOption('--activation', values.activation, ACTIVATIONS, DEEP_DEFAULTS.activation),
      epochs,
      seed: numberOption('--seed', values.seed, DEEP_DEFAULTS.seed, 0, 0xffffffff, true),
      lr,
      lrOut,
      lrGamma,
      decay,
      shift: numberOption('--shift', values.shift, DEEP_DEFAULTS.shift, 0, MAX_IMAGE_SHIFT, true),
      trainLimit: limit('train-limit'),
      testLimit: limit('test-limit'),
      normalize: values.normalize,
      save: pathOption('--save', values.save),
      json,
      quiet: values.quiet ?? false,
    },
  };
}

export async function deepCommand(argv: string[]): Promise<number> {
  const p = parseDeepArgs(argv);
  return p.sub === 'train' ? deepTrain(p.job) : deepEval(p.job);
}

const shapeText = (s: readonly number[]): string => s.join('×');

/** The network of a run: its input shape and nodes, checked against the data (errors name the option or the net file). */
function networkOf(job: DeepTrainJob, d: Dataset): { input: [number, number, number]; nodes: DeepNode[] } {
  const netFile = job.net.kind === 'file' ? job.net.file : undefined;
  const file = netFile === undefined ? undefined : readDeepNetFile(netFile);
  const values = (s: readonly number[]): number => s[0] * s[1] * s[2];
  let input: [number, number, number];
  if (job.inputShape) {
    input = job.inputShape;
    if (values(input) !== d.inputs) throw new CliError('--input-shape', `${input.join('x')} holds ${values(input)} values, but ${job.dataset} has ${d.inputs} features per sample`);
    if (file?.input && file.input.join('x') !== input.join('x')) throw new CliError('--input-shape', `${input.join('x')} differs from the input ${shapeText(file.input)} of ${netFile}; give one of them`);
  } else if (file?.input) {
    input = file.input;
    if (values(input) !== d.inputs) throw new NetFileError(netFile!, 'input', `${shapeText(input)} holds ${values(input)} values, but ${job.dataset} has ${d.inputs} features per sample`);
  } else input = defaultInputShape(job.dataset, d.inputs);
  if (job.shift > 0 && (input[1] < 2 || input[2] < 2))
    throw new CliError('--shift', `shifts images, and the input ${shapeText(input)} is not one: give the images' shape with --input-shape CxHxW (e.g. 1x8x8 for 64 features), or leave --shift out`);
  const nodes = file ? file.nodes.map((n) => ({ ...n })) : presetNodes((job.net as { preset: DeepPreset }).preset, input, d.classes);
  return { input, nodes: withRates(nodes, job.lr, job.lrOut, job.lrGamma) };
}

/** The engine of a run; a network that does not fit its input is refused naming --net/--input-shape or the net file's field. */
function buildEngine(job: DeepTrainJob, config: DeepConfig, d: Dataset): DeepEngine {
  let engine: DeepEngine;
  try {
    engine = new DeepEngine(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (job.net.kind === 'file') throw new NetFileError(job.net.file, e.field, e.message.slice(e.field.length + 2));
    const given = job.inputShape !== undefined;
    const at = /^nodes\[(\d+)\]/.exec(e.field);
    const node = at ? config.nodes[Number(at[1])] : undefined;
    const where = node ? `${e.field} (${Object.entries(node).map(([k, v]) => (k === 'kind' ? v : `${k} ${v}`)).join(', ')})${e.message.slice(e.field.length + 1)}` : e.message;
    throw new CliError(
      given ? '--input-shape' : '--net',
      given
        ? `${shapeText(config.input)} does not suit --net ${job.net.preset}: ${where}; give the data's image shape, or a dense net (--net resnet or plain)`
        : `${job.net.preset} does not fit the input shape ${shapeText(config.input)} (the default for ${job.dataset}): ${where}; give the images' shape with --input-shape CxHxW (e.g. 1x8x8 for 64 features), or a dense net (--net resnet or plain)`,
    );
  }
  const out = engine.units[engine.units.length - 1];
  if (out !== d.classes) {
    const why = `the output node has ${out} units, but ${job.dataset} has ${d.classes} classes (one output unit per class)`;
    if (job.net.kind === 'file') throw new NetFileError(job.net.file, `nodes[${config.nodes.length - 1}]`, why);
    throw new Error(`--net ${job.net.preset}: ${why}`);
  }
  return engine;
}

/** Refuses a --save whose directory is missing before training (the write itself is atomic). */
function checkSaveDirectory(save: string): void {
  const dir = dirname(save);
  if (!existsSync(dir)) throw new FileWriteError(save, `the directory ${dir} does not exist; nothing was trained or written`);
  if (!statSync(dir).isDirectory()) throw new FileWriteError(save, `${dir} is not a directory; nothing was trained or written`);
}

async function deepTrain(job: DeepTrainJob): Promise<number> {
  const log = (s: string): void => {
    if (!job.json && !job.quiet) process.stdout.write(s + '\n');
  };
  if (job.save) checkSaveDirectory(job.save);
  const loaded = loadDatasetOption(job.dataset, { seed: job.seed, trainLimit: job.trainLimit, testLimit: job.testLimit, labelColumn: job.labelColumn });
  const { dataset, reflection } = normalizeOption(job.normalize, job.dataset, loaded, false);
  const { input, nodes } = networkOf(job, dataset);
  const config: DeepConfig = { input, nodes, activation: job.activation, algorithm: job.algorithm, ...(job.sparsity === undefined ? {} : { sparsity: job.sparsity }), pairs: 1, reluSampled: false, learningRate: job.lr, decay: job.decay, seed: job.seed };
  const engine = buildEngine(job, config, dataset);
  const netName = job.net.kind === 'preset' ? job.net.preset : job.net.file;
  log(`spintrain deep: ${dataset.name} ${shapeText(input)}, ${netName} (${engine.units.join('-')} units, ${engine.weightNodes.length} weight nodes), ${job.activation} ${job.algorithm}${knobText(job.sparsity)}, lr ${job.lr}${job.lrOut !== undefined ? ` (output ${job.lrOut})` : ''}${job.lrGamma !== 1 ? `, ×${job.lrGamma} per node below the top hidden one` : ''}, decay ${job.decay}${job.shift > 0 ? `, training images shifted ±${job.shift} px` : ''}, ${job.epochs} epochs, seed ${job.seed}`);
  if (reflection) log(`inputs: ${reflectedCount(reflection)} of ${dataset.inputs} features reflected (x → 255 − x, fitted on the train split; --normalize none to switch off)`);
  const pct = (x: number): string => (100 * x).toFixed(2) + '%';
  const result = trainDeep(engine, dataset, {
    epochs: job.epochs,
    shift: job.shift,
    onEpoch: (r: DeepEpochReport) =>
      log(`  epoch ${r.epoch + 1}: loss ${r.trainLoss.toFixed(3)}  train ${pct(r.trainAccuracy)}  test ${pct(r.testAccuracy)}  ${r.seconds.toFixed(1)} s  kept ${job.algorithm === 'bp' ? '-' : pct(r.keptFraction)}`),
  });
  if (job.save) {
    await saveDeepModel(job.save, engine, { epoch: job.epochs - 1, testAccuracy: result.testAccuracy, dataset: dataset.name, ...classNamesMeta(dataset) }, datasetInputTransform(dataset, reflection));
    log(`weights saved to ${job.save}`);
  }
  const summary = trainSummary(job, config, engine, dataset, result, netName);
  if (reflection) summary.reflectedInputs = encodeReflection(reflection);
  if (job.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else if (!job.quiet) {
    const e = result.energy;
    const compares = result.ops.activationGradient.compares;
    process.stdout.write(
      [
        '',
        `test accuracy     ${pct(result.testAccuracy)}   (train ${pct(result.trainAccuracy)}, ${job.epochs} epochs, ${result.samples} samples)`,
        `training speed    ${(result.samples / Math.max(result.trainSeconds, 1e-9)).toFixed(0)} samples/s (${result.trainSeconds.toFixed(1)} s)`,
        `memory plan       ${result.planBytes} bytes`,
        `ops per sample    ${result.forwardOpsPerSample.toFixed(0)} forward, ${result.backwardOpsPerSample.toFixed(0)} backward multiplies+adds`,
        `kept gradients    ${job.algorithm === 'bp' ? '-' : pct(result.keptFraction)} of hidden units`,
        ...(compares === undefined ? [] : [`selection         ${(compares / result.samples).toFixed(0)} comparisons per sample (choosing the kept units; among the backward adds above)`]),
        `energy (est.)     ${(e.total / 1000).toFixed(1)} nJ per training sample (forward ${(e.forward / 1000).toFixed(1)}, backward ${(e.backward / 1000).toFixed(1)}; Horowitz 45 nm + MTJ draws)`,
      ].join('\n') + '\n',
    );
  }
  return 0;
}

/** The knob in the run's header line, e.g. " (keep 0.25)", " (S_min 0.1, S_max 0.9, Z 0.5)"; "" without one. */
function knobText(s: DeepSparsity | undefined): string {
  if (s === undefined) return '';
  return typeof s === 'number' ? ` (keep ${s})` : ` (S_min ${s.minRatio}, S_max ${s.maxRatio}, Z ${s.damping})`;
}

function trainSummary(job: DeepTrainJob, config: DeepConfig, engine: DeepEngine, d: Dataset, r: DeepTrainResult, netName: string): Record<string, unknown> {
  const e = r.energy;
  return {
    testAccuracy: r.testAccuracy,
    trainAccuracy: r.trainAccuracy,
    epochs: job.epochs,
    samples: r.samples,
    trainSeconds: r.trainSeconds,
    samplesPerSecond: r.samples / Math.max(r.trainSeconds, 1e-9),
    planBytes: r.planBytes,
    forwardOpsPerSample: r.forwardOpsPerSample,
    backwardOpsPerSample: r.backwardOpsPerSample,
    keptFraction: r.keptFraction,
    ...(r.ops.activationGradient.compares === undefined ? {} : { comparesPerSample: r.ops.activationGradient.compares / r.samples }),
    ops: r.ops,
    energy: { unit: e.unit, forward: e.forward, backward: e.backward, total: e.total },
    perEpoch: r.epochs.map((p) => ({ epoch: p.epoch, trainLoss: p.trainLoss, trainAccuracy: p.trainAccuracy, testAccuracy: p.testAccuracy, seconds: p.seconds, keptFraction: p.keptFraction, backwardOps: p.backwardOps })),
    config: {
      net: netName,
      dataset: d.name,
      input: config.input,
      nodes: config.nodes,
      units: engine.units,
      activation: config.activation,
      algorithm: config.algorithm,
      ...(config.sparsity === undefined ? {} : { sparsity: config.sparsity }),
      learningRate: config.learningRate,
      ...(job.lrOut !== undefined ? { learningRateOut: job.lrOut } : {}),
      decay: config.decay,
      shift: job.shift,
      seed: config.seed,
    },
    ...(job.save ? { saved: job.save } : {}),
  };
}

async function deepEval(job: DeepEvalJob): Promise<number> {
  const model = await loadDeepModel(job.weights);
  const { engine } = model;
  let spec = job.dataset;
  if (spec === undefined) {
    const trained = model.weights.meta?.dataset;
    if (typeof trained === 'string' && (DATASET_NAMES as readonly string[]).includes(trained.toLowerCase())) spec = trained;
    else throw new CliError('--dataset', `required: ${job.weights} was trained on ${typeof trained === 'string' ? `"${trained}", not a built-in data set` : 'a data set it does not name'}; give it (as for spintrain deep train)`);
  }
  const d = loadDatasetOption(spec, { seed: engine.config.seed, testLimit: job.testLimit, labelColumn: job.labelColumn });
  const inputs = engine.units[0];
  const classes = engine.units[engine.units.length - 1];
  if (d.inputs !== inputs) throw new CliError('--dataset', `${spec} has ${d.inputs} features; the model ${job.weights} takes ${inputs} (${shapeText(engine.config.input)})`);
  if (d.classes > classes) throw new CliError('--dataset', `${spec} has ${d.classes} classes; the model ${job.weights} predicts ${classes}`);
  const x = evalInputs(model, d, spec);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let s = 0; s < d.test.n; s++) {
    const p = deepPredict(engine, x.subarray(s * inputs, (s + 1) * inputs));
    const y = d.test.y[s];
    confusion[y][p]++;
    if (p === y) correct++;
  }
  const r: EvalResult = { weights: job.weights, dataset: d.name, n: d.test.n, accuracy: correct / Math.max(1, d.test.n), classNames: classNamesFromMeta(model.weights.meta, d, classes), confusion };
  printEvalResult(r, spec, job.json);
  return 0;
}
