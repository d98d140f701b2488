/**
 * The calibration plots after issue 13 (host/report/calibration-plots.ts, calibration-window.ts): the x
 * axis zoomed to where P(I) changes, no Wilson bars where the draws agree (k = 0 or k = n, the "row of
 * lines up to 0.32"), every P(1,0) point inside the frame, one panel per device, and a legend telling the
 * measured points from the fitted curve. Asserts on the plot data and on the rendered SVG.
 */
import { describe, expect, it } from 'vitest';
import { CALIBRATION_SCHEMA, CALIBRATION_SCHEMA_VERSION, fitQuality, type Calibration, type CalibrationPoint, type DeviceCalibration } from '../../host/device/calibration.ts';
import { calibrationPlotData, MAX_PANELS, renderCalibrationPlots } from '../../host/report/calibration-plots.ts';
import { transitionWindow } from '../../host/device/calibration-window.ts';
import { sigmoid } from '../../host/device/logistic-fit.ts';

/** Expected counts of a two-stage sweep as calibrate() makes it: coarse 0–2 mA (16 draws), fine I50 ± ln 49/k (200 draws). */
function sweptDevice(device: number, i50A: number, kPerA: number): DeviceCalibration {
  const point = (currentA: number, n: number): CalibrationPoint => {
    const s = sigmoid(kPerA * (currentA - i50A));
    const pairs = n / 2;
    return { currentA, n, high: Math.round(s * n), pairs, pairs10: Math.round(pairs * s * (1 - s)) };
  };
  const coarse = Array.from({ length: 33 }, (_, i) => point((2e-3 * i) / 32, 16));
  const half = Math.log(49) / kPerA;
  const fine = Array.from({ length: 21 }, (_, i) => point(i50A - half + (2 * half * i) / 20, 200));
  const points = [...coarse, ...fine].sort((a, b) => a.currentA - b.currentA);
  return { device, i50A, kPerA, ...fitQuality(points, i50A, kPerA), points };
}

function calibration(devices: DeviceCalibration[]): Calibration {
  return { schema: CALIBRATION_SCHEMA, schemaVersion: CALIBRATION_SCHEMA_VERSION, boardId: 'sim', createdAt: '2026-01-01T00:00:00.000Z', pulseWidthS: 1e-8, seed: 1, devices };
}

/** 16 devices, I50 0.88–1.0 mA, k ≈ 60–90 /mA, as the simulated array. */
const sixteen = calibration(Array.from({ length: 16 }, (_, d) => sweptDevice(d, 0.88e-3 + d * 8e-6, 6e4 + (d % 4) * 1e4)));

/** The children of every `<g class="mark-… role-mark NAME">` group of the SVG. */
function markGroups(svg: string, name: string): string[] {
  return [...svg.matchAll(new RegExp(`<g class="mark-[a-z]+ role-mark ${name}"[^>]*>(.*?)</g>`, 'g'))].map((m) => m[1]);
}

/** The translate(x,y) of each element in a mark group's children. */
function positions(children: string): { x: number; y: number; y2: number }[] {
  return [...children.matchAll(/transform="translate\(([-\d.e]+),([-\d.e]+)\)"(?: x2="[-\d.e]+" y2="([-\d.e]+)")?/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), y2: Number(m[3] ?? 0) }));
}

