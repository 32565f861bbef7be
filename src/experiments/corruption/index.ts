/** The `corruption` family: parameter corruption (Sun et al., AAAI 2021; run.ts). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { corruptionParams } from './params';
import { corruptionPlots } from './plots';
import { corruptionTables } from './tables';

export const corruptionFamily = {
  name: 'corruption',
  version: 1,
  uses: [TRAINING_CODE],
  params: corruptionParams,
  plots: corruptionPlots,
  tables: corruptionTables,
  load: () => import('./run'),
} as const satisfies FamilyDefinition<typeof corruptionParams, 'corruption'>;
