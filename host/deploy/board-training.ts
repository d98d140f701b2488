/**
 * Host-driven training on a board that runs the spintrain module (`spintrain board train|pull|eval`):
 *  - the build the board was flashed with (`spintrain build --out DIR`): its network configuration from
 *    DIR/weights.stw (meta.config: seed, rates, activation, …) and its memory from DIR/build.json;
 *  - the board's layout, from its weight dump ('W'), checked against the build and the data set: a
 *    board built for another layout is refused before any sample is sent;
 *  - per epoch: 'E' e, 'S' for every training sample in the order the host trainer uses
 *    (host/train/epoch-order.ts with the build's seed), 'R' (steps and correct: the train accuracy);
 *  - evaluation with 'P' over a split; the weights with 'W', written as a spintrain weights file (the
 *    format of `spintrain train --save`, with the data set's input transform) that `spintrain eval` reads.
 * A board trained this way from its start ends with the weights the host engine trains with the same
 * configuration, seed and data, bit for bit (test/deploy/board-command.spec.ts).
 * Narrow weights (a build with weightBits 16|8): the board stores W as i16 Q12 / i8 Q6, and its dump
 * ('W', boards/glue/portable/st_protocol.c) widens each to i32 Q24 (w · 2^(24 − F), exact), so the dump is
 * Q24 for every width and Parameters stay Q24; the pulled weights file stores W at the build's width again
 * (importParameters narrows exactly what was widened), a version 2 file that `spintrain eval` reads.
 */
import { join } from 'node:path';
import { loadWeights, type WeightsFile } from '../io/weights-file.ts';
import { readRegularFile, RegularFileError } from '../io/regular-file.ts';
import { WeightsFileError } from '../io/errors.ts';
import { configOf, engineToWeightsFile } from '../engine/checkpoint.ts';
import { DEFAULT_PAIR_STEP, Q_WEIGHT, type NetworkConfig, type TrainingAlgorithm } from '../engine/config.ts';
import { SpintrainEngine, type Draws, type Parameters } from '../engine/wasm-engine.ts';
import { EpochOrder } from '../train/epoch-order.ts';
import { weightFormat, widenToQ24 } from '../engine/weight-format.ts';
import { encodeInputTransform, INPUT_TRANSFORM_META, type InputTransform } from '../data/input-transform.ts';
import type { Split } from '../data/dataset.ts';
import type { BoardCommand } from './serial-stream.ts';
import { BoardLinkError, type BoardLink } from './board-link.ts';
import { DeployError } from './errors.ts';

/** A file of a board build that cannot be used: names the file and the field. */
export class BoardBuildFileError extends DeployError {
  constructor(readonly file: string, readonly field: string, detail: string) {
    super(`${file}: ${field}: ${detail}`);
  }
}

export interface BoardBuild {
  dir: string;
  /** The network the board runs (DIR/weights.stw meta.config). */
  config: NetworkConfig;
  /** The build's initial weights (DIR/weights.stw). */
  weights: WeightsFile;
  /** From DIR/build.json, when present. */
  board?: string;
  linearBytes?: number;
}

/** Reads the build directory `spintrain build --out DIR` wrote. */
export async function readBoardBuild(dir: string): Promise<BoardBuild> {
  const wfile = join(dir, 'weights.stw');
  let weights: WeightsFile;
  try {
    weights = await loadWeights(wfile);
  } catch (e) {
    if (e instanceof WeightsFileError && e.field === 'file') throw new BoardBuildFileError(wfile, 'file', `${e.message.slice(`${wfile}: file: `.length)} (--build: give the directory spintrain build --out wrote)`);
    throw e;
  }
  const config = configOf(weights, wfile);
  const jfile = join(dir, 'build.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(Buffer.from(await readRegularFile(jfile)).toString('utf8'));
  } catch (e) {
    if (e instanceof RegularFileError) throw new BoardBuildFileError(jfile, 'file', `${e.reason} (give the directory spintrain build --out wrote)`);
    if (e instanceof SyntaxError) throw new BoardBuildFileError(jfile, 'file', `not JSON: ${e.message}`);
    throw e;
  }
  const m = manifest as { board?: unknown; layout?: unknown; weightBits?: unknown; memory?: { linearBytes?: unknown } };
  if (typeof m !== 'object' || m === null) throw new BoardBuildFileError(jfile, 'file', 'expected a JSON object');
  if (!Array.isArray(m.layout) || m.layout.join('-') !== config.layout.join('-')) {
    throw new BoardBuildFileError(jfile, 'layout', `${JSON.stringify(m.layout)} differs from the layout of ${wfile} (${config.layout.join('-')})`);
  }
  // build.json's weightBits (absent before issue 16: 32) must be the width of weights.stw's configuration
  if (m.weightBits !== undefined && m.weightBits !== (config.weightBits ?? 32)) {
    throw new BoardBuildFileError(jfile, 'weightBits', `${JSON.stringify(m.weightBits)} differs from the ${config.weightBits ?? 32}-bit weights of ${wfile}`);
  }
  const linear = m.memory?.linearBytes;
  if (linear !== undefined && (typeof linear !== 'number' || !Number.isInteger(linear) || linear <= 0)) {
    throw new BoardBuildFileError(jfile, 'memory.linearBytes', `expected a positive integer, found ${JSON.stringify(linear)}`);
  }
  return { dir, config, weights, board: typeof m.board === 'string' ? m.board : undefined, linearBytes: linear as number | undefined };
}

