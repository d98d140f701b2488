/**
 * `spintrain train`: trains a network in the fixed-point engine and reports accuracy, time and
 * operations; by default MNIST 784-128-10 with p-GAF-BP, followed by exact bp on the same net
 * for the savings (--compare none to skip).
 */
import { openEvents, type EventWriter } from './events-option.ts';
import { createHash } from 'node:crypto';
import cliProgress from 'cli-progress';
import type { Dataset } from '../data/index.ts';
import { loadDatasetOption } from './dataset-option.ts';
import { train, type EpochReport, type TrainResult } from '../train/trainer.ts';
import { summarise, type TrainSummary } from '../train/train-summary.ts';
import { ACTIVATIONS, DEFAULT_PAIR_STEP, OUTPUTS, TRAINING_ALGORITHMS, defaultNetworkConfig, learningRates, type NetworkConfig, type TrainingAlgorithm } from '../engine/config.ts';
import type { WeightBits } from '../engine/weight-format.ts';
import { simPairDraws } from '../device/sim-pair-draws.ts';
import { Teacher } from '../distill/teacher.ts';
import { trainWithTeacher } from '../distill/distill-train.ts';
import { SpintrainEngine, type Draws } from '../engine/wasm-engine.ts';
import { applyWeightsFile, engineToWeightsFile, loadCheckpoint, saveCheckpoint } from '../engine/checkpoint.ts';
import { checkCheckpointDataset } from '../engine/checkpoint-dataset.ts';
import { CliError, choiceOption, numberListOption, numberOption } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { checkDecayedRates, checkRepresentable, fixedOption } from './fixed-point-options.ts';
import { checkResumeOptions, distillRecordOf } from './resume-options.ts';
import { DEVICE_OPTIONS, DEVICE_USAGE, parseDeviceOption, type DeviceSpec } from './device-option.ts';
import { ACTIVATION_RANGE_USAGE, chooseActivationRange } from './activation-range-option.ts';
import { DEFAULTS_USAGE, datasetKind, defaultLearningRates, trainDefaults } from './train-defaults.ts';
import { LABEL_COLUMN_USAGE, labelColumnOption } from './label-column-option.ts';
import { fixedDrawsSession, openDeviceSession, type DeviceSession, type PortConnector } from '../train/device-session.ts';
import { writeTrainRun } from '../report/train-run-record.ts';
import { NORMALIZE_USAGE, checkResumeInputTransform, normalizeOption } from './normalize-option.ts';
import { savedInputTransform } from '../engine/saved-model.ts';
import { datasetInputTransform } from '../data/input-transform.ts';
import { encodeReflection, reflectedCount, type Reflection } from '../data/feature-reflection.ts';
import { ValidationSplitError, holdOutValidation } from '../data/validation-split.ts';
import type { Split } from '../data/dataset.ts';
import { classNamesMeta } from './class-names.ts';
import { DEFAULT_KEPT_FLOOR, KeptFractionControl, keptControlMeta, keptControlOf, keptControlSteps, type KeptControlState } from '../train/kept-fraction-control.ts';
import { keptFractionWarning, lowKeptFractions } from '../train/kept-fraction.ts';

