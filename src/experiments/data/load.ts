/**
 * The entry point families use: `loadDataset('fashion', 'train', 2000, seed)`.
 * Whole splits are decoded once per process; subsets are cheap seeded draws.
 */
import { TrialInputError } from '../errors';
import { seededSubset, type Dataset, type RawSplit, type Split } from './dataset';
import { loadFashionMnistSplit } from './fashion-mnist';
import { loadMnistSplit } from './mnist';
import { loadMnist8Split } from './mnist8';

import { DATASET_NAMES, type DatasetName } from './dataset-names';

export { DATASET_NAMES, type DatasetName };

/** The whole split (cached per process). */
export function loadSplit(name: DatasetName, split: Split): RawSplit {
  switch (name) {
    case 'mnist':
      return loadMnistSplit(split);
    case 'mnist8':
      return loadMnist8Split(split);
    case 'fashion':
      return loadFashionMnistSplit(split);
    default:
      throw new TrialInputError(`unknown data set '${String(name)}' (known: ${DATASET_NAMES.join(', ')})`);
  }
}

/**
 * `size` examples of one split, drawn without replacement in an order fixed by
 * `seed`. Throws TrialInputError when the split is smaller than `size` or the
 * data set is not installed.
 */
export function loadDataset(name: DatasetName, split: Split, size: number, seed: number): Dataset {
  return seededSubset(loadSplit(name, split), size, seed);
}
