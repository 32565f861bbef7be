/** The train family's table (`sweep table train-mnist --preset paper`). Metric names: run.ts. */
import type { TablePresets } from '../table-preset';

export const trainTables = {
  paper: {
    description: 'test accuracy per learning rate, dataset and architecture',
    rows: ['learningRate'],
    cols: ['dataset', 'arch'],
    metric: ['testAccuracy'],
    best: 'max',
  },
} as const satisfies TablePresets;
