/**
 * Every experiment family sweeplab knows: one line per family folder. Adding a
 * family: write `src/experiments/<family>/` (params.ts: its zod schema; run.ts:
 * default export a FamilyRunner; index.ts: its FamilyDefinition with a version),
 * then add its export to this list.
 */
import type { FamilyCatalogue } from '../sweep/catalogue';
import { codeVersionOf, type FamilyDefinition } from './family';
import { corruptionFamily } from './corruption';
import { infoflowFamily } from './infoflow';
import { noopFamily } from './noop';
import { orthonormalFamily } from './orthonormal';
import { regionsFamily } from './regions';
import { trainFamily } from './train';
import { transferFamily } from './transfer';

const familyList = [noopFamily, trainFamily, transferFamily, corruptionFamily, regionsFamily, orthonormalFamily, infoflowFamily] as const;

/** The families by name, with their literal types (sweep files are typed by them). */
export type Families = { readonly [F in (typeof familyList)[number] as F['name']]: F };
export type FamilyName = keyof Families;

export const families = Object.fromEntries(familyList.map((family) => [family.name, family])) as unknown as Families;

export const familyNames = familyList.map((family) => family.name) as FamilyName[];

export function isFamilyName(name: string): name is FamilyName {
  return Object.hasOwn(families, name);
}

export function getFamily(name: string): FamilyDefinition {
  if (!isFamilyName(name)) {
    throw new Error(`unknown family '${name}' (known: ${familyNames.join(', ')})`);
  }
  return families[name] as unknown as FamilyDefinition;
}

// Types sweep files by the families' schemas, without the sweep language importing them.
declare module '../sweep/define' {
  interface SweepFamilies extends Families {}
}

/** What the sweep language needs of each family: its parameter schema and code version. */
export const familyCatalogue: FamilyCatalogue = Object.fromEntries(
  familyList.map((family) => [family.name, { params: family.params, codeVersion: codeVersionOf(family) }]),
);
