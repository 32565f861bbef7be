/** The `train` family: a plain supervised training run (run.ts). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { trainParams } from './params';
import { trainPlots } from './plots';
import { trainTables } from './tables';

export const trainFamily = {
  name: 'train',
  version: 1,
  uses: [TRAINING_CODE],
  params: trainParams,
  plots: trainPlots,
  tables: trainTables,
  load: () => import('./run'),
} as const satisfies FamilyDefinition<typeof trainParams, 'train'>;