const none = new Uint8Array(0);

/** Splits tensor lines "t W<l> <count> <hex …>" into parameters; the layout follows from the counts. */
export class DumpReader {
  private readonly w: Int32Array[] = [];
  private readonly b: Int32Array[] = [];
  done = false;

  constructor(private readonly port: string) {}

  line(line: string): void {
    const f = line.trim().split(' ');
    if (f[0] === 'w') {
      this.done = true;
      return;
    }
    if (f[0] !== 't') return;
    const m = /^([WB])(\d+)$/.exec(f[1] ?? '');
    const count = Number(f[2]);
    if (!m || !Number.isInteger(count)) throw new BoardLinkError(this.port, `the board's weight dump has a malformed line: ${JSON.stringify(line.slice(0, 80))}`);
    const values = Int32Array.from(f.slice(3), (h) => parseInt(h, 16) | 0);
    if (values.length !== count) throw new BoardLinkError(this.port, `the board's weight dump ${f[1]}: expected ${count} values, got ${values.length}`);
    (m[1] === 'W' ? this.w : this.b)[Number(m[2])] = values;
  }

  parameters(): Parameters {
    const L = this.b.length;
    if (L === 0 || this.w.length !== L) throw new BoardLinkError(this.port, `the board's weight dump is incomplete (${this.w.length} weight and ${L} bias tensors)`);
    const layout: number[] = [];
    for (let l = 0; l < L; l++) {
      const w = this.w[l];
      const b = this.b[l];
      if (!w || !b || b.length === 0 || w.length % b.length !== 0) throw new BoardLinkError(this.port, `the board's weight dump: W${l} (${w?.length}) and B${l} (${b?.length}) do not fit a layout`);
      if (l === 0) layout.push(w.length / b.length);
      else if (w.length / b.length !== layout[l]) throw new BoardLinkError(this.port, `the board's weight dump: W${l} has ${w.length / b.length} inputs, layer ${l} ${layout[l]} neurons`);
      layout.push(b.length);
    }
    return { layout, fracBits: Q_WEIGHT, weights: this.w, biases: this.b };
  }
}

/** The board's weights and biases ('W'). */
export async function pullParameters(link: BoardLink): Promise<Parameters> {
  const dump = new DumpReader(link.name);
  await link.exchange([{ cmd: 'W', payload: none }], 1, (l) => dump.line(l));
  return dump.parameters();
}

/** The board was built for another layout than the one expected. */
export class BoardLayoutError extends BoardLinkError {
  constructor(port: string, readonly boardLayout: number[], expected: string) {
    super(port, `the board runs layout ${boardLayout.join('-')} (its weight dump), but ${expected}: flash it with a spintrain build for that layout`);
  }
}

/** Refuses a board whose layout (from its dump) differs from the build's or does not fit the data set. */
export function checkBoardLayout(port: string, boardLayout: number[], build: BoardBuild, data?: { name: string; inputs: number; classes: number }): void {
  const want = build.config.layout;
  if (boardLayout.join('-') !== want.join('-')) throw new BoardLayoutError(port, boardLayout, `the build ${build.dir} is ${want.join('-')}`);
  if (data) {
    const outputs = boardLayout[boardLayout.length - 1];
    const fits = boardLayout[0] === data.inputs && (outputs === data.classes || (outputs === 1 && data.classes === 2));
    if (!fits) throw new BoardLayoutError(port, boardLayout, `data set ${data.name} has ${data.inputs} inputs and ${data.classes} classes`);
  }
}

/** Whether the board's parameters (Q24) equal the build's weights (a board fresh from flashing); narrow W widened to Q24. */
export function sameAsBuild(p: Parameters, build: BoardBuild): boolean {
  const byName = new Map(build.weights.tensors.map((t) => [t.name, (t.bits ?? 32) === 32 ? t.data : widenToQ24(t.data, { ...weightFormat(t.bits), fracBits: t.fracBits ?? Q_WEIGHT })]));
  const eq = (a: Int32Array, b: Int32Array | undefined): boolean => !!b && a.length === b.length && a.every((v, i) => v === b[i]);
  return p.weights.every((w, l) => eq(w, byName.get(`W${l}`))) && p.biases.every((b, l) => eq(b, byName.get(`B${l}`)));
}

export interface BoardEpoch {
  epoch: number;
  /** Steps the board counted ('R') and how many of them it predicted right before updating. */
  steps: number;
  correct: number;
  trainAccuracy: number;
  /** The board's own training time [s] ('R' train_us; 0 where the board has no clock). */
  boardSeconds: number;
  /** Wall time of the epoch on the host, link included [s]. */
  seconds: number;
  samplesPerSecond: number;
}

