/**
 * Vega numbers the ids in an SVG (clip paths, gradients) from 1 in every
 * render, so two plots inlined in one page would share ids and one would clip
 * by the other's paths. Prefixing each plot's ids (and the references to them)
 * keeps them apart.
 */
export function namespaceSvgIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map(([, id]) => id!));
  if (ids.size === 0) return svg;
  const renamed = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id);
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, head: string, id: string) => `${head}${renamed(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${renamed(id)})`)
    .replace(/((?:xlink:)?href=")#([^"]+)"/g, (_, head: string, id: string) => `${head}#${renamed(id)}"`);
}
