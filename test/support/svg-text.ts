/** The texts of a Vega SVG by the role Vega gives them: axis titles, legend labels, titles. */
function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** e.g. svgTexts(svg, 'axis-title'), svgTexts(svg, 'legend-label'), svgTexts(svg, 'title-text'). */
export function svgTexts(svg: string, role: string): string[] {
  const groups = svg.matchAll(new RegExp(`class="mark-text role-${role}[^"]*"[^>]*>((?:<text[^>]*>.*?</text>)+)`, 'g'));
  return [...groups].flatMap(([, texts]) => [...texts!.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map(([, t]) => unescape(t!)));
}

/** How many marks of a Vega mark type the SVG draws in its plot layers (e.g. 'line': one path group per line). */
export function markCount(svg: string, type: string): number {
  return svg.match(new RegExp(`class="mark-${type} role-mark`, 'g'))?.length ?? 0;
}
