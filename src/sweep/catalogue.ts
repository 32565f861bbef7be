/**
 * What the sweep language knows of experiment families, given to it by its
 * caller (src/experiments/registry.ts builds it): the sweep language itself
 * imports nothing from the families.
 */
import type { z } from 'zod';

export interface CatalogueEntry {
  /** Validates and completes (defaults) one trial's parameters. */
  readonly params: z.ZodType;
  /** Version of the code that computes the family's trials ('train@1 training@2'): part of every trial key. */
  readonly codeVersion: string;
}

/** Family name → entry. */
export type FamilyCatalogue = Readonly<Record<string, CatalogueEntry>>;

/** The parameter schemas a sweep file is typed by: family name → { params }. */
export type TypedCatalogue = { readonly [family: string]: { readonly params: z.ZodType } };
