/**
 * The sparse-backprop sweep (issue 18; test/bench/sparse.ts): its recorded rows, the accuracy–operations curve
 * of each method, the interpolation along a curve, and the markdown tables of the README section.
 *
 * A curve is one method's knob points of one case (data set × net), each the mean over its seeds of the last
 * epoch's test accuracy, the backward multiplies+adds per training sample and the backward energy per sample,
 * sorted by operations. bp is the reference point.
 *
 * Interpolation (the tables say so): between two measured points of a curve, accuracy is linear in log(x),
 * x = operations (or energy) per sample; nothing is extrapolated beyond a curve's first or last point.
 *   opsToReach(target): the first segment, in increasing x, whose left point is below the target and whose
 *     right point reaches it; x where the segment crosses the target. The curve's first point already at the
 *     target: "≤ x₀" (the need is at most the smallest measured). No point reaches it: not reached.
 *   accuracyAt(x): on the segment that contains x; outside [x₀, x_last]: none (out of the measured range).
 */

import { imagesEpochs, TABULAR_MAX_EPOCHS, TABULAR_MAX_FEATURES, TABULAR_MIN_EPOCHS, TABULAR_STEPS } from '../../../host/commands/train-defaults.ts';

export const SPARSE_METHODS = ['bp', 'pgaf', 'topk', 'random', 'adaptive'] as const;
export type SparseMethod = (typeof SPARSE_METHODS)[number];

/** One training run of the sweep. */
export interface SparseRow {
  /** Case id: data set and net, e.g. mnist-1h. */
  case: string;
  data: string;
  /** Units per layer, input first (784-256-10 is [784, 256, 10]). */
  layout: number[];
  activation: string;
  algorithm: SparseMethod;
  /**
   * A second curve of the same method run with other settings (e.g. "lr 0.1": p-GAF at bp's rate), drawn and
   * tabulated apart; absent: the method's main curve (the one p-GAF's K = 1 reference point is taken from).
   */
  variant?: string;
  /** The knob as shown: "K=2", "f=0.1", "p=0.2", adaptive "0.02–0.2" (S_min–S_max; " ζ0.8" when ζ ≠ 1); "" for bp. */
  knob: string;
  /** topk f, random p, adaptive {minRatio, maxRatio, damping}; absent for bp and pgaf. */
  sparsity?: number | { minRatio: number; maxRatio: number; damping: number };
  /** pgaf pairs K. */
  pairs?: number;
  seed: number;
  epochs: number;
  trainSamples: number;
  testSamples: number;
  /** Learning rate per weight layer (bottom first), as started (decay: η0/(1 + decay·epoch)). */
  rates: number[];
  decay: number;
  /** Test accuracy after each epoch. */
  accuracy: number[];
  trainAccuracy: number[];
  backwardOpsPerSample: number;
  forwardOpsPerSample: number;
  /** Selection comparisons per sample (topk, adaptive; counted in backwardOpsPerSample as adds). */
  comparesPerSample: number;
  /** MTJ draws per sample (pgaf; random with the module's generator draws nothing from MTJs). */
  drawsPerSample: number;
  keptFraction: number;
  backwardEnergyPj: number;
  totalEnergyPj: number;
  seconds: number;
  date: string;
}

export interface SparseRecord {
  date: string;
  /** The commit the rows ran at; a merged record (sparse.ts --merge): the distinct commits of its parts, ", "-joined. */
  commit: string;
  machine: unknown;
  /** The commands that produced the rows, in order. */
  commands: string[];
  rows: SparseRow[];
}

export interface CurvePoint {
  knob: string;
  /** Backward multiplies+adds per sample (mean over seeds). */
  ops: number;
  /** Backward energy per sample [pJ] (mean over seeds). */
  energyPj: number;
  /** Last-epoch test accuracy (mean over seeds). */
  accuracy: number;
  kept: number;
  seeds: number;
  seconds: number;
}

export interface Curve {
  method: SparseMethod;
  variant?: string;
  /** The method, and the variant in parentheses. */
  name: string;
  /** Sorted by ops. */
  points: CurvePoint[];
}

