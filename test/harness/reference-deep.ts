/**
 * Float64 reference of the deep module's network (assembly/deep.ts, graph.ts, conv.ts, pool.ts), written
 * from the formulas, not from the AssemblyScript loops: the tests check the fixed-point module against it.
 *
 *   node 0     the input C×H×W (the engine's own values: u8 x → x·257/65536)
 *   conv       z[co][oy][ox] = b[co] + Σ_ci Σ_ky Σ_kx w[co][ci][ky][kx] · a[ci][oy·s + ky − p][ox·s + kx − p]
 *              (positions outside the input are zero); dense = conv whose kernel is its whole input, out n×1×1
 *   skip       z_i += a_src (same element count), before the activation
 *   hidden     every conv node but the last: a = sigmoid(z), tanh(z) or max(0, z); a linear node
 *              (`linear`): a = z, no mask
 *   pool       max (the first maximum of the window) or mean over s×s windows at stride s
 *   output     the last node: softmax; loss −ln p_y
 *   backward   g = ∂L/∂a summed over every consumer (the next node and skips); output δ = p − y;
 *              bp δ_j = g_j·f′(z_j); pgaf δ_j = g_j·2^e·c_j/K (tanh e = 2, sigmoid e = 0; the sampled ReLU
 *              δ_j = g_j·c_j/K with K single draws; the exact ReLU c_j = [z_j > 0], δ_j = g_j·c_j);
 *              a pool node passes g through (max: to the chosen input; mean: g/s² to every tap)
 *   sparse     (issue 18) topk: δ_j = g_j·f′(z_j) for every unit, then only the k = max(1, ⌈f·n⌉) of largest
 *              |δ_j| keep it (ties: the lower index; topKMask, by sorting), the others δ_j = 0 and c_j = 0;
 *              adaptive: the same with TinyProp's k = clamp(⌊n·bpr⌋, 1, n), bpr = (S_min + (Y/Y_max)·(S_max −
 *              S_min))·ζ^λ, Y = Σ_j |δ_j| this step, Y_max the node's largest Y so far (this one included; 0/0 = 0),
 *              λ the weight nodes after it (tinyPropRatio); random: c_j ∈ {0, 1} (from the caller), δ_j =
 *              c_j·g_j·f′(z_j)/p. f, p, S_min, S_max, ζ: the Q16 values the module gets (sparsityQ16).
 *   update     b −= η·Σ_u δ_u,  w −= η·Σ_u δ_u·a_in   (plain SGD; η the node's own `learningRate` when it has one)
 *
 * The pgaf and random counts c_j are not drawn here: they come from the engine (countsFrom, its CNT region
 * after a step) or from the caller; topk and adaptive may also take the engine's mask as counts (then it
 * replaces the reference's own choice, which is still made: K, ratio). Operation counts follow the module's
 * rule (assembly/counters.ts, conv.ts): multiply by a zero activation, into a unit the mask left out, or from
 * a unit whose δ is 0 is not done. The selection's comparisons depend on the engine's exact |δ|:
 * selectionCount replays the module's documented quickselect on given magnitudes.
 */
import { sparsityQ16, type DeepConfig, type DeepNode } from '../../host/engine/deep-config.ts';
import { DeepRegion, type DeepEngine } from '../../host/engine/deep-engine.ts';

export type ReferenceDeepConfig = Pick<DeepConfig, 'input' | 'nodes' | 'activation' | 'algorithm' | 'pairs' | 'reluSampled' | 'sparsity'>;

/** Node i's geometry: its output shape, and for conv and pool nodes the kernel that reads node i − 1. */
export interface NodeGeometry {
  kind: 'input' | 'conv' | 'maxpool' | 'avgpool';
  /** A dense node (a conv whose kernel is its input's height and width). */
  dense: boolean;
  c: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  stride: number;
  pad: number;
  /** Node whose activations are added to z, or −1. */
  skip: number;
  /** No activation and no mask: a = z. */
  linear: boolean;
}

