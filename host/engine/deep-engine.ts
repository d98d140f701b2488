/**
 * Typed wrapper over the deep module (build/spintrain.deep.wasm; assembly/deep.ts): builds the node chain
 * of a DeepConfig, places the memory plan, trains and evaluates on u8 splits, reads counters and weights.
 * Memory: [static data | plan | host arena: data sets]; the host grows the memory, the module never does.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as loader from '@assemblyscript/loader';
import { packagePath } from '../package-root.ts';
import { check } from './errors.ts';
import { ConfigError } from './config.ts';
import { decodeCounters, COUNTER_SLOTS, LOSS_SLOT, type OpCounters } from './counters.ts';
import { epochDrawSeed } from './draw-seed.ts';
import { validateDeepConfig, sparsityQ16, DEEP_ALGORITHMS, type DeepConfig } from './deep-config.ts';
import type { WasmSplit } from './wasm-engine.ts';

export const DEEP_WASM_PATH = packagePath('build', 'spintrain.deep.wasm');

/** Regions of a node (assembly/graph.ts R_*). */
export const DeepRegion = { W: 0, B: 1, A: 2, Z: 3, D: 4, P: 5, BITS: 6, CNT: 7 } as const;

const ACT = { sigmoid: 0, tanh: 1, relu: 2 } as const;
const POOL = { maxpool: 1, avgpool: 2 } as const;

interface DeepExports {
  memory: WebAssembly.Memory;
  inputShape(c: number, h: number, w: number): number;
  addConv(outC: number, kernel: number, stride: number, pad: number, skip: number): number;
  addDense(n: number, skip: number): number;
  addPool(kind: number, size: number): number;
  setLinear(node: number): number;
  setNodeRate(node: number, q16: number): number;
  configure(act: number, algo: number, source: number, flags: number, pairsLog2: number): number;
  setSparsity(aQ16: number, bQ16: number, cQ16: number): number;
  sizeofTrainingMemory(): number;
  scheduleTrainingMemory(base: number): number;
  setLearningRate(q16: number): number;
  setDecay(q16: number): void;
  setEpoch(e: number): void;
  initWeights(seed: number): number;
  rngSeed(s: number): void;
  heapBase(): number;
  countersPtr(): number;
  regionPtr(r: number, i: number): number;
  nodeUnits(i: number): number;
  inputU8(p: number): void;
  trainStep(label: number): number;
  predict(): number;
  trainEpochU8(x: number, y: number, order: number, count: number): number;
  evaluateU8(x: number, y: number, count: number): number;
}

/** Reads the deep module, with a clear error when it has not been built. */
export function readDeepWasm(path = DEEP_WASM_PATH): Uint8Array {
  if (!existsSync(path)) throw new Error(`${path}: the deep module is missing; build it with \`npm run build:wasm\``);
  return readFileSync(path);
}

const align = (v: number, a: number): number => Math.ceil(v / a) * a;

export class DeepEngine {
  readonly config: DeepConfig;
  readonly exports: DeepExports;
  readonly planBytes: number;
  /** Units per node, node 0 the input. */
  readonly units: number[];
  /** Index of each weight (conv or dense) node. */
  readonly weightNodes: number[];
  private readonly arenaStart: number;
  private arenaTop: number;
  private readonly orderScratch: number;
  private epoch = 0;

