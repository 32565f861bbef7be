/** The data sets loadDataset knows (load.ts). Light: parameter schemas use it. */
export const DATASET_NAMES = ['mnist', 'fashion'] as const;

export type DatasetName = (typeof DATASET_NAMES)[number];