describe('x window where P(I) changes (item 5a)', () => {
  it('spans every device’s fitted 1–99 % and the disagreeing points, with a margin, inside the sweep', () => {
    const w = transitionWindow(sixteen.devices);
    for (const d of sixteen.devices) {
      expect(w.loA).toBeLessThanOrEqual(d.i50A - Math.log(99) / d.kPerA);
      expect(w.hiA).toBeGreaterThanOrEqual(d.i50A + Math.log(99) / d.kPerA);
      for (const q of d.points) if (q.high > 0 && q.high < q.n) expect(q.currentA >= w.loA && q.currentA <= w.hiA).toBe(true);
    }
    expect(w.loA).toBeGreaterThan(0.7e-3);
    expect(w.hiA).toBeLessThan(1.2e-3);
  });

  it('is what both plots use: not the 0–2 mA sweep, and the points outside are counted, not drawn', async () => {
    const data = calibrationPlotData(sixteen);
    const [lo, hi] = data.pHigh.xDomainMA;
    expect(hi - lo).toBeLessThan(0.4);
    expect(data.pPair.xDomainMA).toEqual(data.pHigh.xDomainMA);
    expect(data.pHigh.points.every((r) => r.mA >= lo && r.mA <= hi)).toBe(true);
    const outside = sixteen.devices.flatMap((d) => d.points).filter((q) => q.currentA * 1e3 < lo || q.currentA * 1e3 > hi);
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.every((q) => q.high === 0 || q.high === q.n)).toBe(true); // nothing of the transition is hidden
    expect(data.pHigh.hidden).toBe(outside.length);
    const svg = (await renderCalibrationPlots(sixteen)).pHigh;
    expect(svg).toContain(`not drawn: ${outside.length} points outside x (every draw alike)`);
    // The x axis labels lie in the window (mA), none at 0 or 2.
    const xLabels = [...svg.matchAll(/aria-label="X-axis[^"]*"/g)].map((m) => m[0]);
    expect(xLabels[0]).toMatch(/values from 0\.[7-9]\d* to 1\.[01]/);
  });

  it('falls back to the fitted window when the transitions lie outside the sweep', () => {
    const d = sweptDevice(0, 0.9e-3, 7e4);
    const far = { ...d, i50A: 5e-3, points: d.points.map((q) => ({ ...q, high: 0, pairs10: 0 })) };
    const w = transitionWindow([far]);
    expect(w.loA).toBeLessThan(5e-3);
    expect(w.hiA).toBeGreaterThan(5e-3);
  });
});

describe('Wilson bars (item 5b)', () => {
  it('only where the draws disagree (0 < k < n); clipped to [0, 1] and to the y domain', () => {
    const data = calibrationPlotData(sixteen);
    const all = sixteen.devices.flatMap((d) => d.points.map((q) => ({ d: d.device, q })));
    const byKey = new Map(all.map(({ d, q }) => [`${d}:${q.currentA * 1e3}`, q]));
    for (const r of data.pHigh.points) {
      const q = byKey.get(`${r.dev}:${r.mA}`)!;
      expect(r.lo !== undefined, `P(high) ${q.high}/${q.n}`).toBe(q.high > 0 && q.high < q.n);
      if (r.lo !== undefined) expect(0 <= r.lo && r.lo <= r.p && r.p <= r.hi! && r.hi! <= 1).toBe(true);
    }
    for (const r of data.pPair.points) {
      const q = byKey.get(`${r.dev}:${r.mA}`)!;
      expect(r.lo !== undefined, `P(1,0) ${q.pairs10}/${q.pairs}`).toBe(q.pairs10 > 0 && q.pairs10 < q.pairs);
      if (r.hi !== undefined) expect(r.hi).toBeLessThanOrEqual(data.pPair.yDomain[1]);
    }
    // The row: 0 of 8 pairs (a coarse point) would have drawn [0, 0.32]; now no bar at all.
    expect(data.pPair.points.some((r) => r.p === 0 && r.lo !== undefined)).toBe(false);
  });

  it('the SVG draws exactly those bars, none reaching above the frame', async () => {
    const data = calibrationPlotData(sixteen);
    const svg = await renderCalibrationPlots(sixteen);
    for (const [name, d] of [['pHigh', data.pHigh], ['pPair', data.pPair]] as const) {
      const bars = markGroups(svg[name], 'wilson-bars').flatMap(positions);
      expect(bars.length, name).toBe(d.points.filter((r) => r.lo !== undefined).length);
      for (const b of bars) expect(b.y + b.y2).toBeGreaterThanOrEqual(-1e-6); // the top end inside the panel
    }
  });

  it('a point without samples gets no bar (and no point)', () => {
    const d = sweptDevice(0, 0.9e-3, 7e4);
    d.points.push({ currentA: 0.9013e-3, n: 4, high: 2, pairs: 0, pairs10: 0 });
    const data = calibrationPlotData(calibration([d]));
    expect(data.pHigh.points.filter((r) => Math.abs(r.mA - 0.9013) < 1e-9)).toHaveLength(1);
    expect(data.pPair.points.filter((r) => Math.abs(r.mA - 0.9013) < 1e-9)).toHaveLength(0);
  });
});

