/**
 * SVG plots of a calibration, rendered headless with Vega (`view.toSVG()`), after Fig. 1C/1D of p-GAF-BP,
 * as small multiples: one panel per device (at most MAX_PANELS), all panels on the same axes.
 *   pHigh: P(high) vs write current: measured p̂ = high/n with 95 % Wilson intervals, and the fitted σ(k (I − I50));
 *   pPair: P(1,0) over two consecutive draws vs current: measured pairs10/pairs with Wilson intervals, and
 *          σ′ = σ(1 − σ) of the fit.
 * Rules (issue 13):
 *   x      the window where P changes (calibration-window.ts), not the whole sweep; points outside it
 *          (all draws alike) are left out and counted in the subtitle;
 *   bars   a Wilson interval only where the draws disagree (0 < k < n): with no samples there is nothing to
 *          bound, and at k = 0 or k = n a bar is a one-sided bound that, repeated along the flat tails,
 *          drew rows of lines up to 0.32 (0 of 8 pairs); bars are clipped to the y domain (⊂ [0, 1]);
 *   y      P(high) on [0, 1]; P(1,0) on [0, max(0.3, every shown point)] rounded up to 0.05, so no point
 *          falls outside the frame;
 *   legend measured points (dots, bars) and the fit (line) in two colours, the same in every panel.
 */
import { renderSvg as render, type ChartSpec } from '../io/svg-chart.ts';
import type { Calibration, DeviceCalibration } from '../device/calibration.ts';
import { transitionWindow, type CurrentWindow } from '../device/calibration-window.ts';
import { sigmoid } from '../device/logistic-fit.ts';
import { wilsonInterval } from '../device/wilson-interval.ts';

/** Panels drawn at most; a larger calibration shows its first MAX_PANELS devices (the JSON holds all). */
export const MAX_PANELS = 16;
/** Panels per row, panel size [px]. */
const COLUMNS = 4;
const PANEL_W = 150;
const PANEL_H = 100;
/** Curve samples per panel. */
const CURVE_STEPS = 120;

const MEASURED = 'measured (bar: 95 % Wilson interval)';
const COLOURS = { measured: '#1f4e79', fit: '#e4572e' } as const;

/** One plotted point or curve sample: device, current [mA], probability, and the interval when drawn. */
export interface PlotRow {
  dev: number;
  mA: number;
  p: number;
  /** Wilson interval, clipped to the y domain; absent: no bar. */
  lo?: number;
  hi?: number;
}

export interface CalibrationPanelData {
  /** Devices with a panel, in panel order. */
  devices: number[];
  /** Of how many devices in the calibration. */
  deviceCount: number;
  /** x window [mA]. */
  xDomainMA: [number, number];
  points: PlotRow[];
  curve: PlotRow[];
  yDomain: [number, number];
  /** Measured points outside the x window (not drawn). */
  hidden: number;
}

export interface CalibrationPlotData {
  pHigh: CalibrationPanelData;
  pPair: CalibrationPanelData;
}

/** A Wilson bar for k of n, or none where the draws agree or there are none (see the rules above). */
function bar(k: number, n: number, yMax: number): { lo?: number; hi?: number } {
  if (!(n > 0 && k > 0 && k < n)) return {};
  const ci = wilsonInterval(k, n);
  return { lo: Math.max(0, ci.lo), hi: Math.min(yMax, ci.hi) };
}

/** The data of both plots: panels, window, points with their bars, fitted curves, y domains. */
export function calibrationPlotData(cal: Calibration): CalibrationPlotData {
  const shown = cal.devices.slice(0, MAX_PANELS);
  const w: CurrentWindow = transitionWindow(shown);
  const inWindow = (a: number): boolean => a >= w.loA && a <= w.hiA;
  const xDomainMA: [number, number] = [w.loA * 1e3, w.hiA * 1e3];
  const high: PlotRow[] = [];
  const pairCounts: { row: PlotRow; k: number; n: number }[] = [];
  const curve: PlotRow[] = [];
  const pairCurve: PlotRow[] = [];
  let hiddenHigh = 0;
  let hiddenPair = 0;
  for (const d of shown) {
    for (const q of d.points) {
      const inside = inWindow(q.currentA);
      if (!inside) hiddenHigh++;
      else high.push({ dev: d.device, mA: q.currentA * 1e3, p: q.high / q.n, ...bar(q.high, q.n, 1) });
      if (q.pairs > 0) {
        if (!inside) hiddenPair++;
        else pairCounts.push({ row: { dev: d.device, mA: q.currentA * 1e3, p: q.pairs10 / q.pairs }, k: q.pairs10, n: q.pairs });
      }
    }
    for (const r of fitCurve(d, w)) {
      curve.push({ dev: d.device, mA: r.mA, p: r.s });
      pairCurve.push({ dev: d.device, mA: r.mA, p: r.s * (1 - r.s) });
    }
  }
  // P(1,0): every shown point inside the frame (σ′ ≤ 1/4 needs 0.3 at least), in steps of 0.05; bars clipped to it.
  const pairMax = Number(Math.min(1, Math.ceil(Math.max(0.3, ...pairCounts.map((c) => c.row.p)) / 0.05 - 1e-9) * 0.05).toFixed(2));
  const pair = pairCounts.map((c) => ({ ...c.row, ...bar(c.k, c.n, pairMax) }));
  const devices = shown.map((d) => d.device);
  return {
    pHigh: { devices, deviceCount: cal.devices.length, xDomainMA, points: high, curve, yDomain: [0, 1], hidden: hiddenHigh },
    pPair: { devices, deviceCount: cal.devices.length, xDomainMA, points: pair, curve: pairCurve, yDomain: [0, pairMax], hidden: hiddenPair },
  };
}

