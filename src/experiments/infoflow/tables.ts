/** The information-flow study's tables (`sweep table infoflow --preset paper`). Metric names: run.ts (layer 5 is the last hidden layer). */
import type { TablePresets } from '../table-preset';

export const infoflowTables = {
  paper: {
    description: 'I(X;T) of the last hidden layer (nats) at each checkpoint epoch, per noise β, one table per activation and orthonormality',
    rows: ['epoch'],
    cols: ['beta'],
    by: ['activation', 'orthonormal'],
    metric: ['mi.5'],
  },
  clustering: {
    description: "fraction of same-class pairs of the last hidden layer's representations closer than 2β, per checkpoint epoch and β",
    rows: ['epoch'],
    cols: ['beta'],
    by: ['activation', 'orthonormal'],
    metric: ['sameClassClose.5'],
  },
} as const satisfies TablePresets;
