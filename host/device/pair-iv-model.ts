/**
 * The I–V model of an MTJ pair for the finite-difference gradient (Pereira et al., arXiv 2603.03947;
 * their I–V model is not public, this is the documented surrogate of research.md):
 *
 *   V(I) = a·tanh(b·(I − I0)) + c·I        [V], I [A] (bipolar read current through the junction)
 *
 *   a  [V]    saturating swing (bias-dependent TMR roll-off makes the junction voltage saturate)
 *   b  [1/A]  1/b is the current over which it saturates
 *   I0 [A]    the centre of the nonlinearity
 *   c  [Ω]    the linear (ohmic) part that remains at high bias
 *
 * Every junction draws its own a and I0 (mismatch between nominally identical twins): a_i = a·(1 + N(0, gainCv²)),
 * I0_i = I0 + N(0, offsetSdA²); b and c are common. A read adds N(0, readNoiseV²).
 * The finite difference (V_B(I + ΔI) − V_A(I)) / ΔI = V′(I) + O(ΔI·V″) + (V_B − V_A)(I)/ΔI + √2·σ/ΔI·N(0,1):
 * mismatch and noise fall as 1/ΔI, the truncation error grows with ΔI.
 */
import type { Rng } from '../rng.ts';

export interface PairIvConfig {
  /** Swing a [V]. Default 0.2 V. */
  swingV: number;
  /** Saturation scale b [1/A]. Default 1e4 (saturates over ~100 µA). */
  saturationPerA: number;
  /** Centre I0 [A]. Default 0. */
  centreA: number;
  /** Linear part c [Ω]. Default 100 Ω (slope c/(a·b) = 5 % of the centre slope). */
  linearOhm: number;
  /** Device-to-device CV of the swing a (gain mismatch). Default 0.02. */
  gainCv: number;
  /** Device-to-device σ of the centre I0 [A] (offset mismatch). Default 2 µA (2 % of 1/b). */
  offsetSdA: number;
  /** Read-noise σ [V]. Default 0.5 mV. */
  readNoiseV: number;
  /** Read current range [−max, max] [A]. Default 1 mA. */
  maxCurrentA: number;
}

export const defaultPairIvConfig: Readonly<PairIvConfig> = Object.freeze({
  swingV: 0.2,
  saturationPerA: 1e4,
  centreA: 0,
  linearOhm: 100,
  gainCv: 0.02,
  offsetSdA: 2e-6,
  readNoiseV: 0.5e-3,
  maxCurrentA: 1e-3,
});

/** The drawn parameters of one junction of a pair. */
export interface PairJunction {
  swingV: number;
  centreA: number;
}

/** Draws the twins' parameters, pairs × 2 junctions (A, B), from rng. */
export function drawPairJunctions(pairs: number, c: PairIvConfig, rng: Rng): [PairJunction, PairJunction][] {
  const one = (): PairJunction => ({ swingV: c.swingV * (1 + rng.normal(0, c.gainCv)), centreA: rng.normal(c.centreA, c.offsetSdA) });
  return Array.from({ length: pairs }, () => [one(), one()] as [PairJunction, PairJunction]);
}

/** Noise-free V(I) [V] of a junction. */
export function pairJunctionVoltage(j: PairJunction, c: PairIvConfig, currentA: number): number {
  return j.swingV * Math.tanh(c.saturationPerA * (currentA - j.centreA)) + c.linearOhm * currentA;
}
