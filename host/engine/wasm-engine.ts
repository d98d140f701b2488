/**
 * Typed wrapper over the spintrain WebAssembly module (build/spintrain.wasm, loaded with
 * @assemblyscript/loader): builds a network from a layout, places its memory plan, trains on a
 * sample or an epoch, predicts, reads counters, exports and imports parameters.
 *
 * Memory: [static data | plan (sizeofTrainingMemory) | host arena: input scratch, data sets].
 * The module never grows its memory; the host grows it before placing the plan or a data set.
 *
 * Draws: the constructor picks one DrawDriver (draw-driver.ts) for the draw source, and every step goes
 * through it. Each step has one path, which returns a value for a synchronous source and a Promise for
 * an asynchronous one; the synchronous entry points (trainSample, trainSoftTarget, trainOutputGradient,
 * predict, evaluate) are that path with AsyncSourceError when a source answers with a Promise.
 */
import { readFileSync, existsSync } from 'node:fs';
import { packagePath } from '../package-root.ts';
import * as loader from '@assemblyscript/loader';
import { check } from './errors.ts';
import { configureArgs, tuningCalls } from './engine-setup.ts';
import { epochDrawSeed } from './draw-seed.ts';
import { drawDriver, after, inOrder, settled, type DrawDriver, type Draws, type Maybe, type SyncCall } from './draw-driver.ts';
import { decodeCounters, COUNTER_SLOTS, LOSS_SLOT, type OpCounters } from './counters.ts';
import { weightFormat, weightModulePath, widenToQ24, narrowFromQ24, type WeightArray, type WeightFormat } from './weight-format.ts';
import { Q_WEIGHT, ConfigError, learningRates, validateNetworkConfig, type NetworkConfig, type TrainingAlgorithm, type Algorithm } from './config.ts';

export type { Draws } from './draw-driver.ts';
export type { EngineExports } from './engine-exports.ts';
import type { EngineExports } from './engine-exports.ts';

export const WASM_PATH = packagePath('build', 'spintrain.wasm');


export const Region = { W: 0, B: 1, VW: 2, VB: 3, A: 4, Z: 5, D: 6, P: 7, BITS: 8, SLOPE: 9, SHIFT: 10 } as const;

/** A data split copied into module memory (u8 features, u8 labels). */
export interface WasmSplit {
  x: number;
  y: number;
  n: number;
}

/** Reads the release module (SPINTRAIN_WASM overrides its path: the benchmark pins one build), with a clear error when it has not been built. */
export function readEngineWasm(path = process.env.SPINTRAIN_WASM || WASM_PATH): Uint8Array {
  if (!existsSync(path)) throw new Error(`${path}: the engine module is missing; build it with \`npm run build:wasm\``);
  return readFileSync(path);
}

/** Instantiates the module alone (for kernel tests); mtj_sample calls `sample` when given. */
export function instantiateEngine(wasm: Uint8Array = readEngineWasm(), sample?: (h: number, n: number, p: number, b: number, d: number) => void): EngineExports {
  const imports = {
    env: {
      mtj_sample:
        sample ??
        (() => {
          throw new Error('engine called env.mtj_sample, but no host bit source was given');
        }),
    },
  };
  return loader.instantiateSync(wasm, imports as unknown as loader.Imports).exports as unknown as EngineExports;
}

export class SpintrainEngine<A extends TrainingAlgorithm = Algorithm> {
  readonly config: NetworkConfig<A>;
  readonly exports: EngineExports;
  readonly planBase: number;
  readonly planBytes: number;
  /** How the module stores the weights W (host/engine/weight-format.ts; config.weightBits, default 32). */
  readonly weightFormat: WeightFormat;
  private readonly driver: DrawDriver;
  private readonly inputScratch: number;
  private arenaTop: number;
  private readonly arenaStart: number;
  private epoch = 0;
  private gradientScratch?: Float64Array;