export interface SparseCase {
  id: string;
  data: string;
  layout: number[];
  epochs: number;
  trainSamples: number;
  testSamples: number;
  seeds: number[];
  activation: string;
  curves: Curve[];
  bp?: CurvePoint;
}

export const METHOD_LABEL: Record<SparseMethod, string> = {
  bp: 'bp',
  pgaf: 'p-GAF-BP (K pairs)',
  topk: 'top-k (meProp, kept fraction f)',
  random: 'random (keep prob. p, δ/p)',
  adaptive: 'adaptive (TinyProp, S_min–S_max, ζ)',
};

const last = <T>(a: T[]): T => a[a.length - 1];
/** The variants of some rows: the main curve (undefined) first, then the others by name. */
function variantsOf(rows: SparseRow[]): (string | undefined)[] {
  const vs = new Set(rows.map((r) => r.variant));
  return [...(vs.has(undefined) ? [undefined] : []), ...[...vs].filter((v): v is string => v !== undefined).sort()];
}
export const curveName = (method: SparseMethod, variant?: string): string => (variant ? `${method} (${variant})` : method);
const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

/** The cases of a record in the order first seen, each with its curves (methods in SPARSE_METHODS order). */
export function sparseCases(rows: SparseRow[]): SparseCase[] {
  const ids = [...new Set(rows.map((r) => r.case))];
  return ids.map((id) => {
    const rs = rows.filter((r) => r.case === id);
    const curves: Curve[] = [];
    let bp: CurvePoint | undefined;
    for (const [method, variant] of SPARSE_METHODS.flatMap((m) => variantsOf(rs.filter((r) => r.algorithm === m)).map((v) => [m, v] as const))) {
      const ms = rs.filter((r) => r.algorithm === method && r.variant === variant);
      const knobs = [...new Set(ms.map((r) => r.knob))];
      const points = knobs.map((knob): CurvePoint => {
        const ks = ms.filter((r) => r.knob === knob);
        return {
          knob,
          ops: mean(ks.map((r) => r.backwardOpsPerSample)),
          energyPj: mean(ks.map((r) => r.backwardEnergyPj)),
          accuracy: mean(ks.map((r) => last(r.accuracy))),
          kept: mean(ks.map((r) => r.keptFraction)),
          seeds: ks.length,
          seconds: mean(ks.map((r) => r.seconds)),
        };
      });
      points.sort((a, b) => a.ops - b.ops);
      if (method === 'bp' && variant === undefined) bp = points[0];
      else curves.push({ method, ...(variant !== undefined ? { variant } : {}), name: curveName(method, variant), points });
    }
    const r0 = rs[0];
    return {
      id, data: r0.data, layout: r0.layout, epochs: r0.epochs, trainSamples: r0.trainSamples, testSamples: r0.testSamples,
      seeds: [...new Set(rs.map((r) => r.seed))].sort((a, b) => a - b), activation: r0.activation, curves, bp,
    };
  });
}

/** A point of a curve on some x axis (operations or energy), with its other coordinate carried along. */
export interface XY {
  x: number;
  y: number;
  /** Carried along and interpolated in log like x (e.g. the energy when x is operations). */
  z?: number;
}

export type Reach =
  | { kind: 'interpolated' | 'measured'; x: number; z?: number }
  /** The curve's first point is already at the target: the need is at most x. */
  | { kind: 'at-most'; x: number; z?: number }
  | { kind: 'not-reached'; bestY: number; bestX: number };

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
const logLerp = (a: number, b: number, t: number): number => Math.exp(lerp(Math.log(a), Math.log(b), t));

