// Forward pass. For weight layer l (n[l] → n[l+1]):
//   z_j = b_j + Σ_i w_ji · a_i          (Q24 · Q16 summed in i64, rounded to Q16, saturated)
//   a_j = f(z_j)                          hidden layers: sigmoid, tanh or ReLU (activation.ts)
//   a_j = f(k_j·(z_j + c_j))              trainable activation (trainable-activation.ts)
//   a_j = V1(I(z_j))                      pair: read from the device (pair-gradient.ts)
//   output: softmax p_k = e^((z_k − max z)/T) / Σ e^((z_m − max z)/T) (T = 1 unless distilling,
//           distillation.ts), or a_k = σ(z_k)
// The sum runs over the nonzero inputs only (gathered first: MNIST pixels are ~80% zero, ReLU
// outputs often are): the skipped terms are exactly zero, and the counters count the terms done.
// Weights are read through loadW (weight-format.ts): the narrow builds sum a_i·w_i in Q(16 + F′),
// F′ = W_LOAD_FRAC, from the bias b·2^(F′−8), and round once by 2^F′ (the release: F′ = 24).
import { sat32, shr, ONE_A } from './fixed';
import { NARROW, W_BYTES_LOG2, W_LOAD_FRAC, loadW } from './weight-format';
import { activate, sigmoidQ, expNegQ, ACT_SIGMOID, ACT_TANH } from './activation';
import { ops, PH_FORWARD } from './counters';
import { width, aPtr, zPtr, wPtr, bPtr, layerCount, activation, outputKind, algo, bitSource, trainable, requirePlaced, OUT_SOFTMAX, ALGO_PAIR, SRC_IMPORT, SRC_BUFFER, NZI, NZV } from './plan';
import { activationInput } from './trainable-activation';
import { readPairs, finishPairs } from './pair-gradient';
import { inverseTemperatureQ16 } from './distillation';

/**
 * Gathers the nonzero entries of A[k]: byte offsets of their weights in a row (i·bytes per weight) into NZI,
 * values into NZV; returns the count.
 */
export function gatherNonzero(k: i32): i32 {
  const n = width(k);
  const a = aPtr(k);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const v = load<i32>(a + (<usize>i << 2));
    if (v != 0) {
      store<i32>(NZI + (<usize>nnz << 2), i << W_BYTES_LOG2);
      store<i32>(NZV + (<usize>nnz << 2), v);
      nnz++;
    }
  }
  return nnz;
}

/** Writes u8 features (0..255) as Q16 inputs: x · 257 = x/255 · 65535. */
export function inputU8(src: usize): void {
  requirePlaced();
  const n = width(0);
  const a = aPtr(0);
  for (let i = 0; i < n; i++) store<i32>(a + (<usize>i << 2), <i32>load<u8>(src + <usize>i) * 257);
  ops(PH_FORWARD, n, 0, n);
}

/** z_j = round(acc / 2^F′) saturated (acc in Q(16 + F′), weight-format.ts); a_j = f(u_j) on hidden layers (pair: later, from the device). */
function finishNeuron(k: i32, j: i32, acc: i64, hidden: bool): void {
  const o = <usize>j << 2;
  store<i32>(zPtr(k) + o, sat32(shr(acc, W_LOAD_FRAC)));
  if (hidden && algo != ALGO_PAIR) store<i32>(aPtr(k) + o, activate(activation, activationInput(k, o)));
}

