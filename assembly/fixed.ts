// Fixed-point formats of the engine (all integer; i64 only for products and accumulators).
//
//   QA = Q15.16 in i32: inputs, activations, pre-activations z, probabilities. 1.0 = 65536,
//        resolution 1.5e-5, range ±32768.
//   QW = Q7.24  in i32: weights, biases, deltas, learning-rate-scaled gradients. 1.0 = 2^24,
//        resolution 6.0e-8 (small SGD steps are not lost), range ±128.
//   Learning rates, momentum and decay are Q16 multipliers (1.0 = 65536).
//
// Rounding: every right shift that drops fraction bits rounds half up, (x + 2^(s-1)) >> s
// (arithmetic shift, so ties go toward +∞). Narrowing an i64 to i32 saturates to [-2^31, 2^31-1].

@inline export const QA: i32 = 16;
@inline export const ONE_A: i32 = 65536;
@inline export const QW: i32 = 24;
@inline export const ONE_W: i32 = 16777216;

/** Saturating narrow: clamp x to the i32 range. */
@inline export function sat32(x: i64): i32 {
  return <i32>(x > 2147483647 ? 2147483647 : x < -2147483648 ? -2147483648 : x);
}

/** Round-half-up arithmetic right shift by s ≥ 1 bits. */
@inline export function shr(x: i64, s: i32): i64 {
  return (x + (<i64>1 << <i64>(s - 1))) >> <i64>s;
}

/** (a · b) >> s, rounded half up, saturated to i32. */
@inline export function mulShift(a: i32, b: i32, s: i32): i32 {
  return sat32(shr(<i64>a * <i64>b, s));
}

/** mulShift as a called function, for code off the hot loops (smaller module). */
export function mulShiftCall(a: i32, b: i32, s: i32): i32 {
  return mulShift(a, b, s);
}

/** Integer square root ⌊√x⌋ of a non-negative i64 (bit by bit; setup only). */
export function isqrt(x: i64): i64 {
  let r: i64 = 0;
  let bit: i64 = <i64>1 << 62;
  while (bit > x) bit >>= 2;
  while (bit != 0) {
    if (x >= r + bit) {
      x -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
    bit >>= 2;
  }
  return r;
}
