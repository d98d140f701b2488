/**
 * The SVG of one case of the sparse-backprop sweep (issue 18; test/bench/sparse.ts), rendered headless with
 * Vega as the other benchmark plots (pair-sweep-plot.ts, host/report/report-plots.ts): two panels side by side,
 * test accuracy against backward multiplies+adds per sample (left) and against backward energy per sample
 * (right), both x on a log scale; one line per method through its knob points (each point labelled with its
 * knob), bp as a black diamond with a dashed line at its accuracy and a dotted one 0.5 points below.
 */
import { renderSvg, type ChartSpec } from '../../../host/io/svg-chart.ts';
import { percentAxis } from '../../../host/report/percent-axis.ts';
import { layoutName, METHOD_LABEL, type Curve, type SparseCase } from './sparse-curves.ts';

const W = 420;
const H = 340;
const GAP = 70;
/** Method colours (Vega's category10, fixed per method so every plot agrees); a variant's curve: its method's pair. */
const COLOURS: Record<string, string> = { pgaf: '#d62728', topk: '#1f77b4', random: '#2ca02c', adaptive: '#9467bd' };
const VARIANT_COLOURS: Record<string, string> = { pgaf: '#ff7f0e', topk: '#17becf', random: '#bcbd22', adaptive: '#e377c2' };

export interface PlotValue {
  method: string;
  /** The legend's text: METHOD_LABEL, and the variant. */
  label: string;
  /** The tables' name: the method, and the variant in parentheses. */
  name: string;
  colour: string;
  /** A variant's curve: drawn dashed, and left out of the y range (clipped below it). */
  variant: boolean;
  knob: string;
  ops: number;
  energy: number;
  accuracy: number;
}

const curveLabel = (cv: Curve): string => (cv.variant ? `${METHOD_LABEL[cv.method]}, ${cv.variant}` : METHOD_LABEL[cv.method]);

/** The plotted values of a case (curve points only; bp separately). */
export function plotValues(c: SparseCase): PlotValue[] {
  return c.curves.flatMap((cv) => cv.points.map((p) => ({ method: cv.method, label: curveLabel(cv), name: cv.name, colour: (cv.variant ? VARIANT_COLOURS : COLOURS)[cv.method] ?? '#888', variant: cv.variant !== undefined, knob: p.knob, ops: p.ops, energy: p.energyPj / 1000, accuracy: p.accuracy })));
}

