/** The `transfer` family: the Parameter Transfer Unit study (run.ts; the paper and our reconstruction in ptu.ts). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { transferParams } from './params';

export const transferFamily = {
  name: 'transfer',
  version: 1,
  uses: [TRAINING_CODE],
  params: transferParams,
  load: () => import('./run'),
} as const satisfies FamilyDefinition<typeof transferParams, 'transfer'>;
