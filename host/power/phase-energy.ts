/**
 * Measured energy per training phase and per sample, from a PowerTrace and the PhaseMarker's events.
 *
 * Intervals: forward k = [forward_k, backward_k), backward k = [backward_k, next forward or end).
 * The sensor reports means over a window of T [s] (its conversion time), stamped at the window's
 * centre; integrating that smoothed trace over sharp phase windows would leak energy from the
 * high-power phase into its neighbours (≈ ΔP·(h/6 + T/8) per edge, h = reading interval). Instead the
 * mean power of each phase is fitted: with the model P(t) = c_p on phase p (forward, backward, other =
 * outside the marked phases), reading j is r_j = Σ_p c_p·|W_j ∩ phase p| / T, W_j = [t_j − T/2, t_j + T/2];
 * least squares gives c (3×3 normal equations). When forward and backward are too short to be told apart
 * (every window sees them in the same proportion: singular system) one mean power serves both
 * (`separable: false`).
 * Per phase p: duration D_p = Σ_k |interval|, E_p = c_p·D_p [J], per training sample E_p / N;
 * per sample k: c_p·|interval(p, k)|.
 * Idle: the mean power of the readings before the sync pulse, P_idle [W]; the energy above idle,
 * E_p − P_idle·D_p, is what training adds to the board's standing consumption.
 */
import type { MarkerEvent } from './phase-marker.ts';
import { MeasurementError } from './errors.ts';
import type { PowerTrace } from './power-trace.ts';

export const MEASURED_PHASES = ['forward', 'backward'] as const;
export type MeasuredPhase = (typeof MEASURED_PHASES)[number];

export interface PhaseInterval {
  phase: MeasuredPhase;
  sample: number;
  startS: number;
  endS: number;
}

export interface MeasuredPhaseEnergy {
  /** Σ over samples [J]. */
  energyJ: number;
  durationS: number;
  meanPowerW: number;
  /** Per training sample [J/sample]. */
  perSampleJ: number;
  /** Above the idle power, per training sample [J/sample] (null without an idle window). */
  aboveIdlePerSampleJ: number | null;
  /** Trace readings that fell inside this phase's intervals. */
  readings: number;
}

export interface MeasuredEnergy {
  samples: number;
  phases: Record<MeasuredPhase, MeasuredPhaseEnergy>;
  /** Forward + backward per training sample [J/sample]. */
  perSampleJ: number;
  aboveIdlePerSampleJ: number | null;
  /** Mean power from the first forward to the end [W]. */
  averagePowerW: number;
  /** Mean power before the sync pulse [W], null when no reading fell there. */
  idlePowerW: number | null;
  /** First forward to end [s]. */
  spanS: number;
  /** False when the phases were too short to fit separate powers (both got the training mean). */
  separable: boolean;
  /** Sensor window T used for the fit [s]. */
  windowS: number;
  /** Per training sample: energy of its forward and backward intervals [J]. */
  perSample: { sample: number; forwardJ: number; backwardJ: number }[];
}

export function phaseIntervals(events: readonly MarkerEvent[]): PhaseInterval[] {
  const out: PhaseInterval[] = [];
  for (let i = 0; i < events.length - 1; i++) {
    const e = events[i];
    if (e.phase === 'forward' || e.phase === 'backward') out.push({ phase: e.phase, sample: e.sample, startS: e.tS, endS: events[i + 1].tS });
  }
  return out;
}

