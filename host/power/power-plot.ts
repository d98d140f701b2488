/**
 * SVG plot of a power trace with the training phases shaded (Vega, rendered headless like the
 * calibration plots): power [mW] vs time [ms from the sync pulse], forward intervals light blue,
 * backward + update light orange. Long runs show the first `maxSamples` training samples.
 */
import { renderSvg, type ChartSpec } from '../io/svg-chart.ts';
import { phaseIntervals } from './phase-energy.ts';
import type { MarkerEvent } from './phase-marker.ts';
import type { PowerTrace } from './power-trace.ts';

export async function renderPowerPlot(trace: PowerTrace, markers: readonly MarkerEvent[], maxSamples = 40): Promise<string> {
  const t0 = markers.find((m) => m.phase === 'sync')?.tS ?? trace.samples[0]?.tS ?? 0;
  const intervals = phaseIntervals(markers).filter((iv) => iv.sample < maxSamples);
  const shown = new Set(intervals.map((iv) => iv.sample)).size;
  const total = new Set(phaseIntervals(markers).map((iv) => iv.sample)).size;
  const tEnd = intervals.length ? intervals[intervals.length - 1].endS + 0.02 : (trace.samples[trace.length - 1]?.tS ?? t0);
  const tStart = t0 - 0.1;
  const points = trace.samples.filter((s) => s.tS >= tStart && s.tS <= tEnd).map((s) => ({ ms: (s.tS - t0) * 1e3, mW: s.powerW * 1e3 }));
  const rects = intervals.map((iv) => ({ a: (iv.startS - t0) * 1e3, b: (iv.endS - t0) * 1e3, phase: iv.phase === 'forward' ? 'forward' : 'backward + update' }));
  const spec: ChartSpec = {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width: 640,
    height: 260,
    padding: 8,
    title: { text: `Supply power during training (${shown} of ${total} samples shown)`, fontSize: 12 },
    data: [
      { name: 'points', values: points },
      { name: 'rects', values: rects },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: [(tStart - t0) * 1e3, (tEnd - t0) * 1e3], range: 'width', zero: false },
      { name: 'y', type: 'linear', domain: { data: 'points', field: 'mW' }, range: 'height', zero: true, nice: true },
      { name: 'color', type: 'ordinal', domain: ['forward', 'backward + update'], range: ['#c6dbef', '#fdd0a2'] },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'time from the sync pulse [ms]' },
      { orient: 'left', scale: 'y', title: 'power [mW]' },
    ],
    legends: [{ fill: 'color', title: 'phase', orient: 'right' }],
    marks: [
      {
        type: 'rect',
        from: { data: 'rects' },
        encode: { enter: { x: { scale: 'x', field: 'a' }, x2: { scale: 'x', field: 'b' }, y: { value: 0 }, y2: { signal: 'height' }, fill: { scale: 'color', field: 'phase' }, opacity: { value: 0.8 } } },
      },
      {
        type: 'line',
        from: { data: 'points' },
        encode: { enter: { x: { scale: 'x', field: 'ms' }, y: { scale: 'y', field: 'mW' }, stroke: { value: '#222' }, strokeWidth: { value: 1.2 } } },
      },
      {
        type: 'symbol',
        from: { data: 'points' },
        encode: { enter: { x: { scale: 'x', field: 'ms' }, y: { scale: 'y', field: 'mW' }, size: { value: 10 }, fill: { value: '#222' } } },
      },
    ],
  };
  return renderSvg(spec);
}
