/**
 * A Vega-Lite spec to SVG, in Node: compiled to Vega by vega-lite, run by a
 * headless Vega View (no DOM, no canvas) and serialised by its SVG renderer.
 * Data is inline in the spec, so nothing is loaded from anywhere.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PLOT_FONT_FAMILY } from './plot-font';

/**
 * What every plot shares: the font, a white background (a PNG is not
 * transparent), quiet grid lines. Without a canvas Vega estimates a text's width
 * generously (0.8 em a character), so label limits are wide enough not to cut
 * a legend's "mnist->mnist-rot30 · target-only".
 */
const CONFIG = {
  font: `${PLOT_FONT_FAMILY}, sans-serif`,
  background: 'white',
  padding: 12,
  title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555', offset: 10 },
  axis: { gridColor: '#e6e6e6', labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 420 },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vega = compile(spec, { config: CONFIG }).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
