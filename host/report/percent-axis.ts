/**
 * A percent axis whose tick labels are all distinct (issue 13: "88, 89, 89, 90, 90 %"). Vega's own ticks
 * over a narrow domain fall at steps finer than a fixed '.0%' format shows; here the step, the ticks and
 * the format are chosen together:
 *   step     = the smallest 1, 2 or 5 × 10^e with at most `maxTicks` ticks over [min, max]
 *   domain   = [⌊min/step⌋·step, ⌈max/step⌉·step]                 (inside [0, 1]: 1 is a multiple of every step ≤ 1)
 *   decimals = max(0, −⌊log10(100·step)⌋)                         (step 0.5 % → 1 decimal, 2 % → 0, 0.05 % → 2)
 * so consecutive ticks differ by exactly one step, which the format shows in full.
 */

export interface PercentAxis {
  /** Scale domain [fraction]. */
  domain: [number, number];
  /** Tick positions [fraction], ascending, `step` apart. */
  values: number[];
  /** Tick spacing [fraction]. */
  step: number;
  /** d3-format specifier, e.g. '.1%'. */
  format: string;
}

const NICE = [1, 2, 5, 10] as const;

/** The smallest nice step ≥ `raw` (raw > 0). */
function niceStep(raw: number): number {
  const e = Math.floor(Math.log10(raw));
  const base = 10 ** e;
  const f = raw / base;
  return NICE.find((n) => f <= n * (1 + 1e-12))! * base;
}

/** Rounds away binary noise (0.30000000000000004 → 0.3) at 12 significant decimals. */
function clean(x: number): number {
  return Number(x.toFixed(12));
}

/**
 * The axis for fractions `ys` (each in [0, 1]). A span narrower than `minSpan` (e.g. one point, or a flat
 * line) is widened to `minSpan` around its middle, kept inside [0, 1]. `maxTicks` ≥ 2.
 */
export function percentAxis(ys: readonly number[], maxTicks = 6, minSpan = 0.01): PercentAxis {
  const finite = ys.filter((y) => Number.isFinite(y)).map((y) => Math.min(1, Math.max(0, y)));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = Math.max(0, Math.min(1 - minSpan, mid - minSpan / 2));
    hi = Math.min(1, lo + minSpan);
  }
  let step = niceStep((hi - lo) / (Math.max(2, maxTicks) - 1));
  for (;;) {
    const a = clean(Math.floor(clean(lo / step)) * step);
    const b = clean(Math.ceil(clean(hi / step)) * step);
    const n = Math.round((b - a) / step) + 1;
    if (n <= maxTicks || step >= 1) {
      const values = Array.from({ length: n }, (_, i) => clean(a + i * step));
      const decimals = Math.max(0, -Math.floor(Math.log10(100 * step) + 1e-9));
      return { domain: [a, b], values, step, format: `.${decimals}%` };
    }
    step = niceStep(step * 1.000001);
  }
}
