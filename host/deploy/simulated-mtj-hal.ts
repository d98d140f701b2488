/**
 * The simulated MTJ HAL of the board glue (boards/glue/hal/st_hal_sim.c) as a host BitSource: ideal
 * Bernoulli(p) junctions driven by the project's generator, one 32-bit draw per bit,
 * bit = (draw >>> 16) < p_Q16, j outer, d inner. Same seed, same bits as the C HAL, so a run through
 * env.mtj_sample is bit-identical in V8 and natively.
 */
import { Rng } from '../rng.ts';
import type { BitSource } from '../engine/bit-source.ts';

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
