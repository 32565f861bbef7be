/**
 * Every experiment family sweeplab knows. Adding a family: write its
 * `params.ts` (zod schema) and `run.ts` (default export: FamilyRunner), then
 * register it here.
 */
import type { FamilyDefinition } from './family';
import { noopParams, type NoopParams } from './noop/params';
import { trainParams } from './train/params';
import { transferParams } from './transfer/params';
import { corruptionParams } from './corruption/params';

export const families = {
  noop: {
    name: 'noop',
    params: noopParams,
    load: () => import('./noop/run'),
    runsInline(params: NoopParams) {
      return params.isolation === 'inline';
    },
  },
  train: {
    name: 'train',
    params: trainParams,
    load: () => import('./train/run'),
  },
  transfer: {
    name: 'transfer',
    params: transferParams,
    load: () => import('./transfer/run'),
  },
  corruption: {
    name: 'corruption',
    params: corruptionParams,
    load: () => import('./corruption/run'),
  },
} as const satisfies Record<string, FamilyDefinition>;

export type FamilyName = keyof typeof families;

export const familyNames = Object.keys(families) as FamilyName[];

export function isFamilyName(name: string): name is FamilyName {
  return Object.hasOwn(families, name);
}

export function getFamily(name: string): FamilyDefinition {
  if (!isFamilyName(name)) {
    throw new Error(`unknown family '${name}' (known: ${familyNames.join(', ')})`);
  }
  return families[name] as unknown as FamilyDefinition;
}
