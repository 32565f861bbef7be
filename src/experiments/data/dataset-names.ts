/** The data sets loadDataset knows (load.ts). Light: parameter schemas use it. */
/** 'mnist8': the same digits shrunk to 8×8 (mnist8.ts), for studies that need few inputs. */
export const DATASET_NAMES = ['mnist', 'mnist8', 'fashion'] as const;

export type DatasetName = (typeof DATASET_NAMES)[number];

/** Image sides of each data set (one channel), known without loading it: what a model is built for. */
export const DATASET_IMAGE_SIDES: Readonly<Record<DatasetName, { readonly height: number; readonly width: number }>> = {
  mnist: { height: 28, width: 28 },
  mnist8: { height: 8, width: 8 },
  fashion: { height: 28, width: 28 },
};
