// The deep module's network (issue 17): a chain of nodes over CHW tensors, its configuration and its
// memory plan (AIfES style, as plan.ts: the caller sizes and places memory; nothing is allocated after).
//
// Node 0 is the input, C×H×W (u8 features → Q16). Every later node reads the node before it:
//   conv   out[co][oy][ox] = b[co] + Σ_ci Σ_ky Σ_kx W[co][ci][ky][kx] · in[ci][oy·s + ky − p][ox·s + kx − p]
//          (taps outside the input are zero padding); Ho = ⌊(H + 2p − kh)/s⌋ + 1, the same for Wo.
//          A dense layer is a conv whose kernel covers its whole input (kh = H, kw = W, s = 1, p = 0):
//          out 1×1×n, W row-major [n][C·H·W], the dense engine's layout.
//   pool   max or average over s×s windows at stride s (no padding): Ho = ⌊H/s⌋.
//   skip   a node may add the activations of an earlier node ("identity skip over a pair of layers",
//          He et al. 2016): z_i += a_src, same element count; then its activation.
// Every conv node but the last is hidden: a = f(z) (sigmoid, tanh or ReLU, activation.ts), with a p-GAF
// mask per unit, unless made linear (setLinear: a = z, no mask); the last node is the output (softmax +
// cross-entropy). Pool nodes have no activation.
//
// Plan, in node order, every region 4-byte aligned:
//   node 0:            A  C·H·W i32 Q16
//   conv node i:       W  Co·Ci·kh·kw i32 Q24 · B Co i32 Q24
//   every node i ≥ 1:  A, Z, D  units i32 (A Q16; Z Q16 pre-activations, a max pool's chosen input index;
//                      D Q24: during a backward pass first ∂L/∂a summed from the nodes above, then ∂L/∂z)
//   hidden conv node:  P units i32 Q16 draw probabilities · BITS draws·units u8 · CNT units u8 (c_j: the
//                      (1,0) pairs among K, or 1 when kept by bp)
//   scratch:           KEPT  maxUnits i32 (byte offsets of one node's kept units)
// topk and adaptive (issue 18) draw nothing: they use a hidden node's P region as the selection's scratch
// copy of |δ| (u32, select.ts) and its CNT region for the kept mask; random uses P, BITS (one draw per unit)
// and CNT as pgaf does. Their knob (setSparsity) and adaptive's per-node error maximum are static data.
import { ERR_LAYER_COUNT, ERR_LAYER_WIDTH, ERR_CONFIG, ERR_MEMORY, ERR_BASE, ERR_SHAPE, ERR_LAYER_INDEX, OK } from './errors';

@inline export const MAX_NODES: i32 = 16;
@inline export const KIND_CONV: i32 = 0;
@inline export const KIND_MAX_POOL: i32 = 1;
@inline export const KIND_AVG_POOL: i32 = 2;
/** Largest tensor a node may hold (units), so that every byte offset fits an i32 with room. */
@inline export const MAX_UNITS: i32 = 1 << 20;

// Node record: 19 i32 fields.
@inline const F_KIND: i32 = 0;
@inline const F_C: i32 = 1;
@inline const F_H: i32 = 2;
@inline const F_W: i32 = 3;
@inline const F_KH: i32 = 4;
@inline const F_KW: i32 = 5;
@inline const F_STRIDE: i32 = 6;
@inline const F_PAD: i32 = 7;
@inline const F_SKIP: i32 = 8;
@inline const F_LINEAR: i32 = 9;
/** The node's own learning rate η0 in Q16, 0 = the network's (setNodeRate). */
@inline const F_RATE: i32 = 10;
/** Region fields, in the order of regionPtr's numbers (deep.ts): W, B, A, Z, D, P, BITS, CNT. */
@inline const F_REGION: i32 = 11;
@inline export const NODE_REGIONS: i32 = 8;
@inline const FIELDS: i32 = F_REGION + NODE_REGIONS;
const NODES: usize = memory.data(MAX_NODES * FIELDS * 4);

@inline export const R_W: i32 = 0;
@inline export const R_B: i32 = 1;
@inline export const R_A: i32 = 2;
@inline export const R_Z: i32 = 3;
@inline export const R_D: i32 = 4;
@inline export const R_P: i32 = 5;
@inline export const R_BITS: i32 = 6;
@inline export const R_CNT: i32 = 7;

