// spintrain engine: an integer-only MLP trainer (bp and p-GAF-BP) for WebAssembly MVP runtimes.
//
// ABI (all i32; pointers are byte offsets into the exported memory):
//   imports  env.mtj_sample(hidden, count, inPtr, outPtr, draws)   see device-import.ts
//            (draws ≥ 1: p-GAF bits; draws = 0: MTJ-pair voltage read)
//   setup    layoutSet(k, n) · configure(layers, act, out, algo, source, flags, momentumQ16, pairsLog2)
//            sizeofTrainingMemory() → bytes · scheduleTrainingMemory(base) · heapBase()
//            setLearningRate(l, lrQ16) · setDecay(dQ16) · setEpoch(e) · setProbabilityFloor(εQ16) · setDeltaClip(cQ24)
//            setActivationRange(kMin, kMax, cMin, cMax Q24) · setPairStep(ΔzQ16) · setTemperature(1/T Q16)
//            initWeights(seed) · rngSeed(s)
//   step     inputU8(ptr) or write Q16 inputs at regionPtr(R_A, 0)
//            trainStep(label) → predicted class (forward, masks, backward, update)
//            or trainForward() → predicted class, host fills BITS, trainBackward(label)   (source 2)
//            pair with source 2: forwardLayer(l) for each l, the host writing BITS[l+1] after each
//            hidden layer; then trainBackward(label)
//            trainBackward(−1): soft targets, Q16, written by the host into D[L] (distillation.ts)
//            trainEpochU8(x, y, order, count) → correct · evaluateU8(x, y, count) → correct
//            predict() → class
//   inspect  regionPtr(region, k) (REGION_* in plan.ts) · countersPtr() (25 i64 slots, counters.ts; the host zeroes them)
// Setup calls return 0 or a negative code from errors.ts. The step calls trap (unreachable) before the
// plan is placed (plan.ts, requirePlaced); otherwise they do not check again.
import { OK, ERR_NOT_PLACED, ERR_SOURCE, ERR_LAYER_INDEX } from './errors';
import { isqrt, shr } from './fixed';
import { NARROW, W_BYTES_LOG2, W_STEP_SHIFT, storeWSat } from './weight-format';
import { ACT_RELU } from './activation';
import { rngSeed, rngNext } from './rng';
import { COUNTERS, setCounting } from './counters';
import { forward, inputU8, argmax } from './forward';
import { backward, drawMasks } from './backward';
import {
  slot, regionSlot, REGION_SHIFT, slopePtr, width, wPtr, layerCount, activation, algo, bitSource, placed, trainable, ALGO_BP, ALGO_PGAF, ALGO_PAIR, SRC_BUFFER, MAX_LAYERS,
} from './plan';

export { layoutSet, configure, sizeofTrainingMemory, scheduleTrainingMemory, setLearningRate, setDecay, setEpoch, setProbabilityFloor, setDeltaClip } from './plan';
export { rngSeed, rngNext } from './rng';
export { inputU8, forwardLayer } from './forward';
export { setActivationRange } from './trainable-activation';
export { setPairStep } from './pair-gradient';
export { setTemperature } from './distillation';

export function heapBase(): i32 {
  return <i32>__heap_base;
}

/**
 * Address of a plan region (plan.ts, REGION_*): region 0 W, 1 B, 2 VW, 3 VB (weight layer k); 4 A, 5 Z,
 * 6 D, 7 P, 8 BITS, 9 SLOPE, 10 SHIFT (layer k). Negative error code before the plan is placed.
 */
export function regionPtr(region: i32, k: i32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  if (<u32>region > <u32>REGION_SHIFT || <u32>k >= <u32>MAX_LAYERS) return ERR_LAYER_INDEX;
  return <i32>slot(regionSlot(region, k));
}

export function countersPtr(): i32 {
  return <i32>COUNTERS;
}

/**
 * Weights U(−r, r), r = √(6/(n_in + n_out)) (Glorot; ReLU: He, √(6/n_in)), biases 0, from the
 * module's generator seeded with seed. Consumes exactly one draw per weight, layer by layer, row by row.
 * The narrow builds store each Q24 draw rounded half up to the stored step (weight-format.ts).
 * A trainable activation starts as the fixed one: k = 1, c = 0.
 */
export function initWeights(seed: u32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  rngSeed(seed);
  for (let l = 0; l < layerCount - 1; l++) {
    const nIn = width(l);
    const nOut = width(l + 1);
    const fan: i64 = activation == ACT_RELU ? nIn : nIn + nOut;
    const r: i64 = isqrt(((<i64>6) << 48) / fan); // Q24
    const w = wPtr(l);
    for (let i = 0; i < nIn * nOut; i++) {
      const x: i64 = (((<i64>(rngNext() >> 8)) * (r << 1)) >> 24) - r;
      // narrow builds: the Q24 draw rounded half up to the stored step (weight-format.ts)
      if (NARROW) storeWSat(w + (<usize>i << W_BYTES_LOG2), shr(x, W_STEP_SHIFT));
      else store<i32>(w + (<usize>i << 2), <i32>x);
    }
    if (trainable() && l > 0) for (let j = 0; j < nIn; j++) store<i32>(slopePtr(l) + (<usize>j << 2), 16777216);
  }
  return OK;
}

/** Forward pass and, for pgaf, the masks' probabilities (and draws unless the host supplies them). */
export function trainForward(): i32 {
  forward();
  if (algo == ALGO_PGAF) drawMasks();
  return argmax();
}

export function trainBackward(label: i32): void {
  backward(label);
}

/** One SGD step on the input in A[0]; returns the class predicted before the update. */
export function trainStep(label: i32): i32 {
  const y = trainForward();
  backward(label);
  return y;
}

export function predict(): i32 {
  setCounting(false);
  forward();
  setCounting(true);
  return argmax();
}

/**
 * Trains on count samples of u8 features (x: count × n[0] bytes, y: count labels as u8),
 * in the order given by the i32 indices at order (0: natural order). Returns the number predicted
 * correctly before each update, or a negative error code.
 */
export function trainEpochU8(x: usize, y: usize, order: usize, count: i32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  if (bitSource == SRC_BUFFER && algo != ALGO_BP) return ERR_SOURCE;
  const n = <usize>width(0);
  let correct = 0;
  for (let s = 0; s < count; s++) {
    const i = order != 0 ? <usize>load<i32>(order + (<usize>s << 2)) : <usize>s;
    inputU8(x + i * n);
    const label = <i32>load<u8>(y + i);
    if (trainStep(label) == label) correct++;
  }
  return correct;
}

/** Accuracy count on count samples (no counting, no update). */
export function evaluateU8(x: usize, y: usize, count: i32): i32 {
  if (!placed) return ERR_NOT_PLACED;
  if (bitSource == SRC_BUFFER && algo == ALGO_PAIR) return ERR_SOURCE;
  const n = <usize>width(0);
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