/** Shapes of every node, node 0 the input. */
export function deepGeometry(input: [number, number, number], nodes: DeepNode[]): NodeGeometry[] {
  const [c0, h0, w0] = input;
  const geo: NodeGeometry[] = [{ kind: 'input', dense: false, c: c0, h: h0, w: w0, kh: 0, kw: 0, stride: 0, pad: 0, skip: -1, linear: false }];
  for (const n of nodes) {
    const prev = geo[geo.length - 1];
    if (n.kind === 'dense') {
      geo.push({ kind: 'conv', dense: true, c: n.units, h: 1, w: 1, kh: prev.h, kw: prev.w, stride: 1, pad: 0, skip: n.skip ?? -1, linear: n.linear ?? false });
    } else if (n.kind === 'conv') {
      const s = n.stride ?? 1;
      const p = n.pad ?? 0;
      const out = (x: number): number => Math.floor((x + 2 * p - n.kernel) / s) + 1;
      geo.push({ kind: 'conv', dense: false, c: n.channels, h: out(prev.h), w: out(prev.w), kh: n.kernel, kw: n.kernel, stride: s, pad: p, skip: n.skip ?? -1, linear: n.linear ?? false });
    } else {
      geo.push({ kind: n.kind, dense: false, c: prev.c, h: Math.floor(prev.h / n.size), w: Math.floor(prev.w / n.size), kh: n.size, kw: n.size, stride: n.size, pad: 0, skip: -1, linear: false });
    }
  }
  return geo;
}

export interface DeepReferenceCounters {
  /** Forward multiplies: conv taps with a nonzero input, 1 per sigmoid/tanh unit, 3 per softmax unit. */
  forwardMul: number;
  /**
   * f′ (bp, random: 2 per kept sigmoid/tanh unit, 1 per ReLU unit; topk, adaptive: the same for every unit) or the
   * c_j/K scale (pgaf, K > 1), σ(z) of the sampled ReLU; random with p < 1: 1 per kept unit (×1/p); adaptive:
   * 4 + λ per hidden node (its rule, assembly/select.ts).
   */
  activationGradientMul: number;
  /** w·δ terms into kept units of the node below. */
  deltaMul: number;
  /** Those terms, plus skip and pool additions into kept units. */
  deltaAdd: number;
  /** Per listed unit η·δ, per tap with a nonzero input (η·δ)·a. */
  updateMul: number;
  /** Kept hidden units, summed over hidden nodes. */
  kept: number;
  /** Hidden units seen. */
  seen: number;
  /** Random draws (pgaf with sampling; random: one per hidden unit). */
  draws: number;
}

/**
 * The k of `magnitudes` to keep, by the rule alone: sorted by |v| descending, ties by the lower index; the
 * first k. 1 = kept.
 */
export function topKMask(values: ArrayLike<number>, k: number): Uint8Array {
  const order = Array.from({ length: values.length }, (_v, j) => j).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || a - b);
  const mask = new Uint8Array(values.length);
  for (const j of order.slice(0, k)) mask[j] = 1;
  return mask;
}

/**
 * The module's top-k selection (assembly/select.ts header, steps 2 and 3) replayed on the magnitudes it sees
 * (|δ| as u32): quickselect with a middle pivot and a three-way partition for the k-th largest T, then one
 * pass in index order. Returns the mask it keeps, its comparisons and its swaps.
 */