@inline export function field(i: i32, f: i32): i32 {
  return load<i32>(NODES + ((<usize>(i * FIELDS + f)) << 2));
}
@inline function setField(i: i32, f: i32, v: i32): void {
  store<i32>(NODES + ((<usize>(i * FIELDS + f)) << 2), v);
}
@inline export function kind(i: i32): i32 { return field(i, F_KIND); }
@inline export function channels(i: i32): i32 { return field(i, F_C); }
@inline export function height(i: i32): i32 { return field(i, F_H); }
@inline export function widthOf(i: i32): i32 { return field(i, F_W); }
@inline export function kernelH(i: i32): i32 { return field(i, F_KH); }
@inline export function kernelW(i: i32): i32 { return field(i, F_KW); }
@inline export function stride(i: i32): i32 { return field(i, F_STRIDE); }
@inline export function pad(i: i32): i32 { return field(i, F_PAD); }
/** Node whose activations node i adds to its pre-activations, or −1. */
@inline export function skipFrom(i: i32): i32 { return field(i, F_SKIP); }
@inline export function units(i: i32): i32 { return field(i, F_C) * field(i, F_H) * field(i, F_W); }
@inline export function regionOf(i: i32, r: i32): usize { return <usize>field(i, F_REGION + r); }

/** Algorithms (configure): 0 bp, 1 pgaf, and the sparse-backprop baselines of issue 18 (deep.ts, select.ts). */
@inline export const ALGO_BP: i32 = 0;
@inline export const ALGO_PGAF: i32 = 1;
/** meProp (Sun et al. 2017): the ⌈f·n⌉ units of largest |δ| per hidden node. */
@inline export const ALGO_TOPK: i32 = 2;
/** Each hidden unit kept with probability p, δ/p (unbiased). */
@inline export const ALGO_RANDOM: i32 = 3;
/** TinyProp (Rüb et al. 2023): top-k with k from the node's error, per step (select.ts adaptiveKeep). */
@inline export const ALGO_ADAPTIVE: i32 = 4;
@inline const ONE_Q16: i32 = 65536;

export let nodeCount: i32 = 0;
export let activation: i32 = 0;
export let algo: i32 = 0;
export let bitSource: i32 = 0;
export let flags: i32 = 0;
/** pgaf: K = 2^pairShift pairs per unit. */
export let pairShift: i32 = 0;
export let placed: bool = false;
export let maxUnits: i32 = 0;
export let KEPT: usize = 0;
let lr0Q16: i32 = 0;
let decayQ16: i32 = 0;
/** 1 + d·epoch in Q16, the decay's denominator of the current epoch. */
let decayDenQ16: i64 = 65536;
/**
 * The sparse-backprop knob (setSparsity), Q16: topk the kept fraction f, random the probability p,
 * adaptive S_min; adaptive also S_max and the damping ζ. configure resets it to 1, 1, 1.
 */
export let knobA: i32 = ONE_Q16;
export let knobB: i32 = ONE_Q16;
export let knobC: i32 = ONE_Q16;
/** random: 1/p in Q16, round(2^32 / p) (≤ 2^32: an i64). */
export let invKeepQ16: i64 = ONE_Q16;
/** adaptive: per node the largest error sum Y seen (i64 Q24), from 1 (one Q24 ulp: Y/Y_max = 0 while every Y is 0). */
export const ERROR_MAX: usize = memory.data(MAX_NODES * 8);

@inline export function requirePlaced(): void {
  if (!placed) unreachable();
}

/** A hidden node: a conv node that is not the output and not linear: it has an activation and a p-GAF mask. */
@inline export function hidden(i: i32): bool {
  return kind(i) == KIND_CONV && i < nodeCount - 1 && field(i, F_LINEAR) == 0;
}

/**
 * Makes conv node i linear: a = z, no activation and no mask (the plan refuses a linear output node,
 * ERR_CONFIG). With a skip this is the identity mapping of He et al. 2016b (pre-activation ResNet): x_out = x_in + F(x_in), so the skip path
 * carries the gradient to earlier blocks through no activation and no p-GAF mask.
 */
export function setLinear(i: i32): i32 {
  if (i < 1 || i >= nodeCount || kind(i) != KIND_CONV) return ERR_LAYER_INDEX;
  setField(i, F_LINEAR, 1);
  placed = false;
  return OK;
}

/** Starts a new network with a C×H×W input (node 0). */
export function inputShape(c: i32, h: i32, w: i32): i32 {
  placed = false;
  nodeCount = 0;
  if (c < 1 || h < 1 || w < 1 || <i64>c * <i64>h * <i64>w > MAX_UNITS) return ERR_LAYER_WIDTH;
  setNode(0, KIND_CONV, c, h, w, 0, 0, 0, 0, -1);
  nodeCount = 1;
  return OK;
}

