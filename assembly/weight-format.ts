// Stored weight format, fixed per build (issue 16). The release module stores every weight as i32
// Q7.24 (fixed.ts, QW); a variant build stores the weights W (only W: biases, deltas, slopes, shifts and
// momentum velocities stay i32 Q24) narrower, chosen at compile time with
//   asc assembly/narrow.ts --use SPINTRAIN_WEIGHT_BITS=16   (asconfig targets w16, w8)
//
//   bits  type  format  1 step (2^-F)   range             bytes/weight
//   32    i32   Q7.24   5.96e-8         [−128, 128)       4   (release, build/spintrain.wasm)
//   16    i16   Q3.12   2.44e-4         [−8, 8)           2   (build/spintrain.w16.wasm)
//    8    i8    Q1.6    1.56e-2         [−2, 2)           1   (build/spintrain.w8.wasm)
//
// Kernels read a weight widened (loadW): to Q(F) with F = max(W_FRAC, 8), so that a bias (Q24) joins the
// forward sum exactly, b·2^(F−8): z = round((b·2^(F−8) + Σ a_i·w_i) / 2^F) (a in Q16), which equals the
// release's sum with the weights widened to Q24 (both are exact integers before the one rounding).
// Updates: stochastic-rounding.ts. Every constant here folds at compile time: the release module's
// code is the same as before this file existed (its bytes are checked: test/engine/narrow-module.spec.ts).

// @ts-ignore: SPINTRAIN_WEIGHT_BITS is an asc --use constant, defined only in the variant builds
@inline export const WEIGHT_BITS: i32 = isDefined(SPINTRAIN_WEIGHT_BITS) ? SPINTRAIN_WEIGHT_BITS : 32;
/** True in the variant builds (16 or 8 bits). */
@inline export const NARROW: bool = WEIGHT_BITS != 32;
/** log2 of the bytes per stored weight: 2, 1 or 0. */
@inline export const W_BYTES_LOG2: i32 = WEIGHT_BITS == 32 ? 2 : WEIGHT_BITS == 16 ? 1 : 0;
/** Fraction bits F of a stored weight: 24, 12 or 6. */
@inline export const W_FRAC: i32 = WEIGHT_BITS == 32 ? 24 : WEIGHT_BITS == 16 ? 12 : 6;
/** s = 24 − F: a stored step is 2^s Q24 units (0, 12 or 18). */
@inline export const W_STEP_SHIFT: i32 = 24 - W_FRAC;
/** Fraction bits of a weight as the kernels read it (loadW): max(F, 8), so biases (Q24) shift left. */
@inline export const W_LOAD_FRAC: i32 = W_FRAC > 8 ? W_FRAC : 8;
/** Smallest and largest stored weight (integer units of 2^-F). */
@inline export const W_MIN: i64 = -(<i64>1 << <i64>(WEIGHT_BITS - 1));
@inline export const W_MAX: i64 = (<i64>1 << <i64>(WEIGHT_BITS - 1)) - 1;

/** The stored weight at p, widened to Q(W_LOAD_FRAC) in an i64. */
@inline export function loadW(p: usize): i64 {
  return WEIGHT_BITS == 16 ? <i64>load<i16>(p) : WEIGHT_BITS == 8 ? <i64>load<i8>(p) << <i64>(W_LOAD_FRAC - W_FRAC) : <i64>load<i32>(p);
}

/** The stored weight at p as an integer in units of 2^-F (no widening). */
@inline export function loadWRaw(p: usize): i64 {
  return WEIGHT_BITS == 16 ? <i64>load<i16>(p) : WEIGHT_BITS == 8 ? <i64>load<i8>(p) : <i64>load<i32>(p);
}

/** Stores x (units of 2^-F), saturated to the stored type's range. */
@inline export function storeWSat(p: usize, x: i64): void {
  const v = x > W_MAX ? W_MAX : x < W_MIN ? W_MIN : x;
  if (WEIGHT_BITS == 16) store<i16>(p, <i16>v);
  else if (WEIGHT_BITS == 8) store<i8>(p, <i8>v);
  else store<i32>(p, <i32>v);
}
