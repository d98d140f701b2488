// Layout, configuration and the memory plan (AIfES style: the caller sizes and places memory;
// nothing is allocated afterwards and the module never grows its memory).
//
// Layout: widths n[0..L], L = layer count − 1 weight layers; n[0] inputs, n[L] outputs.
// Plan, in order, every region 4-byte aligned, from the base the caller gives:
//   per weight layer l:  W[l] n[l+1]×n[l] weights (row per output neuron): i32 Q24, 4 bytes each, in the
//                        release; the narrow builds i16 Q3.12 (2 bytes) or i8 Q1.6 (1 byte), weight-format.ts
//                        · B[l] n[l+1] i32 Q24 (every build)
//                        and, with momentum, VW[l] and VB[l] of W's and B's sizes in i32 Q24 (release only:
//                        the narrow builds refuse momentum, configure → ERR_CONFIG; a velocity wider than its
//                        weight would cost more than the weight saved)
//   per layer k:         A[k] n[k] i32 Q16 (k = 0 is the input)
//   per layer k ≥ 1:     Z[k] n[k] Q16 pre-activations · D[k] n[k] Q24 deltas (two other uses below)
//   per hidden layer k:  P[k] n[k] Q16 draw probabilities (pair: the measured derivative g_j)
//                        · BITS[k] draws·n[k] u8 draws (draws per neuron: 2K for sigmoid/tanh with
//                        K pairs, K for sampled ReLU; pair: 8 bytes, the two i32 Q16 voltages V1, V2)
//                        and, with a trainable activation, SLOPE[k] n[k] Q24 k_j · SHIFT[k] n[k] Q24 c_j
//   scratch:             NZI, NZV (nonzero inputs: byte offsets, values), KEPT_A, KEPT_B lists
//                        (maxWidth i32 each)
// D holds Q24 deltas except at two moments of a backward pass, which reuse it rather than spend plan
// bytes (and module bytes) on regions of their own:
//   hidden D[k][j], kept j:  a plain integer, the count c_j (backward.ts keptList; pgaf: the (1,0)
//                            pairs among K, the ones among K sampled-ReLU draws, or the ReLU mask;
//                            bp and pair: 1), read and overwritten by δ_j in Q24 right after
//                            (hiddenDelta). Neurons not kept keep an earlier step's δ (never read).
//   output D[L][k]:          before trainBackward(−1), the host's soft targets y_k in Q16, the format of
//                            the activations they are compared with (distillation.ts); outputDelta
//                            reads y_k and overwrites it with δ_k in Q24.
// So D holds only Q24 deltas after every backward pass (and zeros before the first).
// The narrow builds keep no wider copy of W: the update adds the exact Q24 step to the weight widened in a
// register and rounds it stochastically (stochastic-rounding.ts), so the only wide accumulators are the
// biases B (i32 Q24, n[l+1]·4 bytes per layer, counted above as in the release).
import { W_BYTES_LOG2, NARROW } from './weight-format';
import { ERR_LAYER_COUNT, ERR_LAYER_WIDTH, ERR_CONFIG, ERR_MEMORY, ERR_BASE, ERR_LAYER_INDEX, OK } from './errors';

@inline export const MAX_LAYERS: i32 = 6;
@inline export const MAX_WIDTH: i32 = 8192;

@inline export const ALGO_BP: i32 = 0;
@inline export const ALGO_PGAF: i32 = 1;
/** MTJ-pair finite differences: hidden a_j and f′_j come from device reads (pair-gradient.ts). */
@inline export const ALGO_PAIR: i32 = 2;
@inline export const OUT_SOFTMAX: i32 = 0;
@inline export const OUT_SIGMOID: i32 = 1;
@inline export const SRC_PRNG: i32 = 0;
@inline export const SRC_IMPORT: i32 = 1;
@inline export const SRC_BUFFER: i32 = 2;
/** flags bit 0: ReLU with pgaf draws Bernoulli(σ(z)) (softplus′) instead of the exact 0/1 mask. */
@inline export const FLAG_RELU_SAMPLED: i32 = 1;
/** flags bit 1: trainable activation a = f(k_j·(z_j + c_j)) per hidden neuron (trainable-activation.ts). */
@inline export const FLAG_TRAINABLE: i32 = 2;