export const TRAIN_USAGE = `spintrain train [options]
  --dataset mnist|iris|xor|<images.idx>,<labels.idx>[,<test-images.idx>,<test-labels.idx>]|<file.csv>[,<test.csv>]
                             (default mnist; .csv/.csv.gz names CSV; without test files a seeded 80/20 split)
${LABEL_COLUMN_USAGE}
  --hidden 128[,64...]       hidden widths, 1 to 4 layers (default by kind, below)
  --activation sigmoid|tanh|relu   (default sigmoid)   --output softmax|sigmoid (default softmax)
  --algo bp|pgaf|pair        (default pgaf; pair: MTJ-pair finite differences, simulated pairs)
  --relu-sampled             pgaf ReLU draws Bernoulli(σ(z))   --pair-step DZ   pair: ΔI in pre-activation units (default 0.1)
  --trainable-activation     a = f(k(z + c)) with k, c trained per hidden neuron (bp, pgaf)
${ACTIVATION_RANGE_USAGE}
  --teacher FILE             distil from a teacher's weights file: soft targets at --temperature T (default 2),
                             weight --alpha A (default 0.9) on the soft part
  --epochs N                 (default by kind, below)  --seed S          (default 1)
  --lr X[,X...]              learning rate, one per weight layer or one for all (default by kind, below)
  --decay D                  lr(epoch) = lr / (1 + D·epoch) (default by kind, below)   --momentum M (default 0)
  --p-floor E                pgaf: draw with p clamped to [E, 1−E]; bp: f′ ≥ E(1−E) (default 0)
  --delta-clip C             clamp every hidden δ to [−C, C], both algorithms (default 0 = off)
  --draw-pairs K             pgaf: K independent draw pairs per neuron, δ·(count of (1,0))/K (default 1 = the paper;
                             --pairs K, its old name, still works and says so)
  --weight-bits 32|16|8      bits per stored weight: 32 (i32 Q24), 16 (i16 Q3.12) or 8 (i8 Q1.6), updates rounded
                             stochastically from the draws' generator; a module build each; 16 and 8 need
                             --momentum 0 (default 32)
  --kept-floor F             pgaf, sigmoid/tanh: when a hidden layer keeps < F of its gradients over 1,000 samples,
                             scale its input by 0.9 and halve its rate (rate recovers ×1.25 at ≥ 2F) (default 0.03;
                             0 = off; not with --teacher)
  --compare bp|none          also train exact bp on the same net for the savings (default bp for MNIST pgaf)
  --train-limit N --test-limit N   use the first N samples
  --validation F             hold out a stratified fraction F (0 < F < 1) of the training split, evaluate it after
                             every epoch and keep the best epoch's weights (ties: the earliest) for the test, --save
                             and the report (default off: the last epoch's weights; not with --checkpoint/--resume/--teacher)
  --save FILE                trained weights (spintrain weights file, written atomically)
  --checkpoint FILE          save after every epoch      --resume FILE   continue from a checkpoint
  --json                     one JSON object on stdout
  --quiet                    no progress, epoch lines or summary (warnings and errors still go to stderr)
  --events FILE|-            one JSON object per epoch ({"event":"epoch",...}) to FILE, or to stdout with -
                             (stdout then carries JSON lines only); without a terminal the epoch lines come at
                             most every 2 s when there are more than 50 epochs
  --report DIR               write the run directory (run.json, calibration.json) and DIR/report.html
${DEVICE_USAGE}
${NORMALIZE_USAGE}
${DEFAULTS_USAGE}`;

interface TrainJob {
  dataset: Dataset;
  /** --algo as parsed: config.algorithm is typed for the module's algorithms (bp, pgaf) though it may hold pair. */
  algorithm: TrainingAlgorithm;
  config: NetworkConfig;
  epochs: number;
  compare: 'bp' | 'none';
  save?: string;
  checkpoint?: string;
  resume?: string;
  json: boolean;
  /** --quiet, or --events - (stdout is for JSON lines then). */
  quiet: boolean;
  /** --events: the file, or '-' for stdout. */
  events?: string;
  device: DeviceSpec;
  /** Where config.activationRange came from (--activation-range or the device), when set. */
  activationRangeFrom?: string;
  teacher?: { file: string; temperature: number; alpha: number };
  report?: string;
  /** The options given on the command line (without --), e.g. for checking them against a checkpoint. */
  given: Set<string>;
  /** Inputs reflected (x → 255 − x) by --normalize reflect, fitted on the train split; saved weights take raw inputs. */
  reflection?: Reflection;
  /** --validation F: the part held out of the training split (dataset.train is the rest). */
  validation?: { fraction: number; split: Split };
  /** The kept-fraction control's floor (host/train/kept-fraction-control.ts); 0 = off. */
  keptFloor: number;
}

