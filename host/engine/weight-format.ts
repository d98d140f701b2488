/**
 * Stored weight formats: the host's mirror of assembly/weight-format.ts (issue 16). The weights W of a
 * network are stored in one of three formats, one module build each; everything else (biases, deltas,
 * slopes, shifts, velocities) stays i32 Q24 in every build.
 *
 *   bits  stored      value of integer w     step (2^−F)   module (build/)        bytes per weight
 *   32    i32 Q7.24   w · 2^−24              5.96e-8       spintrain.wasm         4
 *   16    i16 Q3.12   w · 2^−12              2.44e-4       spintrain.w16.wasm     2
 *    8    i8  Q1.6    w · 2^−6               1.56e-2       spintrain.w8.wasm      1
 *
 * Updates in the narrow builds are rounded stochastically (assembly/stochastic-rounding.ts: unbiased,
 * E[w′] = w − Δ·2^−s for the exact Q24 update Δ, s = 24 − F). The narrow builds refuse momentum.
 */
import { packagePath } from '../package-root.ts';

export const WEIGHT_BITS = [32, 16, 8] as const;
export type WeightBits = (typeof WEIGHT_BITS)[number];

export interface WeightFormat {
  bits: WeightBits;
  /** Fraction bits F: value = integer · 2^−F. */
  fracBits: number;
  /** Bytes per stored weight. */
  bytes: number;
  /** Smallest and largest stored integer. */
  min: number;
  max: number;
  /** The module build that stores this format (file name under build/). */
  module: string;
}

const FRAC_BITS: Record<WeightBits, number> = { 32: 24, 16: 12, 8: 6 };

export function weightFormat(bits: WeightBits = 32): WeightFormat {
  return {
    bits,
    fracBits: FRAC_BITS[bits],
    bytes: bits / 8,
    min: -(2 ** (bits - 1)),
    max: 2 ** (bits - 1) - 1,
    module: bits === 32 ? 'spintrain.wasm' : `spintrain.w${bits}.wasm`,
  };
}

/** Path of the module build for a weight format (32: the release module, build/spintrain.wasm). */
export function weightModulePath(bits: WeightBits = 32): string {
  return packagePath('build', weightFormat(bits).module);
}

/** A typed view of stored weights of a format (Int32Array, Int16Array or Int8Array). */
export type WeightArray = Int32Array | Int16Array | Int8Array;

/** Stored weights as Q24 integers (exact: w · 2^(24 − F)). */
export function widenToQ24(w: ArrayLike<number>, f: WeightFormat): Int32Array {
  const s = 2 ** (24 - f.fracBits);
  const out = new Int32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i] * s;
  return out;
}

/** Q24 integers to stored integers: rounded half up to the step (as initWeights rounds) and saturated. */
export function narrowFromQ24(q24: ArrayLike<number>, f: WeightFormat): Int32Array {
  const s = 2 ** (24 - f.fracBits);
  const out = new Int32Array(q24.length);
  for (let i = 0; i < q24.length; i++) out[i] = Math.min(f.max, Math.max(f.min, Math.floor((q24[i] + s / 2) / s)));
  return out;
}