/** Where a curve (any order; sorted here by x) first reaches y ≥ target (module comment). */
export function opsToReach(points: readonly XY[], target: number): Reach {
  const p = [...points].sort((a, b) => a.x - b.x);
  if (!p.length) return { kind: 'not-reached', bestY: NaN, bestX: NaN };
  if (p[0].y >= target) return { kind: 'at-most', x: p[0].x, z: p[0].z };
  for (let i = 0; i + 1 < p.length; i++) {
    const a = p[i];
    const b = p[i + 1];
    if (a.y < target && b.y >= target) {
      if (b.y === target) return { kind: 'measured', x: b.x, z: b.z };
      const t = (target - a.y) / (b.y - a.y);
      return { kind: 'interpolated', x: logLerp(a.x, b.x, t), z: a.z !== undefined && b.z !== undefined ? logLerp(a.z, b.z, t) : undefined };
    }
  }
  const best = p.reduce((m, q) => (q.y > m.y ? q : m));
  return { kind: 'not-reached', bestY: best.y, bestX: best.x };
}

export type At = { kind: 'interpolated' | 'measured'; y: number } | { kind: 'below-range'; nearestX: number } | { kind: 'above-range'; nearestX: number };

/** A curve's accuracy at x (linear in log x between its two measured neighbours; module comment). */
export function accuracyAt(points: readonly XY[], x: number): At {
  const p = [...points].sort((a, b) => a.x - b.x);
  const hit = p.find((q) => q.x === x);
  if (hit) return { kind: 'measured', y: hit.y };
  if (!p.length || x < p[0].x) return { kind: 'below-range', nearestX: p[0]?.x ?? NaN };
  if (x > last(p).x) return { kind: 'above-range', nearestX: last(p).x };
  const i = p.findIndex((q) => q.x > x) - 1;
  const t = (Math.log(x) - Math.log(p[i].x)) / (Math.log(p[i + 1].x) - Math.log(p[i].x));
  return { kind: 'interpolated', y: lerp(p[i].y, p[i + 1].y, t) };
}

export const pct = (a: number): string => `${(a * 100).toFixed(2)}%`;
export const thousands = (v: number): string => Math.round(v).toLocaleString('en-US');
/** nJ with 3 significant digits (at least one decimal). */
export const nj = (pj: number): string => (pj / 1000 >= 100 ? (pj / 1000).toFixed(0) : (pj / 1000).toFixed(pj / 1000 >= 10 ? 1 : 2));

/** Units per layer as 784-256-10. */
export const layoutName = (l: number[]): string => l.join('-');

/** Every measured point of a case: one row per method and knob. */
export function pointsTable(c: SparseCase): string {
  const out = ['| method | knob | test accuracy | vs bp | backward ops/sample | of bp | kept | backward energy nJ/sample | s/run |', '|---|---|---|---|---|---|---|---|---|'];
  const bp = c.bp;
  const row = (m: string, p: CurvePoint): string => {
    const d = bp ? `${p.accuracy - bp.accuracy >= 0 ? '+' : '−'}${Math.abs((p.accuracy - bp.accuracy) * 100).toFixed(2)}` : '—';
    const of = bp ? `${((p.ops / bp.ops) * 100).toFixed(1)}%` : '—';
    return `| ${m} | ${p.knob || '—'} | ${pct(p.accuracy)}${p.seeds > 1 ? ` (${p.seeds} seeds)` : ''} | ${m === 'bp' ? '—' : d} | ${thousands(p.ops)} | ${of} | ${(p.kept * 100).toFixed(1)}% | ${nj(p.energyPj)} | ${p.seconds.toFixed(0)} |`;
  };
  if (bp) out.push(row('bp', bp));
  for (const cv of c.curves) for (const p of cv.points) out.push(row(cv.name, p));
  return out.join('\n');
}

/** p-GAF's main curve (no variant) of a case. */
export const pgafCurve = (c: SparseCase): Curve | undefined => c.curves.find((cv) => cv.method === 'pgaf' && cv.variant === undefined);

/** p-GAF's K = 1 point of a case (its main curve), if measured. */
export function pgafK1(c: SparseCase): CurvePoint | undefined {
  return pgafCurve(c)?.points.find((p) => p.knob === 'K=1');
}

export interface CaseSummary {
  method: SparseMethod;
  /** Curve name: the method, and its variant in parentheses. */
  name: string;
  /** Operations (z: energy [pJ]) to come within `margin` of bp. */
  reach: Reach;
  /** Energy needed, on the energy curve [pJ]. */
  reachEnergy: Reach;
  /** Accuracy at p-GAF K = 1's operations, and at its energy. */
  atPgafOps?: At;
  atPgafEnergy?: At;
}

