/**
 * `spintrain board train|pull|eval`: host-driven training on a board that runs the spintrain module,
 * over its serial port (host/deploy/board-training.ts, board-link.ts, frame-link.ts). The board was
 * flashed with a `spintrain build --out DIR` output; --build DIR gives the host its configuration.
 * Exit codes: 0 done; 2 a bad option (the message names it); 1 a port, board or file error (the message
 * names the port or the file and field). Every wait is bounded (--timeout, the link's resends).
 */
import { openEvents } from './events-option.ts';
import cliProgress from 'cli-progress';
import { loadDataset, UnknownDatasetError, type Dataset } from '../data/index.ts';
import { datasetInputTransform } from '../data/input-transform.ts';
import { saveWeights } from '../io/weights-file.ts';
import { BoardLink, type BoardPort } from '../deploy/board-link.ts';
import { BOARD_BAUD, openBoardSerialPort } from '../deploy/board-serial-port.ts';
import { describeDrawSource } from '../deploy/serial-stream.ts';
import {
  boardWeightsFile, checkBoardLayout, evaluateOnBoard, pullParameters, readBoardBuild, sameAsBuild, trainOnBoard, type BoardBuild, type BoardEpoch,
} from '../deploy/board-training.ts';
import type { LinkClock } from '../deploy/frame-link.ts';
import { CliError, numberOption } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { LABEL_COLUMN_USAGE, labelColumnOption } from './label-column-option.ts';
import { datasetKind, trainDefaults } from './train-defaults.ts';
import { classNamesMeta } from './class-names.ts';

export const BOARD_USAGE = `spintrain board train|pull|eval --port P --build DIR [options]
  Drives a board flashed with a spintrain build (spintrain build --board B --layout … --out DIR) over its serial port.
  train                      stream the data set's training samples to the board every epoch (the order spintrain train
                             uses with the build's seed), report its train accuracy per epoch ('R'), its test accuracy
                             ('P'), and with --save pull its weights
  pull                       write the board's weights (--out)
  eval                       the board's accuracy on the data set's test part ('P')
  --port PATH                the board's serial port (e.g. /dev/ttyACM0; a pseudo-terminal such as a socat bridge works)
  --build DIR                the directory spintrain build --out wrote for this board: the network configuration (seed,
                             rates, activation) comes from DIR/weights.stw, the memory from DIR/build.json
  --dataset D                train, eval: as for spintrain train (mnist|iris|xor|IDX files|CSV files); its layout must be the board's
${LABEL_COLUMN_USAGE}
  --epochs N                 train: epochs, 1..65536 (default: spintrain train's for the data set's kind)
  --train-limit N --test-limit N   train, eval: use the first N samples of each split
  --save FILE                train: the trained weights, pulled from the board (spintrain weights file with the data
                             set's input transform, written atomically; spintrain eval --weights FILE reads it)
  --out FILE                 pull: the weights file to write (atomically)
  --baud N                   the port's baud rate (default ${BOARD_BAUD}, the board sketch's)
  --timeout S                seconds to wait for the board's banner and for each reply, 0.1..600 (default 10); a frame
                             not acknowledged within 0.5 s is resent, at most 20 times
  --json                     one JSON object on stdout (no progress or epoch lines)
  --events FILE|-            train: one JSON object per epoch ({"event":"epoch",...}) and one at the end ({"event":"test",...})
                             to FILE, or to stdout with - (stdout then carries JSON lines only)
Errors name the port (and the frame's sequence number) or the file and field; nothing is written half.`;

