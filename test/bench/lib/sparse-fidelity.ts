/**
 * How good is each sparse-backprop method's hidden-layer gradient estimate (issue 18)? Exact expectations, in
 * float64, on a snapshot of a dense sigmoid net: input → one sigmoid hidden layer of n units → softmax output.
 * No Monte Carlo: every figure below is a closed form over the unit gradients of one sample.
 *
 * Snapshot (snapshotOf): the deep module's Q24 weights and biases (assembly/graph.ts: dense W row-major
 * [units][inputs]) divided by 2^24; the input u8 x_i enters as the engine's Q16 x_i·257 (assembly/deep.ts
 * inputU8), i.e. x_i·257/2^16 here.
 * Forward and exact gradient of one sample (x, label y), cross-entropy L in nats (forwardSample):
 *   z_j = b_j + Σ_i W1[j][i] x_i     a_j = σ(z_j)     σ′_j = a_j (1 − a_j)
 *   o_k = c_k + Σ_j W2[k][j] a_j     p = softmax(o)
 *   g_j = ∂L/∂a_j = Σ_k W2[k][j] (p_k − [k = y])          δ_j = ∂L/∂z_j = g_j σ′_j
 * An estimate δ̂ of δ makes the first layer's update ΔŴ1[j,:] = δ̂_j·x (and its bias step δ̂_j), so the relative
 * expected squared error of that weight gradient is, per sample (‖x‖² cancels; dimensionless):
 *   R = E‖ΔŴ1 − ΔW1‖²_F / ‖ΔW1‖²_F = Σ_j E[(δ̂_j − δ_j)²] / Σ_j δ_j² = R_bias + R_var
 *   R_bias = Σ_j (E[δ̂_j] − δ_j)² / Σ_j δ_j²      R_var = Σ_j Var[δ̂_j] / Σ_j δ_j²
 * R = 1 is the error of no update (δ̂ = 0); an unbiased estimate may exceed it. Samples with Σ δ² = 0 are left
 * out (counted). Expected kept units κ = Σ_j P(δ̂_j is computed), kept fraction κ/n. Per method:
 *   pgaf K      c_j ~ Binomial(K, σ′_j) (the (1,0) pairs among K pairs of Bernoulli(a_j) draws: P = a(1−a) = σ′),
 *               δ̂_j = g_j c_j / K:   bias 0,  Var = g_j² σ′_j (1 − σ′_j) / K = δ_j² (1 − σ′_j) / (K σ′_j),
 *               κ = Σ_j 1 − (1 − σ′_j)^K
 *   random p    m_j ~ Bernoulli(p), δ̂_j = δ_j m_j / p:   bias 0,  Var = δ_j² (1 − p) / p,  κ = n p  (R = (1−p)/p)
 *   rates q     m_j ~ Bernoulli(q_j), δ̂_j = δ_j m_j / q_j (importance sampling): Var = δ_j² (1 − q_j) / q_j where
 *               q_j > 0, bias δ_j² where q_j = 0, κ = Σ q_j. pgaf K = 1 is exactly this with q_j = σ′_j, and pgaf
 *               K is it with K times less variance: p-GAF is random keeping at a per-unit rate σ′_j.
 *   oracle κ    rates q_j = min(1, λ|δ_j|) with Σ q_j = κ (water-filling): by Lagrange (Cauchy–Schwarz) the least
 *               Var of any unbiased independent per-unit keep at κ expected units; needs every δ first, as topk.
 *   topk f      the k = ⌈f·n⌉ units of largest |δ| exact, the rest 0 (engine: f taken down to Q16,
 *               host/engine/deep-config.ts sparsityQ16, then k = ⌈f_Q16·n / 2^16⌉, assembly/select.ts fixedKeep):
 *               bias Σ_{left out} δ_j², Var 0, κ = k. (A deterministic bias: it does not average out over steps.)
 *   adaptive    topk with TinyProp's k = clamp(⌊n·bpr⌋, 1, n), bpr = (S_min + (Y/Y_max)(S_max − S_min))·ζ^λ,
 *               Y = Σ_j |δ_j| (assembly/select.ts adaptiveKeep; λ = the weight nodes above the hidden node, 1 for
 *               one hidden layer). Approximation: Y_max is the largest Y over the evaluated samples of the snapshot,
 *               where the engine keeps the running maximum over every training step so far.
 * Aggregates over samples (summarize): the mean and median of R, the means of R_bias and R_var, the mean kept
 * fraction, and the pooled R = Σ_s ‖x_s‖² Σ_j E[(δ̂−δ)²] / Σ_s ‖x_s‖² Σ_j δ² (total expected squared error of the
 * per-sample weight gradients over their total squared norm: large-gradient samples weigh more).
 */

