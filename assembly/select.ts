// Which units of a hidden node keep their gradient under the deep module's sparse-backprop baselines (issue 18;
// deep.ts finishDelta): the top-k selection of meProp and TinyProp, and TinyProp's adaptive k.
//
// Top k (meProp: X. Sun, X. Ren, S. Ma, H. Wang, "meProp: Sparsified Back Propagation for Accelerated Deep
// Learning with Reduced Overfitting", ICML 2017). Once the exact δ_j = g_j·f′(z_j) of all n units is in D (Q24),
// the k units of largest |δ_j| stay; a tie at the threshold goes to the lower unit index. The others get δ_j = 0
// and c_j = 0 (CNT) and are not listed, so no update and no propagation touches them (deep.ts).
//   1. m_j = |δ_j| as u32 (|−2^31| = 2^31), j < n, into the scratch m (the node's P region)        n writes
//   2. T = the k-th largest m_j: quickselect (Hoare's FIND) with Dijkstra's three-way partition:
//        range [lo, hi) = [0, n), target rank t = k − 1 (descending)
//        pivot v = m[⌊(lo + hi)/2⌋]; one sweep with i = lt = lo, gt = hi, while i < gt, x = m[i]:
//          x > v   swap m[lt], m[i] when lt ≠ i; lt++, i++          1 comparison
//          x < v   gt−−; swap m[i], m[gt] when i ≠ gt               2 comparisons
//          x = v   i++                                              2 comparisons
//        now [lo, lt) > v, [lt, gt) = v, [gt, hi) < v:  t < lt → hi = lt;  t ≥ gt → lo = gt;  else T = v, and
//        A = lt units are > T (the values left of a range are above all of it, those right of it below)
//        each swap: 2 writes
//   3. one pass j = 0..n−1: kept when m_j > T (1 comparison), or else, while fewer than k − A units equal to T
//      have been taken, when m_j = T (a second comparison); c_j written for every unit (n writes), δ_j = 0 for
//      the n − k others (n − k writes).
// Comparisons of steps 2 and 3 go to SLOT_COMPARE (counters.ts), the writes to the activation-gradient phase.
// Loop-index tests are control flow and count nothing (as everywhere, counters.ts); |δ| (a sign test and a
// negate) is no comparison. Expected comparisons for distinct values in random order: about 3.4n in step 2,
// n to 2n in step 3; the worst case of step 2 is quadratic (quickselect). With k ≥ n nothing is selected,
// nothing counted (deep.ts: bp's step, bit for bit).
//
// Adaptive k (TinyProp: M. Rüb, D. Maier, D. Mueller-Gritschneder, A. Sikora, "TinyProp – Adaptive Sparse
// Backpropagation for Efficient TinyML On-device Learning", arXiv 2308.09201v1, 2023). Each training step,
// each layer gets the backpropagation ratio and keep count
//     bpr = (S_min + (Y / Y_max)·(S_max − S_min)) · ζ^λ,        k = min(n, max(1, ⌊n·bpr⌋))
// Y = Σ_j |δ_j| the layer's error this step, Y_max the largest Y the layer has seen (this step's included), ζ the
// damping factor and λ the layer's depth below the output (the output layer 0, the layer below it 1, …). This
// is the rule of the authors' implementation (github.com/r1marcus/TinyProp at commit 02244126,
// src/basic/base/ailayer/ailayer_dense.c, ailayer_dense_backward_meProp: λ counts the dense layers above, Y_max
// runs over all training since the layer was made, k = ⌊n·bpr⌋ clamped to 1..n); the formula was taken from
// there (the paper's own equations were not at hand) and written here from the formula, not from their code.
// Here λ = the weight nodes (conv or dense, linear nodes and the output included) after node i; only hidden
// nodes select (the output node is exact, as in every algorithm of this module); Y_max restarts with the
// plan (graph.ts scheduleTrainingMemory), configure and setSparsity.
// Integer form (i64; S_min, S_max, ζ: Q16 from the knob; Y: Q24):
//   Y_max ← max(Y_max, Y), starting at 1 (one Q24 ulp, so that a node whose δ were all 0 reads Y/Y_max = 0:
//           ratio S_min, where the float rule divides 0 by 0)
//   (Y′, Y′_max) = (Y, Y_max) >> 6 when Y_max ≥ 2^46, else (Y, Y_max)   (Y ≤ n·2^31 < 2^51: Y′·2^16 fits i64)
//   q = ⌊Y′·2^16 / Y′_max⌋ (Q16, 0..65536)       r = S_min + ⌊q·(S_max − S_min) / 2^16⌋
//   z_0 = 2^16, z_{m+1} = ⌊z_m·ζ / 2^16⌋ (ζ^λ)    r_λ = ⌊r·z_λ / 2^16⌋       k = clamp(⌊n·r_λ / 2^16⌋, 1, n)
// Each floor only lowers: r_λ is below the exact ratio by less than (λ + 3)·2^-16, so k is ⌊n·bpr⌋, or one less
// when n·bpr lies within n·(λ + 3)·2^-16 above an integer.
// Counted per hidden node and step: n + 2 adds (Y; S_max − S_min; S_min + …), 4 + λ multiplies (the division,
// ×(S_max − S_min), λ for ζ^λ, ×z_λ, ×n) and 1 write (Y_max) in the activation-gradient phase; 4 comparisons
// (Y > Y_max, Y_max ≥ 2^46, k < 1, k > n) in SLOT_COMPARE. Then the top-k selection above with that k.
import { COUNTERS, counting, ops, PH_ACTGRAD, K_WRITE, SLOT_COMPARE } from './counters';
import { knobA, knobB, knobC, ERROR_MAX, KEPT, nodeCount, kind, KIND_CONV } from './graph';

