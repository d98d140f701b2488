// Backward pass and SGD update, for bp (exact) and pgaf (p-GAF-BP).
//
// Output layer L (softmax + cross-entropy):  δ_k = p_k − y_k
//              (sigmoid + squared error):    δ_k = (a_k − y_k) · a_k(1 − a_k)      (exact in both algorithms)
// Hidden layer k, s_j = Σ_m w_mj δ_m over the upper layer's kept neurons m:
//   bp:   δ_j = s_j · f′(z_j)            for every neuron j     (then, optionally, δ_j ← clamp(δ_j, ±c))
//   pair: δ_j = s_j · g_j                g_j the twin-MTJ finite difference (pair-gradient.ts)
//   trainable activation: δ_j = t_j · k_j with t_j the line above, and k_j, c_j take their SGD
//         step here (trainable-activation.ts)
// Output soft targets (label < 0): y_k in Q16 from D[L][k], written by the host (distillation.ts; plan.ts).
//   pgaf: δ_j = s_j · 2^e · c_j / K       c_j = number of (1,0) pairs among K pairs of Bernoulli(p_j)
//         draws, E[c_j/K] = f′/2^e (the paper: K = 1, c_j = s1 ∧ ¬s2); sigmoid e = 0, tanh e = 2
//         (ReLU: c_j = [z_j > 0], or the number of ones among K Bernoulli(σ(z_j)) draws when sampled)
//         A neuron is kept when c_j > 0: K = 1 needs no multiply at all, K > 1 one per kept neuron.
//   The masks are drawn first (drawMasks, at the end of the forward pass); afterwards only kept
//   neurons are visited: no dot product, no weight row, no bias for a neuron whose mask is 0.
// Update of weight layer l, for kept rows j (learning rate η_l in Q16, momentum μ in Q16):
//   g_j = η_l · δ_j;  plain SGD: w_ji −= g_j · a_i,  b_j −= g_j
//   momentum:         v_ji = μ·v_ji + g_j·a_i,  w_ji −= v_ji   (a row that is not kept keeps its v)
//   narrow builds (16/8-bit W, weight-format.ts): w_ji −= Δ_ji with Δ_ji = round(g_j·a_i / 2^16) in Q24,
//                     rounded stochastically to the stored step (stochastic-rounding.ts); s_j reads W
//                     widened (the same sum as with the weights widened to Q24). No momentum.
import { sat32, shr, mulShift, ONE_A } from './fixed';
import { NARROW, W_BYTES_LOG2, W_LOAD_FRAC, loadW } from './weight-format';
import { roundedUpdate, absorbDeviceDraws } from './stochastic-rounding';
import { derivative, pgafProbability, ACT_RELU, ACT_TANH } from './activation';
import { bernoulliQ16 } from './rng';
import { mtjSample } from './device-import';
import { activationInput, slopeDelta, updateSlopeShift } from './trainable-activation';
import { ops, bump, SLOT_KEPT, SLOT_SEEN, SLOT_LOSS, PH_ACTGRAD, PH_DELTA, PH_UPDATE, K_DRAW } from './counters';
import { gatherNonzero } from './forward';
import { negLnQ16 } from './loss';
import {
  requirePlaced,
  width, aPtr, zPtr, dPtr, pPtr, bitsPtr, wPtr, bPtr, vwPtr, vbPtr, lr, layerCount, activation, outputKind, algo,
  bitSource, flags, momentumQ16, trainable, ALGO_PGAF, ALGO_PAIR, pFloorQ16, dFloorQ16, deltaClipQ24, pairShift, drawsPerNeuron, NZI, NZV, KEPT_A, KEPT_B, OUT_SOFTMAX, ALGO_BP, SRC_PRNG, SRC_IMPORT, FLAG_RELU_SAMPLED,
} from './plan';

@inline function sampled(): bool {
  return activation != ACT_RELU || (flags & FLAG_RELU_SAMPLED) != 0;
}

