/** The transfer study's tables (`sweep table ptu-grid --preset paper`). Metric names: run.ts. */
import type { TablePresets } from '../table-preset';

export const transferTables = {
  paper: {
    description: "target test accuracy per transfer strategy and domain pair, one table per architecture and target size (the PTU paper's table)",
    rows: ['strategy'],
    cols: ['pair'],
    by: ['arch', 'targetSize'],
    metric: ['testAccuracy'],
    best: 'max',
  },
  gates: {
    description: 'the mean PTU gates per layer after training (g → 1: share; g → 0: fine-tune or scratch, told apart by r)',
    rows: ['pair'],
    cols: ['metric'],
    by: ['arch', 'targetSize'],
    where: { strategy: 'ptu' },
    metric: ['gateG1', 'gateR1', 'gateG2', 'gateR2'],
  },
} as const satisfies TablePresets;
