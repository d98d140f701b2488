// Entry of the narrow-weight builds (issue 16; weight-format.ts): the release ABI (index.ts), compiled with
// asc --use SPINTRAIN_WEIGHT_BITS=16 (asconfig target w16 → build/spintrain.w16.wasm) or =8 (w8 →
// build/spintrain.w8.wasm), plus two exports that name the stored weight format, so that a host can
// check which module it loaded (the release module has neither: 32 bits, Q24).
// Differences from the release module, all from weight-format.ts's constants:
//   - regionPtr(REGION_W, l) points at n[l+1]×n[l] i16 Q3.12 (or i8 Q1.6) weights, row-major;
//   - sizeofTrainingMemory counts 2 (1) bytes per weight;
//   - configure refuses momentum ≠ 0 (ERR_CONFIG);
//   - updates are rounded stochastically (stochastic-rounding.ts), one generator draw per weight updated.
import { WEIGHT_BITS, W_FRAC } from './weight-format';

export * from './index';

/** Bits per stored weight: 16 or 8. */
export function weightBits(): i32 {
  return WEIGHT_BITS;
}

/** Fraction bits F of a stored weight (value = integer · 2^−F): 12 or 6. */
export function weightFracBits(): i32 {
  return W_FRAC;
}