/** pgaf: probabilities P[k] and draws BITS[k] of every hidden layer (from the PRNG or the import). */
export function drawMasks(): void {
  if (!sampled()) return;
  const draws = drawsPerNeuron();
  for (let k = 1; k < layerCount - 1; k++) {
    const n = width(k);
    const a = aPtr(k);
    const p = pPtr(k);
    const bits = bitsPtr(k);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      let pj = pgafProbability(activation, load<i32>(a + o), activationInput(k, o));
      if (pj < pFloorQ16) pj = pFloorQ16;
      else if (pj > ONE_A - pFloorQ16) pj = ONE_A - pFloorQ16;
      store<i32>(p + o, pj);
    }
    if (activation == ACT_TANH) ops(PH_ACTGRAD, 0, n, n);
    else if (activation == ACT_RELU) ops(PH_ACTGRAD, n, 4 * n, n);
    else ops(PH_ACTGRAD, 0, 0, n);
    if (bitSource == SRC_PRNG) {
      for (let j = 0; j < n * draws; j++) {
        store<u8>(bits + <usize>j, bernoulliQ16(load<i32>(p + (<usize>(j / draws) << 2))));
      }
    } else if (bitSource == SRC_IMPORT) {
      mtjSample(k - 1, n, p, bits, draws);
    }
    bump((PH_ACTGRAD << 2) + K_DRAW, n * draws);
  }
}

/**
 * Kept neurons of hidden layer k as byte offsets into `list`; returns their count. The count c_j of
 * each kept neuron (pgaf: its (1,0) pairs; 1 for bp and pair) is left in D[k][j] as a plain integer,
 * not Q24 (plan.ts: D's other uses); hiddenDelta reads it and overwrites it with δ_j.
 */
function keptList(k: i32, list: usize): i32 {
  const n = width(k);
  let kept = 0;
  const bits = bitsPtr(k);
  const d = dPtr(k);
  const draws = drawsPerNeuron();
  const pairs = activation != ACT_RELU;
  const exact = algo != ALGO_PGAF;
  const fromBits = sampled();
  for (let j = 0; j < n; j++) {
    let c = 1;
    if (!exact) {
      if (!fromBits) c = activationInput(k, <usize>j << 2) > 0 ? 1 : 0;
      else {
        c = 0;
        const b = bits + <usize>(j * draws);
        if (pairs) {
          for (let t = 0; t < draws; t += 2) c += <i32>(load<u8>(b + <usize>t) != 0 && load<u8>(b + <usize>t, 1) == 0);
        } else {
          for (let t = 0; t < draws; t++) c += <i32>(load<u8>(b + <usize>t) != 0);
        }
      }
    }
    if (c != 0) {
      store<i32>(list + (<usize>kept << 2), j << 2);
      store<i32>(d + (<usize>j << 2), c);
      kept++;
    }
  }
  bump(SLOT_KEPT + k - 1, kept);
  bump(SLOT_SEEN + k - 1, n);
  return kept;
}

/** Output deltas (Q24) for a label; every output neuron with δ ≠ 0 goes into `list`. */
function outputDelta(label: i32, list: usize): i32 {
  const L = layerCount - 1;
  const n = width(L);
  const a = aPtr(L);
  const d = dPtr(L);
  let kept = 0;
  let loss = 0;
  for (let k = 0; k < n; k++) {
    const ak = load<i32>(a + (<usize>k << 2));
    const hot = n == 1 ? label != 0 : k == label;
    // label < 0: the host's soft target y_k, Q16 in D[L][k] (plan.ts), overwritten by δ_k (Q24) below
    const e = ak - (label < 0 ? load<i32>(d + (<usize>k << 2)) : hot ? ONE_A : 0);
    let dk: i32;
    if (outputKind == OUT_SOFTMAX) {
      dk = e << 8;
      if (hot) loss = negLnQ16(ak);
    } else {
      dk = sat32(shr(<i64>e * <i64>((ak * (ONE_A - ak) + 32768) >> 16), 8));
      loss += <i32>((<i64>e * <i64>e + 65536) >> 17);
    }
    store<i32>(d + (<usize>k << 2), dk);
    if (dk != 0) {
      store<i32>(list + (<usize>kept << 2), k << 2);
      kept++;
    }
  }
  if (outputKind == OUT_SOFTMAX) ops(PH_ACTGRAD, 0, n, n);
  else ops(PH_ACTGRAD, 2 * n, 2 * n, n);
  bump(SLOT_LOSS, loss);
  return kept;
}