/** Per method: what it needs to come within `margin` (0.005 = 0.5 points) of bp, and its accuracy at p-GAF K = 1's cost. */
export function summarize(c: SparseCase, margin = 0.005): CaseSummary[] {
  if (!c.bp) return [];
  const target = c.bp.accuracy - margin;
  const k1 = pgafK1(c);
  return c.curves.map((cv) => {
    const byOps = cv.points.map((p) => ({ x: p.ops, y: p.accuracy, z: p.energyPj }));
    const byEnergy = cv.points.map((p) => ({ x: p.energyPj, y: p.accuracy }));
    return {
      method: cv.method,
      name: cv.name,
      reach: opsToReach(byOps, target),
      reachEnergy: opsToReach(byEnergy, target),
      atPgafOps: k1 ? accuracyAt(byOps, k1.ops) : undefined,
      atPgafEnergy: k1 ? accuracyAt(byEnergy, k1.energyPj) : undefined,
    };
  });
}

function reachText(r: Reach, fmt: (v: number) => string): string {
  if (r.kind === 'not-reached') return `not reached (best ${pct(r.bestY)} at ${fmt(r.bestX)})`;
  if (r.kind === 'at-most') return `≤ ${fmt(r.x)} (its cheapest point)`;
  return `${fmt(r.x)}${r.kind === 'interpolated' ? ' (interp.)' : ''}`;
}

function atText(a: At | undefined, fmt: (v: number) => string): string {
  if (!a) return '—';
  if (a.kind === 'below-range') return `— (its cheapest point: ${fmt(a.nearestX)})`;
  if (a.kind === 'above-range') return `— (its dearest point: ${fmt(a.nearestX)})`;
  return `${pct(a.y)}${a.kind === 'interpolated' ? ' (interp.)' : ''}`;
}

/** The summary table of a case (bp's row first). */
export function summaryTable(c: SparseCase, margin = 0.005): string {
  if (!c.bp) return '(no bp run: no reference)';
  const k1 = pgafK1(c);
  const pts = `${(margin * 100).toFixed(1)} points`;
  const out = [
    `| method | backward ops/sample to come within ${pts} of bp (≥ ${pct(c.bp.accuracy - margin)}) | backward energy nJ/sample for the same | accuracy at p-GAF K=1's ops${k1 ? ` (${thousands(k1.ops)})` : ''} | accuracy at p-GAF K=1's energy${k1 ? ` (${nj(k1.energyPj)} nJ)` : ''} |`,
    '|---|---|---|---|---|',
    `| bp (reference) | ${thousands(c.bp.ops)} (${pct(c.bp.accuracy)}) | ${nj(c.bp.energyPj)} | — | — |`,
  ];
  for (const s of summarize(c, margin)) {
    out.push(`| ${s.name} | ${reachText(s.reach, thousands)} | ${reachText(s.reachEnergy, (v) => `${nj(v)}`)} | ${atText(s.atPgafOps, thousands)} | ${atText(s.atPgafEnergy, (v) => `${nj(v)} nJ`)} |`);
  }
  return out.join('\n');
}

