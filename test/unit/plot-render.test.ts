/** The plot renderer's font: text reaches the PNG (resvg silently draws none without a font). */
import { describe, expect, it } from 'vitest';
import { PLOT_FONT_FAMILY, plotFontFiles } from '../../src/results/plots/plot-font';
import { rasterisePng } from '../../src/results/plots/rasterise-png';
import { renderSvg } from '../../src/results/plots/render-svg';
import { decodePng } from '../support/png';

/** Pixels darker than mid-grey: text drawn in black on white. */
function darkPixels(png: Buffer): number {
  const image = decodePng(png);
  let dark = 0;
  for (let i = 0; i < image.pixels.length; i += image.channels) {
    if (image.pixels[i]! + image.pixels[i + 1]! + image.pixels[i + 2]! < 3 * 128) dark++;
  }
  return dark;
}

describe('plot rendering', () => {
  it('finds the plot font on this machine', () => {
    expect(plotFontFiles().length).toBeGreaterThan(0);
  });

  it('draws SVG text into the PNG with the plot font, under any family name Vega writes', () => {
    for (const family of [PLOT_FONT_FAMILY, 'sans-serif', 'Helvetica, Arial']) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="28" font-family="${family}" font-size="20">Hg ± ε</text></svg>`;
      expect(darkPixels(rasterisePng(svg)), family).toBeGreaterThan(100);
    }
  });

  it('renders a chart whose only marks are text (axis labels, title) visibly', async () => {
    const svg = await renderSvg({
      title: 'a title',
      data: { values: [{ x: 1, y: 2 }] },
      mark: { type: 'point', opacity: 0 },
      encoding: { x: { field: 'x', type: 'quantitative', title: 'x axis' }, y: { field: 'y', type: 'quantitative', title: 'y axis' } },
    });
    expect(svg).toContain(`font-family="${PLOT_FONT_FAMILY}, sans-serif"`);
    expect(darkPixels(rasterisePng(svg))).toBeGreaterThan(500);
  });
});