/** δ of hidden layer k for its kept neurons, from layer k+1's kept deltas through W[k] (not yet updated). */
function hiddenDelta(k: i32, up: usize, upCount: i32, down: usize, downCount: i32): void {
  const rowBytes = <usize>width(k) << W_BYTES_LOG2;
  const w = wPtr(k);
  const dUp = dPtr(k + 1);
  const d = dPtr(k);
  const a = aPtr(k);
  const g = pPtr(k);
  const exact = algo != ALGO_PGAF;
  const tr = trainable();
  for (let t = 0; t < downCount; t++) {
    const jo = <usize>load<i32>(down + (<usize>t << 2));
    const wo = jo >> <usize>(2 - W_BYTES_LOG2); // j's byte offset in a W row
    let acc: i64 = 0;
    for (let u = 0; u < upCount; u++) {
      const mo = <usize>load<i32>(up + (<usize>u << 2));
      acc += loadW(w + (mo >> 2) * rowBytes + wo) * <i64>load<i32>(dUp + mo);
    }
    let s = sat32(shr(acc, W_LOAD_FRAC));
    const cj = load<i32>(d + jo); // keptList's integer count c_j; D[k][j] becomes δ_j (Q24) below
    if (algo == ALGO_PAIR) s = mulShift(s, load<i32>(g + jo), 16);
    else if (exact) {
      let fd = derivative(activation, load<i32>(a + jo), activationInput(k, jo));
      const floor = activation == ACT_TANH ? dFloorQ16 << 2 : activation == ACT_RELU ? 0 : dFloorQ16;
      if (fd < floor) fd = floor;
      s = mulShift(s, fd, 16);
    }
    else {
      // s · 2^e · c_j / K, rounded; K = 1 and c_j = 1 is a pure shift (or nothing, for sigmoid)
      const k2 = sampled() ? pairShift : 0;
      const e = (activation == ACT_TANH ? 2 : 0) - k2;
      const sc: i64 = k2 > 0 ? <i64>s * <i64>cj : <i64>s;
      s = sat32(e >= 0 ? sc << <i64>e : shr(sc, -e));
    }
    const tj = s;
    if (tr) s = slopeDelta(k, jo, tj);
    const c = deltaClipQ24;
    if (c != 0) s = s > c ? c : s < -c ? -c : s;
    store<i32>(d + jo, s);
    if (tr) updateSlopeShift(k, jo, tj, s);
  }
  const macs = downCount * upCount;
  ops(PH_DELTA, macs, macs, downCount);
  if (!exact && pairShift > 0 && sampled()) ops(PH_ACTGRAD, downCount, 0, 0); // s · c_j
  if (tr) {
    // δ = t·k (1 multiply); u for f′ (1 multiply, 1 add); update: (z + c)·t, 2 × η·, 2 subtracts
    ops(PH_ACTGRAD, 2 * downCount, downCount, 0);
    ops(PH_UPDATE, 3 * downCount, 3 * downCount, 2 * downCount);
  }
  if (algo == ALGO_PAIR) ops(PH_ACTGRAD, downCount, 0, 0); // s · g
  else if (exact) {
    // f′: sigmoid a(1 − a) and tanh 1 − a² cost 1 multiply and 1 add; ReLU a compare; then s · f′.
    if (activation == ACT_RELU) ops(PH_ACTGRAD, downCount, 0, 0);
    else ops(PH_ACTGRAD, 2 * downCount, downCount, 0);
  }
}

