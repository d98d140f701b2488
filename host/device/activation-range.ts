/**
 * The trainable activation p = σ(k(z + c)) realised by an SOT-MTJ (logistic bridge of sot-switching.ts):
 *   P_sw(I) ≈ σ(k_I·(I − I50)),  k_I = 2·ln2·Δ/Ic0 [1/A],  I50 = Ic0·[1 − ln(t_p/(τ0·ln 2))/Δ]
 * The host drives neuron z with I = I_c + z·I_z, I_z = 1/k_I(Δ0) and I_c = I50(t_p0, Δ0) (the nominal
 * device: k = 1, c = 0). A device with anisotropy Δ written with pulse width t_p then realises
 *   k = Δ/Δ0                                   (slope: anisotropy)
 *   c = k_I(Δ0)·(I_c − I50) = 2·ln2·[(Δ0/Δ)·ln(t_p/t_p0) + L0·(Δ0/Δ − 1)],  L0 = ln(t_p0/(τ0·ln 2))
 *                                              (shift: pulse width, logarithmically; Δ moves it too)
 * so the range of k comes from the anisotropies available and that of c mostly from the pulse widths.
 */
import type { ActivationRange } from '../engine/config.ts';
import { defaultSimMtjConfig } from './sim-mtj.ts';

export interface ActivationRangeInputs {
  /** Nominal anisotropy Δ0 and the realisable range [Δmin, Δmax]. */
  delta0: number;
  deltaMin: number;
  deltaMax: number;
  /** Attempt time τ0 [s]. */
  tau0S: number;
  /** Nominal pulse width t_p0 [s] and the realisable range [s]. */
  pulseWidth0S: number;
  minWidthS: number;
  maxWidthS: number;
}

/** k and c of a device with anisotropy Δ and pulse width t_p, relative to the nominal device. */
export function slopeShiftOf(delta: number, widthS: number, inp: ActivationRangeInputs): { k: number; c: number } {
  const r = inp.delta0 / delta;
  const l0 = Math.log(inp.pulseWidth0S / (inp.tau0S * Math.LN2));
  return { k: 1 / r, c: 2 * Math.LN2 * (r * Math.log(widthS / inp.pulseWidth0S) + l0 * (r - 1)) };
}

/** The k, c box every realisable Δ reaches (c is monotone in Δ and t_p: the inner box of the corners). */
export function activationRangeOf(inp: ActivationRangeInputs): ActivationRange {
  const lo = (w: number): number => Math.max(...[inp.deltaMin, inp.deltaMax].map((d) => slopeShiftOf(d, w, inp).c));
  const hi = (w: number): number => Math.min(...[inp.deltaMin, inp.deltaMax].map((d) => slopeShiftOf(d, w, inp).c));
  return { kMin: inp.deltaMin / inp.delta0, kMax: inp.deltaMax / inp.delta0, cMin: lo(inp.minWidthS), cMax: hi(inp.maxWidthS) };
}

/**
 * The simulated SOT-MTJ array's inputs (`--device sim`, SimMtj's defaults): Δ0 = 50 with Δ ∈ [40, 60]
 * (40 the practical minimum, 60 ten-year retention), τ0 = 1 ns, t_p0 = 10 ns with t_p ∈ [1, 100] ns
 * (t_p ≥ τ0, where the logistic bridge holds).
 */
export const SIM_ACTIVATION_RANGE_INPUTS: Readonly<ActivationRangeInputs> = Object.freeze({
  delta0: defaultSimMtjConfig.delta,
  deltaMin: 40,
  deltaMax: 60,
  tau0S: defaultSimMtjConfig.tau0S,
  pulseWidth0S: defaultSimMtjConfig.pulseWidthS,
  minWidthS: 1e-9,
  maxWidthS: 100e-9,
});

/** The k, c box of the simulated array: k ∈ [0.8, 1.2], c ∈ [−3.07, 2.04]. */
export function simActivationRange(): ActivationRange {
  return activationRangeOf(SIM_ACTIVATION_RANGE_INPUTS);
}
