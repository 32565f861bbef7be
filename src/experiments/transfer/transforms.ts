/**
 * Deterministic image transforms that make the target domains of the PTU
 * study out of MNIST: rotation, inversion, and a resolution shift (down to
 * 8×8 and back, standing in for MNIST → USPS). Pure functions of the pixels:
 * no randomness, so a domain's images are the same in every trial.
 */

export type TransformName = 'none' | 'rot30' | 'rot45' | 'invert' | 'down8';

export const TRANSFORM_NAMES: readonly TransformName[] = ['none', 'rot30', 'rot45', 'invert', 'down8'];

/** Pixel (x, y) of a row-major image, 0 outside it (the background of MNIST-like images). */
function pixelAt(image: Float32Array, height: number, width: number, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return image[y * width + x]!;
}

/** Bilinear sample at real coordinates (pixel centres at integer coordinates). */
function bilinear(image: Float32Array, height: number, width: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const top = pixelAt(image, height, width, x0, y0) * (1 - fx) + pixelAt(image, height, width, x0 + 1, y0) * fx;
  const bottom = pixelAt(image, height, width, x0, y0 + 1) * (1 - fx) + pixelAt(image, height, width, x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Rotates counter-clockwise by `degrees` about the image centre (bilinear, zero fill). */
export function rotate(image: Float32Array, height: number, width: number, degrees: number): Float32Array {
  const out = new Float32Array(height * width);
  const angle = (degrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse mapping: where in the source does this output pixel come from.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      out[y * width + x] = bilinear(image, height, width, sx, sy);
    }
  }
  return out;
}

export function invert(image: Float32Array): Float32Array {
  return image.map((v) => 1 - v);
}

/**
 * Area-average resampling to `toH`×`toW`: each output pixel is the mean of the
 * input area it covers, with fractional overlaps (28 → 8 covers 3.5 pixels).
 */
export function areaResize(image: Float32Array, height: number, width: number, toH: number, toW: number): Float32Array {
  const out = new Float32Array(toH * toW);
  const sy = height / toH;
  const sx = width / toW;
  for (let oy = 0; oy < toH; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < toW; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += wy * wx * image[y * width + x]!;
        }
      }
      out[oy * toW + ox] = sum / (sy * sx);
    }
  }
  return out;
}

/** Bilinear upsampling (half-pixel centres, edge clamped) to `toH`×`toW`. */
export function bilinearResize(image: Float32Array, height: number, width: number, toH: number, toW: number): Float32Array {
  const out = new Float32Array(toH * toW);
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  for (let oy = 0; oy < toH; oy++) {
    const y = clamp(((oy + 0.5) * height) / toH - 0.5, height - 1);
    for (let ox = 0; ox < toW; ox++) {
      const x = clamp(((ox + 0.5) * width) / toW - 0.5, width - 1);
      out[oy * toW + ox] = bilinear(image, height, width, x, y);
    }
  }
  return out;
}

/** The 8×8 bottleneck: the target keeps 28×28 inputs, so every architecture and source network still fits. */
export function downUp(image: Float32Array, height: number, width: number, side = 8): Float32Array {
  return bilinearResize(areaResize(image, height, width, side, side), side, side, height, width);
}

/** Applies one named transform to a single image. */
export function transformImage(name: TransformName, image: Float32Array, height: number, width: number): Float32Array {
  switch (name) {
    case 'none':
      return image;
    case 'rot30':
      return rotate(image, height, width, 30);
    case 'rot45':
      return rotate(image, height, width, 45);
    case 'invert':
      return invert(image);
    case 'down8':
      return downUp(image, height, width, 8);
  }
}
