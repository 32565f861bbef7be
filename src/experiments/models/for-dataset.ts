/** A model built for a data set's images: what the supervised families train. */
import type { DatasetName } from '../data/dataset-names';
import { DATASET_IMAGE_SIDES } from '../data/dataset-names';
import type { Arch } from './arch';
import { buildModel } from './build';
import type { Model } from './model';

export interface DatasetModelOptions {
  width: number;
  /** Hidden layers of an MLP; the CNN and the LSTM keep their default layers (a family's `depth` is the MLP's). */
  depth?: number;
  seed: number;
}

export function buildModelForDataset(arch: Arch, dataset: DatasetName, options: DatasetModelOptions): Model {
  const sides = DATASET_IMAGE_SIDES[dataset];
  return buildModel(arch, {
    width: options.width,
    depth: arch === 'mlp' ? options.depth : undefined,
    seed: options.seed,
    height: sides.height,
    imageWidth: sides.width,
  });
}