/** σ(k (I − I50)) sampled across the window: current [mA] and σ. */
function fitCurve(d: DeviceCalibration, w: CurrentWindow): { mA: number; s: number }[] {
  return Array.from({ length: CURVE_STEPS + 1 }, (_, j) => {
    const I = w.loA + ((w.hiA - w.loA) * j) / CURVE_STEPS;
    return { mA: I * 1e3, s: sigmoid(d.kPerA * (I - d.i50A)) };
  });
}

export async function renderCalibrationPlots(cal: Calibration): Promise<{ pHigh: string; pPair: string }> {
  const data = calibrationPlotData(cal);
  const about = `${cal.boardId}, t_p = ${cal.pulseWidthS * 1e9} ns`;
  return {
    pHigh: await render(spec(`P(high) vs write current — ${about}`, 'P(high)', 'fitted σ(k (I − I50))', data.pHigh)),
    pPair: await render(spec(`P(1,0) over two draws vs write current — ${about}`, 'P(1,0)', 'σ′ = σ(1 − σ) of the fit', data.pPair)),
  };
}

/** Lines under the title (short: Vega sizes the SVG to an estimate of the longest line's width). */
function subtitle(d: CalibrationPanelData): string[] {
  const n = d.devices.length;
  const which = n < d.deviceCount ? `devices ${d.devices[0]}–${d.devices[n - 1]} of ${d.deviceCount} shown` : `${n} device${n === 1 ? '' : 's'}`;
  return [
    `${which}, one panel each`,
    'x: where P changes (fitted 1–99 % of every device, ± 10 %)',
    'bars only where the draws disagree (0 < k < n)',
    ...(d.hidden ? [`not drawn: ${d.hidden} points outside x (every draw alike)`] : []),
  ];
}

function spec(title: string, yTitle: string, fitLabel: string, d: CalibrationPanelData): ChartSpec {
  const n = d.devices.length;
  const columns = Math.min(COLUMNS, n);
  const yTicks = d.yDomain[1] === 1 ? [0, 0.5, 1] : Array.from({ length: Math.round(d.yDomain[1] / 0.1) + 1 }, (_, i) => Number((i * 0.1).toFixed(1))).filter((v) => v <= d.yDomain[1]);
  const panels = d.devices.map((dev, i) => ({
    type: 'group' as const,
    name: `panel-${dev}`,
    title: { text: `MTJ ${dev}`, fontSize: 10, offset: 2 },
    encode: { update: { width: { value: PANEL_W }, height: { value: PANEL_H }, stroke: { value: '#ccc' } } },
    data: [
      { name: `p${dev}`, source: 'points', transform: [{ type: 'filter' as const, expr: `datum.dev === ${dev}` }] },
      { name: `b${dev}`, source: 'points', transform: [{ type: 'filter' as const, expr: `datum.dev === ${dev} && isValid(datum.lo)` }] },
      { name: `c${dev}`, source: 'curve', transform: [{ type: 'filter' as const, expr: `datum.dev === ${dev}` }] },
    ],
    axes: [
      { orient: 'bottom' as const, scale: 'x', tickCount: 4, labelFontSize: 9, labelOverlap: true, title: i + columns >= n ? 'write current I [mA]' : undefined, titleFontSize: 10 },
      { orient: 'left' as const, scale: 'y', values: yTicks, labelFontSize: 9, grid: true, gridOpacity: 0.25, title: i % columns === 0 ? yTitle : undefined, titleFontSize: 10 },
    ],
    marks: [
      {
        type: 'rule' as const,
        name: 'wilson-bars',
        from: { data: `b${dev}` },
        clip: true,
        encode: { enter: { x: { scale: 'x', field: 'mA' }, y: { scale: 'y', field: 'lo' }, y2: { scale: 'y', field: 'hi' }, stroke: { value: COLOURS.measured }, strokeOpacity: { value: 0.45 } } },
      },
      {
        type: 'line' as const,
        name: 'fit',
        from: { data: `c${dev}` },
        clip: true,
        encode: { enter: { x: { scale: 'x', field: 'mA' }, y: { scale: 'y', field: 'p' }, stroke: { value: COLOURS.fit }, strokeWidth: { value: 1.5 } } },
      },
      {
        type: 'symbol' as const,
        name: 'measured',
        from: { data: `p${dev}` },
        encode: { enter: { x: { scale: 'x', field: 'mA' }, y: { scale: 'y', field: 'p' }, size: { value: 10 }, fill: { value: COLOURS.measured } } },
      },
    ],
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    padding: 8,
    title: { text: title, subtitle: subtitle(d), fontSize: 12, subtitleFontSize: 10, anchor: 'start', offset: 8 },
    layout: { columns, padding: { row: 14, column: 10 }, bounds: 'full', align: 'all' },
    data: [
      { name: 'points', values: d.points },
      { name: 'curve', values: d.curve },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: d.xDomainMA, range: [0, PANEL_W], zero: false, nice: false },
      { name: 'y', type: 'linear', domain: d.yDomain, range: [PANEL_H, 0], zero: false, nice: false },
      { name: 'kind', type: 'ordinal', domain: [MEASURED, fitLabel], range: [COLOURS.measured, COLOURS.fit] },
      { name: 'kindShape', type: 'ordinal', domain: [MEASURED, fitLabel], range: ['circle', 'stroke'] },
    ],
    legends: [{ fill: 'kind', stroke: 'kind', shape: 'kindShape', orient: 'top', direction: 'horizontal', labelLimit: 400, symbolSize: 40, symbolStrokeWidth: 2 }],
    marks: panels,
  };
}