/** Plain statements from the numbers: at p-GAF K = 1's cost, who is more accurate, and by how much. */
export function verdicts(c: SparseCase, margin = 0.005): string[] {
  const k1 = pgafK1(c);
  if (!k1 || !c.bp) return [];
  const out: string[] = [];
  const sums = summarize(c, margin);
  const cmp = (s: CaseSummary, a: At | undefined, what: string): string => {
    if (!a || a.kind === 'below-range' || a.kind === 'above-range') return `${s.name}: no point of its curve brackets p-GAF K=1's ${what}`;
    const d = (k1.accuracy - a.y) * 100;
    return `${s.name} ${pct(a.y)} → p-GAF ${d >= 0 ? 'ahead' : 'behind'} by ${Math.abs(d).toFixed(2)} points`;
  };
  const others = sums.filter((s) => !(s.method === 'pgaf' && s.name === 'pgaf'));
  out.push(`At p-GAF K=1's ${thousands(k1.ops)} backward ops/sample (${pct(k1.accuracy)}; ${((k1.ops / c.bp.ops) * 100).toFixed(0)}% of bp's): ${others.map((s) => cmp(s, s.atPgafOps, 'operation count')).join('; ')}.`);
  out.push(`At p-GAF K=1's ${nj(k1.energyPj)} nJ backward energy/sample (MTJ draws included; bp ${nj(c.bp.energyPj)} nJ): ${others.map((s) => cmp(s, s.atPgafEnergy, 'energy')).join('; ')}.`);
  const reachOps = (s: CaseSummary): number => (s.reach.kind === 'not-reached' ? Infinity : s.reach.x);
  const ranked = [...sums].sort((a, b) => reachOps(a) - reachOps(b));
  const reached = ranked.filter((s) => s.reach.kind !== 'not-reached');
  const never = ranked.filter((s) => s.reach.kind === 'not-reached').map((s) => s.name);
  const within = `within ${(margin * 100).toFixed(1)} points of bp`;
  if (reached.length) {
    out.push(`Cheapest to come ${within} (backward ops/sample): ${reached.map((s) => `${s.name} ${s.reach.kind === 'at-most' ? '≤ ' : ''}${thousands((s.reach as { x: number }).x)}`).join(' < ')}${never.length ? `; never, in the measured range: ${never.join(', ')}` : ''}.`);
  } else {
    out.push(`No method comes ${within} in the measured range.`);
  }
  return out;
}

/**
 * One record from the results files of sweeps run side by side (one process per core): rows and commands in
 * the order given, the earliest date, the first file's machine, the distinct commits. Refuses a run (case,
 * method, variant, knob, seed, epochs, training samples) found in two files.
 */
export function mergeRecords(parts: { file: string; rec: SparseRecord }[]): SparseRecord {
  const seen = new Map<string, string>();
  const rows: SparseRow[] = [];
  for (const { file, rec } of parts) {
    for (const r of rec.rows) {
      const key = [r.case, r.algorithm, r.variant ?? '', r.knob, r.seed, r.epochs, r.trainSamples].join('|');
      const first = seen.get(key);
      if (first !== undefined) throw new Error(`--merge: ${key} is in both ${first} and ${file}`);
      seen.set(key, file);
      rows.push(r);
    }
  }
  return {
    date: parts.map((p) => p.rec.date).sort()[0],
    commit: [...new Set(parts.flatMap((p) => p.rec.commit.split(', ')))].join(', '),
    machine: parts[0].rec.machine,
    commands: parts.flatMap((p) => p.rec.commands),
    rows,
  };
}

