/** The orthonormal study's tables (`sweep table aon --preset paper`). Metric names: run.ts. */
import type { TablePresets } from '../table-preset';

export const orthonormalTables = {
  paper: {
    description: 'test accuracy per method (with its λ or order K), architecture and dataset, one table per learning rate',
    rows: ['method', 'lambda', 'order'],
    cols: ['arch', 'dataset'],
    by: ['learningRate'],
    metric: ['testAccuracy'],
    best: 'max',
  },
  orthError: {
    description: 'orthogonality error ‖WWᵀ − I‖ after training, mean over layers, per method, architecture and dataset',
    rows: ['method', 'lambda', 'order'],
    cols: ['arch', 'dataset'],
    by: ['learningRate'],
    metric: ['orthError'],
    best: 'min',
  },
} as const satisfies TablePresets;