/** |δ_j| of the Q24 δ at d, as u32. */
@inline function magnitude(d: usize, j: i32): u32 {
  const v = load<i32>(d + (<usize>j << 2));
  return <u32>(v < 0 ? -v : v);
}

/** counter[slot] += c for an i64 count (a quadratic selection may pass 2^31). */
function count64(slot: i32, c: i64): void {
  if (!counting) return;
  const p = COUNTERS + (<usize>slot << 3);
  store<i64>(p, load<i64>(p) + c);
}

/** topk: k = ⌈f·n / 2^16⌉ for the knob f ∈ [1, 2^16] (so 1 ≤ k ≤ n); a constant of the node, nothing counted. */
export function fixedKeep(n: i32): i32 {
  return <i32>((<i64>knobA * <i64>n + 65535) >> 16);
}

/** adaptive: TinyProp's k for hidden node i with n units and δ at d (header), counted. */
export function adaptiveKeep(i: i32, d: usize, n: i32): i32 {
  let y: i64 = 0;
  for (let j = 0; j < n; j++) y += <i64>magnitude(d, j);
  const at = ERROR_MAX + (<usize>i << 3);
  let yMax = load<i64>(at);
  if (y > yMax) yMax = y;
  store<i64>(at, yMax);
  let ys = y;
  let ms = yMax;
  if (ms >= <i64>1 << 46) {
    ys >>= 6;
    ms >>= 6;
  }
  const q = (ys << 16) / ms;
  const r = <i64>knobA + ((q * <i64>(knobB - knobA)) >> 16);
  let depth = 0;
  for (let j = i + 1; j < nodeCount; j++) if (kind(j) == KIND_CONV) depth++;
  let z: i64 = 65536;
  for (let t = 0; t < depth; t++) z = (z * <i64>knobC) >> 16;
  let k = <i32>((<i64>n * ((r * z) >> 16)) >> 16);
  if (k < 1) k = 1;
  if (k > n) k = n;
  ops(PH_ACTGRAD, 4 + depth, n + 2, 1);
  count64(SLOT_COMPARE, 4);
  return k;
}

/**
 * Keeps the k < n units of largest |δ| of a hidden node (D at d, CNT at cnt, scratch m of n u32; header):
 * writes the mask c_j, zeroes the others' δ, lists the kept units with δ ≠ 0 at KEPT; returns their count.
 */
export function selectTopK(d: usize, cnt: usize, m: usize, n: i32, k: i32): i32 {
  for (let j = 0; j < n; j++) store<u32>(m + (<usize>j << 2), magnitude(d, j));
  let compares: i64 = 0;
  let swaps: i64 = 0;
  let lo = 0;
  let hi = n;
  const t = k - 1;
  let threshold: u32 = 0;
  let above = 0;
  while (true) {
    const v = load<u32>(m + (<usize>((lo + hi) >>> 1) << 2));
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i < gt) {
      const pi = m + (<usize>i << 2);
      const x = load<u32>(pi);
      if (x > v) {
        compares++;
        if (lt != i) {
          const pl = m + (<usize>lt << 2);
          store<u32>(pi, load<u32>(pl));
          store<u32>(pl, x);
          swaps++;
        }
        lt++;
        i++;
      } else if (x < v) {
        compares += 2;
        gt--;
        if (i != gt) {
          const pg = m + (<usize>gt << 2);
          store<u32>(pi, load<u32>(pg));
          store<u32>(pg, x);
          swaps++;
        }
      } else {
        compares += 2;
        i++;
      }
    }
    if (t < lt) hi = lt;
    else if (t >= gt) lo = gt;
    else {
      threshold = v;
      above = lt;
      break;
    }
  }
  let ties = k - above;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const x = magnitude(d, j);
    let keep = x > threshold;
    compares++;
    if (!keep && ties > 0) {
      compares++;
      if (x == threshold) {
        keep = true;
        ties--;
      }
    }
    store<u8>(cnt + <usize>j, <u8>keep);
    const o = <usize>j << 2;
    if (!keep) store<i32>(d + o, 0);
    else if (load<i32>(d + o) != 0) {
      store<i32>(KEPT + (<usize>count << 2), j << 2);
      count++;
    }
  }
  count64(SLOT_COMPARE, compares);
  count64((PH_ACTGRAD << 2) + K_WRITE, <i64>(3 * n - k) + (swaps << 1));
  return count;
}