describe('P(1,0) y domain (item 5c)', () => {
  it('reaches above the highest point: a 0.45 point is inside the frame', async () => {
    const d = sweptDevice(0, 0.9e-3, 7e4);
    d.points.push({ currentA: 0.9e-3, n: 16, high: 8, pairs: 8, pairs10: 0 }, { currentA: 0.905e-3, n: 40, high: 20, pairs: 20, pairs10: 9 });
    const cal = calibration([d]);
    const data = calibrationPlotData(cal);
    expect(data.pPair.yDomain).toEqual([0, 0.45]);
    expect(Math.max(...data.pPair.points.map((r) => r.p))).toBe(0.45);
    const svg = (await renderCalibrationPlots(cal)).pPair;
    for (const p of markGroups(svg, 'measured').flatMap(positions)) {
      expect(p.y).toBeGreaterThanOrEqual(-1e-6);
      expect(p.y).toBeLessThanOrEqual(100 + 1e-6); // PANEL_H
    }
  });

  it('stays at 0.3 when every point is below it (σ′ ≤ ¼)', () => {
    expect(calibrationPlotData(calibration([sweptDevice(0, 0.9e-3, 7e4)])).pPair.yDomain).toEqual([0, 0.3]);
  });
});

describe('small multiples and legend (item 5d)', () => {
  it('one panel per device, titled with it; one legend telling measured points from the fit', async () => {
    const svg = await renderCalibrationPlots(sixteen);
    for (const s of [svg.pHigh, svg.pPair]) {
      const panels = [...s.matchAll(/class="mark-group role-scope panel-(\d+)"/g)].map((m) => Number(m[1]));
      expect(panels).toEqual(sixteen.devices.map((d) => d.device));
      for (const d of sixteen.devices) expect(s).toContain(`>MTJ ${d.device}</text>`);
      expect(markGroups(s, 'fit')).toHaveLength(16);
      expect(s).toContain('>measured (bar: 95 % Wilson interval)</text>');
    }
    // No label cut short by Vega's width limit.
    expect(svg.pHigh + svg.pPair).not.toContain('…');
    expect(svg.pHigh).toContain('>fitted σ(k (I − I50))</text>');
    expect(svg.pPair).toContain('>σ′ = σ(1 − σ) of the fit</text>');
    // The fit is a line in one colour, the points dots in another, the same in every panel.
    const colours = (s: string, name: string, attr: string) => new Set(markGroups(s, name).flatMap((g) => [...g.matchAll(new RegExp(`${attr}="(#[0-9a-f]+)"`, 'g'))].map((m) => m[1])));
    const fit = colours(svg.pHigh, 'fit', 'stroke');
    const measured = colours(svg.pHigh, 'measured', 'fill');
    expect(fit.size).toBe(1);
    expect(measured.size).toBe(1);
    expect([...fit][0]).not.toBe([...measured][0]);
  });

  it(`a larger array shows its first ${MAX_PANELS} devices and says so`, async () => {
    const cal = calibration(Array.from({ length: 20 }, (_, d) => sweptDevice(d, 0.9e-3 + d * 2e-6, 7e4)));
    const s = (await renderCalibrationPlots(cal)).pHigh;
    expect([...s.matchAll(/class="mark-group role-scope panel-/g)]).toHaveLength(MAX_PANELS);
    expect(s).toContain(`devices 0–${MAX_PANELS - 1} of 20 shown, one panel each`);
  });

  it('a single device is one panel with both axis titles', async () => {
    const s = (await renderCalibrationPlots(calibration([sweptDevice(3, 0.9e-3, 7e4)]))).pHigh;
    expect([...s.matchAll(/class="mark-group role-scope panel-3"/g)]).toHaveLength(1);
    expect(s).toContain('>write current I [mA]</text>');
    expect(s).toContain('>P(high)</text>');
  });
});