export function selectionCount(magnitudes: ArrayLike<number>, k: number): { mask: Uint8Array; compares: number; swaps: number } {
  const n = magnitudes.length;
  const m = Array.from(magnitudes);
  let compares = 0;
  let swaps = 0;
  let lo = 0;
  let hi = n;
  let threshold = 0;
  let above = 0;
  for (;;) {
    const v = m[Math.floor((lo + hi) / 2)];
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i < gt) {
      const x = m[i];
      if (x > v) {
        compares += 1;
        if (lt !== i) {
          [m[lt], m[i]] = [m[i], m[lt]];
          swaps++;
        }
        lt++;
        i++;
      } else if (x < v) {
        compares += 2;
        gt--;
        if (i !== gt) {
          [m[i], m[gt]] = [m[gt], m[i]];
          swaps++;
        }
      } else {
        compares += 2;
        i++;
      }
    }
    if (k - 1 < lt) hi = lt;
    else if (k - 1 >= gt) lo = gt;
    else {
      threshold = v;
      above = lt;
      break;
    }
  }
  const mask = new Uint8Array(n);
  let ties = k - above;
  for (let j = 0; j < n; j++) {
    compares++;
    if (magnitudes[j] > threshold) mask[j] = 1;
    else if (ties > 0) {
      compares++;
      if (magnitudes[j] === threshold) {
        mask[j] = 1;
        ties--;
      }
    }
  }
  return { mask, compares, swaps };
}

/** TinyProp's ratio bpr = (S_min + (Y/Y_max)·(S_max − S_min))·ζ^λ (Y/Y_max = 0 when Y_max = 0) and its k = clamp(⌊n·bpr⌋, 1, n). */
export function tinyPropRatio(n: number, y: number, yMax: number, sMin: number, sMax: number, damping: number, depth: number): { ratio: number; k: number } {
  const ratio = (sMin + (yMax > 0 ? y / yMax : 0) * (sMax - sMin)) * damping ** depth;
  return { ratio, k: Math.min(n, Math.max(1, Math.floor(n * ratio))) };
}

