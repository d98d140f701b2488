// spintrain deep module (issue 17; build/spintrain.deep.wasm, asconfig target deep): convolution, pooling,
// dense layers and identity skips (graph.ts), trained with bp or p-GAF-BP in the release module's fixed
// point (fixed.ts), on the same counters (counters.ts) and the same one import (device-import.ts). A second
// module because the 8 KiB release module has no room left; its budget is 16 KiB (test/engine/deep-module.spec.ts).
// Issue 18 adds three sparse-backprop baselines beside them: topk (meProp), random and adaptive (TinyProp).
//
// ABI (all i32; pointers are byte offsets into the exported memory):
//   imports  env.mtj_sample(hidden, count, inPtr, outPtr, draws): hidden = the hidden node's ordinal (0-based)
//   setup    inputShape(c, h, w) · addConv(outC, kernel, stride, pad, skip) · addDense(n, skip) · addPool(kind, size)
//            · setLinear(node) (no activation, no mask: a pre-activation ResNet's block output)
//            (each returns the new node's index or a negative code; skip = −1 or an earlier node)
//            configure(act, algo, source, flags, pairsLog2) (algo 0 bp, 1 pgaf, 2 topk, 3 random, 4 adaptive)
//            · setSparsity(aQ16, bQ16, cQ16) (after configure: topk a = kept fraction f, random a = keep probability p,
//            adaptive a = S_min, b = S_max, c = damping ζ; graph.ts) · sizeofTrainingMemory() · scheduleTrainingMemory(base)
//            setLearningRate(ηQ16) · setNodeRate(node, ηQ16) · setDecay(dQ16) · setEpoch(e) · initWeights(seed) · rngSeed(s) · rngNext() · heapBase()
//   step     inputU8(ptr) or write Q16 inputs at regionPtr(R_A, 0) · trainStep(label) → class predicted before
//            the update · predict() → class · trainEpochU8(x, y, order, count) · evaluateU8(x, y, count)
//   inspect  regionPtr(region, node) (graph.ts R_*: 0 W, 1 B, 2 A, 3 Z, 4 D, 5 P, 6 BITS, 7 CNT) · nodeUnits(i)
//            countersPtr(): counters.ts's 25 slots; here slot 16 sums the kept hidden units over every hidden
//            node, slot 20 the units seen and slot 17 (SLOT_COMPARE) the comparisons of topk's and adaptive's
//            selection (select.ts; slots 18–19, 21–23 stay 0)
//
// Backward pass for a label y, from the output node L down (D: graph.ts):
//   output        δ_k = p_k − y_k                                        (softmax + cross-entropy)
//   node i        skip from node r: D[r] += δ_i (units of r that are kept); then propagate into node i − 1
//                 (conv.ts, pool.ts) and, for a conv node, update its weights
//   hidden node   once every node above has added to it, D = ∂L/∂a becomes δ = ∂L/∂z for its kept units:
//                 bp   δ_j = g_j · f′(z_j)
//                 pgaf δ_j = g_j · 2^e · c_j / K    c_j = (1,0) pairs among K pairs of Bernoulli(p_j) draws
//                                                    (backward.ts: p_j, e; ReLU: c_j = [z_j > 0] or sampled)
//                 topk δ_j = g_j · f′(z_j) for the k = ⌈f·n⌉ units of largest |δ| (ties: the lower index),
//                      0 for the rest (select.ts; c_j = 1 while the nodes above add to D, then the mask)
//                 random δ_j = g_j · f′(z_j) / p   c_j ~ Bernoulli(p): one draw per unit from the module's
//                                                    generator or env.mtj_sample(h, n, P, BITS, 1) with P_j = p
//                                                    (1/p: round(2^32/p) in Q16; none when p = 1)
//                 adaptive  as topk, with TinyProp's k of this step (select.ts adaptiveKeep)
//   A unit with c_j = 0 is not kept: no term of propagate, update or skip touches it.
import { OK, ERR_NOT_PLACED, ERR_LAYER_INDEX } from './errors';
import { isqrt, shr, sat32, mulShift, ONE_A } from './fixed';
import { activate, derivative, pgafProbability, expNegQ, ACT_SIGMOID, ACT_TANH, ACT_RELU } from './activation';
import { rngSeed, rngNext, bernoulliQ16 } from './rng';
import { COUNTERS, setCounting, ops, bump, PH_FORWARD, PH_ACTGRAD, PH_DELTA, SLOT_KEPT, SLOT_SEEN, SLOT_LOSS, K_DRAW } from './counters';
import { fixedKeep, adaptiveKeep, selectTopK } from './select';
import { mtjSample } from './device-import';
import { negLnQ16 } from './loss';
import { convForward, convBackward } from './conv';
import { poolForward, poolBackward } from './pool';
import {
  nodeCount, activation, algo, bitSource, flags, pairShift, placed, requirePlaced, KEPT, kind, channels, kernelH, kernelW, height, widthOf,
  units, skipFrom, regionOf, hidden, drawsPerUnit, KIND_CONV, NODE_REGIONS, MAX_NODES, R_W, R_A, R_Z, R_D, R_P, R_BITS, R_CNT,
  ALGO_PGAF, ALGO_TOPK, ALGO_RANDOM, ALGO_ADAPTIVE, knobA, invKeepQ16,
} from './graph';

