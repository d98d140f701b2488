/**
 * SVG plots of a calibration, rendered headless with Vega (`view.toSVG()`), after Fig. 1C/1D of p-GAF-BP:
 *   pHigh: P(high) vs write current, points with 95 % Wilson intervals, fitted σ(k (I − I50)) per device;
 *   pPair: P(1,0) over two consecutive draws vs current, points with Wilson intervals, σ′ = σ(1 − σ) of the fit.
 */
import { renderSvg as render, type ChartSpec } from '../io/svg-chart.ts';
import type { Calibration } from './calibration.ts';
import { sigmoid } from './logistic-fit.ts';
import { wilsonInterval } from './wilson-interval.ts';

interface Row {
  device: string;
  mA: number;
  p: number;
  lo: number;
  hi: number;
}

export async function renderCalibrationPlots(cal: Calibration): Promise<{ pHigh: string; pPair: string }> {
  const pts: Row[] = [];
  const pairPts: Row[] = [];
  const curve: Row[] = [];
  const pairCurve: Row[] = [];
  for (const d of cal.devices) {
    const device = `MTJ ${d.device}`;
    for (const p of d.points) {
      const ci = wilsonInterval(p.high, p.n);
      pts.push({ device, mA: p.currentA * 1e3, p: p.high / p.n, ...ci });
      if (p.pairs > 0) {
        const pci = wilsonInterval(p.pairs10, p.pairs);
        pairPts.push({ device, mA: p.currentA * 1e3, p: p.pairs10 / p.pairs, ...pci });
      }
    }
    const lo = d.i50A - 8 / d.kPerA;
    const hi = d.i50A + 8 / d.kPerA;
    for (let i = 0; i <= 200; i++) {
      const I = lo + ((hi - lo) * i) / 200;
      const s = sigmoid(d.kPerA * (I - d.i50A));
      curve.push({ device, mA: I * 1e3, p: s, lo: s, hi: s });
      pairCurve.push({ device, mA: I * 1e3, p: s * (1 - s), lo: 0, hi: 0 });
    }
  }
  const title = `${cal.boardId}, ${cal.devices.length} device(s), t_p = ${cal.pulseWidthS * 1e9} ns`;
  return {
    pHigh: await render(spec(`P(high) vs write current — ${title}`, 'P(high)', pts, curve, [0, 1])),
    pPair: await render(spec(`P(1,0) over two draws vs current, with σ′ — ${title}`, 'P(1,0)', pairPts, pairCurve, [0, 0.35])),
  };
}

function spec(title: string, yTitle: string, points: Row[], curve: Row[], yDomain: [number, number]): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width: 560,
    height: 320,
    padding: 8,
    title: { text: title, fontSize: 12 },
    data: [
      { name: 'points', values: points },
      { name: 'curve', values: curve },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: { fields: [{ data: 'points', field: 'mA' }, { data: 'curve', field: 'mA' }] }, range: 'width', zero: false, nice: true },
      { name: 'y', type: 'linear', domain: yDomain, range: 'height' },
      { name: 'color', type: 'ordinal', domain: { data: 'points', field: 'device' }, range: 'category' },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'write current I [mA]' },
      { orient: 'left', scale: 'y', title: yTitle },
    ],
    legends: [{ stroke: 'color', title: 'device', orient: 'right' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'series', data: 'curve', groupby: 'device' } },
        marks: [
          {
            type: 'line',
            from: { data: 'series' },
            encode: { enter: { x: { scale: 'x', field: 'mA' }, y: { scale: 'y', field: 'p' }, stroke: { scale: 'color', field: 'device' }, strokeWidth: { value: 1.5 } } },
          },
        ],
      },
      {
        type: 'rule',
        from: { data: 'points' },
        clip: true, // Wilson intervals may reach past the axis range
        encode: { enter: { x: { scale: 'x', field: 'mA' }, y: { scale: 'y', field: 'lo' }, y2: { scale: 'y', field: 'hi' }, stroke: { scale: 'color', field: 'device' }, strokeOpacity: { value: 0.5 } } },
      },
      {
        type: 'symbol',
        from: { data: 'points' },
        encode: { enter: { x: { scale: 'x', field: 'mA' }, y: { scale: 'y', field: 'p' }, size: { value: 14 }, fill: { scale: 'color', field: 'device' } } },
      },
    ],
  };
}