function setNode(i: i32, k: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, s: i32, p: i32, skip: i32): void {
  setField(i, F_KIND, k);
  setField(i, F_C, c);
  setField(i, F_H, h);
  setField(i, F_W, w);
  setField(i, F_KH, kh);
  setField(i, F_KW, kw);
  setField(i, F_STRIDE, s);
  setField(i, F_PAD, p);
  setField(i, F_SKIP, skip);
  setField(i, F_LINEAR, 0);
  setField(i, F_RATE, 0);
  for (let r = 0; r < NODE_REGIONS; r++) setField(i, F_REGION + r, 0);
}

/** Checks the skip source and the output size, then appends the node; returns its index. */
function append(k: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, s: i32, p: i32, skip: i32): i32 {
  const i = nodeCount;
  if (i < 1) return ERR_LAYER_COUNT;
  if (i >= MAX_NODES) return ERR_LAYER_COUNT;
  if (c < 1 || h < 1 || w < 1 || <i64>c * <i64>h * <i64>w > MAX_UNITS) return ERR_SHAPE;
  if (skip >= 0 && (skip >= i - 1 || units(skip) != c * h * w)) return ERR_SHAPE;
  setNode(i, k, c, h, w, kh, kw, s, p, skip < 0 ? -1 : skip);
  nodeCount = i + 1;
  placed = false;
  return i;
}

/**
 * Appends a conv node: outC filters of kernel×kernel, stride 1..2, zero padding 0..kernel/2;
 * skip: an earlier node (before the previous one) whose activations are added, or −1. Returns the node.
 */
export function addConv(outC: i32, kernel: i32, s: i32, p: i32, skip: i32): i32 {
  const i = nodeCount - 1;
  if (i < 0) return ERR_LAYER_COUNT;
  if (kernel < 1 || kernel > 7 || s < 1 || s > 2 || p < 0 || p > (kernel >> 1)) return ERR_CONFIG;
  const h = height(i) + 2 * p - kernel;
  const w = widthOf(i) + 2 * p - kernel;
  if (h < 0 || w < 0) return ERR_SHAPE;
  return append(KIND_CONV, outC, h / s + 1, w / s + 1, kernel, kernel, s, p, skip);
}

/** Appends a dense node of n units over the whole previous tensor (a conv with the input's size as kernel). */
export function addDense(n: i32, skip: i32): i32 {
  const i = nodeCount - 1;
  if (i < 0) return ERR_LAYER_COUNT;
  return append(KIND_CONV, n, 1, 1, height(i), widthOf(i), 1, 0, skip);
}

/** Appends a max (kind 1) or average (kind 2) pool over size×size windows at stride size (max 2..4, average 2 or 4). */
export function addPool(k: i32, size: i32): i32 {
  const i = nodeCount - 1;
  if (i < 0) return ERR_LAYER_COUNT;
  if ((k != KIND_MAX_POOL && k != KIND_AVG_POOL) || size < 2 || size > 4 || (k == KIND_AVG_POOL && size == 3)) return ERR_CONFIG;
  return append(k, channels(i), height(i) / size, widthOf(i) / size, size, size, size, 0, -1);
}

/**
 * act: 0 sigmoid, 1 tanh, 2 ReLU; algorithm: ALGO_* (0 bp, 1 pgaf, 2 topk, 3 random, 4 adaptive); source: 0 PRNG,
 * 1 env.mtj_sample (pgaf and random); flags: FLAG_RELU_SAMPLED (pgaf); K = 2^pairsLog2 (pgaf). Resets the
 * sparsity knob to 1, 1, 1 (setSparsity comes after).
 */
export function configure(act: i32, algorithm: i32, source: i32, fl: i32, pairsLog2: i32): i32 {
  if (<u32>act > 2 || <u32>algorithm > <u32>ALGO_ADAPTIVE || <u32>source > 1 || <u32>fl > 1 || <u32>pairsLog2 > 3) return ERR_CONFIG;
  activation = act;
  algo = algorithm;
  bitSource = source;
  flags = fl;
  pairShift = pairsLog2;
  placed = false;
  knobA = knobB = knobC = ONE_Q16;
  invKeepQ16 = ONE_Q16;
  resetErrorMax();
  return OK;
}

/**
 * The knob of the configured sparse algorithm, Q16 (1.0 = 65536); ERR_CONFIG outside its range, or for bp and pgaf:
 *   topk      a = kept fraction f ∈ [1, 65536]: k = max(1, ⌈f·n/2^16⌉) units per hidden node of n (b, c unused)
 *   random    a = keep probability p ∈ [1, 65536] (b, c unused)
 *   adaptive  a = S_min, b = S_max, c = damping ζ: 0 ≤ S_min ≤ S_max ≤ 65536, 1 ≤ ζ ≤ 65536 (select.ts adaptiveKeep)
 * Also restarts adaptive's error maxima.
 */
