/**
 * SVG charts of a run for the report (Vega, rendered headless): accuracy per epoch, the learning curve,
 * kept-gradient fraction per epoch, and grouped bars per phase (operations, estimated energy) for bp vs
 * pgaf after the p-GAF-BP paper's Fig. 2C/2D.
 */
import { renderSvg } from '../io/svg-chart.ts';
import { percentAxis } from './percent-axis.ts';

export { renderSvg };

export interface SeriesPoint {
  x: number;
  y: number;
  series: string;
}

/** The frame every report chart shares: Vega v5, 460 × 240, a title, and its values as data set 'v'. */
function chartFrame(title: string, values: unknown[]) {
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width: 460,
    height: 240,
    padding: 8,
    title: { text: title, fontSize: 12 },
    data: [{ name: 'v', values }],
  };
}

/** Options of a line chart. */
export interface LineChartOptions {
  /** y in [0, 1] shown as % (default) on a percentAxis; false: a linear axis from 0 with SI labels. */
  percent?: boolean;
  /** Series drawn dashed (reference series such as a baseline); the legend draws them dashed too. */
  dashed?: readonly string[];
  /** d3 format of the y labels on a linear axis (default '~s', SI prefixes). */
  format?: string;
}

/** Dash pattern [px on, px off] of a dashed series; [1, 0] is solid. */
const DASH = [6, 3];

/**
 * Lines (with points) of several series. Percent: the y ticks come from percentAxis (distinct labels);
 * the legend shows each series as a short line, dashed as drawn.
 */
export function lineChart(title: string, xTitle: string, yTitle: string, values: SeriesPoint[], options: LineChartOptions = {}): Promise<string> {
  const percent = options.percent ?? true;
  const dashedList = JSON.stringify([...(options.dashed ?? [])]);
  const dash = (field: string) => ({ signal: `indexof(${dashedList}, ${field}) >= 0 ? ${JSON.stringify(DASH)} : [1, 0]` });
  const axis = percent ? percentAxis(values.map((v) => v.y)) : undefined;
  return renderSvg({
    ...chartFrame(title, values),
    scales: [
      { name: 'x', type: 'linear', domain: { data: 'v', field: 'x' }, range: 'width', zero: false, nice: true },
      axis
        ? { name: 'y', type: 'linear', domain: axis.domain, range: 'height', zero: false, nice: false }
        : { name: 'y', type: 'linear', domain: { data: 'v', field: 'y' }, range: 'height', zero: true, nice: true },
      { name: 'color', type: 'ordinal', domain: { data: 'v', field: 'series' }, range: 'category' },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: xTitle, tickMinStep: 1 },
      axis ? { orient: 'left', scale: 'y', title: yTitle, values: axis.values, format: axis.format } : { orient: 'left', scale: 'y', title: yTitle, format: options.format ?? '~s' },
    ],
    legends: [
      {
        stroke: 'color',
        title: '',
        orient: 'bottom',
        direction: 'horizontal',
        symbolType: 'stroke',
        symbolStrokeWidth: 2,
        labelLimit: 320,
        encode: { symbols: { update: { strokeDash: dash('datum.value') } } },
      },
    ],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 's', data: 'v', groupby: 'series' } },
        marks: [
          {
            type: 'line',
            from: { data: 's' },
            encode: { enter: { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'y' }, stroke: { scale: 'color', field: 'series' }, strokeWidth: { value: 1.8 }, strokeDash: dash('datum.series') } },
          },
          // Points on the solid series only: a dashed series is a reference line.
          { type: 'symbol', from: { data: 's' }, encode: { enter: { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'y' }, fill: { scale: 'color', field: 'series' }, size: { value: 20 }, opacity: { signal: `indexof(${dashedList}, datum.series) >= 0 ? 0 : 1` } } } },
        ],
      },
    ],
  });
}

export interface BarValue {
  group: string;
  series: string;
  value: number;
}

/** Grouped bars: one group per phase, one bar per series (algorithm or source), log or linear y. */
export function groupedBars(title: string, yTitle: string, values: BarValue[], log = false): Promise<string> {
  // Log scale: zero has no place on the axis; such bars are left out (the tables beside give the 0).
  const v = log ? values.filter((r) => r.value > 0) : values;
  return renderSvg({
    ...chartFrame(title, v),
    scales: [
      { name: 'x', type: 'band', domain: { data: 'v', field: 'group' }, range: 'width', padding: 0.2 },
      log
        ? { name: 'y', type: 'log', domain: { data: 'v', field: 'value' }, range: 'height', nice: true }
        : { name: 'y', type: 'linear', domain: { data: 'v', field: 'value' }, range: 'height', nice: true, zero: true },
      { name: 'color', type: 'ordinal', domain: { data: 'v', field: 'series' }, range: ['#4c78a8', '#f58518', '#54a24b', '#e45756'] },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'phase' },
      { orient: 'left', scale: 'y', title: yTitle, format: '~s' },
    ],
    legends: [{ fill: 'color', title: '', orient: 'bottom', direction: 'horizontal' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'g', data: 'v', groupby: 'group' } },
        encode: { enter: { x: { scale: 'x', field: 'group' } } },
        signals: [{ name: 'bw', update: "bandwidth('x')" }],
        scales: [{ name: 'inner', type: 'band', range: { signal: '[0, bw]' }, domain: { data: 'g', field: 'series' }, padding: 0.05 }],
        marks: [
          {
            type: 'rect',
            from: { data: 'g' },
            encode: {
              enter: {
                x: { scale: 'inner', field: 'series' },
                width: { scale: 'inner', band: 1 },
                y: { scale: 'y', field: 'value' },
                y2: log ? { signal: 'height' } : { scale: 'y', value: 0 },
                fill: { scale: 'color', field: 'series' },
              },
            },
          },
        ],
      },
    ],
  });
}
