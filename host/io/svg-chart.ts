/**
 * A Vega specification rendered headless to SVG text. Vega (~0.3 s to load) is imported on the first
 * chart, so commands that draw none (train without --report, --help) never load it.
 */
import type { Spec } from 'vega';

export type { Spec as ChartSpec } from 'vega';

export async function renderSvg(spec: Spec): Promise<string> {
  const vega = await import('vega');
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
