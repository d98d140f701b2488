// The sparse-backprop section (issue 18): curves from rows, the interpolation along a curve, the tables,
// the SVG and the markers, on a hand-made record (no training).
import { describe, expect, it } from 'vitest';
import { accuracyAt, mergeRecords, opsToReach, sparseCases, whereAndWhen, summarize, summaryTable, pointsTable, verdicts, type SparseRecord, type SparseRow } from '../bench/lib/sparse-curves.ts';
import { sparsePlot } from '../bench/lib/sparse-plot.ts';
import { replaceSparse, sparseSection } from '../bench/sparse-markdown.ts';

const row = (algorithm: SparseRow['algorithm'], knob: string, ops: number, accuracy: number, seed = 1, energyPj = ops * 10): SparseRow => ({
  case: 'toy-1h', data: 'toy', layout: [4, 8, 3], activation: 'sigmoid', algorithm, knob, seed, epochs: 2, trainSamples: 100, testSamples: 50,
  rates: algorithm === 'pgaf' ? [0.01, 0.1] : [0.1, 0.1], decay: 0.1, accuracy: [accuracy - 0.05, accuracy], trainAccuracy: [0.5, 0.6],
  backwardOpsPerSample: ops, forwardOpsPerSample: 100, comparesPerSample: 0, drawsPerSample: 0, keptFraction: ops / 8000, backwardEnergyPj: energyPj, totalEnergyPj: energyPj + 1000,
  seconds: 1, date: '2026-12-01T00:00:00.000Z',
});

// bp 0.97 at 8,000; the within-0.5 target is 0.965
const rows: SparseRow[] = [
  row('bp', '', 8000, 0.97),
  // pgaf: K=1 at 2,000 (0.96), K=2 at 4,000 (0.97): reaches 0.965 halfway in log → √(2000·4000) = 2,828
  row('pgaf', 'K=1', 2000, 0.96, 1, 30000),
  row('pgaf', 'K=2', 4000, 0.97, 1, 50000),
  // a second p-GAF curve (other rates): tabulated apart, never the reference; reaches 0.965 at 2000·2^0.4 = 2,639
  { ...row('pgaf', 'K=1', 2000, 0.955), variant: 'lr 0.1', rates: [0.1, 0.1] },
  { ...row('pgaf', 'K=2', 4000, 0.98), variant: 'lr 0.1', rates: [0.1, 0.1] },
  // topk: two seeds at f=0.1 (means 0.93 at 1,000 ops), then 0.97 at 4,000: at 2,000 ops (half way in log) 0.95
  row('topk', 'f=0.1', 1000, 0.92, 1),
  row('topk', 'f=0.1', 1000, 0.94, 2),
  row('topk', 'f=0.4', 4000, 0.97, 1),
  // random: never within 0.5 points; its range starts above p-GAF's count
  row('random', 'p=0.5', 3000, 0.9),
  row('random', 'p=0.9', 7000, 0.95),
  // adaptive: already within at its cheapest point
  row('adaptive', '0.1–1', 1500, 0.968),
  row('adaptive', '0.2–1', 2500, 0.969),
];
const rec: SparseRecord = { date: '2026-12-01T00:00:00.000Z', commit: '0123456789abcdef', machine: {}, commands: ['npx tsx test/bench/sparse.ts --cases toy-1h'], rows };

describe('interpolation along a curve', () => {
  const curve = [{ x: 4000, y: 0.97, z: 50 }, { x: 1000, y: 0.9, z: 10 }, { x: 2000, y: 0.95, z: 20 }];
  it('finds where a curve first reaches a target, linear in log x, the other coordinate carried along', () => {
    const r = opsToReach(curve, 0.96);
    expect(r.kind).toBe('interpolated');
    if (r.kind !== 'interpolated') return;
    expect(r.x).toBeCloseTo(Math.sqrt(2000 * 4000), 6);
    expect(r.z).toBeCloseTo(Math.sqrt(20 * 50), 6);
    expect(opsToReach(curve, 0.95)).toEqual({ kind: 'measured', x: 2000, z: 20 });
    expect(opsToReach(curve, 0.85)).toEqual({ kind: 'at-most', x: 1000, z: 10 });
    expect(opsToReach(curve, 0.98)).toEqual({ kind: 'not-reached', bestY: 0.97, bestX: 4000 });
    // a dip after the first crossing does not move it
    expect(opsToReach([...curve, { x: 8000, y: 0.9 }, { x: 16000, y: 0.99 }], 0.96)).toMatchObject({ kind: 'interpolated' });
  });

  it('reads a curve at x between its measured points, never outside them', () => {
    expect(accuracyAt(curve, 2000)).toEqual({ kind: 'measured', y: 0.95 });
    const a = accuracyAt(curve, Math.sqrt(1000 * 2000));
    expect(a.kind).toBe('interpolated');
    if (a.kind === 'interpolated') expect(a.y).toBeCloseTo(0.925, 12);
    expect(accuracyAt(curve, 500)).toEqual({ kind: 'below-range', nearestX: 1000 });
    expect(accuracyAt(curve, 5000)).toEqual({ kind: 'above-range', nearestX: 4000 });
  });
});

