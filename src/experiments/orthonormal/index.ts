/** The `orthonormal` family: approximated orthonormal normalisation vs orthonormal regularisation and spectral normalisation (aon.ts states the reconstruction). */
import type { FamilyDefinition } from '../family';
import { TRAINING_CODE } from '../shared-code';
import { orthonormalParams } from './params';
import { orthonormalTables } from './tables';

export const orthonormalFamily = {
  name: 'orthonormal',
  version: 1,
  uses: [TRAINING_CODE],
  params: orthonormalParams,
  load: () => import('./run'),
  tables: orthonormalTables,
} as const satisfies FamilyDefinition<typeof orthonormalParams, 'orthonormal'>;