export const BOARD_OPTIONS = {
  port: { type: 'string' }, build: { type: 'string' }, dataset: { type: 'string' }, 'label-column': { type: 'string' },
  epochs: { type: 'string' }, 'train-limit': { type: 'string' }, 'test-limit': { type: 'string' }, save: { type: 'string' },
  out: { type: 'string' }, baud: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' }, events: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const SUBCOMMANDS = ['train', 'pull', 'eval'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** Which options each subcommand takes (besides --port, --build, --baud, --timeout, --json, --help). */
const ONLY: Record<string, readonly Sub[]> = {
  dataset: ['train', 'eval'], 'label-column': ['train', 'eval'], 'train-limit': ['train'], 'test-limit': ['train', 'eval'],
  epochs: ['train'], save: ['train'], out: ['pull'], events: ['train'],
};

export interface BoardJob {
  sub: Sub;
  port: string;
  build: string;
  dataset?: string;
  labelColumn?: string;
  epochs?: number;
  trainLimit?: number;
  testLimit?: number;
  save?: string;
  out?: string;
  baud: number;
  timeoutMs: number;
  json: boolean;
  events?: string;
}

/** Parses and checks every option (CliError naming it, exit 2); touches no file or port. */
export function parseBoardArgs(argv: string[]): BoardJob {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub.startsWith('-')) throw new CliError('subcommand', `expected one of ${SUBCOMMANDS.join(', ')} (spintrain board train --port P --build DIR --dataset D)`);
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new CliError('subcommand', `expected one of ${SUBCOMMANDS.join(', ')}, got "${sub}"`);
  const s = sub as Sub;
  const { values } = parseOptions(rest, BOARD_OPTIONS);
  for (const [o, subs] of Object.entries(ONLY)) {
    if ((values as Record<string, unknown>)[o] !== undefined && !subs.includes(s)) throw new CliError(`--${o}`, `only applies to spintrain board ${subs.join(' and ')}`);
  }
  const port = pathOption('--port', values.port);
  if (!port) throw new CliError('--port', 'required: the board\'s serial port (e.g. /dev/ttyACM0)');
  const build = pathOption('--build', values.build);
  if (!build) throw new CliError('--build', 'required: the directory spintrain build --out wrote for this board');
  if (s !== 'pull' && (values.dataset === undefined || values.dataset.trim() === '')) throw new CliError('--dataset', 'required: the data set to train or evaluate on');
  if (s === 'pull' && values.out === undefined) throw new CliError('--out', 'required: the weights file to write');
  const limit = (o: 'train-limit' | 'test-limit'): number | undefined => (values[o] === undefined ? undefined : numberOption(`--${o}`, values[o], 0, 1, 1e9, true));
  return {
    sub: s,
    port,
    build,
    dataset: values.dataset,
    labelColumn: values['label-column'],
    epochs: values.epochs === undefined ? undefined : numberOption('--epochs', values.epochs, 1, 1, 65536, true),
    trainLimit: limit('train-limit'),
    testLimit: limit('test-limit'),
    save: pathOption('--save', values.save),
    out: pathOption('--out', values.out),
    baud: numberOption('--baud', values.baud, BOARD_BAUD, 50, 10_000_000, true),
    timeoutMs: numberOption('--timeout', values.timeout, 10, 0.1, 600) * 1000,
    json: values.json ?? false,
    events: values.events === '-' ? '-' : pathOption('--events', values.events),
  };
}

/** What the command opens: the port (tests: another transport) and the link's clock. */
export interface BoardCommandDeps {
  openPort?: (path: string, baud: number) => Promise<BoardPort>;
  clock?: LinkClock;
}

function loadBoardDataset(job: BoardJob, build: BoardBuild): Dataset {
  const spec = job.dataset!;
  try {
    return loadDataset(spec, { seed: build.config.seed, trainLimit: job.trainLimit, testLimit: job.testLimit, labelColumn: labelColumnOption(job.labelColumn, spec) });
  } catch (e) {
    if (e instanceof UnknownDatasetError) throw new CliError('--dataset', e.message);
    throw e;
  }
}

const pct = (x: number): string => (100 * x).toFixed(2) + '%';

