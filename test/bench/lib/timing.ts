/**
 * Throughput timing for the benchmarks: warm up, then time a fixed number of training samples.
 * rate [samples/s] = samples / seconds, with the wall clock of performance.now().
 */

export interface RateMeasurement {
  /** Samples trained in the timed window. */
  samples: number;
  /** Wall time of the timed window [s]. */
  seconds: number;
  /** samples / seconds [samples/s]. */
  rate: number;
}

/** A trainer that trains on `count` samples (continuing where it stopped) and may be asynchronous. */
export type TrainRun = (count: number) => unknown | Promise<unknown>;

/** Runs `warmup` samples untimed, then `samples` timed (in one call, so per-call overhead is the trainer's own). */
export async function measureRate(run: TrainRun, warmup: number, samples: number): Promise<RateMeasurement> {
  if (!(Number.isInteger(samples) && samples > 0)) throw new RangeError(`samples: expected a positive integer, got ${samples}`);
  if (warmup > 0) await run(warmup);
  const t0 = performance.now();
  await run(samples);
  const seconds = (performance.now() - t0) / 1000;
  return { samples, seconds, rate: samples / seconds };
}
