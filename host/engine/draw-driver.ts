/**
 * Where the draws come from, as the one interface SpintrainEngine drives. The engine picks a driver in
 * its constructor (drawDriver) and never looks at the draw source again:
 *
 *   ModuleDraws    the module's own generator (configure source 0); whole epochs and evaluations run
 *                  inside the module
 *   ImportedBits   a synchronous BitSource, served inside the module's step through env.mtj_sample
 *                  (source 1)
 *   ImportedPairs  a synchronous PairSource, the same way (env.mtj_sample with draws = 0; source 1)
 *   BufferedBits   a BitSource, possibly asynchronous, filling BITS[k] of every hidden layer between
 *                  the module's trainForward and trainBackward (source 2)
 *   BufferedPairs  a PairSource, possibly asynchronous, writing the twin voltages into BITS[k] between
 *                  forwardLayer calls (source 2)
 *
 * A step returns its value, or a Promise when a source answers with one, so the engine has one path for
 * both kinds of source: `after` and `inOrder` go on at once after a value and after the promise
 * otherwise. Given the name of a synchronous call (`sync`), they throw AsyncSourceError on a promise
 * instead, before anything runs after it.
 */
import type { BitSource } from './bit-source.ts';
import type { PairSource } from './pair-source.ts';
import type { EngineExports } from './engine-exports.ts';
import { AsyncSourceError } from './errors.ts';
import { ConfigError, DEFAULT_PAIR_STEP, type NetworkConfig, type TrainingAlgorithm } from './config.ts';

/**
 * Where the p-GAF draws (or, for the pair algorithm, the twin-MTJ voltages) come from. `via: 'import'`
 * serves a synchronous source from inside the module; otherwise (the default) the host fills the
 * module's buffer.
 */
export type Draws =
  | { kind: 'prng' }
  | { kind: 'host'; source: BitSource; via?: 'import' | 'buffer' }
  | { kind: 'pair'; source: PairSource; via?: 'import' | 'buffer' };

export type Maybe<T> = T | Promise<T>;

/** The synchronous call being served (its name, for AsyncSourceError), or undefined on the asynchronous path. */
export type SyncCall = string | undefined;

/** f(v): at once for a value, after the promise settles for a promise (a synchronous call throws instead). */
export function after<T, U>(v: Maybe<T>, f: (v: T) => Maybe<U>, sync: SyncCall): Maybe<U> {
  if (!(v instanceof Promise)) return f(v);
  if (sync === undefined) return v.then(f);
  v.catch(() => {}); // the call fails here; a later rejection of the abandoned promise has no one to tell
  throw new AsyncSourceError(sync);
}

/** f(from), …, f(to − 1) in order, each after the previous one's promise (if it returned one). */
export function inOrder(from: number, to: number, f: (i: number) => Maybe<void>, sync: SyncCall): Maybe<void> {
  for (let i = from; i < to; i++) {
    const r = f(i);
    if (r instanceof Promise) return after(r, () => inOrder(i + 1, to, f, sync), sync);
  }
}

/** The value of a synchronous call's steps (which throw on a promise before it can get here). */
export function settled<T>(v: Maybe<T>, sync: string): T {
  if (v instanceof Promise) throw new AsyncSourceError(sync);
  return v;
}

/** What a driver reads and calls of its engine (SpintrainEngine: live views into module memory). */
export interface DriverEngine {
  readonly exports: EngineExports;
  readonly layout: number[];
  probabilities(k: number): Int32Array;
  bits(k: number): Uint8Array;
  drawsPerNeuron(): number;
  preActivations(k: number): Int32Array;
  pairVoltages(k: number): Int32Array;
  activations(k: number): Int32Array;
}

export interface DrawDriver {
  /** configure()'s source: 0 the module's generator, 1 env.mtj_sample, 2 the host-filled buffer. */
  readonly source: 0 | 1 | 2;
  /** Whole training epochs run inside the module (trainEpochU8). */
  readonly epochsInModule: boolean;
  /** Whole splits are evaluated inside the module (evaluateU8). */
  readonly evaluatesInModule: boolean;
  /** The training forward pass on the input in A[0], hidden draws or twin reads included; returns the class predicted. */
  trainForward(sync: SyncCall): Maybe<number>;
  /** The prediction forward pass on the input in A[0]; returns the class (the engine restores the counters around it). */
  predict(sync: SyncCall): Maybe<number>;
  /** Serves the module's import env.mtj_sample(hidden, count, in, out, draws) (assembly/device-import.ts). */
  serveImport(hidden: number, n: number, input: number, out: number, draws: number): void;
}

/** pgaf with sigmoid, tanh or the sampled ReLU draws Bernoulli bits per hidden neuron; bp and the exact ReLU mask draw none. */
function drawsBits(c: NetworkConfig<TrainingAlgorithm>): boolean {
  return c.algorithm === 'pgaf' && (c.activation !== 'relu' || c.reluSampled);
}

