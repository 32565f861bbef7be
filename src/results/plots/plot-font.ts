/**
 * The one font plots are drawn with. The SVG names it (browsers show their own
 * copy or a sans-serif), and the PNG rasteriser is given its files explicitly:
 * resvg draws no text at all when it finds no font, so a missing font is an
 * error here rather than a PNG with blank axes. Debian's fonts-dejavu-core
 * ships it (infra/setup.sh installs it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PLOT_FONT_FAMILY = 'DejaVu Sans';

/** Where Debian (and most distributions) put DejaVu Sans. */
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** The font's files (regular, and bold when present); throws naming the package when there are none. */
export function plotFontFiles(): string[] {
  for (const dir of FONT_DIRS) {
    const files = FONT_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
    if (files.length > 0) return files;
  }
  throw new Error(
    `no ${PLOT_FONT_FAMILY} font for the PNG's text (looked in ${FONT_DIRS.join(', ')}): install Debian's fonts-dejavu-core (bash infra/setup.sh does)`,
  );
}
