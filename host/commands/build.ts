/**
 * `spintrain build --board <name> [--layout 64,32,10] --out DIR`: the module, weights, C headers and
 * board glue for a board that runs WebAssembly (host/deploy/build-board.ts). Exit 0 built, 2 bad input.
 */
import { parseArgs } from 'node:util';
import { ACTIVATIONS, ALGORITHMS, DEFAULT_PAIR_STEP, OUTPUTS, type NetworkConfig, type TrainingAlgorithm } from '../engine/config.ts';
import { buildForBoard, DEFAULT_BOARD_LAYOUT } from '../deploy/build-board.ts';
import { DeployError } from '../deploy/errors.ts';
import { usableLinearBytes } from '../deploy/linear-budget.ts';
import { BOARDS } from '../../boards/index.ts';
import { WeightsFileError } from '../io/errors.ts';
import { MtjDeviceError } from '../device/errors.ts';
import { CliError, choiceOption, numberListOption, numberOption } from './cli-error.ts';

export const BUILD_USAGE = `spintrain build --board <name> --out DIR [options]
  --board NAME               ${BOARDS.map((b) => b.id).join(', ')}
  --layout 64,32,10          widths: inputs, 1 to 4 hidden layers, outputs (default ${DEFAULT_BOARD_LAYOUT.join(',')})
  --out DIR                  output directory (files replaced atomically)
  --weights FILE             start from these weights (a spintrain weights file or checkpoint; its
                             configuration is used); default: the seeded initial weights
  --activation sigmoid|tanh|relu  --output softmax|sigmoid  --algo bp|pgaf|pair  --relu-sampled
  --pair-step DZ             pair: twin B's offset Δz in pre-activation units (default ${DEFAULT_PAIR_STEP}); pair
                             needs a board profile with mtjPairs
  --lr X[,X...]  --momentum M  --decay D  --p-floor E  --delta-clip C  --seed S
  --draws mtj|prng           p-GAF draws on the board: env.mtj_sample (MTJ circuit, or the chip's RNG
                             when none answers; default) or the module's own generator
  --wasm FILE                reuse a module an earlier build wrote (must match board and layout)
  --calibration FILE         MTJ calibration (spintrain calibrate) for the write-current tables`;

export async function buildCommand(argv: string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        board: { type: 'string' }, layout: { type: 'string' }, out: { type: 'string' }, weights: { type: 'string' },
        activation: { type: 'string' }, output: { type: 'string' }, algo: { type: 'string' }, 'relu-sampled': { type: 'boolean' },
        lr: { type: 'string' }, momentum: { type: 'string' }, decay: { type: 'string' }, 'p-floor': { type: 'string' },
        'delta-clip': { type: 'string' }, seed: { type: 'string' }, draws: { type: 'string' }, wasm: { type: 'string' },
        calibration: { type: 'string' }, 'pair-step': { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(BUILD_USAGE);
      return 0;
    }
    if (!values.board) throw new CliError('--board', `required: one of ${BOARDS.map((b) => b.id).join(', ')}`);
    if (!values.out) throw new CliError('--out', 'required: the output directory');
    const network: Partial<NetworkConfig<TrainingAlgorithm>> = {};
    if (values.layout) network.layout = numberListOption('--layout', values.layout, 1, 8192, true);
    if (values.activation) network.activation = choiceOption('--activation', values.activation, ACTIVATIONS, 'sigmoid');
    if (values.output) network.output = choiceOption('--output', values.output, OUTPUTS, 'softmax');
    // pair is matched first so that the refusal message keeps listing the module-only algorithms (as train)
    if (values.algo) network.algorithm = values.algo === 'pair' ? 'pair' : choiceOption('--algo', values.algo, ALGORITHMS, 'pgaf');
    if (values['pair-step']) network.pairStep = numberOption('--pair-step', values['pair-step'], DEFAULT_PAIR_STEP, 2 / 65536, 16);
    if (values['relu-sampled']) network.reluSampled = true;
    if (values.lr) {
      const lr = numberListOption('--lr', values.lr, 1e-6, 32767);
      network.learningRate = lr.length === 1 ? lr[0] : lr;
    }
    if (values.momentum) network.momentum = numberOption('--momentum', values.momentum, 0, 0, 0.9999);
    if (values.decay) network.decay = numberOption('--decay', values.decay, 0, 0, 32767);
    if (values['p-floor']) network.probabilityFloor = numberOption('--p-floor', values['p-floor'], 0, 0, 0.4999);
    if (values['delta-clip']) network.deltaClip = numberOption('--delta-clip', values['delta-clip'], 0, 0, 127);
    if (values.seed) network.seed = numberOption('--seed', values.seed, 1, 0, 0xffffffff, true);
    const draws = choiceOption('--draws', values.draws, ['mtj', 'prng'] as const, 'mtj');
    const r = await buildForBoard({
      board: values.board, outDir: values.out, network, weightsFile: values.weights, wasmFile: values.wasm,
      calibrationFile: values.calibration, draws: draws === 'mtj' ? 'import' : 'prng',
    });
    const rt = r.board.runtime;
    const budget = usableLinearBytes(r.board);
    console.log(
      `built ${r.board.id} (${rt.kind}): layout ${r.network.layout.join('-')}, linear memory ${r.memory.linearBytes} of ${budget} bytes ` +
        `(plan ${r.memory.planBytes}), module ${r.info.pages} page(s)${r.info.lowMemoryLimit ? `, --lowMemoryLimit ${r.info.lowMemoryLimit}` : ''}\n` +
        `wrote ${r.files.length} files to ${values.out}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof DeployError || e instanceof WeightsFileError || e instanceof MtjDeviceError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`spintrain build: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}
