// Weight updates of the narrow builds (weight-format.ts): the exact update, rounded stochastically to
// the stored step. The release module (32 bits) never compiles this file's code.
//
//   Δ   the exact update in Q24 that the release applies (backward.ts: Δ = round(g·a_i / 2^16), w −= Δ)
//   s   W_STEP_SHIFT = 24 − F: a stored step is 2^s Q24 units (16 bits: s = 12, 8 bits: s = 18)
//   u   uniform on [0, 2^s): the top s bits of one draw of the module's generator (rng.ts)
//   w'  = clamp(⌊(w·2^s − Δ + u) / 2^s⌋, W_MIN, W_MAX)            (w, w' in units of 2^−F)
//
// Error model. Write w·2^s − Δ = q·2^s + r with 0 ≤ r < 2^s. Then w' = q + [u ≥ 2^s − r], so
//   P(w' = q + 1) = r / 2^s  and  E[w'] = q + r/2^s = w − Δ/2^s:  the expected update is exactly Δ
// (in Q24 units: E[w'·2^s] = w·2^s − Δ), with no bias from rounding, as long as w' does not saturate.
// The variance it adds is (r/2^s)(1 − r/2^s) ≤ 1/4 step² per update. An update smaller than one step,
// |Δ| < 2^s, is not lost: it moves the weight by one step (toward −sign Δ) with probability |Δ|/2^s and
// leaves it otherwise; Δ = 0 leaves it exactly. Saturation at the type's range clips (a biased, rare
// event; Q3.12 spans ±8, far beyond MNIST's trained weights). test/engine/stochastic-rounding.spec.ts
// checks the mean of many rounded updates against Δ/2^s and the sub-step probability.
//
// Draws: one generator draw per weight updated, i.e. per kept row and nonzero input of a step (a row that
// p-GAF skips draws nothing, as it costs nothing else); biases stay i32 Q24 and need none. The counters
// record them as random draws of the update phase (PH_UPDATE, K_DRAW).
//
// Random source. With the on-chip source (SRC_PRNG) the rounding draws come from the same xoshiro128**
// stream as the p-GAF masks, interleaved in a fixed order, so a run is a function of its seed. With
// a device (SRC_IMPORT: env.mtj_sample; SRC_BUFFER: the host's draw buffer) the module's generator is
// not used for the masks; before each update, absorbDeviceDraws folds the step's device draws (every
// hidden layer's BITS region, as 32-bit words) into a hash h and h into the generator's state
// (rng.ts, rngMix). So the device's randomness reaches every rounding of the step (it re-keys the
// stream each step), while the ~10^4 rounding bits a step needs come from the generator: drawing
// them from an MTJ over a serial link (Firmata: ~10^3 draws/s) would take seconds per step.
// A run stays a function of its seed and the device's draws (resume replays both).
import { rngNext, rngMix } from './rng';
import { W_STEP_SHIFT, loadWRaw, storeWSat } from './weight-format';
import { width, bitsPtr, layerCount, algo, drawsPerNeuron, ALGO_PAIR } from './plan';

/** w ← clamp(⌊(w·2^s − Δ + u) / 2^s⌋): the stored weight at p after the exact Q24 update −Δ. */
@inline export function roundedUpdate(p: usize, delta: i64): void {
  const u = <i64>(rngNext() >> (32 - W_STEP_SHIFT));
  storeWSat(p, ((loadWRaw(p) << <i64>W_STEP_SHIFT) - delta + u) >> <i64>W_STEP_SHIFT);
}

/**
 * Folds the step's device draws into the generator: h = ((h ⋘ 5) ⊕ word) · 0x9E3779B1 over the 32-bit
 * words of every hidden layer's BITS region (pgaf: draws·n bytes of 0/1; pair: 8 bytes per neuron,
 * the two Q16 voltages), then rngMix(h). Called once per backward pass when a device supplies the draws.
 */
export function absorbDeviceDraws(): void {
  let h: u32 = 0;
  for (let k = 1; k < layerCount - 1; k++) {
    const bytes = algo == ALGO_PAIR ? width(k) << 3 : width(k) * drawsPerNeuron();
    const b = bitsPtr(k);
    for (let i = 0; i < bytes; i += 4) h = (rotl<u32>(h, 5) ^ load<u32>(b + <usize>i)) * 0x9e3779b1;
  }
  rngMix(h);
}
