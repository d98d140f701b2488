/**
 * SVG line plot of a pair-algorithm sweep (accuracy vs a device parameter, one line per series),
 * rendered headless with Vega as in calibration-plots.ts. x may be logarithmic (e.g. ΔI).
 */
import { renderSvg, type ChartSpec } from '../../../host/io/svg-chart.ts';

export interface SweepPoint {
  series: string;
  x: number;
  accuracy: number;
}

export async function renderSweepPlot(title: string, xTitle: string, points: SweepPoint[], xLog = false): Promise<string> {
  const ys = points.map((p) => p.accuracy);
  const spec: ChartSpec = {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width: 560,
    height: 320,
    padding: 8,
    title: { text: title, fontSize: 12 },
    data: [{ name: 'points', values: points }],
    scales: [
      { name: 'x', type: xLog ? 'log' : 'linear', domain: { data: 'points', field: 'x' }, range: 'width', zero: false, nice: !xLog },
      { name: 'y', type: 'linear', domain: [Math.max(0, Math.floor(Math.min(...ys) * 20) / 20), 1], range: 'height', zero: false },
      { name: 'color', type: 'ordinal', domain: { data: 'points', field: 'series' }, range: 'category' },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: xTitle },
      { orient: 'left', scale: 'y', title: 'validation accuracy', format: '.0%' },
    ],
    legends: [{ stroke: 'color', title: 'series', orient: 'right' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'series', data: 'points', groupby: 'series' } },
        marks: [
          {
            type: 'line',
            from: { data: 'series' },
            encode: { enter: { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'accuracy' }, stroke: { scale: 'color', field: 'series' }, strokeWidth: { value: 1.5 } } },
          },
        ],
      },
      {
        type: 'symbol',
        from: { data: 'points' },
        encode: { enter: { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'accuracy' }, size: { value: 20 }, fill: { scale: 'color', field: 'series' } } },
      },
    ],
  };
  return renderSvg(spec);
}