export async function boardCommand(argv: string[], deps: BoardCommandDeps = {}): Promise<number> {
  const job = parseBoardArgs(argv);
  const quiet = job.json || job.events === '-';
  const log = (s: string): void => {
    if (!quiet) process.stdout.write(s + '\n');
  };
  // Everything that can be checked without the board is, before the port is opened.
  const build = await readBoardBuild(job.build);
  const dataset = job.sub === 'pull' ? undefined : loadBoardDataset(job, build);
  if (dataset) {
    const L = build.config.layout;
    const outputs = L[L.length - 1];
    if (L[0] !== dataset.inputs || !(outputs === dataset.classes || (outputs === 1 && dataset.classes === 2))) {
      throw new CliError('--dataset', `${job.dataset} has ${dataset.inputs} inputs and ${dataset.classes} classes, but the build ${job.build} is for layout ${L.join('-')}: build the board for the data set (spintrain build --layout ${dataset.inputs},…,${dataset.classes === 2 && outputs === 1 ? 1 : dataset.classes})`);
    }
  }
  const events = job.events === undefined ? undefined : openEvents(job.events);
  const open = deps.openPort ?? ((path: string, baud: number) => openBoardSerialPort(path, { baudRate: baud }));
  const port = await open(job.port, job.baud);
  try {
    const link = new BoardLink(port, { bannerTimeoutMs: job.timeoutMs, replyTimeoutMs: job.timeoutMs, clock: deps.clock });
    const banner = await link.hello();
    log(`board on ${job.port}: ${banner.runtime}, ${banner.linearBytes} bytes of linear memory, draws from ${banner.drawSource ? describeDrawSource(banner.drawSource) : 'an unnamed source'}`);
    if (build.linearBytes !== undefined && banner.linearBytes !== build.linearBytes) {
      process.stderr.write(`spintrain board: warning: the board on ${job.port} uses ${banner.linearBytes} bytes of linear memory, the build ${job.build} ${build.linearBytes}: is it flashed with this build?\n`);
    }
    const initial = await pullParameters(link);
    checkBoardLayout(job.port, initial.layout, build, dataset);
    if (job.sub === 'pull') {
      const w = boardWeightsFile(build.config, initial, { source: `board ${job.port}`, ...(build.board ? { board: build.board } : {}) });
      await saveWeights(job.out!, w);
      if (job.json) process.stdout.write(JSON.stringify({ port: job.port, out: job.out, layout: initial.layout, runtime: banner.runtime }) + '\n');
      else log(`weights of the board (${initial.layout.join('-')}) saved to ${job.out}`);
      return 0;
    }
    const d = dataset!;
    const inputs = build.config.layout[0];
    if (job.sub === 'eval') {
      const r = await evaluateOnBoard(link, d.test, inputs);
      if (job.json) process.stdout.write(JSON.stringify({ port: job.port, dataset: d.name, n: d.test.n, accuracy: r.accuracy, correct: r.correct }) + '\n');
      else log(`board on ${job.port}, ${job.dataset} (test part, ${d.test.n} samples): accuracy ${pct(r.accuracy)}`);
      return 0;
    }
    // train
    if (!sameAsBuild(initial, build)) {
      process.stderr.write(`spintrain board: warning: the board's weights differ from ${job.build}/weights.stw: it has trained since it started (or runs another build); training continues from its weights\n`);
    }
    const epochs = job.epochs ?? trainDefaults(datasetKind(job.dataset!, d), d.train.n).epochs;
    const c = build.config;
    log(`spintrain board: ${d.name} ${c.layout.join('-')} ${c.activation} ${c.algorithm} on the board, ${epochs} epochs of ${d.train.n} samples, seed ${c.seed}`);
    const tty = !quiet && process.stderr.isTTY;
    const total = epochs * d.train.n;
    const bar = tty
      ? new cliProgress.SingleBar({ stream: process.stderr, format: ' {bar} {percentage}% | {rate} samples/s | ETA {eta_formatted} | epoch {epoch} | train {acc}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
      : undefined;
    bar?.start(total, 0, { epoch: 0, acc: '-', rate: '-' });
    const t0 = performance.now();
    let shownAt = -Infinity;
    const reports: BoardEpoch[] = await trainOnBoard(link, d.train, inputs, c.seed, {
      epochs,
      onProgress: (e, done, n) => {
        const all = e * n + done;
        bar?.update(all, { epoch: e + 1, rate: (all / Math.max(1e-9, (performance.now() - t0) / 1000)).toFixed(0) });
      },
      onEpoch: (r) => {
        bar?.update({ acc: pct(r.trainAccuracy) });
        events?.({ event: 'epoch', epoch: r.epoch, steps: r.steps, trainAccuracy: r.trainAccuracy, seconds: r.seconds, boardSeconds: r.boardSeconds, samplesPerSecond: r.samplesPerSecond });
        const now = performance.now();
        if (!tty && !quiet && (epochs <= 50 || r.epoch === 0 || r.epoch === epochs - 1 || now - shownAt >= 2000)) {
          shownAt = now;
          const left = ((now - t0) / 1000 / (r.epoch + 1)) * (epochs - r.epoch - 1);
          process.stdout.write(`  epoch ${r.epoch + 1}: train ${pct(r.trainAccuracy)}  ${r.seconds.toFixed(1)} s  ${r.samplesPerSecond.toFixed(0)} samples/s  ETA ${left.toFixed(0)} s\n`);
        }
      },
    });
    bar?.stop();
    const trainSeconds = (performance.now() - t0) / 1000;
    const test = await evaluateOnBoard(link, d.test, inputs);
    events?.({ event: 'test', testAccuracy: test.accuracy, n: d.test.n });
    const last = reports[reports.length - 1];
    if (job.save) {
      const params = await pullParameters(link);
      checkBoardLayout(job.port, params.layout, build, d);
      const w = boardWeightsFile(c, params, { epoch: epochs - 1, testAccuracy: test.accuracy, dataset: d.name, source: `board ${job.port}`, ...(build.board ? { board: build.board } : {}), ...classNamesMeta(d) }, datasetInputTransform(d));
      await saveWeights(job.save, w);
      log(`weights saved to ${job.save}`);
    }
    const summary = {
      port: job.port, runtime: banner.runtime, drawSource: banner.drawSource ?? null, dataset: d.name, layout: c.layout, epochs, samples: d.train.n,
      trainAccuracy: last.trainAccuracy, testAccuracy: test.accuracy, testSamples: d.test.n, trainSeconds, samplesPerSecond: (epochs * d.train.n) / Math.max(trainSeconds, 1e-9),
      boardTrainSeconds: reports.reduce((s, r) => s + r.boardSeconds, 0), link: link.stats, ...(job.save ? { save: job.save } : {}),
    };
    if (job.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else {
      log(
        [
          '',
          `test accuracy     ${pct(test.accuracy)} on the board   (train ${pct(last.trainAccuracy)}, ${epochs} epochs, ${d.train.n} samples)`,
          `link              ${summary.samplesPerSecond.toFixed(0)} samples/s (${trainSeconds.toFixed(1)} s; ${link.stats.resends} frames resent, ${link.stats.naks} NAKs, ${link.stats.timeouts} timeouts)`,
        ].join('\n'),
      );
    }
    return 0;
  } finally {
    await port.close();
  }
}
