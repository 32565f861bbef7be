/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 60,000 training and 10,000 test
 * images of clothing, 28×28 grey levels, 10 classes. Read from the four IDX
 * files that Debian's `dataset-fashion-mnist` installs; nothing is downloaded.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TrialInputError } from '../errors';
import type { RawSplit, Split } from './dataset';
import { IdxFormatError, readIdxFile } from './idx';

export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

const FILE_STEMS: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** FASHION_MNIST_DIR, else the Debian package's location. */
export function fashionMnistDir(): string {
  return process.env.FASHION_MNIST_DIR || DEFAULT_FASHION_MNIST_DIR;
}

/** The path of one file, gzipped or not, or undefined when neither exists. */
function findFile(dir: string, stem: string): string | undefined {
  for (const name of [`${stem}.gz`, stem]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Whether all four files are present (tests use this to skip with a reason). */
export function fashionMnistAvailable(dir = fashionMnistDir()): boolean {
  return Object.values(FILE_STEMS).every((s) => findFile(dir, s.images) && findFile(dir, s.labels));
}

const cache = new Map<string, RawSplit>();

/** One whole split, decoded once per process and directory. */
export function loadFashionMnistSplit(split: Split, dir = fashionMnistDir()): RawSplit {
  const key = `${dir}\0${split}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const stems = FILE_STEMS[split];
  const imagesPath = findFile(dir, stems.images);
  const labelsPath = findFile(dir, stems.labels);
  if (!imagesPath || !labelsPath) {
    const missing = !imagesPath ? stems.images : stems.labels;
    throw new TrialInputError(
      `Fashion-MNIST not found: ${join(dir, missing)}(.gz) does not exist. ` +
        'Install it with `apt-get install dataset-fashion-mnist`, or set FASHION_MNIST_DIR ' +
        'to a directory holding the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, ' +
        't10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; gzipped or not).',
    );
  }
  try {
    const images = readIdxFile(imagesPath);
    const labels = readIdxFile(labelsPath);
    const [count, height, width] = images.dims;
    if (images.type !== 'uint8' || images.dims.length !== 3 || height !== 28 || width !== 28 || count === undefined) {
      throw new IdxFormatError(`${imagesPath}: expected uint8 images of shape [n, 28, 28], got ${images.type} [${images.dims.join(', ')}]`);
    }
    if (labels.type !== 'uint8' || labels.dims.length !== 1 || labels.dims[0] !== count) {
      throw new IdxFormatError(`${labelsPath}: expected ${count} uint8 labels, got ${labels.type} [${labels.dims.join(', ')}]`);
    }
    const labelBytes = labels.data as Uint8Array;
    const bad = labelBytes.findIndex((l) => l > 9);
    if (bad >= 0) throw new IdxFormatError(`${labelsPath}: label ${labelBytes[bad]} at index ${bad} is not a class 0..9`);

    const raw: RawSplit = {
      name: 'fashion',
      split,
      count,
      height,
      width,
      numClasses: 10,
      pixels: images.data as Uint8Array,
      labels: labelBytes,
    };
    cache.set(key, raw);
    return raw;
  } catch (err) {
    // A damaged installation is an input problem of this machine, not a bug to retry.
    if (err instanceof IdxFormatError) throw new TrialInputError(`Fashion-MNIST: ${err.message}`);
    throw err;
  }
}