  constructor(config: NetworkConfig<A>, draws: Draws = { kind: 'prng' }, wasm?: Uint8Array) {
    this.config = validateNetworkConfig(config);
    this.driver = drawDriver(this, this.config, draws);
    this.weightFormat = weightFormat(this.config.weightBits ?? 32);
    const bits = this.weightFormat.bits;
    this.exports = instantiateEngine(wasm ?? readEngineWasm(bits === 32 ? undefined : weightModulePath(bits)), (h, n, p, b, d) => this.driver.serveImport(h, n, p, b, d));
    const e = this.exports;
    // the narrow builds name their format (assembly/narrow.ts); the release module has no such export
    const stored = e.weightBits ? e.weightBits() : 32;
    if (stored !== bits || (e.weightFracBits ? e.weightFracBits() : 24) !== this.weightFormat.fracBits) {
      throw new ConfigError('weightBits', `the module stores ${stored}-bit weights, the configuration asks for ${bits} (${this.weightFormat.module})`);
    }
    const { layout } = config;
    layout.forEach((n, k) => check('layoutSet', e.layoutSet(k, n)));
    check('configure', (e.configure as (...args: number[]) => number)(...configureArgs(config, this.driver.source)));
    this.planBytes = check('sizeofTrainingMemory', e.sizeofTrainingMemory());
    this.planBase = align(e.heapBase(), 8);
    this.inputScratch = this.planBase + this.planBytes;
    this.arenaStart = align(this.inputScratch + layout[0], 8);
    this.arenaTop = this.arenaStart;
    this.ensureMemory(this.arenaStart);
    check('scheduleTrainingMemory', e.scheduleTrainingMemory(this.planBase));
    // The rest of the setup, in the one order every runtime replays (engine-setup.ts).
    const calls = e as unknown as Record<string, (...args: number[]) => number | void>;
    for (const [name, args] of tuningCalls(config)) {
      const rc = calls[name](...args);
      if (typeof rc === 'number') check(name, rc);
    }
  }

  get layout(): number[] {
    return this.config.layout;
  }

  get hiddenLayers(): number {
    return this.config.layout.length - 2;
  }

