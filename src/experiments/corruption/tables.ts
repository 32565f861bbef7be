/** The corruption study's tables (`sweep table corruption --preset paper`). Metric names: epsilonMetrics in run.ts. */
import type { TablePresets } from '../table-preset';

export const corruptionTables = {
  paper: {
    description: 'loss increase under gradient-based and random corruption of the whole network, per ε, normal vs resistant training (one table per norm)',
    rows: ['arch', 'training'],
    cols: ['eps'],
    by: ['norm'],
    where: { target: 'all' },
    metric: ['lossIncrease.gradient', 'lossIncrease.random.mean'],
  },
  accuracy: {
    description: 'test accuracy under gradient-based and random corruption of the whole network, per ε',
    rows: ['arch', 'training'],
    cols: ['eps'],
    by: ['norm'],
    where: { target: 'all' },
    metric: ['accuracy.gradient', 'accuracy.random.mean'],
    best: 'max',
  },
  layers: {
    description: 'loss increase under gradient-based corruption of each layer alone, per ε (one table per norm and architecture)',
    rows: ['target', 'training'],
    cols: ['eps'],
    by: ['norm', 'arch'],
    metric: ['lossIncrease.gradient'],
  },
} as const satisfies TablePresets;
