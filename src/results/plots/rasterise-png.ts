/**
 * An SVG to PNG with resvg (@resvg/resvg-js: a prebuilt native module per
 * platform, from the npm registry), at twice the SVG's size so the text is
 * sharp when the image is scaled down in a paper or a slide.
 */
import { Resvg } from '@resvg/resvg-js';
import { PLOT_FONT_FAMILY, plotFontFiles } from './plot-font';

export const PNG_SCALE = 2;

export function rasterisePng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
    // Only the plot font, so a PNG looks the same on every machine.
    font: { loadSystemFonts: false, fontFiles: plotFontFiles(), defaultFontFamily: PLOT_FONT_FAMILY, sansSerifFamily: PLOT_FONT_FAMILY },
  });
  return resvg.render().asPng();
}