/** Chooses the driver for a network and its draws (and refuses a pair algorithm or step that does not match them). */
export function drawDriver(engine: DriverEngine, config: NetworkConfig<TrainingAlgorithm>, draws: Draws): DrawDriver {
  if ((config.algorithm === 'pair') !== (draws.kind === 'pair')) {
    throw new ConfigError('algorithm', 'the pair algorithm needs, and only it takes, a pair source ({ kind: "pair" })');
  }
  if (draws.kind === 'prng') return new ModuleDraws(engine, 0);
  if (draws.kind === 'pair') {
    const pairStep = config.pairStep ?? DEFAULT_PAIR_STEP;
    if (Math.abs(draws.source.stepZ - pairStep) > 1e-12) {
      throw new ConfigError('pairStep', `the network's step ${pairStep} differs from the pair source's ${draws.source.stepZ}`);
    }
    return draws.via === 'import' ? new ImportedPairs(engine, draws.source) : new BufferedPairs(engine, draws.source);
  }
  return draws.via === 'import' ? new ImportedBits(engine, draws.source) : new BufferedBits(engine, draws.source, config);
}

/** The module draws (or needs no draws) inside its own step: the engine calls trainForward, predict, trainEpochU8, evaluateU8. */
class ModuleDraws implements DrawDriver {
  readonly epochsInModule: boolean = true;
  readonly evaluatesInModule: boolean = true;

  constructor(
    protected readonly engine: DriverEngine,
    readonly source: 0 | 1 | 2,
  ) {}

  trainForward(_sync: SyncCall): Maybe<number> {
    return this.engine.exports.trainForward();
  }

  predict(_sync: SyncCall): Maybe<number> {
    return this.engine.exports.predict();
  }

  serveImport(_hidden: number, _n: number, _input: number, _out: number, draws: number): void {
    throw new Error(`env.mtj_sample called for ${draws === 0 ? 'a pair read (draws = 0)' : `${draws} draws per neuron`}, but no such source is served through the import`);
  }

  protected i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.engine.exports.memory.buffer, ptr, length);
  }
}

/** A synchronous BitSource inside the module's step (env.mtj_sample, draws ≥ 1). */
class ImportedBits extends ModuleDraws {
  constructor(
    engine: DriverEngine,
    private readonly bitSource: BitSource,
  ) {
    super(engine, 1);
  }

  override serveImport(hidden: number, n: number, probs: number, bits: number, draws: number): void {
    if (draws === 0) return super.serveImport(hidden, n, probs, bits, draws);
    const r = this.bitSource.sampleLayer(hidden, this.i32(probs, n), draws, new Uint8Array(this.engine.exports.memory.buffer, bits, n * draws));
    settled(r, 'env.mtj_sample');
  }
}

/** A synchronous PairSource inside the module's forward pass (env.mtj_sample, draws = 0). */
class ImportedPairs extends ModuleDraws {
  constructor(
    engine: DriverEngine,
    private readonly pairSource: PairSource,
  ) {
    super(engine, 1);
  }

  override serveImport(hidden: number, n: number, zs: number, out: number, draws: number): void {
    if (draws !== 0) return super.serveImport(hidden, n, zs, out, draws);
    settled(this.pairSource.readLayer(hidden, this.i32(zs, n), this.i32(out, 2 * n)), 'env.mtj_sample');
  }
}

/**
 * A BitSource (possibly asynchronous) fills BITS[k] after the module's trainForward has written P[k].
 * With no bits to draw (bp, the exact ReLU mask) the step is the module's alone; the module still runs
 * a whole epoch itself only for bp (trainEpochU8 refuses source 2 otherwise).
 */
class BufferedBits extends ModuleDraws {
  private readonly fills: boolean;
  override readonly epochsInModule: boolean;

  constructor(
    engine: DriverEngine,
    private readonly bitSource: BitSource,
    config: NetworkConfig<TrainingAlgorithm>,
  ) {
    super(engine, 2);
    this.fills = drawsBits(config);
    this.epochsInModule = config.algorithm === 'bp';
  }

  override trainForward(sync: SyncCall): Maybe<number> {
    const y = this.engine.exports.trainForward();
    if (!this.fills) return y;
    const e = this.engine;
    const filled = inOrder(1, e.layout.length - 1, (k) => this.bitSource.sampleLayer(k - 1, e.probabilities(k), e.drawsPerNeuron(), e.bits(k)), sync);
    return after(filled, () => y, sync);
  }
}

/** A PairSource (possibly asynchronous) is read between forwardLayer calls, in training and in prediction alike. */
class BufferedPairs extends ModuleDraws {
  override readonly epochsInModule = false;
  override readonly evaluatesInModule = false;

  constructor(
    engine: DriverEngine,
    private readonly pairSource: PairSource,
  ) {
    super(engine, 2);
  }

  override trainForward(sync: SyncCall): Maybe<number> {
    const e = this.engine;
    const L = e.layout.length - 1;
    const forward = inOrder(
      0,
      L,
      (l) => {
        e.exports.forwardLayer(l);
        if (l + 1 < L) return this.pairSource.readLayer(l, e.preActivations(l + 1), e.pairVoltages(l + 1));
      },
      sync,
    );
    return after(forward, () => this.outputClass(), sync);
  }

  override predict(sync: SyncCall): Maybe<number> {
    return this.trainForward(sync);
  }

  /** The module's argmax (single sigmoid output: 1 when a ≥ ½; ties: the first). */
  private outputClass(): number {
    const a = this.engine.activations(this.engine.layout.length - 1);
    if (a.length === 1) return a[0] >= 32768 ? 1 : 0;
    let best = 0;
    for (let k = 1; k < a.length; k++) if (a[k] > a[best]) best = k;
    return best;
  }
}