/** Plan regions by regionPtr's number (the host's Region, boards/glue/portable/st_engine.h's ST_REGION_*). */
@inline export const REGION_W: i32 = 0;
@inline export const REGION_B: i32 = 1;
@inline export const REGION_VW: i32 = 2;
@inline export const REGION_VB: i32 = 3;
@inline export const REGION_A: i32 = 4;
@inline export const REGION_Z: i32 = 5;
@inline export const REGION_D: i32 = 6;
@inline export const REGION_P: i32 = 7;
@inline export const REGION_BITS: i32 = 8;
@inline export const REGION_SLOPE: i32 = 9;
@inline export const REGION_SHIFT: i32 = 10;

// Table of i32 slots in static data: the widths n[0..5]; then one run of slots per region in region
// order, a slot per weight layer (MAX_LAYERS − 1) for W, B, VW, VB and a slot per layer (MAX_LAYERS)
// for A … SHIFT, each holding the region's address; then the learning rates (initial, decayed).
@inline const T_WIDTH: i32 = 0;
@inline const T_W: i32 = T_WIDTH + MAX_LAYERS; // 6
@inline const T_B: i32 = T_W + MAX_LAYERS - 1; // 11
@inline const T_VW: i32 = T_B + MAX_LAYERS - 1; // 16
@inline const T_VB: i32 = T_VW + MAX_LAYERS - 1; // 21
@inline const T_A: i32 = T_VB + MAX_LAYERS - 1; // 26
@inline const T_Z: i32 = T_A + MAX_LAYERS; // 32
@inline const T_D: i32 = T_Z + MAX_LAYERS; // 38
@inline const T_P: i32 = T_D + MAX_LAYERS; // 44
@inline const T_BITS: i32 = T_P + MAX_LAYERS; // 50
@inline const T_SLOPE: i32 = T_BITS + MAX_LAYERS; // 56
@inline const T_SHIFT: i32 = T_SLOPE + MAX_LAYERS; // 62
@inline const T_LR0: i32 = T_SHIFT + MAX_LAYERS; // 68
@inline const T_LR: i32 = T_LR0 + MAX_LAYERS - 1; // 73
const TABLE: usize = memory.data((T_LR + MAX_LAYERS - 1) * 4); // 78 slots

/** Table slot of region `region`'s address for (weight) layer k, from the layout of the table above. */
@inline export function regionSlot(region: i32, k: i32): i32 {
  return (region < REGION_A ? T_W + (MAX_LAYERS - 1) * region : T_A + MAX_LAYERS * (region - REGION_A)) + k;
}

@inline export function slot(i: i32): usize {
  return load<u32>(TABLE + (<usize>i << 2));
}
@inline function setSlot(i: i32, v: u32): void {
  store<u32>(TABLE + (<usize>i << 2), v);
}

export let layerCount: i32 = 0;
export let activation: i32 = 0;
export let outputKind: i32 = 0;
export let algo: i32 = 0;
export let bitSource: i32 = 0;
export let flags: i32 = 0;
export let momentumQ16: i32 = 0;
/** pgaf: independent pairs per neuron, K = 2^pairShift (1, 2, 4 or 8). */
export let pairShift: i32 = 0;
export let decayQ16: i32 = 0;
/** Probability floor ε in Q16 (0 = none): pgaf draws with p clamped to [ε, 1 − ε]. */
export let pFloorQ16: i32 = 0;
/** The matching derivative floor for bp, ε(1 − ε) in Q16 (×4 for tanh). */
export let dFloorQ16: i32 = 0;
/** Bound on a hidden δ in Q24 (0 = none): δ_j is clamped to [−c, c] in both algorithms. */
export let deltaClipQ24: i32 = 0;

/** Hidden-delta clip c in Q24 (0 = none, else 1..2^31−1): δ_j ← clamp(δ_j, −c, c), bp and pgaf alike. */
export function setDeltaClip(c: i32): i32 {
  if (c < 0) return ERR_CONFIG;
  deltaClipQ24 = c;
  return OK;
}
export let placed: bool = false;