describe('sparse tables and plot', () => {
  const [c] = sparseCases(rows);

  it('builds one curve per method, sorted by operations, seeds averaged, bp apart', () => {
    expect(c.bp).toMatchObject({ ops: 8000, accuracy: 0.97 });
    expect(c.curves.map((cv) => cv.name)).toEqual(['pgaf', 'pgaf (lr 0.1)', 'topk', 'random', 'adaptive']);
    const topk = c.curves.find((cv) => cv.method === 'topk')!;
    expect(topk.points[0]).toMatchObject({ knob: 'f=0.1', ops: 1000, seeds: 2 });
    expect(topk.points[0].accuracy).toBeCloseTo(0.93, 12);
    expect(c.seeds).toEqual([1, 2]);
  });

  it('summarizes: ops to come within 0.5 points of bp, accuracy at p-GAF K=1 ops', () => {
    const s = Object.fromEntries(summarize(c).map((x) => [x.name, x]));
    expect(s.pgaf.reach.kind).toBe('interpolated');
    if (s.pgaf.reach.kind === 'interpolated') expect(s.pgaf.reach.x).toBeCloseTo(Math.sqrt(2000 * 4000), 6);
    expect(s.adaptive.reach).toMatchObject({ kind: 'at-most', x: 1500 });
    expect(s.random.reach.kind).toBe('not-reached');
    expect(s.topk.atPgafOps?.kind).toBe('interpolated');
    if (s.topk.atPgafOps?.kind === 'interpolated') expect(s.topk.atPgafOps.y).toBeCloseTo(0.95, 12);
    expect(s.random.atPgafOps).toEqual({ kind: 'below-range', nearestX: 3000 });

    const t = summaryTable(c);
    expect(t).toContain('| bp (reference) | 8,000 (97.00%) |');
    expect(t).toContain('| pgaf | 2,828 (interp.) |');
    expect(t).toContain('| topk | 3,364 (interp.) |'); // 0.93 → 0.97 over 1,000 → 4,000: 0.965 at 4000^(7/8)·1000^(1/8)
    expect(t).toContain('| adaptive | ≤ 1,500 (its cheapest point) |');
    expect(t).toContain('| random | not reached (best 95.00% at 7,000) |');
    expect(t).toMatch(/\| topk \|[^\n]*\| 95\.00% \(interp\.\) \|/);
    expect(t).toContain('— (its cheapest point: 3,000)');
    const v = verdicts(c).join('\n');
    expect(v).toContain('topk 95.00% → p-GAF ahead by 1.00 points');
    expect(v).toContain('pgaf (lr 0.1) 95.50% → p-GAF ahead by 0.50 points');
    expect(t).toContain('| pgaf (lr 0.1) | 2,639 (interp.) |');
    expect(v).toContain('Cheapest to come within 0.5 points of bp (backward ops/sample): adaptive ≤ 1,500 < pgaf (lr 0.1) 2,639 < pgaf 2,828 < topk 3,364; never, in the measured range: random.');
    expect(pointsTable(c)).toContain('| topk | f=0.1 | 93.00% (2 seeds) | −4.00 | 1,000 | 12.5% |');
  });

  it('renders the SVG: two log-x panels, every method, the knobs, bp and its 0.5-point line', async () => {
    const svg = await sparsePlot(c);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const s of ['p-GAF-BP (K pairs)', 'p-GAF-BP (K pairs), lr 0.1', 'top-k (meProp', 'random (keep prob. p', 'adaptive (TinyProp', 'K=1', 'f=0.4', '0.2–1', 'bp − 0.5 points', '>bp<']) expect(svg).toContain(s);
    expect(svg.match(/for a log scale/g)?.length).toBe(2);
    expect(svg).toContain('backward multiplies+adds per sample');
    expect(svg).toContain('backward energy per sample');
  });

  it('keeps the axes to the main curves and bp: a variant outside them is clipped and named', async () => {
    const [v] = sparseCases([...rows, { ...row('random', 'p=0.1', 500, 0.5), variant: 'lr 1' }]);
    const svg = await sparsePlot(v);
    expect(svg).toContain('outside the axes: random (lr 1) p=0.1 (see the tables)');
    expect(svg).not.toContain('outside the axes: pgaf');
    expect(await sparsePlot(c)).not.toContain('outside the axes');
  });

  it('prints the README section between its markers', () => {
    const md = sparseSection(rec, 'test/bench/results/sparse-x.json');
    expect(md.startsWith('<!-- sparse:begin -->\n')).toBe(true);
    expect(md.endsWith('\n<!-- sparse:end -->')).toBe(true);
    expect(md).toContain('![toy 4-8-3: accuracy against backward operations](test/bench/results/sparse-toy-1h.svg)');
    expect(md).toContain('Learning rates per weight layer (bottom first): bp, pgaf (lr 0.1), topk, random, adaptive 0.1/0.1; pgaf 0.01/0.1.');
    const scaled = sparseSection({ ...rec, rows: rows.map((r) => (r.algorithm === 'random' ? { ...r, rates: [r.knob === 'p=0.5' ? 0.05 : 0.09, 0.1] } : r)) }, 'f.json');
    expect(scaled).toContain('bp, pgaf (lr 0.1), topk, adaptive 0.1/0.1; pgaf 0.01/0.1; random: p=0.5 0.05/0.1, p=0.9 0.09/0.1.');
    // 4 inputs: tabular, 100 samples → ⌈36,000/100⌉ = 360, at most 300 epochs
    expect(md).toContain("#### toy 4-8-3 (sigmoid, 2 epochs of 100 samples, where the project's default is 300; decay 0.1; test 50; seeds 1, 2)");
    expect(md).toContain('linear in log(operations)');
    expect(replaceSparse('a\n<!-- sparse:begin -->\nold\n<!-- sparse:end -->\nb', rec, 'f.json')).toBe(`a\n${sparseSection(rec, 'f.json')}\nb`);
    expect(() => replaceSparse('no markers', rec, 'f.json')).toThrow(/sparse:begin/);
  });
});

