/** Totals over the engine's op counters that the benchmarks report. */
import { PHASES, type OpCounters } from '../../../host/engine/counters.ts';

/** Multiplies of all phases: each is one multiply-accumulate (the engine pairs every multiply with an add or subtract). */
export function totalMultiplies(c: OpCounters): number {
  return PHASES.reduce((s, p) => s + c[p].mul, 0);
}

/** Kept fraction of hidden gradients over all hidden layers (kept / seen). */
export function overallKeptFraction(c: OpCounters): number {
  const seen = c.seen.reduce((a, b) => a + b, 0);
  return seen > 0 ? c.kept.reduce((a, b) => a + b, 0) / seen : 0;
}