/** The parseArgs options of `spintrain train` (also accepted by `spintrain power`). */
export const TRAIN_OPTIONS = {
  dataset: { type: 'string' },
  normalize: { type: 'string' },
  'label-column': { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  output: { type: 'string' },
  algo: { type: 'string' },
  'relu-sampled': { type: 'boolean' },
  'pair-step': { type: 'string' },
  'trainable-activation': { type: 'boolean' },
  'activation-range': { type: 'string' },
  teacher: { type: 'string' },
  temperature: { type: 'string' },
  alpha: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  decay: { type: 'string' },
  momentum: { type: 'string' },
  'p-floor': { type: 'string' },
  'delta-clip': { type: 'string' },
  'draw-pairs': { type: 'string' },
  /** The old name of --draw-pairs (RENAMED_TRAIN_OPTIONS). */
  pairs: { type: 'string' },
  'kept-floor': { type: 'string' },
  'weight-bits': { type: 'string' },
  seed: { type: 'string' },
  compare: { type: 'string' },
  'train-limit': { type: 'string' },
  'test-limit': { type: 'string' },
  validation: { type: 'string' },
  save: { type: 'string' },
  checkpoint: { type: 'string' },
  resume: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  events: { type: 'string' },
  report: { type: 'string' },
  ...DEVICE_OPTIONS,
} as const;

/** Options renamed (old → new): the old name still works, with one warning line on stderr. */
export const RENAMED_TRAIN_OPTIONS = { pairs: 'draw-pairs' } as const;

/** `command` names the command in the warning of a renamed option (`spintrain power` parses these options too). */
export function parseTrainArgs(argv: string[], command = 'train'): TrainJob {
  const { values, warnings } = parseOptions(argv, TRAIN_OPTIONS, false, RENAMED_TRAIN_OPTIONS);
  for (const w of warnings) process.stderr.write(`spintrain ${command}: ${w}\n`);
  const given = new Set(Object.keys(values));
  const seed = numberOption('--seed', values.seed, 1, 0, 0xffffffff, true);
  const spec = values.dataset ?? 'mnist';
  const trainLimit = values['train-limit'] === undefined ? undefined : numberOption('--train-limit', values['train-limit'], 0, 1, 1e9, true);
  const testLimit = values['test-limit'] === undefined ? undefined : numberOption('--test-limit', values['test-limit'], 0, 1, 1e9, true);
  const labelColumn = labelColumnOption(values['label-column'], spec);
  const validationFraction = validationOption(values);
  const normalized = normalizeOption(values.normalize, spec, loadDatasetOption(spec, { trainLimit, testLimit, seed, labelColumn }), values.teacher !== undefined);
  const { reflection } = normalized;
  let dataset = normalized.dataset;
  let validation: TrainJob['validation'];
  if (validationFraction !== undefined) {
    try {
      const h = holdOutValidation(dataset, validationFraction, seed);
      dataset = h.dataset;
      validation = { fraction: validationFraction, split: h.validation };
    } catch (e) {
      if (e instanceof ValidationSplitError) throw new CliError('--validation', e.message);
      throw e;
    }
  }
  const kind = datasetKind(spec, dataset);
  const hidden = values.hidden === undefined ? trainDefaults(kind, dataset.train.n).hidden : numberListOption('--hidden', values.hidden, 1, 8192, true);
  const defaults = trainDefaults(kind, dataset.train.n, hidden.length);
  if (hidden.length < 1 || hidden.length > 4) throw new CliError('--hidden', `expected 1 to 4 hidden widths, got ${hidden.length}`);
  const output = choiceOption('--output', values.output, OUTPUTS, 'softmax');
  const algorithm: TrainingAlgorithm = choiceOption('--algo', values.algo, TRAINING_ALGORITHMS, 'pgaf');
  const outputs = output === 'sigmoid' && dataset.classes === 2 ? 1 : dataset.classes;
  const layout = [dataset.inputs, ...hidden, outputs];
  const L = layout.length - 1;
  const pairs = Number(choiceOption('--draw-pairs', values['draw-pairs'], ['1', '2', '4', '8'] as const, '1'));
  let learningRate: number[] = defaultLearningRates(defaults.kind, algorithm, pairs, L, output);
  if (values.lr !== undefined) {
    const lr = numberListOption('--lr', values.lr, 0, 1000).map((x, i) => {
      if (x === 0) throw new CliError(`--lr[${i}]`, 'expected a positive rate, got 0');
      return checkRepresentable(`--lr[${i}]`, x, 16, values.lr!.split(',')[i].trim(), false);
    });
    if (lr.length !== 1 && lr.length !== L) throw new CliError('--lr', `expected 1 or ${L} rates (one per weight layer), got ${lr.length}`);
    learningRate = lr.length === 1 ? new Array<number>(L).fill(lr[0]) : lr;
  }
  const device = parseDeviceOption(values);
  const trainable = values['trainable-activation'] ?? false;
  const activationRange = chooseActivationRange(values['activation-range'], trainable, device);
  const weightBits = Number(choiceOption('--weight-bits', values['weight-bits'], ['32', '16', '8'] as const, '32')) as WeightBits;
  const config = {
    ...defaultNetworkConfig,
    layout,
    activation: choiceOption('--activation', values.activation, ACTIVATIONS, 'sigmoid'),
    output,
    algorithm,
    reluSampled: values['relu-sampled'] ?? false,
    learningRate,
    decay: fixedOption('--decay', values.decay, defaults.decay, 0, 1000, 16),
    momentum: fixedOption('--momentum', values.momentum, 0, 0, 0.999, 16),
    probabilityFloor: fixedOption('--p-floor', values['p-floor'], 0, 0, 0.49, 16),
    deltaClip: fixedOption('--delta-clip', values['delta-clip'], 0, 0, 127, 24),
    pairs,
    seed,
    ...(trainable ? { trainableActivation: true } : {}),
    ...(activationRange ? { activationRange: activationRange.range } : {}),
    ...(algorithm === 'pair' ? { pairStep: numberOption('--pair-step', values['pair-step'], DEFAULT_PAIR_STEP, 2 / 65536, 16) } : {}),
    // 32 stays implicit: a 32-bit run's config (and checkpoint) reads as before
    ...(weightBits !== 32 ? { weightBits } : {}),
  } as NetworkConfig; // pair: NetworkConfig<TrainingAlgorithm>, run by the same trainer
  // Options that only apply with another option are refused without it (never silently ignored).
  if (algorithm !== 'pair' && values['pair-step'] !== undefined) throw new CliError('--pair-step', 'only applies with --algo pair');
  if (weightBits !== 32 && config.momentum !== 0) throw new CliError('--weight-bits', `${weightBits}-bit weights need --momentum 0 (the narrow modules keep no velocities), got --momentum ${config.momentum}`);
  if (values.teacher === undefined) {
    for (const o of ['temperature', 'alpha'] as const) if (values[o] !== undefined) throw new CliError(`--${o}`, 'only applies with --teacher');
  }
  const keptFloor = keptFloorOption(values['kept-floor'], config, values.teacher !== undefined);
  const compareDefault = spec === 'mnist' && algorithm === 'pgaf' ? 'bp' : 'none';
  const epochs = numberOption('--epochs', values.epochs, defaults.epochs, 1, 100000, true);
  if (values.resume === undefined) checkDecayedRates(learningRate, config.decay, epochs - 1); // else on the checkpoint's rates
  return {
    dataset,
    algorithm,
    config,
    epochs,
    compare: choiceOption('--compare', values.compare, ['bp', 'none'] as const, compareDefault),
    save: pathOption('--save', values.save),
    checkpoint: pathOption('--checkpoint', values.checkpoint),
    resume: pathOption('--resume', values.resume),
    json: values.json ?? false,
    quiet: (values.quiet ?? false) || values.events === '-',
    events: values.events === '-' ? '-' : pathOption('--events', values.events),
    device,
    activationRangeFrom: activationRange?.from,
    teacher: values.teacher === undefined ? undefined : {
      file: pathOption('--teacher', values.teacher)!,
      temperature: numberOption('--temperature', values.temperature, 2, 1, 100),
      alpha: numberOption('--alpha', values.alpha, 0.9, 0, 1),
    },
    report: pathOption('--report', values.report),
    given,
    reflection,
    validation,
    keptFloor,
  };
}

/**
 * --kept-floor F: the kept-fraction control's floor, in [0, 0.12] (0 = off). It applies to pgaf with sampled
 * sigmoid or tanh units and not with --teacher (the distillation loop runs without it): there the default is
 * off, and a nonzero F given is refused.
 */
function keptFloorOption(raw: string | undefined, config: NetworkConfig, teacher: boolean): number {
  const applies = config.algorithm === 'pgaf' && config.activation !== 'relu' && !teacher;
  const floor = numberOption('--kept-floor', raw, applies ? DEFAULT_KEPT_FLOOR : 0, 0, 0.12);
  if (floor > 0 && !applies) {
    throw new CliError('--kept-floor', teacher ? 'not with --teacher (the distillation loop runs without the control); give 0 or drop it' : 'only applies with --algo pgaf and sigmoid or tanh units; give 0 or drop it');
  }
  return floor;
}

/**
 * --validation F: a fraction in (0, 1), refused (CliError, exit 2) with the options it cannot work with:
 * --checkpoint and --resume (a checkpoint holds the current weights, not the best epoch's so far, so a resumed
 * run could not pick the same best epoch) and --teacher (the distillation loop has no validation).
 */
function validationOption(values: { validation?: string; checkpoint?: string; resume?: string; teacher?: string }): number | undefined {
  const raw = values.validation;
  if (raw === undefined) return undefined;
  const f = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(f) || !(f > 0 && f < 1)) {
    throw new CliError('--validation', `expected a fraction of the training split strictly between 0 and 1 (e.g. 0.1), got "${raw}"`);
  }
  for (const o of ['checkpoint', 'resume'] as const) {
    if (values[o] !== undefined) {
      throw new CliError('--validation', `cannot be combined with --${o}: checkpoints do not record the best epoch's weights, so a resumed run could not keep the best epoch; drop --${o} or --validation`);
    }
  }
  if (values.teacher !== undefined) throw new CliError('--validation', 'cannot be combined with --teacher (distillation keeps the last epoch\'s weights); drop one of them');
  return f;
}

