/** The `infoflow` family: information flow in noisy DNNs, the SP estimator of I(X; T_ℓ) over training (run.ts). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { infoflowParams } from './params';
import { infoflowPlots } from './plots';
import { infoflowTables } from './tables';

export const infoflowFamily = {
  name: 'infoflow',
  version: 1,
  uses: [TRAINING_CODE],
  params: infoflowParams,
  plots: infoflowPlots,
  tables: infoflowTables,
  load: () => import('./run'),
} as const satisfies FamilyDefinition<typeof infoflowParams, 'infoflow'>;