function panel(field: 'ops' | 'energy', xTitle: string, x0: number, yDomain: [number, number], yTicks: number[], yFormat: string, bp: { ops: number; energy: number; accuracy: number } | undefined, margin: number, values: PlotValue[]) {
  // x: the main curves and bp; a variant's points outside x or y are clipped, and named under the panel
  const xsOf = [...values.filter((v) => !v.variant).map((v) => v[field]), ...(bp ? [bp[field]] : [])];
  const [lo, hi] = [Math.min(...xsOf), Math.max(...xsOf)];
  const below = [...new Set(values.filter((v) => v.accuracy < yDomain[0] || v[field] < lo || v[field] > hi).map((v) => `${v.name} ${v.knob}`))];
  const xs = `x_${field}`;
  const enc = (e: Record<string, unknown>) => ({ enter: e });
  const at = { x: { scale: xs, field }, y: { scale: 'y', field: 'accuracy' } };
  // the data marks sit in a clipped group of the panel's size (a variant's points below the y range are cut
  // off there); the axes, bp's label and the note stay outside it
  const data = {
    type: 'group',
    encode: enc({ x: { value: 0 }, y: { value: 0 }, width: { value: W }, height: { value: H }, clip: { value: true } }),
    marks: [
      ...(bp
        ? [
            { type: 'rule', encode: enc({ x: { value: 0 }, x2: { value: W }, y: { scale: 'y', value: bp.accuracy }, stroke: { value: '#000' }, strokeDash: { value: [6, 3] }, strokeWidth: { value: 1 } }) },
            { type: 'rule', encode: enc({ x: { value: 0 }, x2: { value: W }, y: { scale: 'y', value: bp.accuracy - margin }, stroke: { value: '#777' }, strokeDash: { value: [2, 3] }, strokeWidth: { value: 1 } }) },
          ]
        : []),
      {
        type: 'group',
        from: { facet: { name: `series_${field}`, data: 'points', groupby: 'label' } },
        marks: [
          {
            type: 'line',
            from: { data: `series_${field}` },
            sort: { field: `datum.${field}` },
            encode: enc({ ...at, stroke: { scale: 'color', field: 'label' }, strokeWidth: { value: 1.8 }, strokeDash: { signal: 'datum.variant ? [5, 3] : [1, 0]' } }),
          },
        ],
      },
      { type: 'symbol', from: { data: 'points' }, encode: enc({ ...at, size: { value: 28 }, fill: { scale: 'color', field: 'label' } }) },
      { type: 'text', from: { data: 'points' }, encode: enc({ ...at, dx: { value: 4 }, dy: { value: 10 }, text: { field: 'knob' }, fontSize: { value: 8 }, fill: { scale: 'color', field: 'label' } }) },
    ],
  };
  return {
    type: 'group',
    encode: enc({ x: { value: x0 }, y: { value: 0 }, width: { value: W }, height: { value: H } }),
    scales: [
      { name: xs, type: 'log', domain: { fields: [{ data: 'main', field }, { data: 'bp', field }] }, range: [0, W], nice: false, zero: false, padding: 12 },
      { name: 'y', type: 'linear', domain: yDomain, range: [H, 0], zero: false, nice: false },
    ],
    axes: [
      { orient: 'bottom', scale: xs, title: xTitle, format: '~s', grid: true, gridOpacity: 0.25, labelOverlap: 'greedy' },
      { orient: 'left', scale: 'y', title: 'test accuracy (last epoch)', values: yTicks, format: yFormat, grid: true, gridOpacity: 0.25 },
    ],
    marks: [
      data,
      ...(bp
        ? [
            { type: 'text', encode: enc({ x: { value: 4 }, y: { scale: 'y', value: bp.accuracy - margin }, dy: { value: 10 }, text: { value: `bp − ${(margin * 100).toFixed(1)} points` }, fontSize: { value: 9 }, fill: { value: '#555' } }) },
            { type: 'symbol', from: { data: 'bp' }, encode: enc({ ...at, shape: { value: 'diamond' }, size: { value: 90 }, fill: { value: '#000' } }) },
            { type: 'text', from: { data: 'bp' }, encode: enc({ ...at, dx: { value: -6 }, dy: { value: -8 }, align: { value: 'right' }, text: { value: 'bp' }, fontSize: { value: 10 }, fontWeight: { value: 'bold' } }) },
          ]
        : []),
      ...(below.length ? [{ type: 'text', encode: enc({ x: { value: 0 }, y: { value: H + 46 }, text: { value: `outside the axes: ${below.join('; ')} (see the tables)` }, fontSize: { value: 8 }, fill: { value: '#555' } }) }] : []),
    ],
  };
}

/** The SVG of a case (see the module comment); margin: the "within" band under bp (0.005 = 0.5 points). */
export function sparsePlot(c: SparseCase, margin = 0.005): Promise<string> {
  const values = plotValues(c);
  const bp = c.bp ? { ops: c.bp.ops, energy: c.bp.energyPj / 1000, accuracy: c.bp.accuracy } : undefined;
  // the y range: the main curves and bp; a variant's points outside it are clipped (named under the panel)
  const axis = percentAxis([...values.filter((v) => !v.variant).map((v) => v.accuracy), ...(bp ? [bp.accuracy, bp.accuracy - margin] : [])], 8);
  const labels = [...new Set(values.map((v) => v.label))];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width: 2 * W + GAP,
    height: H,
    padding: 8,
    autosize: 'pad',
    title: { text: `${c.data} ${layoutName(c.layout)} (${c.activation}; ${c.epochs} epoch${c.epochs > 1 ? 's' : ''} × ${c.trainSamples.toLocaleString('en-US')} samples; seed${c.seeds.length > 1 ? 's' : ''} ${c.seeds.join(', ')}): accuracy against backward cost per sample`, fontSize: 12 },
    data: [
      { name: 'points', values },
      { name: 'main', source: 'points', transform: [{ type: 'filter', expr: '!datum.variant' }] },
      { name: 'bp', values: bp ? [bp] : [] },
    ],
    scales: [{ name: 'color', type: 'ordinal', domain: labels, range: labels.map((l) => values.find((v) => v.label === l)!.colour) }],
    legends: [{ stroke: 'color', fill: 'color', title: '', orient: 'bottom', direction: 'horizontal', symbolType: 'circle', labelLimit: 420, columns: 2, columnPadding: 24 }],
    marks: [
      panel('ops', 'backward multiplies+adds per sample (log)', 0, axis.domain, axis.values, axis.format, bp, margin, values),
      panel('energy', 'backward energy per sample, nJ (log; MTJ draws included)', W + GAP, axis.domain, axis.values, axis.format, bp, margin, values),
    ],
  };
  return renderSvg(spec as unknown as ChartSpec);
}