/**
 * Step calls (inputU8, every forward layer, backward) trap with `unreachable` before the plan is placed
 * (scheduleTrainingMemory, or again after layoutSet/configure): the region table is still zero then, so
 * with noAssert they would write from address 0 over the static data. A trap, not ERR_NOT_PLACED,
 * because inputU8 and trainBackward return nothing; it costs ~6 bytes per guard of the 8 KiB budget.
 */
@inline export function requirePlaced(): void {
  if (!placed) unreachable();
}
export let maxWidth: i32 = 0;
export let NZI: usize = 0;
export let NZV: usize = 0;
export let KEPT_A: usize = 0;
export let KEPT_B: usize = 0;

@inline export function width(k: i32): i32 { return <i32>slot(T_WIDTH + k); }
@inline export function wPtr(l: i32): usize { return slot(T_W + l); }
@inline export function bPtr(l: i32): usize { return slot(T_B + l); }
@inline export function vwPtr(l: i32): usize { return slot(T_VW + l); }
@inline export function vbPtr(l: i32): usize { return slot(T_VB + l); }
@inline export function aPtr(k: i32): usize { return slot(T_A + k); }
@inline export function zPtr(k: i32): usize { return slot(T_Z + k); }
@inline export function dPtr(k: i32): usize { return slot(T_D + k); }
@inline export function pPtr(k: i32): usize { return slot(T_P + k); }
@inline export function bitsPtr(k: i32): usize { return slot(T_BITS + k); }
@inline export function lr(l: i32): i32 { return <i32>slot(T_LR + l); }
@inline export function slopePtr(k: i32): usize { return slot(T_SLOPE + k); }
@inline export function shiftPtr(k: i32): usize { return slot(T_SHIFT + k); }
@inline export function trainable(): bool { return (flags & FLAG_TRAINABLE) != 0; }

/** Sets width n[k] of layer k (0 = input). */
export function layoutSet(k: i32, n: i32): i32 {
  if (<u32>k >= <u32>MAX_LAYERS) return ERR_LAYER_INDEX;
  if (n < 1 || n > MAX_WIDTH) return ERR_LAYER_WIDTH;
  setSlot(T_WIDTH + k, n);
  placed = false;
  return OK;
}

/**
 * Chooses the network and algorithm. act: 0 sigmoid, 1 tanh, 2 ReLU (hidden layers);
 * out: 0 softmax + cross-entropy, 1 sigmoid + squared error; algorithm: 0 bp, 1 pgaf;
 * algorithm 2 pair (source 1 or 2 only: the activations come from the device);
 * source: 0 on-chip PRNG, 1 env.mtj_sample import, 2 host-filled bit buffer; flags: FLAG_*;
 * momentum in Q16 (0 = plain SGD; narrow builds: 0 only); pairsLog2: log2 of the pgaf pairs per neuron K (0..3).
 */
export function configure(layers: i32, act: i32, out: i32, algorithm: i32, source: i32, fl: i32, momentum: i32, pairsLog2: i32): i32 {
  if (layers < 3 || layers > MAX_LAYERS) return ERR_LAYER_COUNT;
  if (<u32>act > 2 || <u32>out > 1 || <u32>algorithm > 2 || (algorithm == ALGO_PAIR && source == SRC_PRNG) || <u32>source > 2 || <u32>momentum >= 65536 || <u32>pairsLog2 > 3) return ERR_CONFIG;
  if (NARROW && momentum != 0) return ERR_CONFIG;
  pairShift = pairsLog2;
  layerCount = layers;
  activation = act;
  outputKind = out;
  algo = algorithm;
  bitSource = source;
  flags = fl;
  momentumQ16 = momentum;
  placed = false;
  return OK;
}

/** Bytes the plan needs for the current layout and configuration, or a negative error code. */
export function sizeofTrainingMemory(): i32 {
  return plan(0, false);
}

/** Places the plan at base (8-byte aligned, at or above heapBase()) and zeroes it. */
export function scheduleTrainingMemory(base: i32): i32 {
  if ((base & 7) != 0 || <usize>base < __heap_base) return ERR_BASE;
  const size = plan(<usize>base, false);
  if (size < 0) return size;
  if (<u64>base + <u64>size > (<u64>memory.size() << 16)) return ERR_MEMORY;
  plan(<usize>base, true);
  for (let p = <usize>base; p < <usize>base + <usize>size; p += 4) store<i32>(p, 0);
  placed = true;
  return OK;
}

