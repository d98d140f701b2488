/**
 * The simulated MTJ HAL of the board glue (boards/glue/hal/st_hal_sim.c) on the host, so that a run
 * through env.mtj_sample is bit-identical in V8 and natively (same seed, same integer arithmetic).
 *
 * SimulatedMtjHal (p-GAF draws): ideal Bernoulli(p) junctions driven by the project's generator, one
 * 32-bit draw per bit, bit = (draw >>> 16) < p_Q16, j outer, d inner.
 *
 * SimulatedMtjPairHal (the pair algorithm, draws = 0): one MTJ pair per hidden neuron, each twin
 * v(z) = g·tanh(z − z0) + 0.05·z + n in activation units (Q16) — pair-iv-model.ts's
 * V(I) = a·tanh(b(I − I0)) + c·I with I = z/b and V/a, at its defaults: gain CV 2 %, σ(I0) = 2 µA
 * (0.02 units), read noise 0.5 mV (0.0025 units), ±1 mA (z clamped to [−10, 10 − Δz]). Deviates are
 * Irwin–Hall sums of four 16-bit uniforms; g and z0 come from a counter hash of (seed, junction), the
 * noise from a second xoshiro128** stream, and tanh from a fixed-point exp: all integer, so C and
 * JavaScript agree exactly. Every product here stays below 2^53 and every division by a non-power of
 * two has a quotient far from rounding trouble, so double arithmetic is exact. No twin calibration.
 */
import { Rng } from '../../../host/rng.ts';
import type { BitSource } from '../../../host/engine/bit-source.ts';
import type { PairSource } from '../../../host/engine/pair-source.ts';

export class SimulatedMtjHal implements BitSource {
  private readonly rng: Rng;

  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }

  sampleLayer(_layer: number, probsQ16: Int32Array, draws: number, out: Uint8Array): void {
    for (let j = 0; j < probsQ16.length; j++) {
      for (let d = 0; d < draws; d++) out[j * draws + d] = this.rng.nextU32() >>> 16 < probsQ16[j] ? 1 : 0;
    }
  }
}

const PAIR_NOISE_SEED = 0x6a09e667;
const PAIR_KEY_SEED = 0xbb67ae85;
/** s = c/(a·b) = 0.05 in Q16. */
const PAIR_SLOPE_Q16 = 3277;
/** Deviate multipliers σ·65536·√3 (an Irwin–Hall sum of four 16-bit uniforms has σ = 65536/√3). */
const PAIR_GAIN_MUL = 2270;
const PAIR_CENTRE_MUL = 2270;
const PAIR_NOISE_MUL = 284;
const PAIR_Z_MAX_Q16 = 655360;
const ONE_Q24 = 16777216;
const LN2_Q16 = 45426;

/** splitmix32's output function (host/rng.ts). */
function splitmix(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** ≈ N(0, (mul/√3)²) in Q16 from two 32-bit draws. */
function deviate(a: number, b: number, mul: number): number {
  const sum = (a >>> 16) + (a & 0xffff) + (b >>> 16) + (b & 0xffff) - 131070;
  return Math.floor((sum * mul) / 65536);
}

/** tanh in Q16, as st_hal_sim.c computes it (within 2^-16 of tanh). */
export function simTanhQ16(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 10 * 65536) return x < 0 ? -65536 : 65536;
  const y = 2 * ax;
  const k = Math.floor(y / LN2_Q16);
  const r = y - k * LN2_Q16;
  let t = ONE_Q24;
  for (let n = 8; n >= 1; n--) t = ONE_Q24 - Math.floor(Math.floor((t * r) / 65536) / n);
  t = Math.floor(t / 2 ** k);
  const num = (ONE_Q24 - t) * 65536;
  const den = ONE_Q24 + t;
  const v = Math.floor((num + Math.floor(den / 2)) / den);
  return x < 0 ? -v : v;
}

export class SimulatedMtjPairHal implements PairSource {
  private readonly noise: Rng;
  private readonly key: number;
  private readonly offsets: number[];
  private readonly dzQ16: number;

  constructor(
    readonly seed: number,
    /** Widths of the hidden layers, in order (pair = Σ widths below + j, as st_mtj_hidden_index). */
    hiddenWidths: readonly number[],
    /** Δz in pre-activation units: the network's pairStep (the board gets round(Δz·65536)). */
    readonly stepZ: number,
  ) {
    this.noise = new Rng((seed ^ PAIR_NOISE_SEED) >>> 0);
    this.key = splitmix((seed ^ PAIR_KEY_SEED) >>> 0);
    this.offsets = hiddenWidths.map((_w, h) => hiddenWidths.slice(0, h).reduce((s, w) => s + w, 0));
    this.dzQ16 = Math.round(stepZ * 65536);
  }

  private word(junction: number, i: number): number {
    return splitmix((this.key + Math.imul(4 * junction + i + 1, 0x9e3779b9)) >>> 0);
  }

  /** Noise-free voltage of a twin (junction 2·pair + twin) in activation units, Q16. */
  twinQ16(junction: number, zQ16: number): number {
    const gain = 65536 + deviate(this.word(junction, 0), this.word(junction, 1), PAIR_GAIN_MUL);
    const centre = deviate(this.word(junction, 2), this.word(junction, 3), PAIR_CENTRE_MUL);
    return Math.floor((gain * simTanhQ16(zQ16 - centre) + 32768) / 65536) + Math.floor((PAIR_SLOPE_Q16 * zQ16 + 32768) / 65536);
  }

  readLayer(layer: number, zQ16: Int32Array, out: Int32Array): void {
    const dz = this.dzQ16;
    const hi = PAIR_Z_MAX_Q16 - dz;
    for (let j = 0; j < zQ16.length; j++) {
      const pair = (this.offsets[layer] ?? 0) + j;
      const z = Math.min(hi, Math.max(-PAIR_Z_MAX_Q16, zQ16[j]));
      const u0 = this.noise.nextU32();
      const u1 = this.noise.nextU32();
      const u2 = this.noise.nextU32();
      const u3 = this.noise.nextU32();
      out[2 * j] = this.twinQ16(2 * pair, z) + deviate(u0, u1, PAIR_NOISE_MUL);
      out[2 * j + 1] = this.twinQ16(2 * pair + 1, z + dz) + deviate(u2, u3, PAIR_NOISE_MUL);
    }
  }
}
