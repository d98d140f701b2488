import { describe, expect, it } from 'vitest';
import { renderSweepPlot } from '../bench/lib/pair-sweep-plot.ts';

describe('pair sweep plot', () => {
  const points = [
    { series: 'a', x: 0, accuracy: 0.93 },
    { series: 'a', x: 0.1, accuracy: 0.95 },
    { series: 'b', x: 0, accuracy: 0.92 },
    { series: 'b', x: 0.1, accuracy: 0.94 },
  ];

  it('is an SVG with its title, both series and a y axis that starts near the data, not at 0', async () => {
    const svg = await renderSweepPlot('title of the sweep', 'gain CV', points);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['title of the sweep', 'gain CV', '>a<', '>b<', '>90%<', '>100%<']) expect(svg).toContain(text);
    expect(svg).not.toContain('>0%<');
  });
});
