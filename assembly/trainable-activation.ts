// Trainable activation (Xin et al., arXiv 2211.13391): a_j = f(u_j), u_j = k_j·(z_j + c_j) per
// hidden neuron, slope k_j and shift c_j trained with the weights (FLAG_TRAINABLE).
//   formats: k, c in Q24 (like weights: SGD steps are not lost), z, u in Q16
//   ∂a/∂z = k·f′(u)   ∂a/∂k = (z + c)·f′(u)   ∂a/∂c = k·f′(u)    (f′ from a, or u > 0 for ReLU)
// With t_j = s_j·f′(u_j) (s_j = (Wᵀδ)_j; pgaf: s_j·2^e·c_j/K, the sampled f′): δ_j = t_j·k_j,
//   k_j −= η·t_j·(z_j + c_j),  c_j −= η·δ_j    (η of the weight layer feeding the neuron; plain SGD)
// then k_j, c_j are clamped to the range the device realises (setActivationRange; default: none).
import { sat32, mulShiftCall } from './fixed';
import { slopePtr, shiftPtr, zPtr, lr, trainable } from './plan';
import { ERR_CONFIG, OK } from './errors';

let kMinQ24: i32 = -2147483648;
let kMaxQ24: i32 = 2147483647;
let cMinQ24: i32 = -2147483648;
let cMaxQ24: i32 = 2147483647;

/** Range of k and c (Q24) the device can realise; training clamps them into it. */
export function setActivationRange(kMin: i32, kMax: i32, cMin: i32, cMax: i32): i32 {
  if (kMin > kMax || cMin > cMax) return ERR_CONFIG;
  kMinQ24 = kMin;
  kMaxQ24 = kMax;
  cMinQ24 = cMin;
  cMaxQ24 = cMax;
  return OK;
}

/** z_j + c_j of hidden layer k in Q16 (c rounded from Q24); jo = 4j. */
function shiftedInput(k: i32, jo: usize): i32 {
  return sat32(<i64>load<i32>(zPtr(k) + jo) + ((<i64>load<i32>(shiftPtr(k) + jo) + 128) >> 8));
}

/** The activation's argument u_j in Q16: k_j·(z_j + c_j) when trainable, else z_j. */
export function activationInput(k: i32, jo: usize): i32 {
  if (!trainable()) return load<i32>(zPtr(k) + jo);
  return mulShiftCall(load<i32>(slopePtr(k) + jo), shiftedInput(k, jo), 24);
}

/** δ_j = t_j·k_j (Q24). */
export function slopeDelta(k: i32, jo: usize, t: i32): i32 {
  return mulShiftCall(t, load<i32>(slopePtr(k) + jo), 24);
}

/** *p ← clamp(*p − step, lo, hi). */
function stepClamped(p: usize, step: i32, lo: i32, hi: i32): void {
  const x = <i64>load<i32>(p) - <i64>step;
  store<i32>(p, <i32>(x < <i64>lo ? <i64>lo : x > <i64>hi ? <i64>hi : x));
}

/** SGD step of k_j and c_j from t_j and δ_j (both Q24), clamped to the device range. */
export function updateSlopeShift(k: i32, jo: usize, t: i32, delta: i32): void {
  const eta = lr(k - 1);
  stepClamped(slopePtr(k) + jo, mulShiftCall(mulShiftCall(t, shiftedInput(k, jo), 16), eta, 16), kMinQ24, kMaxQ24);
  stepClamped(shiftPtr(k) + jo, mulShiftCall(delta, eta, 16), cMinQ24, cMaxQ24);
}