const zeroCounters = (): DeepReferenceCounters => ({ forwardMul: 0, activationGradientMul: 0, deltaMul: 0, deltaAdd: 0, updateMul: 0, kept: 0, seen: 0, draws: 0 });

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export class ReferenceDeep {
  readonly config: ReferenceDeepConfig;
  readonly geo: NodeGeometry[];
  /** Index of the output node. */
  readonly L: number;
  /** Weights [co][ci][ky][kx] and biases of every conv node (empty arrays elsewhere). */
  readonly W: Float64Array[];
  readonly B: Float64Array[];
  /** ∂L/∂W and ∂L/∂b of the last backward pass (pgaf: the masked estimate). */
  readonly GW: Float64Array[];
  readonly GB: Float64Array[];
  readonly A: Float64Array[];
  readonly Z: Float64Array[];
  /** Max pool: the input unit each output took. */
  readonly route: Int32Array[];
  /** ∂L/∂a summed from every consumer. */
  readonly G: Float64Array[];
  /** δ: ∂L/∂z of a conv node (pgaf: the estimate), ∂L/∂a of a pool node (and of a linear node, = ∂L/∂z). */
  readonly D: Float64Array[];
  /** Per hidden node the counts c_j of the last backward pass (bp: 1; topk, adaptive: the kept mask). */
  readonly C: Uint8Array[];
  /** topk and adaptive: per hidden node the k the reference chose in the last backward pass (adaptive: and its ratio bpr). */
  readonly K: number[];
  readonly ratio: number[];
  /** adaptive: per node the largest Y = Σ|δ| so far (TinyProp's Y_max). */
  readonly errorMax: number[];
  counters: DeepReferenceCounters = zeroCounters();

  constructor(config: ReferenceDeepConfig, params?: { weights: ArrayLike<number>[]; biases: ArrayLike<number>[] }) {
    this.config = config;
    this.geo = deepGeometry(config.input, config.nodes);
    this.L = this.geo.length - 1;
    const units = this.geo.map((g) => g.c * g.h * g.w);
    const wCount = (i: number): number => (i > 0 && this.geo[i].kind === 'conv' ? this.geo[i].c * this.geo[i - 1].c * this.geo[i].kh * this.geo[i].kw : 0);
    const bCount = (i: number): number => (i > 0 && this.geo[i].kind === 'conv' ? this.geo[i].c : 0);
    this.W = this.geo.map((_g, i) => (params ? Float64Array.from(params.weights[i] ?? []) : new Float64Array(wCount(i))));
    this.B = this.geo.map((_g, i) => (params ? Float64Array.from(params.biases[i] ?? []) : new Float64Array(bCount(i))));
    this.geo.forEach((_g, i) => {
      if (this.W[i].length !== wCount(i) || this.B[i].length !== bCount(i)) throw new RangeError(`ReferenceDeep: node ${i} needs ${wCount(i)} weights and ${bCount(i)} biases`);
    });
    this.GW = this.W.map((w) => new Float64Array(w.length));
    this.GB = this.B.map((b) => new Float64Array(b.length));
    this.A = units.map((n) => new Float64Array(n));
    this.Z = units.map((n) => new Float64Array(n));
    this.route = units.map((n) => new Int32Array(n));
    this.G = units.map((n) => new Float64Array(n));
    this.D = units.map((n) => new Float64Array(n));
    this.C = units.map((n) => new Uint8Array(n));
    this.K = units.map(() => 0);
    this.ratio = units.map(() => 0);
    this.errorMax = units.map(() => 0);
  }

  /** The knob as the module gets it, as fractions: [a, b, c]/2^16 (sparsityQ16). */
  private knob(): [number, number, number] {
    const q = sparsityQ16(this.config) ?? [65536, 65536, 65536];
    return [q[0] / 65536, q[1] / 65536, q[2] / 65536];
  }

  /** Weight nodes (conv or dense) after node i: its depth λ below the output. */
  depth(i: number): number {
    return this.geo.filter((g, j) => j > i && g.kind === 'conv').length;
  }

  /** topk: max(1, ⌈f·n⌉); adaptive: TinyProp's k from the node's δ (updating its Y_max). Sets K and ratio. */
  private keepCount(i: number, d: Float64Array): number {
    const n = d.length;
    const [a, b, c] = this.knob();
    if (this.config.algorithm === 'topk') {
      this.K[i] = Math.max(1, Math.ceil(a * n));
      this.ratio[i] = a;
    } else {
      const y = d.reduce((s, v) => s + Math.abs(v), 0);
      this.errorMax[i] = Math.max(this.errorMax[i], y);
      const r = tinyPropRatio(n, y, this.errorMax[i], a, b, c, this.depth(i));
      this.K[i] = r.k;
      this.ratio[i] = r.ratio;
    }
    return this.K[i];
  }

  /** A reference holding a DeepEngine's current weights and biases (Q24 → float). */
  static fromEngine(engine: DeepEngine): ReferenceDeep {
    const q24 = 2 ** 24;
    const weights: Float64Array[] = [];
    const biases: Float64Array[] = [];
    for (let i = 0; i < engine.units.length; i++) {
      const weighted = engine.weightNodes.includes(i);
      weights.push(weighted ? Float64Array.from(engine.weights(i), (v) => v / q24) : new Float64Array(0));
      biases.push(weighted ? Float64Array.from(engine.biases(i), (v) => v / q24) : new Float64Array(0));
    }
    return new ReferenceDeep(engine.config, { weights, biases });
  }

  /** A hidden node: a conv node that is not the output and not linear (it has an activation and a mask). */
  hidden(i: number): boolean {
    return i > 0 && i < this.L && this.geo[i].kind === 'conv' && !this.geo[i].linear;
  }

  /** The learning rate of node i: its own, or the network's eta. */
  rate(i: number, eta: number): number {
    const n = this.config.nodes[i - 1];
    return (n.kind === 'conv' || n.kind === 'dense') && n.learningRate !== undefined ? n.learningRate : eta;
  }

  resetCounters(): void {
    this.counters = zeroCounters();
  }

  setInput(x: ArrayLike<number>): void {
    if (x.length !== this.A[0].length) throw new RangeError(`ReferenceDeep: expected ${this.A[0].length} inputs, got ${x.length}`);
    this.A[0].set(x);
  }

  /** u8 features as the engine holds them: x·257 in Q16. */
  setInputU8(x: Uint8Array): void {
    this.setInput(Array.from(x, (v) => (v * 257) / 65536));
  }

  /** Calls visit(u, j, t) for every tap t (index into the node's weights) of output unit u that reads input unit j. */
  private taps(i: number, visit: (u: number, j: number, t: number) => void): void {
    const g = this.geo[i];
    const inp = this.geo[i - 1];
    let u = 0;
    for (let co = 0; co < g.c; co++) {
      for (let oy = 0; oy < g.h; oy++) {
        for (let ox = 0; ox < g.w; ox++, u++) {
          for (let ci = 0; ci < inp.c; ci++) {
            for (let ky = 0; ky < g.kh; ky++) {
              const iy = oy * g.stride + ky - g.pad;
              if (iy < 0 || iy >= inp.h) continue;
              for (let kx = 0; kx < g.kw; kx++) {
                const ix = ox * g.stride + kx - g.pad;
                if (ix < 0 || ix >= inp.w) continue;
                visit(u, (ci * inp.h + iy) * inp.w + ix, ((co * inp.c + ci) * g.kh + ky) * g.kw + kx);
              }
            }
          }
        }
      }
    }
  }

  /** Units of pool node i's window of output unit u, in row-major order. */
  private window(i: number, u: number): number[] {
    const g = this.geo[i];
    const inp = this.geo[i - 1];
    const q = Math.floor(u / (g.h * g.w));
    const oy = Math.floor((u % (g.h * g.w)) / g.w);
    const ox = u % g.w;
    const out: number[] = [];
    for (let ky = 0; ky < g.stride; ky++) for (let kx = 0; kx < g.stride; kx++) out.push((q * inp.h + oy * g.stride + ky) * inp.w + ox * g.stride + kx);
    return out;
  }

  /** Forward pass on the input set before; returns the predicted class. */
  forward(): number {
    const act = this.config.activation;
    for (let i = 1; i <= this.L; i++) {
      const g = this.geo[i];
      const z = this.Z[i];
      const a = this.A[i];
      const aIn = this.A[i - 1];
      if (g.kind !== 'conv') {
        for (let u = 0; u < a.length; u++) {
          const win = this.window(i, u);
          if (g.kind === 'maxpool') {
            let best = win[0];
            for (const j of win) if (aIn[j] > aIn[best]) best = j;
            a[u] = aIn[best];
            this.route[i][u] = best;
          } else {
            a[u] = win.reduce((s, j) => s + aIn[j], 0) / win.length;
          }
        }
        continue;
      }
      const area = g.h * g.w;
      for (let u = 0; u < z.length; u++) z[u] = this.B[i][Math.floor(u / area)];
      const w = this.W[i];
      this.taps(i, (u, j, t) => {
        if (aIn[j] === 0) return;
        z[u] += w[t] * aIn[j];
        this.counters.forwardMul++;
      });
      if (g.skip >= 0) for (let u = 0; u < z.length; u++) z[u] += this.A[g.skip][u];
      if (i < this.L && !g.linear) {
        for (let u = 0; u < z.length; u++) a[u] = act === 'sigmoid' ? sigmoid(z[u]) : act === 'tanh' ? Math.tanh(z[u]) : Math.max(0, z[u]);
        if (act !== 'relu') this.counters.forwardMul += z.length;
      } else if (i < this.L) {
        a.set(z);
      } else {
        const m = Math.max(...z);
        let sum = 0;
        for (let k = 0; k < z.length; k++) sum += a[k] = Math.exp(z[k] - m);
        for (let k = 0; k < z.length; k++) a[k] /= sum;
        this.counters.forwardMul += 3 * z.length;
      }
    }
    const p = this.A[this.L];
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    return best;
  }

  /** −ln p_y after a forward pass. */
  loss(label: number): number {
    this.forward();
    return -Math.log(this.A[this.L][label]);
  }

  /** The scale δ_j/g_j of a hidden unit: f′(z_j) (bp, topk, adaptive), f′(z_j)/p (random, kept units) or 2^e·c_j/K (pgaf). */
  private scale(i: number, j: number): number {
    const { activation: act, algorithm, pairs, reluSampled } = this.config;
    const a = this.A[i][j];
    if (algorithm !== 'pgaf') {
      const f = act === 'sigmoid' ? a * (1 - a) : act === 'tanh' ? 1 - a * a : this.Z[i][j] > 0 ? 1 : 0;
      return algorithm === 'random' ? f / this.knob()[0] : f;
    }
    const c = this.C[i][j];
    if (act === 'relu') return reluSampled ? c / pairs : c;
    return ((act === 'tanh' ? 4 : 1) * c) / pairs;
  }

  /**
   * Backward pass after forward(): fills G, D, GW, GB. pgaf and random need counts (per node, the hidden nodes'
   * c_j; others ignored), except pgaf's exact ReLU, whose c_j = [z_j > 0] is computed here when none are given;
   * topk and adaptive choose their own masks unless counts (the engine's masks) are given.
   */
  backward(label: number, counts?: ArrayLike<number>[]): void {
    const { activation: act, algorithm, pairs, reluSampled } = this.config;
    const cnt = this.counters;
    const sampled = algorithm === 'pgaf' && (act !== 'relu' || reluSampled);
    const selects = algorithm === 'topk' || algorithm === 'adaptive';
    for (let i = 1; i < this.L; i++) {
      if (!this.hidden(i)) continue;
      const n = this.C[i].length;
      // topk and adaptive: every unit takes its g; the mask comes once the node's δ is known
      if (algorithm === 'bp' || selects) this.C[i].fill(1);
      else if (counts?.[i]) this.C[i].set(counts[i]);
      else if (algorithm === 'pgaf' && !sampled) for (let j = 0; j < n; j++) this.C[i][j] = this.Z[i][j] > 0 ? 1 : 0;
      else throw new Error(`ReferenceDeep: ${algorithm}${sampled ? ' with sampling' : ''} needs the counts c_j of node ${i}`);
      if (sampled) {
        cnt.draws += n * (act === 'relu' ? 1 : 2) * pairs;
        if (act === 'relu') cnt.activationGradientMul += n; // p = σ(z)
      }
      if (algorithm === 'random') cnt.draws += n;
    }
    // a unit of node i that the mask left out takes no term
    const keptAt = (i: number, j: number): boolean => !this.hidden(i) || this.C[i][j] !== 0;
    this.G.forEach((g) => g.fill(0));
    const p = this.A[this.L];
    const dL = this.D[this.L];
    for (let k = 0; k < p.length; k++) dL[k] = p[k] - (k === label ? 1 : 0);
    for (let i = this.L; i >= 1; i--) {
      const geo = this.geo[i];
      const d = this.D[i];
      if (geo.kind === 'conv') {
        if (geo.skip >= 0) {
          for (let u = 0; u < d.length; u++) {
            this.G[geo.skip][u] += d[u];
            if (geo.skip > 0 && d[u] !== 0 && keptAt(geo.skip, u)) cnt.deltaAdd++;
          }
        }
        const gw = this.GW[i].fill(0);
        const gb = this.GB[i].fill(0);
        const area = geo.h * geo.w;
        for (let u = 0; u < d.length; u++) {
          gb[Math.floor(u / area)] += d[u];
          if (d[u] !== 0) cnt.updateMul++;
        }
        const w = this.W[i];
        const aIn = this.A[i - 1];
        const gIn = this.G[i - 1];
        this.taps(i, (u, j, t) => {
          if (d[u] === 0) return;
          gw[t] += d[u] * aIn[j];
          if (aIn[j] !== 0) cnt.updateMul++;
          gIn[j] += w[t] * d[u];
          if (i > 1 && keptAt(i - 1, j)) {
            cnt.deltaMul++;
            cnt.deltaAdd++;
          }
        });
      } else {
        const gIn = this.G[i - 1];
        for (let u = 0; u < d.length; u++) {
          const to = geo.kind === 'maxpool' ? [this.route[i][u]] : this.window(i, u);
          for (const j of to) {
            gIn[j] += d[u] / to.length;
            if (i > 1 && d[u] !== 0 && keptAt(i - 1, j)) cnt.deltaAdd++;
          }
        }
      }
      if (i === 1) break;
      const below = i - 1;
      if (!this.hidden(below)) {
        this.D[below].set(this.G[below]);
        continue;
      }
      const n = this.D[below].length;
      let kept = 0;
      for (let j = 0; j < n; j++) {
        this.D[below][j] = this.C[below][j] === 0 ? 0 : this.G[below][j] * this.scale(below, j);
        if (this.C[below][j] !== 0) kept++;
      }
      if (algorithm !== 'pgaf') cnt.activationGradientMul += act === 'relu' ? kept : 2 * kept;
      else if (sampled && pairs > 1) cnt.activationGradientMul += kept;
      if (algorithm === 'random' && this.knob()[0] < 1) cnt.activationGradientMul += kept;
      if (selects) {
        const k = this.keepCount(below, this.D[below]);
        if (algorithm === 'adaptive') cnt.activationGradientMul += 4 + this.depth(below);
        const mask = counts?.[below] ? Uint8Array.from(counts[below]) : topKMask(this.D[below], k);
        this.C[below].set(mask);
        for (let j = 0; j < n; j++) if (mask[j] === 0) this.D[below][j] = 0;
        kept = mask.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
      }
      cnt.kept += kept;
      cnt.seen += n;
    }
  }

  /** SGD: w −= η·∂L/∂w, b −= η·∂L/∂b with the gradients of the last backward pass (η: the network's rate; rate()). */
  update(eta: number): void {
    this.W.forEach((w, i) => w.forEach((_v, t) => (w[t] -= this.rate(i, eta) * this.GW[i][t])));
    this.B.forEach((b, i) => b.forEach((_v, t) => (b[t] -= this.rate(i, eta) * this.GB[i][t])));
  }

  /** One SGD step; returns the class predicted before the update. */
  trainStep(label: number, eta: number, counts?: ArrayLike<number>[]): number {
    const y = this.forward();
    this.backward(label, counts);
    this.update(eta);
    return y;
  }
}

