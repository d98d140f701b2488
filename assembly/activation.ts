// Activation functions in Q16 (see fixed.ts), from the lookup tables in tables.ts.
//
// sigmoid(z): σ(−|z|) by linear interpolation in SIGMOID_TAIL (step h = 1/16 on [0, 16]),
//   σ(z) = 1 − σ(−z) for z ≥ 0. Error bound: interpolation h²/8·max|σ''| = 4.7e-5, table
//   rounding 7.6e-6, interpolation rounding 7.6e-6, tail beyond |z| = 16: 1.1e-7
//   → |sigmoidQ(z)/2^16 − σ(z)| ≤ 1e-4.
// tanh(z) = 2σ(2z) − 1                    → error ≤ 2e-4.
// relu(z) = max(0, z)                      → exact.
// expNeg(x) = e^x for x ≤ 0 as 2^(x·log2 e): 2^frac by interpolation in EXP2_FRAC (step 1/64),
//   then a rounded shift by the integer part. Relative error ≤ 1e-4 (absolute ≤ 1e-4).
import { SIGMOID_TAIL, EXP2_FRAC } from './tables';
import { mulShift, sat32, ONE_A } from './fixed';

@inline export const ACT_SIGMOID: i32 = 0;
@inline export const ACT_TANH: i32 = 1;
@inline export const ACT_RELU: i32 = 2;

/** σ(z) in Q16; z in Q16. */
export function sigmoidQ(z: i32): i32 {
  const x: u32 = z < 0 ? <u32>(-z) : <u32>z;
  let tail: i32 = 0;
  if (x < 1048576) {
    const p = SIGMOID_TAIL + ((x >> 12) << 1);
    const t0 = <i32>load<u16>(p);
    const t1 = <i32>load<u16>(p, 2);
    tail = t0 + (((t1 - t0) * <i32>(x & 4095) + 2048) >> 12);
  }
  return z < 0 ? tail : ONE_A - tail;
}

/** tanh(z) = 2σ(2z) − 1 in Q16. */
export function tanhQ(z: i32): i32 {
  return (sigmoidQ(sat32(<i64>z << 1)) << 1) - ONE_A;
}

/** Hidden activation f(z) for an activation id. */
@inline export function activate(act: i32, z: i32): i32 {
  if (act == ACT_SIGMOID) return sigmoidQ(z);
  if (act == ACT_TANH) return tanhQ(z);
  return z > 0 ? z : 0;
}

/** f′ in Q16 from the activation a (sigmoid: a(1−a); tanh: 1−a²) or, for ReLU, from z > 0. */
@inline export function derivative(act: i32, a: i32, z: i32): i32 {
  if (act == ACT_SIGMOID) return (a * (ONE_A - a) + 32768) >> 16;
  if (act == ACT_TANH) return ONE_A - mulShift(a, a, 16);
  return z > 0 ? ONE_A : 0;
}

/**
 * The Bernoulli probability p of p-GAF-BP in Q16, chosen so that P(pair = (1,0)) = p(1 − p) is
 * the activation's derivative up to a power of two:
 *   sigmoid: p = σ(z) = a          → p(1−p) = σ′
 *   tanh:    p = σ(2z) = (1 + a)/2 → p(1−p) = tanh′/4  (kept gradient × 4, a shift)
 *   ReLU (probabilistic variant): one draw with p = σ(z), the derivative of softplus.
 */
@inline export function pgafProbability(act: i32, a: i32, z: i32): i32 {
  if (act == ACT_SIGMOID) return a;
  if (act == ACT_TANH) return (a + ONE_A) >> 1;
  return sigmoidQ(z);
}

/** e^x in Q16 for x ≤ 0 (Q16). */
export function expNegQ(x: i32): i32 {
  const y: i64 = (<i64>x * 94548) >> 16; // x · log2(e), floor
  const ip = <i32>(y >> 16); // integer part, ≤ 0
  if (ip < -30) return 0;
  const f = <i32>(y & 65535);
  const idx = f >> 10;
  const p = EXP2_FRAC + (idx << 1);
  const e0 = <i32>load<u16>(p);
  const e1 = idx == 63 ? ONE_A : <i32>load<u16>(p, 2);
  const m = ONE_A + e0 + (((e1 - e0) * (f & 1023) + 512) >> 10); // 2^frac in Q16
  if (ip == 0) return m;
  return (m + (1 << (-ip - 1))) >> -ip;
}