export { inputShape, addConv, addDense, addPool, setLinear, setNodeRate, configure, setSparsity, sizeofTrainingMemory, scheduleTrainingMemory, setLearningRate, setDecay, setEpoch } from './graph';
export { rngSeed, rngNext } from './rng';

@inline const SRC_PRNG: i32 = 0;
@inline const FLAG_RELU_SAMPLED: i32 = 1;

export function heapBase(): i32 {
  return <i32>__heap_base;
}

export function countersPtr(): i32 {
  return <i32>COUNTERS;
}

/** Address of region r (graph.ts R_*) of node i; 0 when the node has no such region; negative before the plan. */
export function regionPtr(r: i32, i: i32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  if (<u32>r >= <u32>NODE_REGIONS || <u32>i >= <u32>nodeCount) return ERR_LAYER_INDEX;
  return <i32>regionOf(i, r);
}

/** Units (C·H·W) of node i, or a negative code. */
export function nodeUnits(i: i32): i32 {
  if (<u32>i >= <u32>nodeCount || i >= MAX_NODES) return ERR_LAYER_INDEX;
  return units(i);
}

/**
 * Weights U(−r, r) per conv node, r = √(6/(fanIn + fanOut)) (Glorot; ReLU: He, √(6/fanIn)) with
 * fanIn = Ci·kh·kw and fanOut = Co·min(kh·kw, Ho·Wo) (a dense node: Co); biases 0. One draw per weight,
 * node by node, in W's order, from the module's generator seeded with seed (as index.ts's initWeights).
 * A node with a skip (the last layer of a residual branch) starts at W = 0 and draws nothing: each block
 * starts as the identity, x → x + 0 (Goyal et al. 2017's zero-init, Fixup and ReZero: a deep residual net
 * without normalisation trains from the depth of a shallow one). Its weights get their gradient δ·a from
 * the first step; the branch's first layer gets one once they are nonzero.
 */
export function initWeights(seed: u32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  rngSeed(seed);
  for (let i = 1; i < nodeCount; i++) {
    if (kind(i) != KIND_CONV) continue;
    const taps = kernelH(i) * kernelW(i);
    const area = height(i) * widthOf(i);
    const fanIn: i64 = <i64>channels(i - 1) * <i64>taps;
    const fan: i64 = activation == ACT_RELU ? fanIn : fanIn + <i64>channels(i) * <i64>(taps < area ? taps : area);
    const r: i64 = isqrt(((<i64>6) << 48) / fan);
    const w = regionOf(i, R_W);
    const count = channels(i) * channels(i - 1) * taps;
    // a node with a skip ends a residual branch: it starts at 0, so every block starts as the identity
    if (skipFrom(i) >= 0) continue;
    for (let t = 0; t < count; t++) store<i32>(w + (<usize>t << 2), <i32>((((<i64>(rngNext() >> 8)) * (r << 1)) >> 24) - r));
  }
  return OK;
}

/** Writes u8 features (0..255) as Q16 inputs: x · 257. */
export function inputU8(src: usize): void {
  requirePlaced();
  const n = units(0);
  const a = regionOf(0, R_A);
  for (let t = 0; t < n; t++) store<i32>(a + (<usize>t << 2), <i32>load<u8>(src + <usize>t) * 257);
  ops(PH_FORWARD, n, 0, n);
}

