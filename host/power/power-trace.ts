/**
 * PowerTrace: time-stamped sensor readings (t [s], bus voltage [V], current [A], power [W] = V·I) and the
 * energy between two instants, E(a, b) = ∫ₐᵇ P(t) dt [J], with P linearly interpolated between readings
 * (held constant before the first and after the last). CSV form: header `t_s,bus_v,current_a,power_w`.
 */
import { RunDirError } from './errors.ts';

export interface PowerSample {
  tS: number;
  busV: number;
  currentA: number;
  powerW: number;
}

export const POWER_CSV_HEADER = 't_s,bus_v,current_a,power_w';

export class PowerTrace {
  readonly samples: PowerSample[] = [];

  push(s: PowerSample): void {
    const last = this.samples[this.samples.length - 1];
    if (last && s.tS < last.tS) throw new RangeError(`power trace: sample at ${s.tS} s precedes the previous one at ${last.tS} s`);
    this.samples.push(s);
  }

  get length(): number {
    return this.samples.length;
  }

  /** Interpolated power at t [W]. */
  powerAt(t: number): number {
    const s = this.samples;
    if (s.length === 0) return 0;
    const i = this.firstAfter(t);
    if (i === 0) return s[0].powerW;
    if (i === s.length) return s[s.length - 1].powerW;
    const a = s[i - 1];
    const b = s[i];
    return b.tS === a.tS ? b.powerW : a.powerW + ((b.powerW - a.powerW) * (t - a.tS)) / (b.tS - a.tS);
  }

  /** ∫ₐᵇ P dt [J] of the interpolated trace (trapezoids between the readings inside [a, b]). */
  energyJ(a: number, b: number): number {
    if (b <= a || this.samples.length === 0) return 0;
    const s = this.samples;
    let e = 0;
    let t = a;
    let p = this.powerAt(a);
    for (let i = this.firstAfter(a); i < s.length && s[i].tS < b; i++) {
      e += ((p + s[i].powerW) / 2) * (s[i].tS - t);
      t = s[i].tS;
      p = s[i].powerW;
    }
    return e + ((p + this.powerAt(b)) / 2) * (b - t);
  }

  /** Readings with a ≤ t < b. */
  countIn(a: number, b: number): number {
    return this.firstAfter(b - Number.EPSILON * Math.max(1, Math.abs(b))) - this.firstAfter(a - Number.EPSILON * Math.max(1, Math.abs(a)));
  }

  toCsv(): string {
    const rows = this.samples.map((s) => `${s.tS.toFixed(6)},${s.busV.toFixed(4)},${s.currentA.toExponential(6)},${s.powerW.toExponential(6)}`);
    return [POWER_CSV_HEADER, ...rows].join('\n') + '\n';
  }

  static fromCsv(text: string, file = 'power.csv'): PowerTrace {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines[0]?.trim() !== POWER_CSV_HEADER) throw new RunDirError(file, 'header', `expected "${POWER_CSV_HEADER}", got "${lines[0] ?? ''}"`);
    const trace = new PowerTrace();
    lines.slice(1).forEach((line, i) => {
      const v = line.split(',').map(Number);
      if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) throw new RunDirError(file, `line ${i + 2}`, `expected 4 finite numbers, got "${line}"`);
      trace.push({ tS: v[0], busV: v[1], currentA: v[2], powerW: v[3] });
    });
    return trace;
  }

  /** Index of the first reading with tS > t. */
  private firstAfter(t: number): number {
    const s = this.samples;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].tS <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
