/**
 * Options the engine holds in fixed point (host/engine/engine-setup.ts rounds with Math.round(x·2^f)):
 * learning rate, momentum, decay and the probability floor are Q16; the δ clip is Q24. A positive value
 * below half a step (2^−17 in Q16, 2^−25 in Q24) rounds to 0 and would silently turn the option off, or
 * train nothing; such values are refused with the smallest value the engine represents.
 * The learning rate also decays in Q16 per epoch (assembly/plan.ts setEpoch:
 * lr_e = round(lrQ16·2^16 / (2^16 + dQ16·e))); a schedule that reaches 0 before the last epoch is refused.
 */
import { q16, q24 } from '../engine/engine-setup.ts';
import { CliError, numberOption } from './errors.ts';

/** Smallest positive value that does not round to 0, per fractional bits. */
export const smallestFixed = (fracBits: 16 | 24): number => 2 ** -(fracBits + 1);

const fixed = (fracBits: 16 | 24, x: number): number => (fracBits === 16 ? q16(x) : q24(x));

/** Refuses a positive value that rounds to 0 in the engine's Q format. */
export function checkRepresentable(option: string, value: number, fracBits: 16 | 24, raw: string, zeroAllowed = true): number {
  if (value > 0 && fixed(fracBits, value) === 0) {
    const min = smallestFixed(fracBits);
    throw new CliError(option, `${raw} rounds to 0 in the engine's Q${fracBits} fixed point; expected ${zeroAllowed ? '0 or ' : ''}at least 2^-${fracBits + 1} (${min.toPrecision(3)})`);
  }
  return value;
}

/** numberOption plus checkRepresentable. */
export function fixedOption(option: string, raw: string | undefined, fallback: number, min: number, max: number, fracBits: 16 | 24): number {
  const v = numberOption(option, raw, fallback, min, max);
  return raw === undefined ? v : checkRepresentable(option, v, fracBits, raw);
}

/** The engine's Q16 learning rate of epoch e (assembly/plan.ts setEpoch), from the rate and the decay. */
export function decayedRateQ16(lr: number, decay: number, epoch: number): number {
  const den = 65536n + BigInt(q16(decay)) * BigInt(epoch);
  return Number((BigInt(q16(lr)) * 65536n + (den >> 1n)) / den);
}

/**
 * Refuses learning rates that reach 0 in Q16 before the last epoch (lastEpoch, 0-based). Names --lr when
 * the rate itself rounds to 0, else --decay (the schedule is what vanishes).
 */
export function checkDecayedRates(rates: number[], decay: number, lastEpoch: number): void {
  rates.forEach((lr, l) => {
    if (q16(lr) === 0) throw new CliError('--lr', `${lr} rounds to 0 in the engine's Q16 fixed point; expected at least 2^-17 (${smallestFixed(16).toPrecision(3)})`);
    if (decayedRateQ16(lr, decay, lastEpoch) > 0) return;
    let lo = 0; // last epoch with a nonzero rate: decayedRateQ16 decreases with the epoch
    let hi = lastEpoch;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (decayedRateQ16(lr, decay, mid) > 0) lo = mid;
      else hi = mid;
    }
    throw new CliError(
      '--decay',
      `${decay} makes the learning rate ${lr} of weight layer ${l} round to 0 in the engine's Q16 from epoch ${hi + 1} of ${lastEpoch + 1}: ` +
        'lower --decay or --epochs, or raise --lr',
    );
  });
}
