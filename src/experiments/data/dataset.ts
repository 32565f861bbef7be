/**
 * The one shape every data set takes inside a trial: images flattened to
 * Float32 in [0, 1], integer class labels. Families turn it into tensors
 * themselves (see training.ts), so this module stays free of tfjs.
 */
import { TrialInputError } from '../errors';
import { Rng, sampleIndices } from '../rng';

export type Split = 'train' | 'test';

export interface Dataset {
  /** Which data set ('mnist', 'fashion', or a generated one). */
  readonly name: string;
  readonly split: Split;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** height × width: the length of one flattened image. */
  readonly features: number;
  readonly numClasses: number;
  /** count × features values in [0, 1], example-major, rows of each image in order. */
  readonly images: Float32Array;
  /** count labels in [0, numClasses). Int32 because tf.oneHot wants int32. */
  readonly labels: Int32Array;
}

/**
 * A whole split as decoded from disk, kept per process. Pixels stay in their
 * stored form (bytes for IDX files) until a subset is taken: the Fashion-MNIST
 * training split is 47 MB as bytes but 188 MB as float32.
 */
export interface RawSplit {
  readonly name: string;
  readonly split: Split;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly numClasses: number;
  /** Either bytes 0..255 (scaled by 1/255) or floats already in [0, 1]. */
  readonly pixels: Uint8Array | Float32Array;
  readonly labels: Uint8Array;
}

/** The examples of `raw` at `indices`, in that order, as a Dataset. */
export function takeExamples(raw: RawSplit, indices: ArrayLike<number>): Dataset {
  const features = raw.height * raw.width;
  const images = new Float32Array(indices.length * features);
  const labels = new Int32Array(indices.length);
  const scale = raw.pixels instanceof Uint8Array ? 1 / 255 : 1;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(i >= 0 && i < raw.count)) throw new RangeError(`example ${i} is outside ${raw.name} ${raw.split} (0..${raw.count - 1})`);
    const from = i * features;
    const to = k * features;
    for (let p = 0; p < features; p++) images[to + p] = raw.pixels[from + p]! * scale;
    labels[k] = raw.labels[i]!;
  }
  return {
    name: raw.name,
    split: raw.split,
    count: indices.length,
    height: raw.height,
    width: raw.width,
    features,
    numClasses: raw.numClasses,
    images,
    labels,
  };
}

/**
 * `size` examples drawn without replacement from `raw`, in an order fixed by
 * `seed`. The same (split, size, seed) always gives the same examples; a
 * larger size with the same seed extends the smaller subset.
 */
export function seededSubset(raw: RawSplit, size: number, seed: number): Dataset {
  if (!Number.isInteger(size) || size < 1) {
    throw new TrialInputError(`${raw.name} ${raw.split}: subset size must be a positive integer, got ${size}`);
  }
  if (size > raw.count) {
    throw new TrialInputError(
      `${raw.name} ${raw.split}: asked for ${size} examples but the split has only ${raw.count}`,
    );
  }
  return takeExamples(raw, sampleIndices(raw.count, size, new Rng(seed)));
}