describe('a record from sweeps run side by side (sparse.ts --merge)', () => {
  const part = (commit: string, date: string, rs: SparseRow[], command: string): SparseRecord => ({ date, commit, machine: { cpu: 'CPU X', cores: 2, node: 'v20', platform: 'linux-x64', loadAverage1m: 1.5 }, commands: [command], rows: rs });
  const a = part('aaaaaaaaaaaa', '2026-12-01T10:00:00.000Z', rows.slice(0, 3), 'a');
  const b = part('bbbbbbbbbbbb', '2026-12-01T09:00:00.000Z', [{ ...rows[5], date: '2026-12-01T11:30:00.000Z' }], 'b');
  it('keeps rows and commands in order, the earliest date, the distinct commits, the first machine', () => {
    const m = mergeRecords([{ file: 'a.json', rec: a }, { file: 'b.json', rec: b }, { file: 'c.json', rec: part('aaaaaaaaaaaa', '2026-12-01T12:00:00.000Z', [rows[6]], 'c') }]);
    expect(m.rows).toEqual([...rows.slice(0, 3), { ...rows[5], date: '2026-12-01T11:30:00.000Z' }, rows[6]]);
    expect(m.commands).toEqual(['a', 'b', 'c']);
    expect(m.date).toBe('2026-12-01T09:00:00.000Z');
    expect(m.commit).toBe('aaaaaaaaaaaa, bbbbbbbbbbbb');
    expect(m.machine).toEqual(a.machine);
    expect(whereAndWhen(m)).toBe('Runs ended between 2026-12-01 00:00 and 2026-12-01 11:30 UTC, at commits `aaaaaaaaaa`, `bbbbbbbbbb`, on CPU X, 2 cores, Node v20, linux-x64 (1-min load average 1.50 when the first part started); seconds per run are wall-clock time on that machine, shared with whatever else ran.');
  });
  it('refuses a run found in two files, naming both', () => {
    expect(() => mergeRecords([{ file: 'a.json', rec: a }, { file: 'd.json', rec: part('d', a.date, [rows[1]], 'd') }])).toThrow('--merge: toy-1h|pgaf||K=1|1|2|100 is in both a.json and d.json');
  });
});