/** What a snapshot is read from: host/engine/deep-engine.ts DeepEngine fits (units with node 0 the input; Q24 weights). */
export interface SnapshotSource {
  readonly units: readonly number[];
  weights(i: number): Int32Array;
  biases(i: number): Int32Array;
}

/** A dense inputs-hidden-classes sigmoid/softmax net in float64 (weights row-major [out][in]). */
export interface DenseSnapshot {
  inputs: number;
  hidden: number;
  classes: number;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

const Q24 = 2 ** 24;
/** The engine's Q16 input of a u8 feature, as a real: u8·257/2^16 (255 → 0.99998). */
export const INPUT_SCALE = 257 / 65536;

const fromQ24 = (v: Int32Array): Float64Array => Float64Array.from(v, (q) => q / Q24);

/** The float64 weights of a one-hidden-layer dense net (nodes 1 and 2 of the deep module). */
export function snapshotOf(src: SnapshotSource): DenseSnapshot {
  if (src.units.length !== 3) throw new RangeError(`snapshotOf: expected input, one hidden layer and the output (3 nodes), got ${src.units.length}`);
  const [inputs, hidden, classes] = src.units;
  const s: DenseSnapshot = { inputs, hidden, classes, w1: fromQ24(src.weights(1)), b1: fromQ24(src.biases(1)), w2: fromQ24(src.weights(2)), b2: fromQ24(src.biases(2)) };
  if (s.w1.length !== inputs * hidden || s.b1.length !== hidden || s.w2.length !== hidden * classes || s.b2.length !== classes) {
    throw new RangeError('snapshotOf: the weight regions are not dense [hidden][inputs] and [classes][hidden]');
  }
  return s;
}

/** One sample's forward pass and exact gradient (header); fresh arrays. */
export interface SampleForward {
  z: Float64Array;
  a: Float64Array;
  /** σ′_j = a_j (1 − a_j). */
  s: Float64Array;
  o: Float64Array;
  p: Float64Array;
  /** ∂L/∂a_j. */
  g: Float64Array;
  /** ‖x‖², x the real input. */
  xNorm2: number;
  predicted: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Forward and ∂L/∂a of one u8 sample (x.length = inputs) with label y, in float64. */
export function forwardSample(net: DenseSnapshot, x: ArrayLike<number>, label: number): SampleForward {
  const { inputs, hidden, classes, w1, b1, w2, b2 } = net;
  const xf = new Float64Array(inputs);
  let xNorm2 = 0;
  for (let i = 0; i < inputs; i++) {
    xf[i] = x[i] * INPUT_SCALE;
    xNorm2 += xf[i] * xf[i];
  }
  const z = new Float64Array(hidden);
  const a = new Float64Array(hidden);
  const s = new Float64Array(hidden);
  for (let j = 0; j < hidden; j++) {
    let acc = b1[j];
    const row = j * inputs;
    for (let i = 0; i < inputs; i++) if (xf[i] !== 0) acc += w1[row + i] * xf[i];
    z[j] = acc;
    a[j] = sigmoid(acc);
    s[j] = a[j] * (1 - a[j]);
  }
  const o = new Float64Array(classes);
  let top = -Infinity;
  let predicted = 0;
  for (let k = 0; k < classes; k++) {
    let acc = b2[k];
    for (let j = 0; j < hidden; j++) acc += w2[k * hidden + j] * a[j];
    o[k] = acc;
    if (acc > top) {
      top = acc;
      predicted = k;
    }
  }
  const p = new Float64Array(classes);
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += (p[k] = Math.exp(o[k] - top));
  for (let k = 0; k < classes; k++) p[k] /= sum;
  const g = new Float64Array(hidden);
  for (let k = 0; k < classes; k++) {
    const d = p[k] - (k === label ? 1 : 0);
    for (let j = 0; j < hidden; j++) g[j] += w2[k * hidden + j] * d;
  }
  return { z, a, s, o, p, g, xNorm2, predicted };
}

/** A method of the table with its knob (header). */
export type FidelityMethod =
  | { method: 'pgaf'; pairs: number }
  | { method: 'random'; p: number }
  | { method: 'topk'; f: number }
  | { method: 'adaptive'; minRatio: number; maxRatio: number; damping: number; depth: number }
  | { method: 'oracle'; kept: number };

/** One sample's unit gradients, with the sorted views that topk, adaptive and the oracle use. */
export interface UnitGradients {
  n: number;
  g: Float64Array;
  s: Float64Array;
  delta: Float64Array;
  /** Σ_j δ_j². */
  energy: number;
  /** Y = Σ_j |δ_j| (TinyProp's error). */
  y: number;
  /** |δ| in descending order, and the suffix sums from each rank on (index n: 0) of |δ| and δ². */
  sortedAbs: Float64Array;
  tailAbs: Float64Array;
  tailSq: Float64Array;
  /** ‖x‖² of the sample (the pooled aggregate's weight). */
  weight: number;
}

export function unitGradients(g: Float64Array, s: Float64Array, weight = 1): UnitGradients {
  const n = g.length;
  if (s.length !== n) throw new RangeError('unitGradients: g and σ′ differ in length');
  const delta = new Float64Array(n);
  let energy = 0;
  let y = 0;
  for (let j = 0; j < n; j++) {
    delta[j] = g[j] * s[j];
    energy += delta[j] * delta[j];
    y += Math.abs(delta[j]);
  }
  const sortedAbs = Float64Array.from(delta, Math.abs).sort().reverse();
  const tailAbs = new Float64Array(n + 1);
  const tailSq = new Float64Array(n + 1);
  // from the smallest up: a tail is summed from its small terms first, never as a difference
  for (let r = n - 1; r >= 0; r--) {
    tailAbs[r] = tailAbs[r + 1] + sortedAbs[r];
    tailSq[r] = tailSq[r + 1] + sortedAbs[r] * sortedAbs[r];
  }
  return { n, g, s, delta, energy, y, sortedAbs, tailAbs, tailSq, weight };
}

/** Σ_j E[(δ̂_j − δ_j)²] split into its bias and variance parts, and the expected kept units κ. */
export interface ExpectedError {
  bias2: number;
  variance: number;
  kept: number;
}

/** topk's k for a kept fraction f (the engine's rule: f down to Q16, then ⌈f_Q16·n / 2^16⌉, at least 1). */
export function topkCount(f: number, n: number): number {
  const q = Math.floor(f * 65536);
  return Math.min(n, Math.max(1, Math.ceil((q * n) / 65536)));
}

/** TinyProp's k for a sample of error Y against Y_max (header). */
export function adaptiveCount(m: { minRatio: number; maxRatio: number; damping: number; depth: number }, y: number, yMax: number, n: number): number {
  const ratio = yMax > 0 ? y / yMax : 0;
  const bpr = (m.minRatio + ratio * (m.maxRatio - m.minRatio)) * m.damping ** m.depth;
  return Math.min(n, Math.max(1, Math.floor(n * bpr)));
}

/** Exact left-out energy of keeping the k units of largest |δ|. */
export function topkError(u: UnitGradients, k: number): ExpectedError {
  const kk = Math.min(u.n, Math.max(0, k));
  return { bias2: u.tailSq[kk], variance: 0, kept: kk };
}

/** Per-unit keep rates q_j (δ̂ = δ m/q): bias where q_j = 0, variance δ²(1 − q)/q elsewhere. */
export function ratesError(u: UnitGradients, q: ArrayLike<number>): ExpectedError {
  let bias2 = 0;
  let variance = 0;
  let kept = 0;
  for (let j = 0; j < u.n; j++) {
    const d2 = u.delta[j] * u.delta[j];
    if (q[j] <= 0) bias2 += d2;
    else variance += (d2 * (1 - q[j])) / q[j];
    kept += Math.max(0, q[j]);
  }
  return { bias2, variance, kept };
}

/**
 * The oracle's rates for κ expected kept units: q_j = min(1, λ|δ_j|), Σ q_j = κ (capped at the units with δ ≠ 0).
 * Water-filling over |δ| descending: t units at 1, λ = (κ − t) / Σ_{r ≥ t} |δ|_(r), the least t with λ|δ|_(t) ≤ 1.
 * Returns λ and t; unit j's rate is min(1, λ|δ_j|) (every unit at rank < t has λ|δ| ≥ 1).
 */
export function oracleLevel(u: UnitGradients, kept: number): { lambda: number; capped: number } {
  const { n, sortedAbs, tailAbs } = u;
  for (let t = 0; t < n; t++) {
    if (tailAbs[t] <= 0) return { lambda: Infinity, capped: t };
    if (kept - t <= 0) return { lambda: 0, capped: t };
    const lambda = (kept - t) / tailAbs[t];
    if (lambda * sortedAbs[t] <= 1) return { lambda, capped: t };
  }
  return { lambda: Infinity, capped: n };
}

/** The oracle's error at κ expected kept units, from the sorted tails: Var = Σ_{r ≥ t} (|δ|_(r)/λ − δ_(r)²). */
export function oracleError(u: UnitGradients, kept: number): ExpectedError {
  const { lambda, capped } = oracleLevel(u, kept);
  if (lambda === Infinity) return { bias2: 0, variance: 0, kept: capped };
  if (lambda === 0) return { bias2: u.tailSq[capped], variance: 0, kept: capped };
  // Σ (|δ|/λ − δ²) ≥ 0 term by term (λ|δ| ≤ 1); clamp the rounding of the difference of sums
  return { bias2: 0, variance: Math.max(0, u.tailAbs[capped] / lambda - u.tailSq[capped]), kept };
}

/** Σ_j E[(δ̂_j − δ_j)²] of a method on one sample (header); yMax only for adaptive. */
export function expectedError(m: FidelityMethod, u: UnitGradients, yMax = u.y): ExpectedError {
  switch (m.method) {
    case 'pgaf': {
      let variance = 0;
      let kept = 0;
      for (let j = 0; j < u.n; j++) {
        const s = u.s[j];
        variance += (u.g[j] * u.g[j] * s * (1 - s)) / m.pairs;
        kept += -Math.expm1(m.pairs * Math.log1p(-s));
      }
      return { bias2: 0, variance, kept };
    }
    case 'random':
      return { bias2: 0, variance: (u.energy * (1 - m.p)) / m.p, kept: u.n * m.p };
    case 'topk':
      return topkError(u, topkCount(m.f, u.n));
    case 'adaptive':
      return topkError(u, adaptiveCount(m, u.y, yMax, u.n));
    case 'oracle':
      return oracleError(u, m.kept * u.n);
  }
}

/** Aggregates of a method over the samples (header). */
export interface FidelityStats {
  keptFraction: number;
  rMean: number;
  rBiasMean: number;
  rVarMean: number;
  rMedian: number;
  rPooled: number;
  samples: number;
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const v = [...values].sort((x, y) => x - y);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** The method's aggregates over the samples with Σ δ² > 0; Y_max = the largest Y among them (adaptive). */
export function summarize(m: FidelityMethod, samples: UnitGradients[]): FidelityStats {
  const used = samples.filter((u) => u.energy > 0);
  const yMax = Math.max(0, ...used.map((u) => u.y));
  const r: number[] = [];
  let kept = 0;
  let rBias = 0;
  let rVar = 0;
  let errW = 0;
  let energyW = 0;
  for (const u of used) {
    const e = expectedError(m, u, yMax);
    rBias += e.bias2 / u.energy;
    rVar += e.variance / u.energy;
    r.push((e.bias2 + e.variance) / u.energy);
    kept += e.kept / u.n;
    errW += u.weight * (e.bias2 + e.variance);
    energyW += u.weight * u.energy;
  }
  const c = used.length;
  return { keptFraction: kept / c, rMean: (rBias + rVar) / c, rBiasMean: rBias / c, rVarMean: rVar / c, rMedian: median(r), rPooled: errW / energyW, samples: c };
}

/** A row of the table: `matched` rows take p-GAF K's mean kept fraction as their knob. */
export interface FidelityRow extends FidelityStats {
  group: 'knob' | 'matched';
  method: FidelityMethod['method'];
  knob: string;
  params: FidelityMethod;
  /** matched rows: the p-GAF K whose kept fraction they take. */
  matchedPairs?: number;
}

export interface FidelityKnobs {
  pairs: number[];
  topk: number[];
  random: number[];
  adaptive: { minRatio: number; maxRatio: number; damping: number }[];
  /** λ of TinyProp's ζ^λ for the hidden layer (1 with one hidden layer). */
  depth: number;
}

const short = (v: number): string => String(Number(v.toPrecision(3)));

export function adaptiveKnob(a: { minRatio: number; maxRatio: number; damping: number }): string {
  return `${a.minRatio}–${a.maxRatio}${a.damping !== 1 ? ` ζ${a.damping}` : ''}`;
}

/** Every row: each method at each knob, then random, topk and the oracle at each p-GAF K's mean kept fraction. */
export function fidelityRows(samples: UnitGradients[], knobs: FidelityKnobs): FidelityRow[] {
  const rows: FidelityRow[] = [];
  const add = (params: FidelityMethod, knob: string, group: FidelityRow['group'] = 'knob', matchedPairs?: number): FidelityRow => {
    const row: FidelityRow = { group, method: params.method, knob, params, ...summarize(params, samples), ...(matchedPairs !== undefined ? { matchedPairs } : {}) };
    rows.push(row);
    return row;
  };
  const pgaf = knobs.pairs.map((K) => add({ method: 'pgaf', pairs: K }, `K=${K}`));
  for (const f of knobs.topk) add({ method: 'topk', f }, `f=${f}`);
  for (const p of knobs.random) add({ method: 'random', p }, `p=${p}`);
  for (const a of knobs.adaptive) add({ method: 'adaptive', ...a, depth: knobs.depth }, adaptiveKnob(a));
  pgaf.forEach((row, i) => {
    const K = knobs.pairs[i];
    const kf = row.keptFraction;
    const tag = `${short(kf)} (K=${K})`;
    add({ method: 'random', p: kf }, `p=${tag}`, 'matched', K);
    add({ method: 'topk', f: kf }, `f=${tag}`, 'matched', K);
    add({ method: 'oracle', kept: kf }, `κ/n=${tag}`, 'matched', K);
  });
  return rows;
}

/** σ′ over every hidden unit of every sample: what caps p-GAF's kept fraction. */
export interface SigmaPrimeStats {
  mean: number;
  median: number;
  /** Fraction of units with σ′ < 0.01 (|z| > 4.6: saturated). */
  saturated: number;
  /** Σ δ²σ′ / Σ δ², over every unit of every sample: the σ′ where the gradient's energy is. */
  energyWeighted: number;
}

export function sigmaPrimeStats(samples: UnitGradients[]): SigmaPrimeStats {
  const all: number[] = [];
  let sat = 0;
  let num = 0;
  let den = 0;
  for (const u of samples) {
    for (let j = 0; j < u.n; j++) {
      all.push(u.s[j]);
      if (u.s[j] < 0.01) sat++;
      num += u.delta[j] * u.delta[j] * u.s[j];
      den += u.delta[j] * u.delta[j];
    }
  }
  return { mean: all.reduce((x, y) => x + y, 0) / all.length, median: median(all), saturated: sat / all.length, energyWeighted: num / den };
}

export interface FidelitySnapshot {
  /** Epochs of bp training before the snapshot. */
  epoch: number;
  /** The engine's test accuracy at the snapshot (the whole test split, its fixed point). */
  engineTestAccuracy: number;
  /** The float64 forward's accuracy on the evaluated samples. */
  floatAccuracy: number;
  samples: number;
  /** Samples left out for Σ δ² = 0. */
  skipped: number;
  sigmaPrime: SigmaPrimeStats;
  rows: FidelityRow[];
}

export interface FidelityRecord {
  date: string;
  commit: string;
  machine: unknown;
  command: string;
  network: { data: string; layout: number[]; activation: 'sigmoid'; algorithm: 'bp'; seed: number; rates: number[]; decay: number; trainSamples: number };
  /** The first N test samples. */
  testSamples: number;
  knobs: FidelityKnobs;
  snapshots: FidelitySnapshot[];
}

/** Percent: 2 decimals below 10% (rounding included: 0.09999 reads 10.0%), 1 above. */
const pct = (v: number): string => `${(v * 100).toFixed(v * 100 < 9.995 ? 2 : 1)}%`;
const num = (v: number): string => (!Number.isFinite(v) ? String(v) : v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 0.001 ? v.toPrecision(3) : v.toExponential(2));
const methodName = (r: FidelityRow): string => (r.method === 'oracle' ? 'oracle unbiased' : r.method);

/** The Markdown: per snapshot the σ′ facts, the comparison at p-GAF's kept fractions, then every row. */
export function fidelityMarkdown(rec: FidelityRecord, source: string): string {
  const out: string[] = [];
  const n = rec.network;
  out.push(`### Gradient fidelity: each method's hidden-layer gradient estimate on a bp-trained ${n.data} ${n.layout.join('-')} (issue 18)`);
  out.push('');
  out.push(
    `R = Σ_j E[(δ̂_j − δ_j)²] / Σ_j δ_j² per sample: the expected squared error of the first-layer weight gradient δ̂·xᵀ relative to its squared norm (‖x‖² cancels), in closed form from the exact δ_j = g_j·σ′_j of the float64 net (test/bench/lib/sparse-fidelity.ts). R = 1 is the error of no update; unbiased methods (pgaf, random, oracle) have only a variance part, topk and adaptive only a bias part (the left-out energy, which does not average out over steps). Pooled: Σ‖x‖²·error / Σ‖x‖²·Σδ² over the samples. Net: bp, seed ${n.seed}, rates ${n.rates.join('/')}, decay ${n.decay}, ${n.trainSamples.toLocaleString('en-US')} training samples per epoch; the first ${rec.testSamples.toLocaleString('en-US')} test samples. adaptive: Y_max = the largest Y over these samples (the engine's is a running maximum over training). Matched rows take p-GAF K's mean kept fraction as their knob; "oracle unbiased" keeps unit j with probability min(1, λ|δ_j|) (the least variance of any unbiased per-unit keep at that kept fraction). Generated by \`npx tsx test/bench/sparse-fidelity.ts --markdown ${source}\` from the run of ${rec.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${rec.commit.slice(0, 10)}\`${machineText(rec.machine)}.`,
  );
  for (const snap of rec.snapshots) {
    const sp = snap.sigmaPrime;
    out.push('');
    out.push(`#### After ${snap.epoch} epoch${snap.epoch === 1 ? '' : 's'} of bp (test ${pct(snap.engineTestAccuracy)}; float64 on the ${snap.samples.toLocaleString('en-US')} samples: ${pct(snap.floatAccuracy)})`);
    out.push('');
    out.push(
      `σ′ over hidden units × samples: mean ${num(sp.mean)}, median ${num(sp.median)}, ${pct(sp.saturated)} below 0.01; weighted by δ²: ${num(sp.energyWeighted)}. p-GAF K = 1 is random keeping at the per-unit rate σ′_j (variance δ²(1−σ′)/σ′ ≥ 3δ², as σ′ ≤ 1/4); random at one rate p has R = (1−p)/p.`,
    );
    out.push('');
    out.push('| p-GAF K | kept | R pgaf | R random, same kept | R topk, same kept | R oracle unbiased, same kept |');
    out.push('|---|---|---|---|---|---|');
    for (const pg of snap.rows.filter((r) => r.group === 'knob' && r.method === 'pgaf')) {
      const K = (pg.params as { pairs: number }).pairs;
      const m = (method: FidelityRow['method']): FidelityRow | undefined => snap.rows.find((r) => r.group === 'matched' && r.matchedPairs === K && r.method === method);
      const cell = (r: FidelityRow | undefined): string => (r ? `${num(r.rMean)} (median ${num(r.rMedian)})` : '—');
      const tk = m('topk');
      out.push(`| ${K} | ${pct(pg.keptFraction)} | ${cell(pg)} | ${cell(m('random'))} | ${cell(tk)}${tk ? `, ${pct(tk.keptFraction)} kept` : ''} | ${cell(m('oracle'))} |`);
    }
    out.push('');
    out.push('| method | knob | kept | R mean | bias part | variance part | R median | R pooled |');
    out.push('|---|---|---|---|---|---|---|---|');
    for (const r of snap.rows) {
      out.push(`| ${methodName(r)}${r.group === 'matched' ? ' (matched)' : ''} | ${r.knob} | ${pct(r.keptFraction)} | ${num(r.rMean)} | ${num(r.rBiasMean)} | ${num(r.rVarMean)} | ${num(r.rMedian)} | ${num(r.rPooled)} |`);
    }
  }
  return out.join('\n');
}

/** ", on CPU, N cores, Node V" from a record's machine (test/bench/lib/machine.ts), or "" when not recorded. */
function machineText(machine: unknown): string {
  const m = machine as Partial<{ cpu: string; cores: number; node: string }> | undefined;
  return m && m.cpu ? `, on ${m.cpu}, ${m.cores} cores, Node ${m.node}` : '';
}
