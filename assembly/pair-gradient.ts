// MTJ-pair finite-difference gradient (Pereira et al., arXiv 2603.03947). A hidden neuron's
// activation is the I–V response of an MTJ and its derivative is read from a nominally identical
// twin biased ΔI higher:
//   a_j = V1(I(z_j)),   g_j = (V2(I(z_j) + ΔI) − V1(I(z_j))) / Δz   ≈ ∂a/∂z
// with V1, V2 in activation units (Q16, normalised by the host) and Δz = ΔI / (dI/dz) the step in
// pre-activation units (Q16). No division in the loop: g_j = ((V2 − V1)·R) >> 16 with
// R = round(2^32 / Δz) precomputed by setPairStep. The backward pass is bp's with f′_j = g_j
// (kept in P[k]), so twin mismatch and read noise enter the gradient directly:
//   g = V′ + (V_B − V_A)(I)/ΔI + noise·√2/ΔI.
import { mulShiftCall } from './fixed';
import { width, zPtr, aPtr, pPtr, bitsPtr } from './plan';
import { mtjReadPair } from './device-import';
import { ops, bump, PH_ACTGRAD, K_DRAW } from './counters';
import { ERR_CONFIG, OK } from './errors';

/**
 * R = round(2^32 / Δz), Δz in Q16, set by setPairStep. Every setup calls setPairStep: the host with its
 * DEFAULT_PAIR_STEP 0.1 (host/engine/config.ts, engine-setup.ts) unless the network gives a step, the
 * board glue with ST_MTJ_PAIR_STEP_DEFAULT_Q16 = 6554, the same 0.1, unless its config does
 * (portable/st_session.c). The initial value below is the same 0.1 (what setPairStep(6554) computes),
 * so no setup path knows another default.
 */
let pairReciprocal: i32 = 655320;

/** Finite-difference step Δz in Q16 (2..65536·16, i.e. 3e-5..16 pre-activation units). */
export function setPairStep(dzQ16: i32): i32 {
  if (dzQ16 < 2 || dzQ16 > 1048576) return ERR_CONFIG;
  pairReciprocal = <i32>(((<i64>1 << 32) + <i64>(dzQ16 >> 1)) / <i64>dzQ16);
  return OK;
}

/** Reads the twins of hidden layer k through the import (synchronous devices). */
export function readPairs(k: i32): void {
  mtjReadPair(k - 1, width(k), zPtr(k), bitsPtr(k));
}

/** a_j = V1 and g_j = (V2 − V1)·R >> 16 of hidden layer k, from the voltages in BITS[k]. */
export function finishPairs(k: i32): void {
  const n = width(k);
  const v = bitsPtr(k);
  const a = aPtr(k);
  const g = pPtr(k);
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 2;
    const v1 = load<i32>(v + (o << 1));
    store<i32>(a + o, v1);
    store<i32>(g + o, mulShiftCall(load<i32>(v + (o << 1), 4) - v1, pairReciprocal, 16));
  }
  // per neuron: one subtraction and one multiply (no division); two device reads.
  ops(PH_ACTGRAD, n, n, 2 * n);
  bump((PH_ACTGRAD << 2) + K_DRAW, 2 * n);
}
