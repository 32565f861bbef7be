/** The `transfer` family: the Parameter Transfer Unit study (run.ts; the paper and our reconstruction in ptu.ts). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { transferParams } from './params';
import { transferPlots } from './plots';
import { transferTables } from './tables';

/**
 * Version history (a bump reruns this family's trials; see shared-code.ts):
 * 1: as first versioned (December 2026).
 * 2: layers from the shared builder (models/architecture.ts): the CNN's bias and ReLU
 *    after pooling, the two-kernel ReLU gradient, the head named as the architecture
 *    names it. Same values; the CNN's bias gradient summed in another order.
 */
export const transferFamily = {
  name: 'transfer',
  version: 2,
  uses: [TRAINING_CODE],
  params: transferParams,
  plots: transferPlots,
  tables: transferTables,
  load: () => import('./run'),
} as const satisfies FamilyDefinition<typeof transferParams, 'transfer'>;