export function measurePhaseEnergy(trace: PowerTrace, events: readonly MarkerEvent[], windowS: number): MeasuredEnergy {
  const intervals = phaseIntervals(events);
  if (intervals.length === 0) throw new MeasurementError('markers', 'no forward/backward phases were marked');
  if (trace.length < 3) throw new MeasurementError('trace', `${trace.length} reading(s); at least 3 are needed`);
  if (!(windowS > 0)) throw new MeasurementError('windowS', `expected the sensor window in seconds, got ${windowS}`);
  const fit = fitPhasePowers(trace, intervals, windowS);
  const acc = { forward: { d: 0, n: 0 }, backward: { d: 0, n: 0 } };
  const perSample = new Map<number, { sample: number; forwardJ: number; backwardJ: number }>();
  for (const iv of intervals) {
    const d = iv.endS - iv.startS;
    acc[iv.phase].d += d;
    acc[iv.phase].n += trace.countIn(iv.startS, iv.endS);
    const row = perSample.get(iv.sample) ?? { sample: iv.sample, forwardJ: 0, backwardJ: 0 };
    if (iv.phase === 'forward') row.forwardJ += fit.c[0] * d;
    else row.backwardJ += fit.c[1] * d;
    perSample.set(iv.sample, row);
  }
  const samples = perSample.size;
  const sync = events.find((e) => e.phase === 'sync');
  const idleReadings = sync ? trace.samples.filter((r) => r.tS + windowS / 2 < sync.tS) : [];
  const idlePowerW = idleReadings.length ? idleReadings.reduce((s, r) => s + r.powerW, 0) / idleReadings.length : null;
  const phases = {} as Record<MeasuredPhase, MeasuredPhaseEnergy>;
  (['forward', 'backward'] as const).forEach((p, i) => {
    const a = acc[p];
    const energyJ = fit.c[i] * a.d;
    phases[p] = {
      energyJ,
      durationS: a.d,
      meanPowerW: fit.c[i],
      perSampleJ: energyJ / samples,
      aboveIdlePerSampleJ: idlePowerW === null ? null : ((fit.c[i] - idlePowerW) * a.d) / samples,
      readings: a.n,
    };
  });
  const startS = intervals[0].startS;
  const endS = intervals[intervals.length - 1].endS;
  const total = phases.forward.energyJ + phases.backward.energyJ;
  return {
    samples,
    phases,
    perSampleJ: total / samples,
    aboveIdlePerSampleJ: idlePowerW === null ? null : phases.forward.aboveIdlePerSampleJ! + phases.backward.aboveIdlePerSampleJ!,
    averagePowerW: total / (endS - startS),
    idlePowerW,
    spanS: endS - startS,
    separable: fit.separable,
    windowS,
    perSample: [...perSample.values()],
  };
}

/** Least-squares mean powers [forward, backward, other] [W] (see the file comment). */
export function fitPhasePowers(trace: PowerTrace, intervals: readonly PhaseInterval[], windowS: number): { c: [number, number, number]; separable: boolean } {
  const rows: { x: [number, number, number]; r: number }[] = [];
  let k = 0;
  for (const s of trace.samples) {
    const a = s.tS - windowS / 2;
    const b = s.tS + windowS / 2;
    while (k < intervals.length && intervals[k].endS <= a) k++;
    const x: [number, number, number] = [0, 0, 0];
    for (let i = k; i < intervals.length && intervals[i].startS < b; i++) {
      const o = Math.min(b, intervals[i].endS) - Math.max(a, intervals[i].startS);
      if (o > 0) x[intervals[i].phase === 'forward' ? 0 : 1] += o / windowS;
    }
    x[2] = Math.max(0, 1 - x[0] - x[1]);
    rows.push({ x, r: s.powerW });
  }
  const solve = (cols: number[]): number[] | null => {
    const n = cols.length;
    const A = cols.map((i) => cols.map((j) => rows.reduce((s, row) => s + row.x[i] * row.x[j], 0)));
    const y = cols.map((i) => rows.reduce((s, row) => s + row.x[i] * row.r, 0));
    const scale = Math.max(...A.map((r, i) => r[i]));
    // Gaussian elimination with partial pivoting; a pivot below 1e-6 of the scale = not identifiable.
    for (let c = 0; c < n; c++) {
      let p = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
      if (!(Math.abs(A[p][c]) > 1e-6 * scale)) return null;
      [A[c], A[p]] = [A[p], A[c]];
      [y[c], y[p]] = [y[p], y[c]];
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const f = A[r][c] / A[c][c];
        for (let j = c; j < n; j++) A[r][j] -= f * A[c][j];
        y[r] -= f * y[c];
      }
    }
    return y.map((v, i) => v / A[i][i]);
  };
  const full = solve([0, 1, 2]);
  if (full) return { c: [full[0], full[1], full[2]], separable: true };
  // Merge forward and backward into one "training" column.
  for (const row of rows) row.x = [row.x[0] + row.x[1], 0, row.x[2]];
  const merged = solve([0, 2]) ?? solve([0]);
  if (!merged) throw new MeasurementError('trace', 'no reading overlaps the marked training phases');
  return { c: [merged[0], merged[0], merged[1] ?? merged[0]], separable: false };
}