/** "Run from D1 to D2 (row dates, UTC) at commit C on M": where and when the rows of a record ran. */
export function whereAndWhen(rec: SparseRecord): string {
  const dates = rec.rows.map((r) => r.date).sort();
  const day = (d: string): string => d.slice(0, 16).replace('T', ' ');
  const m = rec.machine as Partial<{ cpu: string; cores: number; node: string; platform: string; loadAverage1m: number }>;
  const machine = m && m.cpu ? `${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.platform}` : 'an unrecorded machine';
  const commits = rec.commit.split(', ').map((c) => c.slice(0, 10));
  return `Runs ended between ${day(dates[0])} and ${day(dates[dates.length - 1])} UTC, at commit${commits.length > 1 ? 's' : ''} ${commits.map((c) => `\`${c}\``).join(', ')}, on ${machine}${m && m.loadAverage1m !== undefined ? ` (1-min load average ${m.loadAverage1m.toFixed(2)} when the first part started)` : ''}; seconds per run are wall-clock time on that machine, shared with whatever else ran.`;
}

const seedText = (seeds: number[]): string => `seed${seeds.length > 1 ? 's' : ''} ${[...seeds].sort((x, y) => x - y).join(', ')}`;

/** Relative path of a case's plot from the repository root. */
export const plotPath = (id: string): string => `test/bench/results/sparse-${id}.svg`;

/** The README section (between the markers, markers excluded): per case the plot, the summary, the points. */
export function sparseMarkdown(rec: SparseRecord, source: string): string {
  const cases = sparseCases(rec.rows);
  const out: string[] = [
    '### Sparse backprop: p-GAF-BP against meProp, random and TinyProp (issue 18)',
    '',
    `Every method runs in the deep module (assembly/deep.ts) from the same initial weights, the same sample order and the same draw seeds per epoch (${seedText([...new Set(rec.rows.map((r) => r.seed))])}); only the backward pass differs. x is the backward multiplies+adds per training sample (activation gradient, δ propagation, update; topk's and adaptive's selection comparisons counted as adds), y the test accuracy after the last epoch. Energy: host/energy energyPerSample (Horowitz 45 nm integer ops and SRAM, plus an MTJ write/read/reset per random bit: p-GAF's 2K draws per hidden unit, random's one keep bit per hidden unit). Generated by \`npx tsx test/bench/sparse-markdown.ts ${source}\`.`,
    '',
    whereAndWhen(rec),
    '',
    `Interpolated values (marked "interp.") are linear in log(operations) (or log(energy)) between a method's two neighbouring measured points; nothing is extrapolated beyond a curve's ends.`,
  ];
  for (const c of cases) {
    const r0 = rec.rows.find((r) => r.case === c.id)!;
    out.push(
      '',
      `#### ${c.data} ${layoutName(c.layout)} (${c.activation}, ${c.epochs} epoch${c.epochs > 1 ? 's' : ''} of ${thousands(c.trainSamples)} samples${c.epochs < defaultEpochs(c) ? `, where the project's default is ${defaultEpochs(c)}` : ''}; decay ${Number(r0.decay.toPrecision(6))}; test ${thousands(c.testSamples)}; seed${c.seeds.length > 1 ? 's' : ''} ${c.seeds.join(', ')})`,
      '',
      `![${c.data} ${layoutName(c.layout)}: accuracy against backward operations](${plotPath(c.id)})`,
      '',
      `Learning rates per weight layer (bottom first): ${summarizeRates(rec.rows.filter((r) => r.case === c.id))}.`,
      '',
      summaryTable(c),
      '',
      ...verdicts(c).map((v) => `- ${v}`),
      '',
      '<details><summary>every point</summary>',
      '',
      pointsTable(c),
      '',
      '</details>',
    );
  }
  return out.join('\n');
}

/** The project's default epochs of a case (host/commands/train-defaults.ts): images (> 64 inputs) by hidden layers, tabular ⌈36,000/n⌉ in 20..300. */
export function defaultEpochs(c: Pick<SparseCase, 'layout' | 'trainSamples'>): number {
  if (c.layout[0] > TABULAR_MAX_FEATURES) return imagesEpochs(c.layout.length - 2);
  return Math.min(TABULAR_MAX_EPOCHS, Math.max(TABULAR_MIN_EPOCHS, Math.ceil(TABULAR_STEPS / c.trainSamples)));
}

/** "bp, topk, random, adaptive 0.1/0.1; pgaf K=1 0.01/0.1, K=2 0.02/0.1" from the rows' rates. */
function summarizeRates(rows: SparseRow[]): string {
  const fmt = (r: SparseRow): string => r.rates.map((v) => Number(v.toPrecision(6))).join('/');
  // per curve: one rate list, or (pgaf's K, random's p with --random-scaled) one per knob
  const curves = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const name = curveName(r.algorithm, r.variant);
    const knobs = curves.get(name) ?? new Map<string, string>();
    knobs.set(r.knob, fmt(r));
    curves.set(name, knobs);
  }
  const groups = new Map<string, string[]>();
  for (const [name, knobs] of curves) {
    const distinct = new Set(knobs.values());
    const text = distinct.size === 1 ? [...distinct][0] : `: ${[...knobs].map(([k, v]) => `${k} ${v}`).join(', ')}`;
    groups.set(text, [...(groups.get(text) ?? []), name]);
  }
  return [...groups].map(([text, names]) => (text.startsWith(':') ? `${names.join(', ')}${text}` : `${names.join(', ')} ${text}`)).join('; ');
}