/** The counts c_j a DeepEngine used in its last step: its CNT region, per node (empty for other nodes). */
export function countsFrom(engine: DeepEngine): Uint8Array[] {
  const L = engine.units.length - 1;
  return engine.units.map((n, i) => {
    const node = engine.config.nodes[i - 1];
    if (i === 0 || i === L || !engine.weightNodes.includes(i) || ('linear' in node && node.linear)) return new Uint8Array(0);
    const ptr = engine.exports.regionPtr(DeepRegion.CNT, i);
    return new Uint8Array(engine.exports.memory.buffer, ptr, n).slice();
  });
}

/**
 * Puts a DeepEngine's forward values of its last step into ref (a, z as Q16 → float, the max pools' chosen
 * inputs), so that ref.backward runs on exactly the engine's forward pass.
 */
export function loadForwardFrom(ref: ReferenceDeep, engine: DeepEngine): void {
  const buf = engine.exports.memory.buffer;
  for (let i = 0; i <= ref.L; i++) {
    const n = ref.A[i].length;
    ref.A[i].set(Array.from(new Int32Array(buf, engine.exports.regionPtr(DeepRegion.A, i), n), (v) => v / 65536));
    if (i === 0) continue;
    const z = new Int32Array(buf, engine.exports.regionPtr(DeepRegion.Z, i), n);
    if (ref.geo[i].kind === 'conv') ref.Z[i].set(Array.from(z, (v) => v / 65536));
    else if (ref.geo[i].kind === 'maxpool') ref.route[i].set(z);
  }
}