/** Softmax of the output node: p_k = e^(z_k − max z) / Σ_m e^(z_m − max z), as forward.ts at T = 1. */
function softmax(n: i32, z: usize, a: usize): void {
  let m = load<i32>(z);
  for (let k = 1; k < n; k++) m = max(m, load<i32>(z + (<usize>k << 2)));
  let sum: i64 = 0;
  for (let k = 0; k < n; k++) {
    const e = expNegQ(load<i32>(z + (<usize>k << 2)) - m);
    store<i32>(a + (<usize>k << 2), e);
    sum += e;
  }
  for (let k = 0; k < n; k++) {
    const p = a + (<usize>k << 2);
    store<i32>(p, <i32>(((<i64>load<i32>(p) << 16) + (sum >> 1)) / sum));
  }
  ops(PH_FORWARD, 3 * n, 8 * n, 2 * n);
}

/** Every node on the input in A[0]: conv (+ skip, + activation) or pool; the last node's softmax. */
function forward(): void {
  requirePlaced();
  const L = nodeCount - 1;
  for (let i = 1; i <= L; i++) {
    if (kind(i) != KIND_CONV) {
      poolForward(i);
      continue;
    }
    convForward(i);
    const n = units(i);
    const z = regionOf(i, R_Z);
    const a = regionOf(i, R_A);
    const src = skipFrom(i);
    if (src >= 0) {
      const as = regionOf(src, R_A);
      for (let u = 0; u < n; u++) {
        const o = <usize>u << 2;
        store<i32>(z + o, sat32(<i64>load<i32>(z + o) + <i64>load<i32>(as + o)));
      }
      ops(PH_FORWARD, 0, n, n);
    }
    if (i == L) {
      softmax(n, z, a);
      break;
    }
    if (!hidden(i)) {
      // linear node (graph.ts setLinear): a = z
      for (let u = 0; u < n; u++) store<i32>(a + (<usize>u << 2), load<i32>(z + (<usize>u << 2)));
      ops(PH_FORWARD, 0, 0, n);
      continue;
    }
    for (let u = 0; u < n; u++) store<i32>(a + (<usize>u << 2), activate(activation, load<i32>(z + (<usize>u << 2))));
    // LUT interpolation: 1 multiply, 4 adds (tanh: 5); ReLU: a compare (as forward.ts).
    if (activation == ACT_SIGMOID) ops(PH_FORWARD, n, 4 * n, n);
    else if (activation == ACT_TANH) ops(PH_FORWARD, n, 5 * n, n);
    else ops(PH_FORWARD, 0, 0, n);
  }
}

/**
 * random: c_j ~ Bernoulli(p) for the n units of hidden node i (ordinal h), one draw each: P_j = p, then the
 * module's generator or env.mtj_sample(h, n, P, BITS, 1); c_j = [bit ≠ 0] into CNT.
 */
function randomMask(i: i32, h: i32, n: i32): void {
  const p = regionOf(i, R_P);
  const bits = regionOf(i, R_BITS);
  const cnt = regionOf(i, R_CNT);
  for (let j = 0; j < n; j++) store<i32>(p + (<usize>j << 2), knobA);
  if (bitSource == SRC_PRNG) {
    for (let j = 0; j < n; j++) store<u8>(bits + <usize>j, bernoulliQ16(knobA));
  } else {
    mtjSample(h, n, p, bits, 1);
  }
  for (let j = 0; j < n; j++) store<u8>(cnt + <usize>j, <u8>(load<u8>(bits + <usize>j) != 0));
  ops(PH_ACTGRAD, 0, 0, n);
  bump((PH_ACTGRAD << 2) + K_DRAW, n);
}

