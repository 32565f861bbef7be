/** The `noop` family: orchestration load and failure injection, no model. */
import type { FamilyDefinition } from '../family';
import { noopParams, type NoopParams } from './params';

export const noopFamily = {
  name: 'noop',
  version: 1,
  uses: [],
  params: noopParams,
  load: () => import('./run'),
  runsInline(params: NoopParams) {
    return params.isolation === 'inline';
  },
} as const satisfies FamilyDefinition<typeof noopParams, 'noop'>;
