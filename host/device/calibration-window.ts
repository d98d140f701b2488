/**
 * The write-current window where P(high | I) changes, for the calibration plots (issue 13: the full
 * 0–2 mA sweep put every transition into a sliver). Per device, the fitted σ(k (I − I50)) runs from
 * P = p to 1 − p over
 *   I50 ± ln((1 − p)/p) / k            (p = 1 %: ± 4.60/k)
 * The window spans that range of every device and every measured current whose draws disagree
 * (0 < high < n: the data say P is neither 0 nor 1 there), widened by `margin` of its span on each side and
 * kept inside the sweep (the lowest and highest measured current), so the fit is not drawn where nothing
 * was measured (unless the fitted transitions lie outside the sweep: then the unclipped window). Points outside it read all high or all low, as do their P(1,0) pairs (a (1,0) pair
 * needs a high and a low draw), so leaving them out hides no measured transition.
 */
import type { DeviceCalibration } from './calibration.ts';

export interface CurrentWindow {
  /** Window [A]. */
  loA: number;
  hiA: number;
}

/** The window [A] for `devices` (at least one); `p` the fitted tail probability, `margin` a fraction of the span. */
export function transitionWindow(devices: readonly DeviceCalibration[], p = 0.01, margin = 0.1): CurrentWindow {
  const half = Math.log((1 - p) / p);
  let lo = Infinity;
  let hi = -Infinity;
  let sweepLo = Infinity;
  let sweepHi = -Infinity;
  for (const d of devices) {
    lo = Math.min(lo, d.i50A - half / d.kPerA);
    hi = Math.max(hi, d.i50A + half / d.kPerA);
    for (const q of d.points) {
      sweepLo = Math.min(sweepLo, q.currentA);
      sweepHi = Math.max(sweepHi, q.currentA);
      if (q.high > 0 && q.high < q.n) {
        lo = Math.min(lo, q.currentA);
        hi = Math.max(hi, q.currentA);
      }
    }
  }
  const pad = margin * (hi - lo);
  lo -= pad;
  hi += pad;
  // Inside the sweep, unless the fitted transitions lie outside it (then the sweep says little; show the fit).
  const inLo = Math.max(lo, sweepLo);
  const inHi = Math.min(hi, sweepHi);
  return Number.isFinite(sweepLo) && inHi > inLo ? { loA: inLo, hiA: inHi } : { loA: lo, hiA: hi };
}
