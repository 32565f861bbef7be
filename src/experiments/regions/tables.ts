/** The regions study's tables (`sweep table linear-regions --preset paper`). Metric names: run.ts's summary. */
import type { TablePresets } from '../table-preset';

export const regionsTables = {
  paper: {
    description:
      'accuracy, stable units per layer (inactive.L, active.L), units removed, compression in %, linear regions (regionsExact 1 where the count is exact), per width, l1 and adversarial training',
    rows: ['width', 'l1', 'adversarial'],
    cols: ['metric'],
    by: ['dataset'],
    metric: ['testAccuracy', 'inactive.1', 'active.1', 'inactive.2', 'active.2', 'removed.1', 'removed.2', 'compression', 'regions', 'regionsExact'],
  },
} as const satisfies TablePresets;
