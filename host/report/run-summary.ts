/**
 * The one-sentence summary at the top of a run's report: test accuracy; with a bp baseline, the backward
 * savings against it (backwardOpsRatio = bp backward multiplies+adds per sample ÷ this run's) and the
 * baseline's test accuracy; and the estimated energy per training sample (the same estimate as the
 * report's energy panel, all phases, [pJ/sample] shown with an SI prefix). Plain text: the page escapes it;
 * like the rest of the page it never shows "undefined" or "NaN" (page-text.ts).
 */
import { list, pct, text } from './page-text.ts';
import type { RunRecord } from './run-dir.ts';

/** Energy given in pJ, with 3 significant digits and the prefix that keeps the number in [1, 1000): "3.66 nJ". */
export function energyText(pJ: number): string {
  if (!(Number.isFinite(pJ) && pJ >= 0)) return '–';
  const units = ['pJ', 'nJ', 'µJ', 'mJ', 'J'];
  let v = pJ;
  let i = 0;
  while (v >= 999.5 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

/** How many times fewer (ratio ≥ 1) or more (ratio < 1) backward operations than bp; '' when not finite. */
function savings(ratio: number | undefined, bpAccuracy: number): string {
  if (ratio === undefined || !(Number.isFinite(ratio) && ratio > 0)) return '';
  const times = ratio >= 1 ? `${ratio.toFixed(2)}× fewer` : `${(1 / ratio).toFixed(2)}× more`;
  return `, used ${times} backward multiplies+adds per sample than the bp baseline (${pct(bpAccuracy)} test accuracy)`;
}

/**
 * "This pgaf run (iris 4-16-3, 3 epochs) reached 66.67 % test accuracy, used 2.50× fewer backward
 * multiplies+adds per sample than the bp baseline (66.67 % test accuracy), and needs an estimated
 * 3.66 nJ per training sample (45 nm default table)."
 */
export function runSummarySentence(run: RunRecord, energyPerSamplePj: number, tableShort: string): string {
  const c = run.config;
  const what = `This ${text(c.algorithm)} run (${text(c.dataset)} ${list(c.layout, '-')}, ${text(run.epochs)} epoch${run.epochs === 1 ? '' : 's'})`;
  const saved = run.baseline ? savings(run.backwardOpsRatio, run.baseline.testAccuracy) : '';
  const energy = `needs an estimated ${energyText(energyPerSamplePj)} per training sample (${tableShort})`;
  return `${what} reached ${pct(run.testAccuracy)} test accuracy${saved}${saved ? ', and' : ' and'} ${energy}.`;
}