/** SGD step of weight layer l on the rows listed (byte offsets of kept neurons of layer l+1). */
function updateLayer(l: i32, rows: usize, count: i32): void {
  const nnz = gatherNonzero(l);
  const rowBytes = <usize>width(l) << W_BYTES_LOG2;
  const w = wPtr(l);
  const b = bPtr(l);
  const d = dPtr(l + 1);
  const eta = lr(l);
  const mu = momentumQ16;
  for (let u = 0; u < count; u++) {
    const jo = <usize>load<i32>(rows + (<usize>u << 2));
    const g = mulShift(load<i32>(d + jo), eta, 16);
    const row = w + (jo >> 2) * rowBytes;
    if (NARROW) {
      store<i32>(b + jo, sat32(<i64>load<i32>(b + jo) - <i64>g));
      for (let t = 0; t < nnz; t++) {
        const off = <usize>t << 2;
        roundedUpdate(row + <usize>load<i32>(NZI + off), shr(<i64>g * <i64>load<i32>(NZV + off), 16));
      }
    } else if (mu == 0) {
      store<i32>(b + jo, sat32(<i64>load<i32>(b + jo) - <i64>g));
      for (let t = 0; t < nnz; t++) {
        const off = <usize>t << 2;
        const p = row + <usize>load<i32>(NZI + off);
        store<i32>(p, sat32(<i64>load<i32>(p) - shr(<i64>g * <i64>load<i32>(NZV + off), 16)));
      }
    } else {
      const vb = vbPtr(l) + jo;
      const v0 = sat32(<i64>mulShift(load<i32>(vb), mu, 16) + <i64>g);
      store<i32>(vb, v0);
      store<i32>(b + jo, sat32(<i64>load<i32>(b + jo) - <i64>v0));
      const vrow = vwPtr(l) + (row - w);
      for (let t = 0; t < nnz; t++) {
        const off = <usize>t << 2;
        const o = <usize>load<i32>(NZI + off);
        const v = sat32(<i64>mulShift(load<i32>(vrow + o), mu, 16) + shr(<i64>g * <i64>load<i32>(NZV + off), 16));
        store<i32>(vrow + o, v);
        store<i32>(row + o, sat32(<i64>load<i32>(row + o) - <i64>v));
      }
    }
  }
  const cells = count * (nnz + 1);
  // per row: g = η·δ (1 multiply), bias (1 add); per weight: g·a (1 multiply), 1 add.
  // momentum doubles both: μ·v (1 multiply) and v + g·a (1 add) per weight and per bias.
  if (mu == 0) ops(PH_UPDATE, cells, cells, cells);
  else ops(PH_UPDATE, 2 * cells, 2 * cells, 2 * cells);
  // narrow: one rounding draw per weight updated (stochastic-rounding.ts)
  if (NARROW) bump((PH_UPDATE << 2) + K_DRAW, count * nnz);
}

/** Backward pass and update for a label, after forward() (and drawMasks() for pgaf). */
export function backward(label: i32): void {
  requirePlaced();
  if (NARROW && bitSource != SRC_PRNG && algo != ALGO_BP) absorbDeviceDraws();
  const L = layerCount - 1;
  let up = KEPT_A;
  let down = KEPT_B;
  let upCount = outputDelta(label, up);
  for (let l = L - 1; l >= 0; l--) {
    let downCount = 0;
    if (l > 0) {
      downCount = keptList(l, down);
      hiddenDelta(l, up, upCount, down, downCount);
    }
    updateLayer(l, up, upCount);
    const t = up;
    up = down;
    down = t;
    upCount = downCount;
  }
}