/** Draws and counts c_j of every hidden node (bp, topk, adaptive: c_j = 1; random: randomMask), into CNT. */
function drawMasks(): void {
  const draws = drawsPerUnit();
  const sampled = activation != ACT_RELU || (flags & FLAG_RELU_SAMPLED) != 0;
  const pairs = activation != ACT_RELU;
  let h = 0;
  for (let i = 1; i < nodeCount - 1; i++) {
    if (!hidden(i)) continue;
    const n = units(i);
    const cnt = regionOf(i, R_CNT);
    if (algo == ALGO_RANDOM) {
      randomMask(i, h, n);
      h++;
      continue;
    }
    if (algo != ALGO_PGAF || !sampled) {
      const z = regionOf(i, R_Z);
      for (let j = 0; j < n; j++) store<u8>(cnt + <usize>j, algo != ALGO_PGAF || load<i32>(z + (<usize>j << 2)) > 0 ? 1 : 0);
      h++;
      continue;
    }
    const a = regionOf(i, R_A);
    const z = regionOf(i, R_Z);
    const p = regionOf(i, R_P);
    const bits = regionOf(i, R_BITS);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      store<i32>(p + o, pgafProbability(activation, load<i32>(a + o), load<i32>(z + o)));
    }
    if (bitSource == SRC_PRNG) {
      for (let t = 0; t < n * draws; t++) store<u8>(bits + <usize>t, bernoulliQ16(load<i32>(p + (<usize>(t / draws) << 2))));
    } else {
      mtjSample(h, n, p, bits, draws);
    }
    for (let j = 0; j < n; j++) {
      const b = bits + <usize>(j * draws);
      let c = 0;
      if (pairs) {
        for (let t = 0; t < draws; t += 2) c += <i32>(load<u8>(b + <usize>t) != 0 && load<u8>(b + <usize>t, 1) == 0);
      } else {
        for (let t = 0; t < draws; t++) c += <i32>(load<u8>(b + <usize>t) != 0);
      }
      store<u8>(cnt + <usize>j, <u8>c);
    }
    if (activation == ACT_TANH) ops(PH_ACTGRAD, 0, n, n);
    else if (activation == ACT_RELU) ops(PH_ACTGRAD, n, 4 * n, n);
    else ops(PH_ACTGRAD, 0, 0, n);
    bump((PH_ACTGRAD << 2) + K_DRAW, n * draws);
    h++;
  }
}

/** Output δ_k = p_k − y_k (Q24); lists the units with δ ≠ 0; adds −ln p_y to the loss counter. */
function outputDelta(label: i32): i32 {
  const L = nodeCount - 1;
  const n = units(L);
  const a = regionOf(L, R_A);
  const d = regionOf(L, R_D);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const ak = load<i32>(a + (<usize>k << 2));
    const dk = (ak - (k == label ? ONE_A : 0)) << 8;
    store<i32>(d + (<usize>k << 2), dk);
    if (dk != 0) {
      store<i32>(KEPT + (<usize>count << 2), k << 2);
      count++;
    }
  }
  ops(PH_ACTGRAD, 0, n, n);
  bump(SLOT_LOSS, negLnQ16(load<i32>(a + (<usize>label << 2))));
  return count;
}

/**
 * Node i's D holds ∂L/∂a from every node above; turns it into δ for a hidden node's kept units and lists
 * the units with δ ≠ 0 (a pool or linear node: D stays ∂L/∂a = ∂L/∂z, the units with a nonzero one are listed).
 * topk and adaptive then keep only the k units of largest |δ| (select.ts); random scales δ by 1/p.
 */
function finishDelta(i: i32): i32 {
  const n = units(i);
  const d = regionOf(i, R_D);
  let count = 0;
  if (!hidden(i)) {
    for (let j = 0; j < n; j++) {
      if (load<i32>(d + (<usize>j << 2)) != 0) {
        store<i32>(KEPT + (<usize>count << 2), j << 2);
        count++;
      }
    }
    return count;
  }
  const cnt = regionOf(i, R_CNT);
  const a = regionOf(i, R_A);
  const z = regionOf(i, R_Z);
  const exact = algo != ALGO_PGAF;
  const scaled = algo == ALGO_RANDOM && knobA < ONE_A;
  const sampled = activation != ACT_RELU || (flags & FLAG_RELU_SAMPLED) != 0;
  const k2 = sampled ? pairShift : 0;
  const e = (activation == ACT_TANH ? 2 : 0) - k2;
  let kept = 0;
  for (let j = 0; j < n; j++) {
    const cj = <i32>load<u8>(cnt + <usize>j);
    if (cj == 0) continue;
    kept++;
    const o = <usize>j << 2;
    const g = load<i32>(d + o);
    let v: i32;
    if (exact) {
      v = mulShift(g, derivative(activation, load<i32>(a + o), load<i32>(z + o)), 16);
      if (scaled) v = sat32(shr(<i64>v * invKeepQ16, 16));
    } else {
      const sc: i64 = k2 > 0 ? <i64>g * <i64>cj : <i64>g;
      v = sat32(e >= 0 ? sc << <i64>e : shr(sc, -e));
    }
    store<i32>(d + o, v);
    if (v != 0) {
      store<i32>(KEPT + (<usize>count << 2), j << 2);
      count++;
    }
  }
  if (exact) {
    if (activation == ACT_RELU) ops(PH_ACTGRAD, kept, 0, kept);
    else ops(PH_ACTGRAD, 2 * kept, kept, kept);
    if (scaled) ops(PH_ACTGRAD, kept, 0, 0);
  } else if (k2 > 0) ops(PH_ACTGRAD, kept, 0, kept);
  if (algo == ALGO_TOPK || algo == ALGO_ADAPTIVE) {
    kept = algo == ALGO_TOPK ? fixedKeep(n) : adaptiveKeep(i, d, n);
    if (kept < n) count = selectTopK(d, cnt, regionOf(i, R_P), n, kept);
  }
  bump(SLOT_KEPT, kept);
  bump(SLOT_SEEN, n);
  return count;
}