  /** Sets the learning-rate schedule for an epoch (0-based): lr0 / (1 + decay·epoch). */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
    this.exports.setEpoch(epoch);
    // Each epoch's draws start from their own seed (resumed runs draw what the uninterrupted run drew).
    this.exports.rngSeed(epochDrawSeed(this.config.seed, epoch));
  }

  /**
   * Weight layer l's rate for the rest of training: the configured rate × factor, with the current
   * epoch's decay applied (the draws' generator is left alone).
   */
  setRateFactor(l: number, factor: number): void {
    check('setLearningRate', this.exports.setLearningRate(l, Math.round(learningRates(this.config)[l] * factor * 65536)));
    this.exports.setEpoch(this.epoch);
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  private mem(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  private ensureMemory(end: number): void {
    const have = this.mem().byteLength;
    if (end > have) this.exports.memory.grow(Math.ceil((end - have) / 65536));
  }

  private region(r: number, k: number, length: number): Int32Array {
    return new Int32Array(this.mem(), check('regionPtr', this.exports.regionPtr(r, k)), length);
  }

  /**
   * Weights of weight layer l, row-major n[l+1] × n[l], as stored (a live view): Int32Array Q24, or with
   * narrow weights Int16Array Q12 / Int8Array Q6 (this.weightFormat).
   */
  weights(l: number): WeightArray {
    const n = this.layout[l] * this.layout[l + 1];
    const at = check('regionPtr', this.exports.regionPtr(Region.W, l));
    const bits = this.weightFormat.bits;
    return bits === 32 ? new Int32Array(this.mem(), at, n) : bits === 16 ? new Int16Array(this.mem(), at, n) : new Int8Array(this.mem(), at, n);
  }

  /** Biases of weight layer l, Q24 (a live view). */
  biases(l: number): Int32Array {
    return this.region(Region.B, l, this.layout[l + 1]);
  }

  /** Momentum velocities of weight layer l's weights (Q24; only with momentum > 0). */
  velocityWeights(l: number): Int32Array {
    return this.region(Region.VW, l, this.layout[l] * this.layout[l + 1]);
  }

  /** Momentum velocities of weight layer l's biases (Q24; only with momentum > 0). */
  velocityBiases(l: number): Int32Array {
    return this.region(Region.VB, l, this.layout[l + 1]);
  }

  /** Pre-activations z of layer k ≥ 1, Q16 (a live view). */
  preActivations(k: number): Int32Array {
    return this.region(Region.Z, k, this.layout[k]);
  }

  /** Trainable activation: slopes k_j of hidden layer k (1-based), Q24 (a live view). */
  slopes(k: number): Int32Array {
    this.assertTrainable();
    return this.region(Region.SLOPE, k, this.layout[k]);
  }

  /** Trainable activation: shifts c_j of hidden layer k (1-based), Q24 (a live view). */
  shifts(k: number): Int32Array {
    this.assertTrainable();
    return this.region(Region.SHIFT, k, this.layout[k]);
  }

  private assertTrainable(): void {
    if (!this.config.trainableActivation) throw new ConfigError('trainableActivation', 'this network has no trainable activation');
  }

  /** pair: the twin voltages (V1, V2) of hidden layer k, Q16 (a live view of BITS[k]). */
  pairVoltages(k: number): Int32Array {
    return this.region(Region.BITS, k, 2 * this.layout[k]);
  }

  /** Activations of layer k (0 = input), Q16 (a live view); the output layer holds probabilities. */
  activations(k: number): Int32Array {
    return this.region(Region.A, k, this.layout[k]);
  }

  /** Deltas of layer k ≥ 1, Q24 (a live view; only kept neurons are written in a step). */
  deltas(k: number): Int32Array {
    return this.region(Region.D, k, this.layout[k]);
  }

  /** Draw probabilities of hidden layer k (1-based layer index), Q16. */
  probabilities(k: number): Int32Array {
    return this.region(Region.P, k, this.layout[k]);
  }

  /** Draw buffer of hidden layer k (1-based layer index): drawsPerNeuron() bytes per neuron. */
  bits(k: number): Uint8Array {
    return new Uint8Array(this.mem(), check('regionPtr', this.exports.regionPtr(Region.BITS, k)), this.drawsPerNeuron() * this.layout[k]);
  }

  /** 2K draws per neuron for K pgaf pairs (K for the sampled ReLU). */
  drawsPerNeuron(): number {
    return (this.config.activation === 'relu' ? 1 : 2) * this.config.pairs;
  }

  /** Copies u8 features into the input scratch and converts them to Q16 in the module. */
  setInput(x: Uint8Array): void {
    if (x.length !== this.layout[0]) throw new RangeError(`input: expected ${this.layout[0]} features, got ${x.length}`);
    new Uint8Array(this.mem(), this.inputScratch, x.length).set(x);
    this.exports.inputU8(this.inputScratch);
  }

  /** One SGD step; returns the class predicted before the update. Needs a synchronous draw source. */
  trainSample(x: Uint8Array, label: number): number {
    this.setInput(x);
    return settled(this.stepOnInput(label, 'trainSample'), 'trainSample');
  }

  /** One SGD step with any draw source, also an asynchronous one (e.g. a johnny-five MTJ board). */
  async trainSampleAsync(x: Uint8Array, label: number): Promise<number> {
    this.setInput(x);
    return this.stepOnInput(label, undefined);
  }

  /** One SGD step on the input in A[0]: the driver's training forward pass, then the module's backward pass and update. */
  private stepOnInput(label: number, sync: SyncCall): Maybe<number> {
    return after(
      this.driver.trainForward(sync),
      (y) => {
        this.exports.trainBackward(label);
        return y;
      },
      sync,
    );
  }

  /**
   * Distillation step on soft targets (y_k ≥ 0, Σ y_k = 1, e.g. α·softmax(z_teacher/T) + (1 − α)·onehot):
   * δ_k = p_k − y_k at the network's temperature. Returns the class predicted before the update.
   */
  trainSoftTarget(x: Uint8Array, target: ArrayLike<number>): number {
    const L = this.layout.length - 1;
    if (target.length !== this.layout[L]) throw new RangeError(`target: expected ${this.layout[L]} values, got ${target.length}`);
    const y = this.trainingForward(x, 'trainSoftTarget');
    const d = this.deltas(L); // holds the soft targets in Q16 until trainBackward(−1) makes them Q24 deltas (assembly/plan.ts)
    for (let k = 0; k < d.length; k++) d[k] = Math.round(target[k] * 65536);
    this.exports.trainBackward(-1);
    return y;
  }

  /**
   * Training step on an output gradient computed by the host (e.g. a distillation loss): after the
   * training forward pass, gradient(z, p, delta) gets the output pre-activations z and probabilities
   * p (Q16, live views) and writes δ_k = ∂loss/∂z_k into delta. The module's backward pass and update
   * then run on exactly round(δ·2^16) (its Q16 output error): the host writes y = p − δ into D[L]
   * and calls trainBackward(−1), where δ_k = p_k − y_k (softmax output). Returns the class predicted
   * before the update.
   */
  trainOutputGradient(x: Uint8Array, gradient: (z: Int32Array, p: Int32Array, delta: Float64Array) => void): number {
    const L = this.layout.length - 1;
    if (this.config.output !== 'softmax') throw new ConfigError('output', 'an output gradient needs the softmax output (δ = p − y)');
    const y = this.trainingForward(x, 'trainOutputGradient');
    const n = this.layout[L];
    const delta = (this.gradientScratch ??= new Float64Array(n));
    delta.fill(0);
    const p = this.activations(L);
    gradient(this.preActivations(L), p, delta);
    const d = this.deltas(L);
    for (let k = 0; k < n; k++) {
      const e = Math.round(delta[k] * 65536);
      // the module forms δ = (p − y) << 8 in Q24: |δ| < 128
      if (!(Math.abs(e) < 2 ** 23)) throw new RangeError(`output gradient δ[${k}] = ${delta[k]}: expected a finite number in (−128, 128)`);
      d[k] = p[k] - e;
    }
    this.exports.trainBackward(-1);
    return y;
  }

  /** The training forward pass on one input (hidden draws from a synchronous source included); returns argmax. */
  private trainingForward(x: Uint8Array, caller: string): number {
    this.setInput(x);
    return settled(this.driver.trainForward(caller), caller);
  }

  /** Predicted class for one input (no update, not counted). */
  predict(x: Uint8Array): number {
    this.setInput(x);
    return settled(this.uncounted(() => this.driver.predict('predict'), 'predict'), 'predict');
  }

  /** Runs f with the op counters restored afterwards (evaluation is not training work). */
  private uncounted<T>(f: () => Maybe<T>, sync: SyncCall): Maybe<T> {
    const slots = this.counterSlots().slice();
    return after(
      f(),
      (r) => {
        this.counterSlots().set(slots);
        return r;
      },
      sync,
    );
  }

  /** Copies a split into module memory (kept until freeSplits). */
  loadSplit(split: { x: Uint8Array; y: Uint8Array; n: number }): WasmSplit {
    if (split.x.length !== split.n * this.layout[0]) {
      throw new RangeError(`split: expected ${split.n} × ${this.layout[0]} features, got ${split.x.length} bytes`);
    }
    const x = this.arenaTop;
    const y = align(x + split.x.length, 8);
    const end = align(y + split.n, 8);
    this.ensureMemory(end);
    new Uint8Array(this.mem(), x, split.x.length).set(split.x);
    new Uint8Array(this.mem(), y, split.n).set(split.y.subarray(0, split.n));
    this.arenaTop = end;
    return { x, y, n: split.n };
  }

  freeSplits(): void {
    this.arenaTop = this.arenaStart;
  }

  /**
   * Trains on the samples of a split at the given indices (default: all, in natural order) and
   * returns the number predicted correctly before their update. Runs entirely in the module unless the
   * host fills the draws (the driver steps through the samples then, awaiting an asynchronous source).
   */
  async trainEpoch(split: WasmSplit, order?: Int32Array): Promise<number> {
    const e = this.exports;
    const count = order ? order.length : split.n;
    if (order?.some((i) => i < 0 || i >= split.n)) throw new RangeError(`order: indices must lie in 0..${split.n - 1}`);
    if (this.driver.epochsInModule) {
      let orderPtr = 0;
      if (order) {
        orderPtr = align(this.arenaTop, 8);
        this.ensureMemory(orderPtr + 4 * order.length);
        new Int32Array(this.mem(), orderPtr, order.length).set(order);
      }
      return check('trainEpochU8', e.trainEpochU8(split.x, split.y, orderPtr, count));
    }
    let correct = 0;
    await inOrder(
      0,
      count,
      (s) => {
        const i = order ? order[s] : s;
        e.inputU8(split.x + i * this.layout[0]);
        const label = this.labelAt(split, i);
        return after(
          this.stepOnInput(label, undefined),
          (y) => {
            if (y === label) correct++;
          },
          undefined,
        );
      },
      undefined,
    );
    return correct;
  }

  /** Correctly classified samples of a split (no update, not counted). Needs a synchronous draw source. */
  evaluate(split: WasmSplit): number {
    return settled(this.evaluateSplit(split, 'evaluate'), 'evaluate');
  }

  /** Like evaluate, with any draw source (an asynchronous pair source is read for every sample). */
  async evaluateAsync(split: WasmSplit): Promise<number> {
    return this.evaluateSplit(split, undefined);
  }

  private evaluateSplit(split: WasmSplit, sync: SyncCall): Maybe<number> {
    if (this.driver.evaluatesInModule) return check('evaluateU8', this.exports.evaluateU8(split.x, split.y, split.n));
    let correct = 0;
    const each = (s: number): Maybe<void> => {
      this.exports.inputU8(split.x + s * this.layout[0]);
      return after(
        this.driver.predict(sync),
        (y) => {
          if (y === this.labelAt(split, s)) correct++;
        },
        sync,
      );
    };
    return this.uncounted(() => after(inOrder(0, split.n, each, sync), () => correct, sync), sync);
  }

  /** Label of sample i of a split in module memory. */
  private labelAt(split: WasmSplit, i: number): number {
    return new Uint8Array(this.mem(), split.y + i, 1)[0];
  }

  counters(): OpCounters {
    return decodeCounters(this.counterSlots(), this.hiddenLayers);
  }

  resetCounters(): void {
    this.counterSlots().fill(0n);
  }

  /**
   * Training loss summed over the steps since the counters were reset (assembly/loss.ts): −ln p_y
   * [nats] per step for softmax outputs, ½ Σ (a − y)² for sigmoid outputs; ≤ 0.001 nats per step from
   * the exact value.
   */
  lossSum(): number {
    return Number(this.counterSlots()[LOSS_SLOT]) / 65536;
  }

  /** The module's counter block (a view: it moves when memory grows). */
  private counterSlots(): BigInt64Array {
    return new BigInt64Array(this.mem(), this.exports.countersPtr(), COUNTER_SLOTS);
  }

  /** Copies of all weights and biases (Q24; narrow weights widened, exactly). */
  exportParameters(): Parameters {
    const L = this.layout.length - 1;
    const weights: Int32Array[] = [];
    const biases: Int32Array[] = [];
    for (let l = 0; l < L; l++) {
      const w = this.weights(l);
      weights.push(w instanceof Int32Array ? w.slice() : widenToQ24(w, this.weightFormat));
      biases.push(this.biases(l).slice());
    }
    const p: Parameters = { layout: [...this.layout], fracBits: Q_WEIGHT, weights, biases };
    if (this.config.trainableActivation) {
      p.slopes = [];
      p.shifts = [];
      for (let k = 1; k < L; k++) {
        p.slopes.push(this.slopes(k).slice());
        p.shifts.push(this.shifts(k).slice());
      }
    }
    return p;
  }

  /**
   * Replaces all weights and biases; the layout must match. Narrow weights take the Q24 values rounded half
   * up to their step and saturated (exact for what exportParameters gave).
   */
  importParameters(p: Parameters): void {
    if (p.layout.length !== this.layout.length || p.layout.some((n, i) => n !== this.layout[i])) {
      throw new RangeError(`parameters: layout ${p.layout.join('-')} does not match the network's ${this.layout.join('-')}`);
    }
    if (p.fracBits !== Q_WEIGHT) throw new RangeError(`parameters: expected Q${Q_WEIGHT} weights, got Q${p.fracBits}`);
    p.weights.forEach((w, l) => this.weights(l).set(this.weightFormat.bits === 32 ? w : narrowFromQ24(w, this.weightFormat)));
    p.biases.forEach((b, l) => this.biases(l).set(b));
    p.slopes?.forEach((k, h) => this.slopes(h + 1).set(k));
    p.shifts?.forEach((c, h) => this.shifts(h + 1).set(c));
  }
}

/** Weights and biases per weight layer, fixed point with fracBits fractional bits. */
export interface Parameters {
  layout: number[];
  fracBits: number;
  weights: Int32Array[];
  biases: Int32Array[];
  /** Trainable activation: slopes k and shifts c per hidden layer (Q24 like the weights). */
  slopes?: Int32Array[];
  shifts?: Int32Array[];
}

function align(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}