function layerForward(l: i32): void {
  const nIn = width(l);
  const nOut = width(l + 1);
  const nnz = gatherNonzero(l);
  const b = bPtr(l);
  const z = zPtr(l + 1);
  const a = aPtr(l + 1);
  const hidden = l + 2 < layerCount;
  const rowBytes = <usize>nIn << W_BYTES_LOG2;
  let row = wPtr(l);
  // Two neurons per pass share each input's loads (value and offset): 1.5 loads per MAC, not 3.
  let j = 0;
  for (; j + 1 < nOut; j += 2) {
    const row1 = row + rowBytes;
    let acc0: i64 = <i64>load<i32>(b + (<usize>j << 2)) << <i64>(W_LOAD_FRAC - 8);
    let acc1: i64 = <i64>load<i32>(b + (<usize>j << 2), 4) << <i64>(W_LOAD_FRAC - 8);
    for (let t = 0; t < nnz; t++) {
      const off = <usize>t << 2;
      const v = <i64>load<i32>(NZV + off);
      const o = <usize>load<i32>(NZI + off);
      acc0 += v * loadW(row + o);
      acc1 += v * loadW(row1 + o);
    }
    finishNeuron(l + 1, j, acc0, hidden);
    finishNeuron(l + 1, j + 1, acc1, hidden);
    row = row1 + rowBytes;
  }
  if (j < nOut) {
    let acc: i64 = <i64>load<i32>(b + (<usize>j << 2)) << <i64>(W_LOAD_FRAC - 8);
    for (let t = 0; t < nnz; t++) {
      const off = <usize>t << 2;
      // (the release's expression spelled out keeps its code byte for byte)
      acc += <i64>load<i32>(NZV + off) * (NARROW ? loadW(row + <usize>load<i32>(NZI + off)) : <i64>load<i32>(row + <usize>load<i32>(NZI + off)));
    }
    finishNeuron(l + 1, j, acc, hidden);
  }
  ops(PH_FORWARD, nnz * nOut, nnz * nOut + nOut, nOut);
  if (hidden && algo == ALGO_PAIR) {
    // the host-buffer source reads the device between forwardLayer calls
    if (bitSource == SRC_IMPORT) {
      readPairs(l + 1);
      finishPairs(l + 1);
    }
  } else if (hidden) {
    // u = k·(z + c): 1 multiply, 1 add
    if (trainable()) ops(PH_FORWARD, nOut, nOut, 0);
    // LUT interpolation: 1 multiply, 4 adds (tanh: 5); ReLU: a compare.
    if (activation == ACT_SIGMOID) ops(PH_FORWARD, nOut, 4 * nOut, nOut);
    else if (activation == ACT_TANH) ops(PH_FORWARD, nOut, 5 * nOut, nOut);
    else ops(PH_FORWARD, 0, 0, nOut);
  } else {
    outputForward(nOut, z, a);
  }
}

function outputForward(n: i32, z: usize, a: usize): void {
  if (outputKind != OUT_SOFTMAX) {
    for (let k = 0; k < n; k++) store<i32>(a + (<usize>k << 2), sigmoidQ(load<i32>(z + (<usize>k << 2))));
    ops(PH_FORWARD, n, 4 * n, n);
    return;
  }
  let m = load<i32>(z);
  for (let k = 1; k < n; k++) {
    const v = load<i32>(z + (<usize>k << 2));
    if (v > m) m = v;
  }
  let sum: i64 = 0;
  for (let k = 0; k < n; k++) {
    const e = expNegQ(sat32(shr((<i64>load<i32>(z + (<usize>k << 2)) - <i64>m) * <i64>inverseTemperatureQ16, 16)));
    store<i32>(a + (<usize>k << 2), e);
    sum += e;
  }
  for (let k = 0; k < n; k++) {
    const p = a + (<usize>k << 2);
    store<i32>(p, <i32>(((<i64>load<i32>(p) << 16) + (sum >> 1)) / sum));
  }
  // exp: 2 multiplies (3 with a temperature), 5 adds; sum: 1 add; normalisation: 1 division (counted as a multiply), 2 adds.
  ops(PH_FORWARD, (inverseTemperatureQ16 != ONE_A ? 4 : 3) * n, 8 * n, 2 * n);
}

/** Runs every layer on the input in A[0]. */
export function forward(): void {
  requirePlaced();
  for (let l = 0; l < layerCount - 1; l++) layerForward(l);
}

/**
 * Weight layer l alone (pair with the host buffer): first finishes hidden layer l from the
 * voltages the host wrote into BITS[l] (l ≥ 1), then computes layer l + 1. Returns its width.
 */
export function forwardLayer(l: i32): i32 {
  requirePlaced();
  if (l > 0 && algo == ALGO_PAIR && bitSource == SRC_BUFFER) finishPairs(l);
  layerForward(l);
  return width(l + 1);
}

/** Index of the predicted class (single sigmoid output: 1 when a ≥ 0.5). */
export function argmax(): i32 {
  const L = layerCount - 1;
  const n = width(L);
  const a = aPtr(L);
  if (n == 1) return load<i32>(a) >= (ONE_A >> 1) ? 1 : 0;
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