/** Skip into node r (r ≥ 1): D[r] += δ_i over node i's listed units, where r's unit is kept. */
function skipBackward(i: i32, r: i32, count: i32): void {
  const d = regionOf(i, R_D);
  const g = regionOf(r, R_D);
  const cnt = hidden(r) ? regionOf(r, R_CNT) : 0;
  let adds = 0;
  for (let t = 0; t < count; t++) {
    const uo = <usize>load<i32>(KEPT + (<usize>t << 2));
    if (cnt != 0 && load<u8>(cnt + (uo >> 2)) == 0) continue;
    store<i32>(g + uo, sat32(<i64>load<i32>(g + uo) + <i64>load<i32>(d + uo)));
    adds++;
  }
  ops(PH_DELTA, 0, adds, adds);
}

function backward(label: i32): void {
  const L = nodeCount - 1;
  for (let i = 1; i < L; i++) {
    const d = regionOf(i, R_D);
    const n = units(i);
    for (let j = 0; j < n; j++) store<i32>(d + (<usize>j << 2), 0);
  }
  let count = outputDelta(label);
  for (let i = L; i >= 1; i--) {
    const r = skipFrom(i);
    if (r > 0) skipBackward(i, r, count);
    if (kind(i) == KIND_CONV) {
      if (i > 1) convBackward(i, KEPT, count, false);
      convBackward(i, KEPT, count, true);
    } else if (i > 1) poolBackward(i, KEPT, count);
    if (i > 1) count = finishDelta(i - 1);
  }
}

function argmax(): i32 {
  const L = nodeCount - 1;
  const n = units(L);
  const a = regionOf(L, R_A);
  let best = 0;
  let bv = load<i32>(a);
  for (let k = 1; k < n; k++) {
    const v = load<i32>(a + (<usize>k << 2));
    if (v > bv) {
      bv = v;
      best = k;
    }
  }
  return best;
}

/** One SGD step on the input in A[0]; returns the class predicted before the update. */
export function trainStep(label: i32): i32 {
  forward();
  const y = argmax();
  drawMasks();
  backward(label);
  return y;
}

export function predict(): i32 {
  requirePlaced();
  setCounting(false);
  forward();
  setCounting(true);
  return argmax();
}

/** Trains on count u8 samples (x: count × units(0) bytes, y: u8 labels) in the order of the i32 indices at order (0: natural); returns the correct count. */
export function trainEpochU8(x: usize, y: usize, order: usize, count: i32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  const n = <usize>units(0);
  let correct = 0;
  for (let s = 0; s < count; s++) {
    const i = order != 0 ? <usize>load<i32>(order + (<usize>s << 2)) : <usize>s;
    inputU8(x + i * n);
    const label = <i32>load<u8>(y + i);
    if (trainStep(label) == label) correct++;
  }
  return correct;
}

/** Correct predictions on count samples (no counting, no update). */
export function evaluateU8(x: usize, y: usize, count: i32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  const n = <usize>units(0);
  let correct = 0;
  setCounting(false);
  for (let s = 0; s < count; s++) {
    inputU8(x + <usize>s * n);
    forward();
    if (argmax() == <i32>load<u8>(y + <usize>s)) correct++;
  }
  setCounting(true);
  return correct;
}