  constructor(config: DeepConfig, sample?: (h: number, n: number, p: number, b: number, d: number) => void, wasm: Uint8Array = readDeepWasm()) {
    this.config = validateDeepConfig(config);
    const imports = { env: { mtj_sample: sample ?? (() => { throw new Error('the deep module called env.mtj_sample, but no device was given'); }) } };
    const e = loader.instantiateSync(wasm, imports as unknown as loader.Imports).exports as unknown as DeepExports;
    this.exports = e;
    const [c, h, w] = config.input;
    check('inputShape', e.inputShape(c, h, w));
    config.nodes.forEach((n, i) => {
      const rc =
        n.kind === 'conv' ? e.addConv(n.channels, n.kernel, n.stride ?? 1, n.pad ?? 0, n.skip ?? -1)
        : n.kind === 'dense' ? e.addDense(n.units, n.skip ?? -1)
        : e.addPool(POOL[n.kind], n.size);
      if (rc < 0) throw new ConfigError(`nodes[${i}]`, shapeMessage(rc, config, i));
      if ((n.kind === 'conv' || n.kind === 'dense') && n.linear) check('setLinear', e.setLinear(rc));
      if ((n.kind === 'conv' || n.kind === 'dense') && n.learningRate !== undefined) {
        const q16 = Math.round(n.learningRate * 65536);
        // 0 would mean "the network's rate" to the module (assembly/graph.ts setNodeRate)
        if (q16 < 1) throw new ConfigError(`nodes[${i}].learningRate`, `${n.learningRate} rounds to 0 in Q16 (the smallest rate is 2^-16 = 1.5e-5)`);
        check('setNodeRate', e.setNodeRate(rc, q16));
      }
    });
    // the module's algorithm ids are DEEP_ALGORITHMS' indices (bp 0, pgaf 1, topk 2, random 3, adaptive 4)
    check('configure', e.configure(ACT[config.activation], DEEP_ALGORITHMS.indexOf(config.algorithm), sample ? 1 : 0, config.reluSampled ? 1 : 0, Math.log2(config.pairs)));
    const knob = sparsityQ16(config);
    if (knob) check('setSparsity', e.setSparsity(...knob));
    this.units = Array.from({ length: config.nodes.length + 1 }, (_, i) => check('nodeUnits', e.nodeUnits(i)));
    this.weightNodes = config.nodes.flatMap((n, i) => (n.kind === 'conv' || n.kind === 'dense' ? [i + 1] : []));
    this.planBytes = check('sizeofTrainingMemory', e.sizeofTrainingMemory());
    const base = align(e.heapBase(), 8);
    this.orderScratch = base + this.planBytes;
    this.arenaStart = this.arenaTop = this.orderScratch;
    this.ensureMemory(this.arenaStart);
    check('scheduleTrainingMemory', e.scheduleTrainingMemory(base));
    check('setLearningRate', e.setLearningRate(Math.round(config.learningRate * 65536)));
    e.setDecay(Math.round(config.decay * 65536));
    check('initWeights', e.initWeights(config.seed >>> 0));
    this.setEpoch(0);
  }