function region(p: usize, bytes: i32, tableSlot: i32, write: bool): usize {
  if (write) setSlot(tableSlot, <u32>p);
  return p + ((<usize>bytes + 3) & ~3);
}

/** Walks the plan: returns its size, and writes region addresses into the table when write. */
function plan(base: usize, write: bool): i32 {
  if (layerCount < 3) return ERR_LAYER_COUNT;
  let mw = 0;
  for (let k = 0; k < layerCount; k++) {
    const n = width(k);
    if (n < 1 || n > MAX_WIDTH) return ERR_LAYER_WIDTH;
    if (n > mw) mw = n;
  }
  const L = layerCount - 1;
  let p = base;
  for (let l = 0; l < L; l++) {
    const w = width(l) * width(l + 1);
    const b = width(l + 1) * 4;
    p = region(p, w << W_BYTES_LOG2, T_W + l, write);
    p = region(p, b, T_B + l, write);
    if (momentumQ16 > 0) {
      p = region(p, w * 4, T_VW + l, write);
      p = region(p, b, T_VB + l, write);
    }
  }
  for (let k = 0; k <= L; k++) {
    const n = width(k);
    p = region(p, n * 4, T_A + k, write);
    if (k == 0) continue;
    p = region(p, n * 4, T_Z + k, write);
    p = region(p, n * 4, T_D + k, write);
    if (k == L) continue;
    p = region(p, n * 4, T_P + k, write);
    p = region(p, algo == ALGO_PAIR ? n << 3 : n << (pairShift + 1), T_BITS + k, write);
    if (trainable()) {
      p = region(p, n * 4, T_SLOPE + k, write);
      p = region(p, n * 4, T_SHIFT + k, write);
    }
  }
  if (write) {
    maxWidth = mw;
    NZI = p;
    NZV = p + (<usize>mw << 2);
    KEPT_A = p + (<usize>mw << 3);
    KEPT_B = p + (<usize>mw * 12);
  }
  p += <usize>mw << 4;
  return <i32>(p - base);
}

/** Draws per hidden neuron: 2K (a pair per draw round) or K for the sampled ReLU. */
export function drawsPerNeuron(): i32 {
  return (activation == 2 ? 1 : 2) << pairShift;
}

/** Learning rate of weight layer l in Q16 (before decay). */
export function setLearningRate(l: i32, lrQ16: i32): i32 {
  if (<u32>l >= <u32>(MAX_LAYERS - 1)) return ERR_LAYER_INDEX;
  setSlot(T_LR0 + l, <u32>lrQ16);
  setSlot(T_LR + l, <u32>lrQ16);
  return OK;
}

/**
 * Probability floor ε (Q16, 0..32767): p-GAF draws use p clamped to [ε, 1 − ε], so a saturated
 * neuron is still kept with probability ≥ ε(1 − ε) (an MTJ's current range never reaches p = 0 or 1
 * either). bp gets the same effective derivative: f′ ← max(f′, ε(1 − ε)) (tanh: max(f′, 4ε(1 − ε))),
 * Fahlman's flat-spot fix. No effect on ReLU.
 */
export function setProbabilityFloor(eps: i32): i32 {
  if (<u32>eps > 32767) return ERR_CONFIG;
  pFloorQ16 = eps;
  dFloorQ16 = (eps * (65536 - eps) + 32768) >> 16;
  return OK;
}

/** Decay d in Q16: lr_l(epoch) = lr0_l / (1 + d·epoch). */
export function setDecay(d: i32): void {
  decayQ16 = d;
}

/** Applies the decay schedule for an epoch (0-based). */
export function setEpoch(epoch: i32): void {
  const den: i64 = 65536 + <i64>decayQ16 * <i64>epoch;
  for (let l = 0; l < MAX_LAYERS - 1; l++) {
    setSlot(T_LR + l, <u32>((<i64>slot(T_LR0 + l) * 65536 + (den >> 1)) / den));
  }
}