export interface BoardTrainOptions {
  epochs: number;
  /** First epoch (its index goes to 'E': the learning-rate decay and draw seed). Default 0. */
  startEpoch?: number;
  /** After each acknowledgement: samples of this epoch taken, of n. */
  onProgress?: (epoch: number, done: number, n: number) => void;
  onEpoch?: (r: BoardEpoch) => void | Promise<void>;
}

/** The frames of one epoch: 'E', 'S' per sample in `order`, 'R'. */
function epochCommands(split: Split, inputs: number, epoch: number, order: Int32Array): { count: number; command: (i: number) => BoardCommand } {
  const n = order.length;
  return {
    count: n + 2,
    command: (i) => {
      if (i === 0) return { cmd: 'E', payload: Uint8Array.of(epoch & 0xff, (epoch >> 8) & 0xff) };
      if (i === n + 1) return { cmd: 'R', payload: none };
      const s = order[i - 1];
      const payload = new Uint8Array(1 + inputs);
      payload[0] = split.y[s];
      payload.set(split.x.subarray(s * inputs, (s + 1) * inputs), 1);
      return { cmd: 'S', payload };
    },
  };
}

/** Trains the board on `split`, epoch by epoch, in the host trainer's sample order for `seed`. */
export async function trainOnBoard(link: BoardLink, split: Split, inputs: number, seed: number, opts: BoardTrainOptions): Promise<BoardEpoch[]> {
  if (opts.epochs > 65536) throw new DeployError(`${opts.epochs} epochs: the board's 'E' command carries a 16-bit epoch`);
  const orders = new EpochOrder(seed, split.n);
  const start = opts.startEpoch ?? 0;
  orders.skip(start);
  const out: BoardEpoch[] = [];
  for (let e = start; e < opts.epochs; e++) {
    const order = orders.next();
    let report: string | undefined;
    const t0 = performance.now();
    await link.exchange(epochCommands(split, inputs, e, order), 2, (line) => {
      if (line.startsWith('r ')) report = line;
    }, (acked) => opts.onProgress?.(e, Math.max(0, Math.min(split.n, acked - 1)), split.n));
    const seconds = (performance.now() - t0) / 1000;
    const f = (report ?? '').split(' ').map(Number);
    if (f.length < 3 || !f.slice(1).every(Number.isFinite)) throw new BoardLinkError(link.name, `the board's report for epoch ${e + 1} is malformed: ${JSON.stringify(report)}`);
    const [steps, correct, micros] = [f[1], f[2], f[3] ?? 0];
    if (steps !== split.n) throw new BoardLinkError(link.name, `the board counted ${steps} training steps in epoch ${e + 1}, the host sent ${split.n}: a frame ran twice or was skipped`);
    const r: BoardEpoch = { epoch: e, steps, correct, trainAccuracy: correct / steps, boardSeconds: micros / 1e6, seconds, samplesPerSecond: split.n / Math.max(seconds, 1e-9) };
    out.push(r);
    await opts.onEpoch?.(r);
  }
  return out;
}

/** The board's predictions ('P') for every sample of `split`, and its accuracy. */
export async function evaluateOnBoard(link: BoardLink, split: Split, inputs: number, onProgress?: (done: number, n: number) => void): Promise<{ predictions: number[]; correct: number; accuracy: number; seconds: number }> {
  const predictions: number[] = [];
  const t0 = performance.now();
  await link.exchange({ count: split.n, command: (i) => ({ cmd: 'P', payload: split.x.slice(i * inputs, (i + 1) * inputs) }) }, split.n, (line) => {
    if (line.startsWith('p ')) predictions.push(Number(line.slice(2)));
  }, (acked) => onProgress?.(acked, split.n));
  let correct = 0;
  predictions.forEach((p, i) => (correct += p === split.y[i] ? 1 : 0));
  return { predictions, correct, accuracy: correct / Math.max(1, split.n), seconds: (performance.now() - t0) / 1000 };
}

/**
 * The board's parameters as a spintrain weights file of the build's configuration (meta.config), with the
 * input transform the samples went through (meta.inputTransform) and `meta`. The dump holds weights and
 * biases only: with momentum, the velocities are written as zeros.
 */
export function boardWeightsFile(config: NetworkConfig, p: Parameters, meta: Record<string, string | number>, transform?: InputTransform): WeightsFile {
  if (p.layout.join('-') !== config.layout.join('-')) throw new WeightsFileError('(board dump)', 'layout', `expected ${config.layout.join('-')}, found ${p.layout.join('-')}`);
  const c = config as NetworkConfig<TrainingAlgorithm>;
  const draws: Draws = c.algorithm === 'pair' ? { kind: 'pair', source: { stepZ: c.pairStep ?? DEFAULT_PAIR_STEP, readLayer: () => {} }, via: 'import' } : { kind: 'prng' };
  const engine = new SpintrainEngine(c, draws);
  engine.importParameters(p);
  return engineToWeightsFile(engine, transform ? { ...meta, [INPUT_TRANSFORM_META]: encodeInputTransform(transform) } : meta);
}