/**
 * `draws` given by the caller replace --device; `hardware.connect` resolves port paths (e.g. an emulated
 * board) and `hardware.findBoard` finds the port for --device auto (default: the listed ports, probed).
 */
export async function trainCommand(argv: string[], draws?: Draws, hardware: { connect?: PortConnector; findBoard?: () => Promise<string> } = {}): Promise<number> {
  const job = parseTrainArgs(argv);
  if (draws && job.device.kind !== 'prng') throw new CliError('--device', 'cannot be combined with draws given by the caller');
  const log = (s: string): void => {
    if (!job.json && !job.quiet) process.stdout.write(s + '\n');
  };
  const session = draws ? fixedDrawsSession(draws) : await openDeviceSession(job.device, { seed: job.config.seed, ...hardware, log });
  let code: number;
  try {
    code = await trainJob(job, session);
  } catch (e) {
    await session.close().catch(() => undefined); // the training error is the one to report
    throw e;
  }
  await session.close();
  return code;
}

async function trainJob(job: TrainJob, session: DeviceSession): Promise<number> {
  const pairAlgo = job.algorithm === 'pair';
  if (pairAlgo && job.device.kind === 'port') throw new CliError('--device', 'the pair algorithm runs on simulated MTJ pairs (no board pair wiring is driven from the CLI yet)');
  const draws = pairAlgo ? simPairDraws(job.config.layout.slice(1, -1), job.config.pairStep ?? DEFAULT_PAIR_STEP, job.config.seed) : session.draws;
  const log = (s: string): void => {
    if (!job.json && !job.quiet) process.stdout.write(s + '\n');
  };
  let config = job.config;
  let engine: SpintrainEngine | undefined;
  let startEpoch = 0;
  let keptState: KeptControlState | undefined;
  const teacher = job.teacher && (await Teacher.load(job.teacher.file));
  const distill = job.teacher && { teacherSha256: teacherDigest(teacher!), temperature: job.teacher.temperature, alpha: job.teacher.alpha };
  if (job.resume) {
    const cp = await loadCheckpoint(job.resume);
    if (cp.file.meta?.validation !== undefined) {
      throw new CliError('--resume', `${job.resume} holds the best epoch's weights of a --validation run (meta.validation), not a state to continue from; retrain instead`);
    }
    checkCheckpointDataset(cp, job.resume, job.dataset);
    checkResumeOptions(job, distill?.teacherSha256, { file: job.resume, finished: cp.epoch + 1, config: cp.config, distill: distillRecordOf(cp.file.meta, job.resume) });
    checkDecayedRates(learningRates(cp.config), cp.config.decay, job.epochs - 1);
    config = cp.config;
    engine = new SpintrainEngine(config, draws);
    const stored = savedInputTransform(cp.file, job.resume);
    checkResumeInputTransform(stored.transform, datasetInputTransform(job.dataset, job.reflection), job.resume);
    applyWeightsFile(engine, stored.weights, job.resume);
    startEpoch = cp.epoch + 1;
    keptState = keptControlOf(cp.file.meta, job.resume, config.layout.length - 2);
    if (job.given.has('kept-floor') && job.keptFloor !== (keptState?.floor ?? 0)) {
      throw new CliError('--kept-floor', `${job.keptFloor} differs from the checkpoint ${job.resume} (${keptState?.floor ?? 0}); --resume continues the checkpoint's control: drop --kept-floor or give that value`);
    }
    log(`resuming ${job.resume} after epoch ${cp.epoch + 1}`);
  }
  const keptFloor = job.resume ? (keptState?.floor ?? 0) : job.keptFloor;
  const keptControl = keptFloor > 0 && !job.teacher ? new KeptFractionControl(config.layout.length - 2, keptFloor, keptState) : undefined;
  log(`spintrain: ${job.dataset.name} ${config.layout.join('-')} ${config.activation} ${config.algorithm}, ${job.epochs} epochs, seed ${config.seed}`);
  if (job.validation) {
    log(`validation: ${job.validation.split.n} samples (${job.validation.fraction} of the training split, stratified) held out; training on ${job.dataset.train.n}; the best epoch's weights are kept`);
  }
  if (job.reflection) log(`inputs: ${reflectedCount(job.reflection)} of ${job.dataset.inputs} features reflected (x → 255 − x, fitted on the train split; --normalize none to switch off)`);
  const r = config.trainableActivation ? config.activationRange : undefined;
  if (r) {
    const x = (v: number): string => String(Number(v.toFixed(3)));
    log(`trainable activation: k in [${x(r.kMin)}, ${x(r.kMax)}], c in [${x(r.cMin)}, ${x(r.cMax)}] (from ${job.resume ?? job.activationRangeFrom})`);
  }
  if (job.teacher) log(`distilling from ${job.teacher.file} (${teacher!.engine.layout.join('-')}), T = ${job.teacher.temperature}, α = ${job.teacher.alpha}`);
  // opened once: the main run's epochs, then the baseline's (marked "baseline": true)
  const events = job.events === undefined ? undefined : openEvents(job.events);
  const main = job.teacher
    ? await trainWithTeacher(job.dataset, config, {
        epochs: job.epochs, teacher: teacher!, temperature: job.teacher.temperature, alpha: job.teacher.alpha, draws, engine, startEpoch,
        onEpoch: epochReporter(job, config, { events, startEpoch }),
        onEpochEnd: job.checkpoint ? (e, epoch, testAccuracy) => saveCheckpoint(job.checkpoint!, e, { epoch, testAccuracy, dataset: job.dataset.name, distill: JSON.stringify(distill), ...classNamesMeta(job.dataset) }, datasetInputTransform(job.dataset)) : undefined,
      })
    : await runWithProgress(job, config, { engine, startEpoch, draws, keptControl, events });
  let baseline: TrainResult | undefined;
  if (job.compare === 'bp' && config.algorithm !== 'bp') {
    const bpConfig: NetworkConfig = { ...config, algorithm: 'bp', learningRate: new Array<number>(config.layout.length - 1).fill(0.1) };
    log(`baseline: exact bp on the same network, ${job.epochs} epochs, lr 0.1`);
    baseline = await runWithProgress({ ...job, checkpoint: undefined }, bpConfig, { draws: { kind: 'prng' }, events, baseline: true });
  }
  if (job.save) {
    const saved: Record<string, number | string> = main.bestEpoch !== undefined ? { epoch: main.bestEpoch, validation: job.validation!.fraction, validationAccuracy: main.validationAccuracy! } : { epoch: job.epochs - 1 };
    await saveCheckpoint(job.save, main.engine, { ...saved, testAccuracy: main.testAccuracy, dataset: job.dataset.name, ...(distill ? { distill: JSON.stringify(distill) } : {}), ...keptControlMeta(keptControl), ...classNamesMeta(job.dataset) }, datasetInputTransform(job.dataset, job.reflection));
    log(`weights saved to ${job.save}`);
  }
  const summary = summarise(main, baseline);
  if (job.validation) {
    summary.validationFraction = job.validation.fraction;
    summary.validationSamples = job.validation.split.n;
  }
  summary.config.device = session.label;
  if (job.reflection) summary.reflectedInputs = encodeReflection(job.reflection);
  if (job.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else if (!job.quiet) printSummary(summary);
  if (job.report) log(`report: ${await writeTrainRun(job.report, summary, main, baseline, session.calibration)}`);
  return 0;
}

/** sha256 of a teacher's layout and tensors: recorded in a distillation checkpoint, checked on --resume. */
function teacherDigest(teacher: Teacher): string {
  const w = engineToWeightsFile(teacher.engine);
  const h = createHash('sha256').update(w.layout.join('-'));
  for (const t of w.tensors) h.update(t.name).update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return h.digest('hex');
}

/**
 * What the user sees of each epoch: the kept-fraction warnings, the --events object, the progress bar's
 * epoch and test accuracy, and, without a terminal, the epoch line (every epoch up to 50 of them; beyond,
 * the first, the last and at most one line per 2 s). `baseline` marks the bp baseline's epochs.
 */
function epochReporter(job: TrainJob, config: NetworkConfig, o: { events: EventWriter; bar?: cliProgress.SingleBar; startEpoch?: number; keptControl?: KeptFractionControl; baseline?: boolean }): (r: EpochReport) => void {
  const tty = o.bar !== undefined;
  let lastLine = -Infinity;
  return (r) => {
    // p-GAF's health signal: one stderr line per hidden layer below the threshold (also with --json)
    for (const w of lowKeptFractions(r.epoch, r.ops)) process.stderr.write(keptFractionWarning(w) + '\n');
    o.bar?.update({ epoch: r.epoch + 1, acc: (100 * r.testAccuracy).toFixed(2) + '%' });
    o.events?.({
      event: 'epoch', epoch: r.epoch, algorithm: config.algorithm, ...(o.baseline ? { baseline: true } : {}), trainLoss: r.trainLoss, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy,
      ...(r.validationAccuracy !== undefined ? { validationAccuracy: r.validationAccuracy } : {}), seconds: r.seconds, keptFraction: r.keptFraction, backwardOps: r.backwardOps,
    });
    const now = performance.now();
    const show = job.epochs <= 50 || r.epoch === (o.startEpoch ?? 0) || r.epoch === job.epochs - 1 || now - lastLine >= 2000;
    if (!tty && !job.json && !job.quiet && show) {
      lastLine = now;
      process.stdout.write(
        `  epoch ${r.epoch + 1}: loss ${r.trainLoss.toFixed(3)}  train ${(100 * r.trainAccuracy).toFixed(2)}%  ` +
          (r.validationAccuracy !== undefined ? `val ${(100 * r.validationAccuracy).toFixed(2)}%  ` : '') +
          `test ${(100 * r.testAccuracy).toFixed(2)}%  ` +
          `${r.seconds.toFixed(1)} s  kept ${r.keptFraction.map((k) => (100 * k).toFixed(1) + '%').join('/') || '-'}` +
          controlNote(o.keptControl, r.epoch) + '\n',
      );
    }
  };
}

async function runWithProgress(
  job: TrainJob,
  config: NetworkConfig,
  opts: { engine?: SpintrainEngine; startEpoch?: number; draws: Draws; keptControl?: KeptFractionControl; events: EventWriter; baseline?: boolean },
): Promise<TrainResult> {
  const tty = !job.json && !job.quiet && process.stderr.isTTY;
  const bar = tty
    ? new cliProgress.SingleBar({ stream: process.stderr, format: ' {bar} {percentage}% | {rate} samples/s | ETA {eta_formatted} | epoch {epoch} | loss {loss} | test {acc}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(1, 0, { epoch: opts.startEpoch ?? 0, acc: '-', rate: '-', loss: '-' });
  const t0 = performance.now();
  const result = await train(job.dataset, config, {
    epochs: job.epochs,
    chunk: 2000,
    draws: opts.draws,
    engine: opts.engine,
    startEpoch: opts.startEpoch,
    validation: job.validation?.split,
    keptControl: opts.keptControl,
    curve: job.report ? { every: Math.max(1, Math.ceil(job.dataset.train.n / 20)), epochs: 1 } : undefined,
    onProgress: (done, total, loss) => {
      bar?.setTotal(total);
      bar?.update(done, { rate: (done / ((performance.now() - t0) / 1000)).toFixed(0), loss: loss.toFixed(3) });
    },
    onEpoch: epochReporter(job, config, { events: opts.events, bar, startEpoch: opts.startEpoch, keptControl: opts.keptControl, baseline: opts.baseline }),
    onEpochEnd: job.checkpoint
      ? (engine, epoch, testAccuracy) => saveCheckpoint(job.checkpoint!, engine, { epoch, testAccuracy, dataset: job.dataset.name, ...keptControlMeta(opts.keptControl), ...classNamesMeta(job.dataset) }, datasetInputTransform(job.dataset, job.reflection))
      : undefined,
  });
  bar?.stop();
  return result;
}

/** The epoch line's note on the kept-fraction control: its gain steps per layer this epoch, when any. */
function controlNote(control: KeptFractionControl | undefined, epoch: number): string {
  if (!control) return '';
  const steps = keptControlSteps(control.report, epoch);
  if (steps.every((n) => n === 0)) return '';
  return `  control: ${steps.map((n, h) => (n ? `layer ${h + 1} ${n} step${n > 1 ? 's' : ''} (rate now ×${control.report.rate[h].toPrecision(2)})` : '')).filter(Boolean).join(', ')}`;
}


function printSummary(s: TrainSummary): void {
  const pct = (x: number): string => (100 * x).toFixed(2) + '%';
  const lines = [
    '',
    `test accuracy     ${pct(s.testAccuracy)}   (train ${pct(s.trainAccuracy)}, ${s.epochs} epochs, ${s.samples} samples)`,
    `training speed    ${s.samplesPerSecond.toFixed(0)} samples/s (${s.trainSeconds.toFixed(1)} s)`,
    ...(s.bestEpoch !== undefined ? [`best epoch        ${s.bestEpoch + 1} of ${s.epochs}: validation ${pct(s.validationAccuracy!)} (${s.validationSamples} held out); its weights are tested and saved`] : []),
    `memory plan       ${s.planBytes} bytes (${s.config.weightBits ?? 32}-bit weights)`,
    `backward ops      ${s.backwardOpsPerSample.toFixed(0)} multiplies+adds per sample`,
    `kept gradients    ${s.keptFraction.map(pct).join(' / ') || '-'} of hidden neurons`,
  ];
  const c = s.keptControl;
  if (c) {
    const steps = c.rate.map((_f, h) => c.stepsPerEpoch.reduce((n, e) => n + e[h], 0));
    lines.push(
      steps.every((n) => n === 0)
        ? `kept control      floor ${pct(c.floor)}: never triggered`
        : `kept control      floor ${pct(c.floor)}: ${steps.map((n, h) => (n ? `layer ${h + 1} ${n} step${n > 1 ? 's' : ''} (input gain ${c.gain[h].toPrecision(3)}, rate now ×${c.rate[h].toPrecision(2)})` : '')).filter(Boolean).join(', ')}`,
    );
  }
  if (s.baseline) {
    lines.push(
      `bp baseline       ${pct(s.baseline.testAccuracy)} test accuracy, ${s.baseline.backwardOpsPerSample.toFixed(0)} backward multiplies+adds per sample`,
      `savings           ${s.backwardOpsRatio!.toFixed(1)}× fewer backward multiplies+adds than bp (${pct(1 - 1 / s.backwardOpsRatio!)} less)`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}
