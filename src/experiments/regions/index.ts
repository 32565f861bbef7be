/** The `regions` family: stable ReLUs, lossless compression and linear regions (run.ts: the papers and our reading of them). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { regionsParams } from './params';
import { regionsPlots } from './plots';
import { regionsTables } from './tables';

export const regionsFamily = {
  name: 'regions',
  version: 1,
  uses: [TRAINING_CODE],
  params: regionsParams,
  plots: regionsPlots,
  tables: regionsTables,
  load: () => import('./run'),
} as const satisfies FamilyDefinition<typeof regionsParams, 'regions'>;
