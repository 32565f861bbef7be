/**
 * Shrinks images by area averaging: each output pixel is the mean of the
 * input area it covers, fractional pixels weighted by their overlap (28 → 8
 * covers 3.5 input pixels per output pixel). Values stay in [0, 1], and the
 * mean intensity of every image is preserved exactly (up to rounding).
 */

/** Overlap weights of output cells over input cells along one axis: weights[o][i], rows summing to 1. */
function axisWeights(from: number, to: number): { start: number; weights: number[] }[] {
  const scale = from / to;
  return Array.from({ length: to }, (_, o) => {
    const lo = o * scale;
    const hi = (o + 1) * scale;
    const start = Math.floor(lo);
    const weights: number[] = [];
    for (let i = start; i < Math.min(from, Math.ceil(hi)); i++) weights.push((Math.min(hi, i + 1) - Math.max(lo, i)) / scale);
    return { start, weights };
  });
}

/** `count` images of fromH×fromW (example-major, values scaled by `scale`) → count images of toH×toW. */
export function areaResample(
  pixels: ArrayLike<number>,
  count: number,
  from: { height: number; width: number },
  to: { height: number; width: number },
  scale = 1,
): Float32Array {
  const rows = axisWeights(from.height, to.height);
  const cols = axisWeights(from.width, to.width);
  const inSize = from.height * from.width;
  const outSize = to.height * to.width;
  const out = new Float32Array(count * outSize);
  for (let n = 0; n < count; n++) {
    const base = n * inSize;
    for (let r = 0; r < to.height; r++) {
      const row = rows[r]!;
      for (let c = 0; c < to.width; c++) {
        const col = cols[c]!;
        let sum = 0;
        row.weights.forEach((wr, dr) => {
          const offset = base + (row.start + dr) * from.width + col.start;
          col.weights.forEach((wc, dc) => (sum += wr * wc * pixels[offset + dc]!));
        });
        out[n * outSize + r * to.width + c] = sum * scale;
      }
    }
  }
  return out;
}
