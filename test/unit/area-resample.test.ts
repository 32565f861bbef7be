import { describe, expect, it } from 'vitest';
import { areaResample } from '../../src/experiments/data/area-resample';
import { loadSplit } from '../../src/experiments/data/load';
import { MNIST_SPLIT_SIZES } from '../../src/experiments/data/mnist';

describe('areaResample', () => {
  it('halving takes the mean of each 2×2 block', () => {
    const image = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    expect([...areaResample(image, 1, { height: 4, width: 4 }, { height: 2, width: 2 })]).toEqual([3.5, 5.5, 11.5, 13.5]);
  });

  it('weights fractional pixels by overlap (3 → 2: the middle pixel is split in half)', () => {
    // Output 0 covers [0, 1.5): pixel 0 whole and half of pixel 1, weights 2/3 and 1/3.
    expect([...areaResample([3, 6, 9], 1, { height: 1, width: 3 }, { height: 1, width: 2 })].map((v) => +v.toFixed(5))).toEqual([4, 8]);
  });

  it('keeps a constant image constant and every image mean, 28 → 8', () => {
    const count = 3;
    const pixels = new Float32Array(count * 784);
    for (let i = 0; i < pixels.length; i++) pixels[i] = i < 784 ? 0.25 : ((i * 7919) % 256) / 255;
    const small = areaResample(pixels, count, { height: 28, width: 28 }, { height: 8, width: 8 });
    expect(small.length).toBe(count * 64);
    for (let p = 0; p < 64; p++) expect(small[p]).toBeCloseTo(0.25, 6);
    for (let n = 0; n < count; n++) {
      const mean = (a: ArrayLike<number>, from: number, size: number) => {
        let s = 0;
        for (let i = from; i < from + size; i++) s += a[i]!;
        return s / size;
      };
      expect(mean(small, n * 64, 64)).toBeCloseTo(mean(pixels, n * 784, 784), 5);
    }
  });
});

describe('mnist8', () => {
  it('is the MNIST split at 8×8: same counts and labels, values in [0, 1], same mean intensity', () => {
    for (const split of ['train', 'test'] as const) {
      const full = loadSplit('mnist', split);
      const small = loadSplit('mnist8', split);
      expect([small.count, small.height, small.width, small.numClasses]).toEqual([MNIST_SPLIT_SIZES[split], 8, 8, 10]);
      expect(small.labels).toEqual(full.labels);
      let [minV, maxV, sumSmall, sumFull] = [Infinity, -Infinity, 0, 0];
      for (const v of small.pixels) [minV, maxV, sumSmall] = [Math.min(minV, v), Math.max(maxV, v), sumSmall + v];
      const scale = full.pixels instanceof Uint8Array ? 1 / 255 : 1;
      for (const v of full.pixels) sumFull += v * scale;
      expect(minV).toBeGreaterThanOrEqual(0);
      expect(maxV).toBeLessThanOrEqual(1 + 1e-6);
      expect(sumSmall / (small.count * 64)).toBeCloseTo(sumFull / (full.count * 784), 4);
    }
  });
});
