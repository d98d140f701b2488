/**
 * `spintrain build --board <name> [--layout 64,32,10] --out DIR`: the module, weights, C headers and
 * board glue for a board that runs WebAssembly (host/deploy/build-board.ts). Exit 0 built, 2 bad option, 1 bad file.
 */
import { ACTIVATIONS, ALGORITHMS, ConfigError, DEFAULT_PAIR_STEP, MAX_LAYERS, MAX_WIDTH, OUTPUTS, type NetworkConfig, type TrainingAlgorithm } from '../engine/config.ts';
import { buildForBoard, DEFAULT_BOARD_LAYOUT, type BoardBuildRequest } from '../deploy/build-board.ts';
import { TABULAR_MAX_FEATURES, defaultLearningRates } from './train-defaults.ts';
import { BoardCannotHostWasmError, BuildArgumentError, DeployError, LayoutTooLargeError, UnknownBoardError } from '../deploy/errors.ts';
import { RUNTIME_KINDS } from '../deploy/runtime-ram.ts';
import { BOARDS } from '../../boards/index.ts';
import { WeightsFileError } from '../io/errors.ts';
import { BoardError } from '../../boards/errors.ts';
import { MtjDeviceError } from '../device/errors.ts';
import { CliError, choiceOption, numberListOption, numberOption } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { checkRepresentable, fixedOption } from './fixed-point-options.ts';
import { checkSameConfig } from './resume-options.ts';
import { loadWeights } from '../io/weights-file.ts';
import { configOf } from '../engine/checkpoint.ts';
import type { WeightBits } from '../engine/weight-format.ts';

export const BUILD_USAGE = `spintrain build --board <name> --out DIR [options]
  --board NAME               ${BOARDS.map((b) => b.id).join(', ')}
  --layout 64,32,10          widths: inputs, 1 to 4 hidden layers, outputs (default ${DEFAULT_BOARD_LAYOUT.join(',')})
  --out DIR                  output directory (files replaced atomically): spintrain.wasm, weights.stw, build.json,
                             the Arduino sketch spintrain/, a PlatformIO project platformio/ and an Arduino
                             library arduino-library/spintrain/ (boards whose profile names them)
  --weights FILE             start from these weights (a spintrain weights file or checkpoint; its
                             configuration is used); default: the seeded initial weights
  --activation sigmoid|tanh|relu  --output softmax|sigmoid  --algo bp|pgaf|pair  --relu-sampled
  --pair-step DZ             pair: twin B's offset Δz in pre-activation units (default ${DEFAULT_PAIR_STEP}); pair
                             needs a board profile with mtjPairs
  --weight-bits 32|16|8      bits per stored weight: 32 (i32 Q24, the release module), 16 (i16 Q3.12) or 8 (i8 Q1.6):
                             the board module is built from assembly/narrow.ts, region W takes 4, 2 or 1 bytes per
                             weight (the fit check counts them), updates are rounded stochastically; needs
                             --momentum 0. With --weights, the file's width (a different --weight-bits is refused)
  --lr X[,X...]  --momentum M  --decay D  --p-floor E  --delta-clip C  --seed S
                             (defaults: spintrain train's for the layout's kind: > ${TABULAR_MAX_FEATURES} inputs images (--lr pgaf
                             0.01 top hidden, ×0.3 per layer below, 0.1 out; bp 0.1; --decay 0.1), else tabular (--lr 0.1,
                             --decay 0: train's 3/E needs the data's size, which a board build does not know); momentum 0,
                             seed 1. With --weights, the file's configuration.)
  --draws mtj|prng           p-GAF draws on the board: env.mtj_sample (MTJ circuit, or the chip's RNG
                             when none answers; default) or the module's own generator
  --runtime wasm3|wamr|wasm2c  the runtime in the sketch (default: the board profile's): an interpreter, or
                             wasm2c, the module translated to C ahead of time (needs Debian's wabt), for a board
                             where the interpreter is too slow. The build refuses a board whose RAM cannot hold
                             the runtime and the linear memory (build.json's memory.runtimeRam lists the parts)
  --wasm FILE                reuse a module an earlier build wrote (must match board and layout)
  --calibration FILE         MTJ calibration (spintrain calibrate) for the write-current tables`;