  private mem(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  private ensureMemory(end: number): void {
    const have = this.mem().byteLength;
    if (end > have) this.exports.memory.grow(Math.ceil((end - have) / 65536));
  }

  /** Learning-rate schedule and the draws' seed of an epoch (0-based), as SpintrainEngine.setEpoch. */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
    this.exports.setEpoch(epoch);
    this.exports.rngSeed(epochDrawSeed(this.config.seed, epoch));
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /** A node's region as a live Int32Array view (Q24 W, B, D; Q16 A, Z, P). */
  region(r: number, node: number, length: number): Int32Array {
    return new Int32Array(this.mem(), check('regionPtr', this.exports.regionPtr(r, node)), length);
  }

  /** Weights of weight node i, [Co][Ci][kh][kw] (dense: [n][inputs]), Q24. */
  weights(i: number): Int32Array {
    const bias = this.biases(i).length;
    const inUnits = this.units[i - 1];
    const n = this.config.nodes[i - 1];
    const taps = n.kind === 'conv' ? n.kernel * n.kernel * (inUnits / (this.heightOf(i - 1) * this.widthOf(i - 1))) : inUnits;
    return this.region(DeepRegion.W, i, bias * taps);
  }

  biases(i: number): Int32Array {
    const n = this.config.nodes[i - 1];
    return this.region(DeepRegion.B, i, n.kind === 'conv' ? n.channels : n.kind === 'dense' ? n.units : 0);
  }

  activations(i: number): Int32Array {
    return this.region(DeepRegion.A, i, this.units[i]);
  }

  private shapes(): [number, number, number][] {
    const s: [number, number, number][] = [this.config.input];
    for (const n of this.config.nodes) {
      const [c, h, w] = s[s.length - 1];
      if (n.kind === 'dense') s.push([n.units, 1, 1]);
      else if (n.kind === 'conv') {
        const st = n.stride ?? 1;
        const p = n.pad ?? 0;
        s.push([n.channels, Math.floor((h + 2 * p - n.kernel) / st) + 1, Math.floor((w + 2 * p - n.kernel) / st) + 1]);
      } else s.push([c, Math.floor(h / n.size), Math.floor(w / n.size)]);
    }
    return s;
  }

  /** Shape [C, H, W] of node i. */
  shape(i: number): [number, number, number] {
    return this.shapes()[i];
  }

  private heightOf(i: number): number {
    return this.shape(i)[1];
  }

  private widthOf(i: number): number {
    return this.shape(i)[2];
  }

  /** Copies a split (u8 features, u8 labels) into module memory, after the plan. */
  loadSplit(split: { x: Uint8Array; y: Uint8Array; n: number }): WasmSplit {
    if (split.x.length !== split.n * this.units[0]) throw new RangeError(`split: expected ${split.n} × ${this.units[0]} features, got ${split.x.length} bytes`);
    const x = this.arenaTop;
    const y = align(x + split.x.length, 8);
    const end = align(y + split.n, 8);
    this.ensureMemory(end + split.n * 4 + 8);
    new Uint8Array(this.mem(), x, split.x.length).set(split.x);
    new Uint8Array(this.mem(), y, split.n).set(split.y.subarray(0, split.n));
    this.arenaTop = end;
    return { x, y, n: split.n };
  }

  /** Overwrites a loaded split's features (the same n × inputs bytes), e.g. with an epoch's shifted copy. */
  writeFeatures(split: WasmSplit, x: Uint8Array): void {
    if (x.length !== split.n * this.units[0]) throw new RangeError(`features: expected ${split.n} × ${this.units[0]} bytes, got ${x.length}`);
    new Uint8Array(this.mem(), split.x, x.length).set(x);
  }

  freeSplits(): void {
    this.arenaTop = this.arenaStart;
  }

  /** Trains on a loaded split in the given order (default natural); returns the correct count before each update. */
  trainEpoch(split: WasmSplit, order?: ArrayLike<number>): number {
    let at = 0;
    if (order) {
      if (order.length !== split.n) throw new RangeError(`order: expected ${split.n} indices, got ${order.length}`);
      at = align(this.arenaTop, 8);
      this.ensureMemory(at + 4 * split.n);
      new Int32Array(this.mem(), at, split.n).set(order);
    }
    return check('trainEpochU8', this.exports.trainEpochU8(split.x, split.y, at, split.n));
  }

  evaluate(split: WasmSplit): number {
    return check('evaluateU8', this.exports.evaluateU8(split.x, split.y, split.n));
  }

  /** One step on one sample (features u8, label); returns the class predicted before the update. */
  trainSample(x: Uint8Array, label: number): number {
    const a = this.activationsInput();
    for (let i = 0; i < x.length; i++) a[i] = x[i] * 257;
    return this.exports.trainStep(label);
  }

  private activationsInput(): Int32Array {
    return this.region(DeepRegion.A, 0, this.units[0]);
  }

  private counterSlots(): BigInt64Array {
    return new BigInt64Array(this.mem(), this.exports.countersPtr(), COUNTER_SLOTS);
  }

  /**
   * Counters since the last reset; kept[0] and seen[0] sum every hidden node. topk and adaptive also report
   * activationGradient.compares, their selection's comparisons (assembly/select.ts); the other algorithms
   * select nothing and report no such field (their counters read as before issue 18).
   */
  counters(): OpCounters {
    const selects = this.config.algorithm === 'topk' || this.config.algorithm === 'adaptive';
    return decodeCounters(this.counterSlots(), 1, { compares: selects });
  }

  /** Training loss summed over the steps since the last reset, nats. */
  lossSum(): number {
    return Number(this.counterSlots()[LOSS_SLOT]) / 65536;
  }

  resetCounters(): void {
    this.counterSlots().fill(0n);
  }
}

function shapeMessage(rc: number, config: DeepConfig, i: number): string {
  if (rc === -9) return `does not fit its input (an empty or too large output, or a skip from a node of another size)`;
  if (rc === -3) return `an option outside the module's range (${JSON.stringify(config.nodes[i])})`;
  if (rc === -1) return 'too many nodes';
  return `the module refused it (code ${rc})`;
}
