/** The `orthonormal` family: approximated orthonormal normalisation vs orthonormal regularisation and spectral normalisation (aon.ts states the reconstruction). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { orthonormalParams } from './params';
import { orthonormalPlots } from './plots';
import { orthonormalTables } from './tables';

export const orthonormalFamily = {
  name: 'orthonormal',
  version: 1,
  uses: [TRAINING_CODE],
  params: orthonormalParams,
  plots: orthonormalPlots,
  tables: orthonormalTables,
  load: () => import('./run'),
} as const satisfies FamilyDefinition<typeof orthonormalParams, 'orthonormal'>;