/** The parseArgs options of `spintrain build`. */
export const BUILD_OPTIONS = {
  board: { type: 'string' }, layout: { type: 'string' }, out: { type: 'string' }, weights: { type: 'string' },
  activation: { type: 'string' }, output: { type: 'string' }, algo: { type: 'string' }, 'relu-sampled': { type: 'boolean' },
  lr: { type: 'string' }, momentum: { type: 'string' }, decay: { type: 'string' }, 'p-floor': { type: 'string' },
  'delta-clip': { type: 'string' }, seed: { type: 'string' }, draws: { type: 'string' }, wasm: { type: 'string' },
  calibration: { type: 'string' }, 'pair-step': { type: 'string' }, runtime: { type: 'string' }, 'weight-bits': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** The network options' config fields, for the errors validateNetworkConfig reports about them. */
const OPTION_OF_FIELD: Record<string, string> = {
  layout: '--layout', activation: '--activation', output: '--output', algorithm: '--algo', reluSampled: '--relu-sampled',
  learningRate: '--lr', momentum: '--momentum', decay: '--decay', probabilityFloor: '--p-floor', deltaClip: '--delta-clip',
  seed: '--seed', pairStep: '--pair-step', weightBits: '--weight-bits',
};

export interface BuildJob {
  request: BoardBuildRequest;
  /** Options given (without --). */
  given: Set<string>;
}

/** Parses and checks every option (CliError naming it, exit 2); reads no file. */
export function parseBuildArgs(argv: string[]): BuildJob | 'help' {
  const { values } = parseOptions(argv, BUILD_OPTIONS);
  if (values.help) return 'help';
  const boards = BOARDS.map((b) => b.id).join(', ');
  if (values.board === undefined) throw new CliError('--board', `required: one of ${boards}`);
  if (values.out === undefined) throw new CliError('--out', 'required: the output directory');
  const network: Partial<NetworkConfig<TrainingAlgorithm>> = {};
  if (values.layout !== undefined) {
    network.layout = numberListOption('--layout', values.layout, 1, MAX_WIDTH, true);
    const n = network.layout.length;
    if (n < 3 || n > MAX_LAYERS) throw new CliError('--layout', `expected inputs, 1 to 4 hidden widths and outputs (3 to ${MAX_LAYERS} widths), got ${n} ("${values.layout}")`);
  }
  if (values.activation !== undefined) network.activation = choiceOption('--activation', values.activation, ACTIVATIONS, 'sigmoid');
  if (values.output !== undefined) network.output = choiceOption('--output', values.output, OUTPUTS, 'softmax');
  if (values.algo !== undefined) network.algorithm = choiceOption('--algo', values.algo, [...ALGORITHMS, 'pair'] as const, 'pgaf');
  if (values['pair-step'] !== undefined) {
    if (network.algorithm !== 'pair') throw new CliError('--pair-step', 'only applies with --algo pair');
    network.pairStep = numberOption('--pair-step', values['pair-step'], DEFAULT_PAIR_STEP, 2 / 65536, 16);
  }
  if (values['relu-sampled']) network.reluSampled = true;
  if (values.lr !== undefined) {
    const lr = numberListOption('--lr', values.lr, 0, 32767).map((x, i) => {
      if (x === 0) throw new CliError(`--lr[${i}]`, 'expected a positive rate, got 0');
      return checkRepresentable(`--lr[${i}]`, x, 16, values.lr!.split(',')[i].trim(), false);
    });
    network.learningRate = lr.length === 1 ? lr[0] : lr;
  }
  if (values.momentum !== undefined) network.momentum = fixedOption('--momentum', values.momentum, 0, 0, 0.9999, 16);
  if (values.decay !== undefined) network.decay = fixedOption('--decay', values.decay, 0, 0, 32767, 16);
  if (values['p-floor'] !== undefined) network.probabilityFloor = fixedOption('--p-floor', values['p-floor'], 0, 0, 0.4999, 16);
  if (values['delta-clip'] !== undefined) network.deltaClip = fixedOption('--delta-clip', values['delta-clip'], 0, 0, 127, 24);
  if (values.seed !== undefined) network.seed = numberOption('--seed', values.seed, 1, 0, 0xffffffff, true);
  if (values['weight-bits'] !== undefined) {
    const weightBits = Number(choiceOption('--weight-bits', values['weight-bits'], ['32', '16', '8'] as const, '32')) as WeightBits;
    network.weightBits = weightBits; // 32 too: compared with a --weights file's width (buildForBoard drops it)
    if (weightBits !== 32 && (network.momentum ?? 0) !== 0) {
      throw new CliError('--weight-bits', `${weightBits}-bit weights need --momentum 0 (the narrow modules keep no velocities), got --momentum ${network.momentum}`);
    }
  }
  if (values.weights === undefined) {
    // the rates and decay of spintrain train for the layout's kind (one set of defaults; see the usage)
    const layout = network.layout ?? DEFAULT_BOARD_LAYOUT;
    const kind = layout[0] > TABULAR_MAX_FEATURES ? 'images' : 'tabular';
    network.learningRate ??= defaultLearningRates(kind, network.algorithm ?? 'pgaf', 1, layout.length - 1, network.output ?? 'softmax');
    network.decay ??= kind === 'images' ? 0.1 : 0;
  }
  const draws = choiceOption('--draws', values.draws, ['mtj', 'prng'] as const, 'mtj');
  const runtime = values.runtime === undefined ? undefined : choiceOption('--runtime', values.runtime, RUNTIME_KINDS, 'wasm3');
  const board = values.board;
  if (board.trim() === '') throw new CliError('--board', `expected one of ${boards}, got ""`);
  return {
    request: {
      board, outDir: pathOption('--out', values.out)!, network, weightsFile: pathOption('--weights', values.weights), wasmFile: pathOption('--wasm', values.wasm),
      calibrationFile: pathOption('--calibration', values.calibration), draws: draws === 'mtj' ? 'import' : 'prng', runtime,
    },
    given: new Set(Object.keys(values)),
  };
}

/** A deploy error about an option (board, layout, network) as the CliError naming it; undefined for file and tool errors. */
function optionError(e: unknown): CliError | undefined {
  if (e instanceof CliError) return e;
  if (e instanceof UnknownBoardError || e instanceof BoardCannotHostWasmError) return new CliError('--board', e.message);
  if (e instanceof LayoutTooLargeError) return new CliError('--layout', e.message);
  if (e instanceof BuildArgumentError && e.option.startsWith('--')) return new CliError(e.option, e.detail);
  if (e instanceof ConfigError) {
    const option = OPTION_OF_FIELD[e.field.replace(/\[\d+\]$/, '')];
    if (option) return new CliError(option, e.message.slice(e.field.length + 2));
  }
  return undefined;
}

/**
 * Exit codes (README): 0 built; 2 a bad option (the message names it); 1 a bad file (--weights, --wasm,
 * --calibration: the message names the file and the field) or a failed tool.
 */
export async function buildCommand(argv: string[]): Promise<number> {
  let weightsFile: string | undefined;
  try {
    const job = parseBuildArgs(argv);
    if (job === 'help') {
      console.log(BUILD_USAGE);
      return 0;
    }
    const req = job.request;
    weightsFile = req.weightsFile;
    if (req.weightsFile) {
      // The weights file's configuration is used: a network option must agree with it, never be ignored.
      const file = await loadWeights(req.weightsFile);
      const theirs = configOf(file, req.weightsFile);
      const mine = { ...theirs, ...req.network } as NetworkConfig<TrainingAlgorithm>;
      checkSameConfig(job.given, mine, theirs, `the weights file ${req.weightsFile}`, 'the build uses its configuration');
    }
    const r = await buildForBoard(req);
    console.log(
      `built ${r.board.id} (${r.runtime}): layout ${r.network.layout.join('-')}, linear memory ${r.memory.linearBytes} of ${r.budgetBytes} bytes ` +
        `(plan ${r.memory.planBytes}, ${r.network.weightBits ?? 32}-bit weights), module ${r.info.pages} page(s)${r.info.lowMemoryLimit ? `, --lowMemoryLimit ${r.info.lowMemoryLimit}` : ''}\n` +
        `RAM ${r.ram.totalBytes} of ${r.board.memory.ramBytes} bytes (${r.ram.parts.map((p) => `${p.name} ${p.bytes}`).join(' + ')})\n` +
        `wrote ${r.files.length} files to ${req.outDir}`,
    );
    return 0;
  } catch (e) {
    const option = optionError(e);
    if (option) {
      console.error(`spintrain build: ${option.message}\nsee: spintrain build --help`);
      return 2;
    }
    if (e instanceof BuildArgumentError && weightsFile) {
      // a field of the weights file's configuration the board cannot run (e.g. trainableActivation)
      console.error(`spintrain build: ${weightsFile}: meta.config.${e.option}: ${e.detail}`);
      return 1;
    }
    if (e instanceof DeployError || e instanceof WeightsFileError || e instanceof MtjDeviceError || e instanceof BoardError) {
      console.error(`spintrain build: ${(e as Error).message}`);
      return 1;
    }
    throw e; // main reports it (exit 1)
  }
}
