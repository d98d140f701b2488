/**
 * Wall time per training sample split by engine call: input (u8 → Q16), forward (+ p-GAF draws from the
 * in-module PRNG), backward (deltas + SGD update), timed around each export call [µs/sample], with the
 * op counters of the same samples. MAC rate [MAC/s] = multiplies / seconds of the phase.
 */
import { SpintrainEngine } from '../../../host/engine/wasm-engine.ts';
import type { Algorithm } from '../../../host/engine/config.ts';
import type { Split } from '../../../host/data/index.ts';
import { benchNetworkConfig } from './bench-network.ts';
import { overallKeptFraction } from './op-totals.ts';

export interface PhaseTiming {
  algorithm: Algorithm;
  samples: number;
  /** Mean wall time per sample [µs]. */
  inputUs: number;
  forwardUs: number;
  backwardUs: number;
  totalUs: number;
  /** 1e6 / totalUs [samples/s] (includes the timer overhead of the split). */
  samplesPerSecond: number;
  /** Multiplies per sample: forward phase (input conversion included) and backward phases. */
  forwardMacs: number;
  backwardMacs: number;
  /** MAC rates [MAC/s]: forward MACs / (input + forward) time, backward MACs / backward time, all / total. */
  forwardMacRate: number;
  backwardMacRate: number;
  overallMacRate: number;
  keptFraction: number;
}

export function timePhases(algorithm: Algorithm, data: Split, warmup: number, samples: number): PhaseTiming {
  const engine = new SpintrainEngine(benchNetworkConfig(algorithm));
  const e = engine.exports;
  const split = engine.loadSplit(data);
  const n0 = engine.layout[0];
  const labels = new Uint8Array(e.memory.buffer, split.y, split.n).slice();
  let pos = 0;
  let tIn = 0;
  let tFw = 0;
  let tBw = 0;
  const step = (timed: boolean): void => {
    const t0 = performance.now();
    e.inputU8(split.x + pos * n0);
    const t1 = performance.now();
    e.trainForward();
    const t2 = performance.now();
    e.trainBackward(labels[pos]);
    const t3 = performance.now();
    if (timed) {
      tIn += t1 - t0;
      tFw += t2 - t1;
      tBw += t3 - t2;
    }
    pos = (pos + 1) % split.n;
  };
  for (let s = 0; s < warmup; s++) step(false);
  engine.resetCounters();
  for (let s = 0; s < samples; s++) step(true);
  const c = engine.counters();
  const forwardMacs = c.forward.mul / samples;
  const backwardMacs = (c.activationGradient.mul + c.deltaPropagation.mul + c.weightUpdate.mul) / samples;
  const us = (ms: number): number => (1000 * ms) / samples;
  const totalUs = us(tIn + tFw + tBw);
  return {
    algorithm,
    samples,
    inputUs: us(tIn),
    forwardUs: us(tFw),
    backwardUs: us(tBw),
    totalUs,
    samplesPerSecond: 1e6 / totalUs,
    forwardMacs,
    backwardMacs,
    forwardMacRate: (forwardMacs * 1e6) / (us(tIn) + us(tFw)),
    backwardMacRate: (backwardMacs * 1e6) / us(tBw),
    overallMacRate: ((forwardMacs + backwardMacs) * 1e6) / totalUs,
    keptFraction: overallKeptFraction(c),
  };
}
