/**
 * Float64 reference of the engine's algorithms (bp and pgaf, same layout, same update rules, same
 * order of operations), written independently of the fixed-point code: the tests check the
 * WebAssembly engine against it, and the benchmarks use it as the plain float TypeScript trainer.
 *
 *   z = b + W·a (over nonzero inputs), hidden a = f(z), output softmax or sigmoid
 *   output δ = p − y (softmax + CE) or (a − y)·a(1 − a) (sigmoid + squared error)
 *   hidden δ_j = (Wᵀδ)_j · f′(z_j) (bp) or · 2^e·b_j (pgaf, b_j from the draws)
 *   SGD: v = μv + η·δ·a, w −= v (μ = 0: w −= η·δ·a)
 *   trainable activation: a = f(u), u = k(z + c); t = (Wᵀδ)·f′(u) (or the pgaf sample), δ = t·k,
 *     k −= η·t·(z + c), c −= η·δ, clamped to activationRange
 *   pair: a = V1(z), f′ = (V2 − V1)/Δz from a FloatPairSource
 *   softmax at temperature T; backward with soft targets y (δ = p − y)
 */
import { Rng } from '../../host/rng.ts';
import { DEFAULT_PAIR_STEP, learningRates, validateNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from '../../host/engine/config.ts';
import { initialDrawSeed } from '../../host/engine/draw-seed.ts';

/** Supplies draws for hidden layer h (0-based): out[j·draws + d] ∈ {0, 1}, P(1) = probs[j]. */
export type FloatBitSource = (hidden: number, probs: Float64Array, draws: number, out: Uint8Array) => void;

/** Pair reads of hidden layer h (0-based) at pre-activations z: v1[j] = V1(I(z_j)), v2[j] = V2(I(z_j) + ΔI), activation units. */
export type FloatPairSource = (hidden: number, z: Float64Array, v1: Float64Array, v2: Float64Array) => void;

export interface ReferenceCounters {
  backwardMul: number;
  backwardAdd: number;
  kept: number[];
  seen: number[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * Half-width r of the initial weights U(−r, r) of a weight layer with fan-in nIn and fan-out nOut:
 * r = √(6/(nIn + nOut)), Var(w) = 2/(nIn + nOut) (Glorot) for sigmoid and tanh; r = √(6/nIn),
 * Var(w) = 2/nIn (He) for ReLU. The engine's initWeights (assembly/index.ts) uses the same rule and the
 * same draws, one per weight, layer by layer, row by row, from Rng(seed).
 */
export function initRange(activation: NetworkConfig['activation'], nIn: number, nOut: number): number {
  return Math.sqrt(6 / (activation === 'relu' ? nIn : nIn + nOut));
}

export class ReferenceMlp {
  readonly config: NetworkConfig<TrainingAlgorithm>;
  /** Trainable activation: slopes k and shifts c per layer (hidden layers only are used). */
  readonly K: Float64Array[];
  readonly C: Float64Array[];
  private readonly V2: Float64Array[];
  private readonly pair?: FloatPairSource;
  readonly W: Float64Array[];
  readonly B: Float64Array[];
  private readonly VW: Float64Array[];
  private readonly VB: Float64Array[];
  readonly A: Float64Array[];
  readonly Z: Float64Array[];
  readonly D: Float64Array[];
  private readonly P: Float64Array[];
  private readonly bits: Uint8Array[];
  private readonly lr0: number[];
  private lr: number[];
  private readonly nzIdx: Int32Array;
  private readonly nzVal: Float64Array;
  private readonly draw: FloatBitSource;
  readonly counters: ReferenceCounters;

  /** Glorot/He uniform init (initRange) from Rng(seed) unless weights are given; draws from Rng(initialDrawSeed(seed)) unless a source is given. */
  constructor(
    config: NetworkConfig<TrainingAlgorithm>,
    init?: { weights: Float64Array[]; biases: Float64Array[]; slopes?: Float64Array[]; shifts?: Float64Array[] },
    bits?: FloatBitSource,
    pair?: FloatPairSource,
  ) {
    this.config = validateNetworkConfig(config);
    if (config.algorithm === 'pair' && !pair) throw new Error('ReferenceMlp: the pair algorithm needs a FloatPairSource');
    this.pair = pair;
    const n = config.layout;
    const L = n.length - 1;
    const rng = new Rng(config.seed);
    this.W = [];
    this.B = [];
    for (let l = 0; l < L; l++) {
      if (init) {
        this.W.push(Float64Array.from(init.weights[l]));
        this.B.push(Float64Array.from(init.biases[l]));
      } else {
        const r = initRange(config.activation, n[l], n[l + 1]);
        this.W.push(Float64Array.from({ length: n[l] * n[l + 1] }, () => rng.uniform(-r, r)));
        this.B.push(new Float64Array(n[l + 1]));
      }
    }
    this.VW = this.W.map((w) => new Float64Array(w.length));
    this.VB = this.B.map((b) => new Float64Array(b.length));
    // slopes/shifts of hidden layer k (1-based) at index k; init lists them per hidden layer from k = 1
    this.K = n.map((w, k) => (init?.slopes && k >= 1 && k < L ? Float64Array.from(init.slopes[k - 1]) : new Float64Array(w).fill(1)));
    this.C = n.map((w, k) => (init?.shifts && k >= 1 && k < L ? Float64Array.from(init.shifts[k - 1]) : new Float64Array(w)));
    this.V2 = n.map((k) => new Float64Array(k));
    this.A = n.map((k) => new Float64Array(k));
    this.Z = n.map((k) => new Float64Array(k));
    this.D = n.map((k) => new Float64Array(k));
    this.P = n.map((k) => new Float64Array(k));
    this.bits = n.map((k) => new Uint8Array(2 * config.pairs * k));
    this.lr0 = learningRates(config);
    this.lr = [...this.lr0];
    const maxW = Math.max(...n);
    this.nzIdx = new Int32Array(maxW);
    this.nzVal = new Float64Array(maxW);
    const drawRng = new Rng(initialDrawSeed(config.seed));
    this.draw =
      bits ??
      ((_h, probs, draws, out) => {
        for (let j = 0; j < probs.length * draws; j++) out[j] = drawRng.next() < probs[Math.floor(j / draws)] ? 1 : 0;
      });
    this.counters = { backwardMul: 0, backwardAdd: 0, kept: new Array(L - 1).fill(0), seen: new Array(L - 1).fill(0) };
  }

  setEpoch(epoch: number): void {
    this.lr = this.lr0.map((x) => x / (1 + this.config.decay * epoch));
  }

  private gather(k: number): number {
    const a = this.A[k];
    let nnz = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== 0) {
        this.nzIdx[nnz] = i;
        this.nzVal[nnz++] = a[i];
      }
    }
    return nnz;
  }

  /** Input as features in [0, 1]. */
  setInput(x: ArrayLike<number>): void {
    this.A[0].set(x);
  }

  /** Input as u8 features (divided by 255). */
  setInputU8(x: Uint8Array): void {
    const a = this.A[0];
    for (let i = 0; i < a.length; i++) a[i] = x[i] / 255;
  }

  forward(): number {
    const n = this.config.layout;
    const L = n.length - 1;
    const act = this.config.activation;
    for (let l = 0; l < L; l++) {
      const nnz = this.gather(l);
      const w = this.W[l];
      const b = this.B[l];
      const z = this.Z[l + 1];
      const a = this.A[l + 1];
      const nIn = n[l];
      for (let j = 0; j < n[l + 1]; j++) {
        let s = b[j];
        const row = j * nIn;
        for (let t = 0; t < nnz; t++) s += w[row + this.nzIdx[t]] * this.nzVal[t];
        z[j] = s;
        if (l + 1 < L && !this.pair) {
          const u = this.input(l + 1, j);
          a[j] = act === 'sigmoid' ? sigmoid(u) : act === 'tanh' ? Math.tanh(u) : u > 0 ? u : 0;
        }
      }
      if (l + 1 < L && this.pair) {
        // a = V1, f′ = (V2 − V1)/Δz, kept in P
        this.pair(l, z, a, this.V2[l + 1]);
        const dz = this.config.pairStep ?? DEFAULT_PAIR_STEP;
        for (let j = 0; j < a.length; j++) this.P[l + 1][j] = (this.V2[l + 1][j] - a[j]) / dz;
      }
    }
    const z = this.Z[L];
    const a = this.A[L];
    if (this.config.output === 'sigmoid') {
      for (let k = 0; k < a.length; k++) a[k] = sigmoid(z[k]);
      return a.length === 1 ? (a[0] >= 0.5 ? 1 : 0) : argmax(a);
    }
    const m = Math.max(...z);
    const T = this.config.temperature ?? 1;
    let sum = 0;
    for (let k = 0; k < a.length; k++) sum += a[k] = Math.exp((z[k] - m) / T);
    for (let k = 0; k < a.length; k++) a[k] /= sum;
    return argmax(a);
  }

  private drawMasks(): void {
    const { activation: act, algorithm, reluSampled } = this.config;
    if (algorithm !== 'pgaf' || (act === 'relu' && !reluSampled)) return;
    const draws = (act === 'relu' ? 1 : 2) * this.config.pairs;
    for (let k = 1; k < this.config.layout.length - 1; k++) {
      const p = this.P[k];
      const eps = this.config.probabilityFloor;
      for (let j = 0; j < p.length; j++) {
        const pj = act === 'sigmoid' ? this.A[k][j] : act === 'tanh' ? (1 + this.A[k][j]) / 2 : sigmoid(this.input(k, j));
        p[j] = Math.min(1 - eps, Math.max(eps, pj));
      }
      this.draw(k - 1, p, draws, this.bits[k]);
    }
  }

  /** Kept neurons of hidden layer k; for pgaf, count[j] = c_j/K, the neuron's gradient scale. */
  private kept(k: number, count: Float64Array): number[] {
    const { activation: act, algorithm, reluSampled, pairs } = this.config;
    const n = this.config.layout[k];
    const bits = this.bits[k];
    const list: number[] = [];
    for (let j = 0; j < n; j++) {
      let c = 1;
      if (algorithm === 'pgaf') {
        if (act === 'relu' && !reluSampled) c = this.input(k, j) > 0 ? 1 : 0;
        else if (act === 'relu') {
          c = 0;
          for (let t = 0; t < pairs; t++) c += bits[j * pairs + t];
          c /= pairs;
        } else {
          c = 0;
          for (let t = 0; t < pairs; t++) c += bits[2 * (j * pairs + t)] === 1 && bits[2 * (j * pairs + t) + 1] === 0 ? 1 : 0;
          c /= pairs;
        }
      }
      if (algorithm === 'pgaf') count[j] = c; // (pair keeps its measured f′ in the same array)
      if (c > 0) list.push(j);
    }
    this.counters.kept[k - 1] += list.length;
    this.counters.seen[k - 1] += n;
    return list;
  }

  /** The activation's argument u = k(z + c) (trainable) or z. */
  input(k: number, j: number): number {
    return this.config.trainableActivation ? this.K[k][j] * (this.Z[k][j] + this.C[k][j]) : this.Z[k][j];
  }

  private derivative(k: number, j: number): number {
    const a = this.A[k][j];
    const eps = this.config.probabilityFloor;
    if (this.config.activation === 'sigmoid') return Math.max(a * (1 - a), eps * (1 - eps));
    if (this.config.activation === 'tanh') return Math.max(1 - a * a, 4 * eps * (1 - eps));
    return this.input(k, j) > 0 ? 1 : 0;
  }

  /** Backward pass and update; with `target`, soft targets y_k replace the one-hot label. */
  backward(label: number, target?: ArrayLike<number>): void {
    const n = this.config.layout;
    const L = n.length - 1;
    const c = this.counters;
    const aL = this.A[L];
    const dL = this.D[L];
    let up: number[] = [];
    for (let k = 0; k < n[L]; k++) {
      const y = target ? target[k] : (n[L] === 1 ? label !== 0 : k === label) ? 1 : 0;
      const e = aL[k] - y;
      dL[k] = this.config.output === 'softmax' ? e : e * aL[k] * (1 - aL[k]);
      if (dL[k] !== 0) up.push(k);
    }
    for (let l = L - 1; l >= 0; l--) {
      let down: number[] = [];
      if (l > 0) {
        const scale = this.P[l]; // probabilities are spent: reuse as c_j/K
        down = this.kept(l, scale);
        const w = this.W[l];
        const nIn = n[l];
        for (const j of down) {
          let s = 0;
          for (const m of up) s += w[m * nIn + j] * this.D[l + 1][m];
          c.backwardMul += up.length;
          c.backwardAdd += up.length;
          if (this.config.algorithm === 'pair') s *= this.P[l][j];
          else if (this.config.algorithm === 'bp') {
            s *= this.derivative(l, j);
            c.backwardMul += 2;
            c.backwardAdd += 1;
          } else {
            s *= (this.config.activation === 'tanh' ? 4 : 1) * scale[j];
          }
          const t = s;
          if (this.config.trainableActivation) s = t * this.K[l][j];
          const clip = this.config.deltaClip;
          this.D[l][j] = clip > 0 ? Math.min(clip, Math.max(-clip, s)) : s;
          if (this.config.trainableActivation) this.updateSlopeShift(l, j, t, this.D[l][j]);
        }
      }
      this.update(l, up);
      up = down;
    }
  }

  /** k −= η·t·(z + c), c −= η·δ (η of weight layer k − 1), clamped to the activation range. */
  private updateSlopeShift(k: number, j: number, t: number, delta: number): void {
    const eta = this.lr[k - 1];
    const r = this.config.activationRange;
    const clamp = (x: number, lo: number, hi: number): number => (r ? Math.min(hi, Math.max(lo, x)) : x);
    const zc = this.Z[k][j] + this.C[k][j];
    this.K[k][j] = clamp(this.K[k][j] - eta * t * zc, r?.kMin ?? 0, r?.kMax ?? 0);
    this.C[k][j] = clamp(this.C[k][j] - eta * delta, r?.cMin ?? 0, r?.cMax ?? 0);
  }

  private update(l: number, rows: number[]): void {
    const nnz = this.gather(l);
    const nIn = this.config.layout[l];
    const w = this.W[l];
    const b = this.B[l];
    const d = this.D[l + 1];
    const eta = this.lr[l];
    const mu = this.config.momentum;
    for (const j of rows) {
      const g = eta * d[j];
      const row = j * nIn;
      if (mu === 0) {
        b[j] -= g;
        for (let t = 0; t < nnz; t++) w[row + this.nzIdx[t]] -= g * this.nzVal[t];
      } else {
        const vb = this.VB[l];
        const vw = this.VW[l];
        vb[j] = mu * vb[j] + g;
        b[j] -= vb[j];
        for (let t = 0; t < nnz; t++) {
          const i = row + this.nzIdx[t];
          vw[i] = mu * vw[i] + g * this.nzVal[t];
          w[i] -= vw[i];
        }
      }
    }
    const cells = rows.length * (nnz + 1);
    this.counters.backwardMul += mu === 0 ? cells : 2 * cells;
    this.counters.backwardAdd += mu === 0 ? cells : 2 * cells;
  }

  /** One SGD step; returns the class predicted before the update. */
  trainStep(label: number, target?: ArrayLike<number>): number {
    const y = this.forward();
    this.drawMasks();
    this.backward(label, target);
    return y;
  }
}

function argmax(a: Float64Array): number {
  let best = 0;
  for (let k = 1; k < a.length; k++) if (a[k] > a[best]) best = k;
  return best;
}