export function setSparsity(a: i32, b: i32, c: i32): i32 {
  if (algo == ALGO_TOPK || algo == ALGO_RANDOM) {
    if (a < 1 || a > ONE_Q16) return ERR_CONFIG;
  } else if (algo == ALGO_ADAPTIVE) {
    if (a < 0 || b < a || b > ONE_Q16 || c < 1 || c > ONE_Q16) return ERR_CONFIG;
  } else return ERR_CONFIG;
  knobA = a;
  knobB = b;
  knobC = c;
  invKeepQ16 = algo == ALGO_RANDOM ? ((<i64>1 << 32) + <i64>(a >> 1)) / <i64>a : ONE_Q16;
  resetErrorMax();
  return OK;
}

function resetErrorMax(): void {
  for (let i = 0; i < MAX_NODES; i++) store<i64>(ERROR_MAX + (<usize>i << 3), 1);
}

/** Draws per hidden unit: 2K (pairs), or K for the sampled ReLU. */
export function drawsPerUnit(): i32 {
  return (activation == 2 ? 1 : 2) << pairShift;
}

export function sizeofTrainingMemory(): i32 {
  return plan(0, false);
}

/** Places the plan at base (8-byte aligned, at or above the heap base) and zeroes it. */
export function scheduleTrainingMemory(base: i32): i32 {
  if ((base & 7) != 0 || <usize>base < __heap_base) return ERR_BASE;
  const size = plan(<usize>base, false);
  if (size < 0) return size;
  if (<u64>base + <u64>size > (<u64>memory.size() << 16)) return ERR_MEMORY;
  plan(<usize>base, true);
  for (let p = <usize>base; p < <usize>base + <usize>size; p += 4) store<i32>(p, 0);
  resetErrorMax();
  placed = true;
  return OK;
}

function region(p: u64, bytes: u64, i: i32, r: i32, write: bool): u64 {
  if (write) setField(i, F_REGION + r, <i32>p);
  return p + ((bytes + 3) & ~3);
}

/** Walks the plan: its size in bytes (or an error), writing region addresses when write. */
function plan(base: usize, write: bool): i32 {
  if (nodeCount < 2 || kind(nodeCount - 1) != KIND_CONV) return ERR_LAYER_COUNT;
  if (field(nodeCount - 1, F_LINEAR) != 0) return ERR_CONFIG;
  let p: u64 = base;
  let mu = 0;
  const draws = <u64>drawsPerUnit();
  for (let i = 0; i < nodeCount; i++) {
    const n = <u64>units(i);
    if (units(i) > mu) mu = units(i);
    if (i > 0 && kind(i) == KIND_CONV) {
      p = region(p, <u64>channels(i) * <u64>channels(i - 1) * <u64>kernelH(i) * <u64>kernelW(i) * 4, i, R_W, write);
      p = region(p, <u64>channels(i) * 4, i, R_B, write);
    }
    p = region(p, n * 4, i, R_A, write);
    if (i == 0) continue;
    p = region(p, n * 4, i, R_Z, write);
    p = region(p, n * 4, i, R_D, write);
    if (hidden(i)) {
      p = region(p, n * 4, i, R_P, write);
      p = region(p, n * draws, i, R_BITS, write);
      p = region(p, n, i, R_CNT, write);
    }
  }
  if (write) {
    maxUnits = mu;
    KEPT = <usize>p;
  }
  p += <u64>mu << 2;
  if (p - base > 0x7fff0000) return ERR_MEMORY;
  return <i32>(p - base);
}

/** The network's learning rate η0 in Q16 (before decay), for every node without its own. */
export function setLearningRate(q16: i32): i32 {
  if (q16 < 0) return ERR_CONFIG;
  lr0Q16 = q16;
  return OK;
}

/** Conv node i's own η0 in Q16 (0: the network's again): e.g. a larger rate on the exact output layer. */
export function setNodeRate(i: i32, q16: i32): i32 {
  if (i < 1 || i >= nodeCount || kind(i) != KIND_CONV) return ERR_LAYER_INDEX;
  if (q16 < 0) return ERR_CONFIG;
  setField(i, F_RATE, q16);
  return OK;
}

/** Decay d in Q16: η(epoch) = η0 / (1 + d·epoch). */
export function setDecay(d: i32): void {
  decayQ16 = d;
}

export function setEpoch(epoch: i32): void {
  decayDenQ16 = 65536 + <i64>decayQ16 * <i64>epoch;
}

/** Node i's learning rate this epoch, Q16: η0_i / (1 + d·epoch), rounded. */
export function rate(i: i32): i32 {
  const r = field(i, F_RATE);
  const base: i64 = r != 0 ? r : lr0Q16;
  return <i32>(((base << 16) + (decayDenQ16 >> 1)) / decayDenQ16);
}
