/**
 * Checks parameter values that the expansion of the chosen sweep will not see
 * (the presets not chosen, and the base values the chosen preset overrides)
 * against the family's schema for each field on its own, so a bad value in
 * `paper` is refused when `smoke` is submitted, not when the paper run starts.
 * Combinations of fields (a family's cross-field rules) are the expansion's job.
 */
import { z } from 'zod';
import { SweepInputError } from './errors';
import { rangeLength, rangeValues } from './range';
import type { ParamValue } from './trial';
import { isZipSpec, type AnyParameterSpec } from './value-specs';

/** Beyond this many points a range's values are left to the expansion (its ends are the family's usual limits anyway). */
const MAX_RANGE_POINTS_CHECKED = 10_000;

export function checkWrittenValues(
  parameters: Readonly<Record<string, AnyParameterSpec>>,
  pathOf: (key: string) => string,
  schema: z.ZodType,
  file: string,
): void {
  if (!(schema instanceof z.ZodObject)) return;
  const fields = schema.shape as Record<string, z.ZodType | undefined>;
  const check = (name: string, values: readonly ParamValue[], path: string): void => {
    const field = fields[name];
    if (!field) return; // unknown names are refused by parameter-names.ts
    for (const value of values) {
      const result = field.safeParse(value);
      if (!result.success) {
        throw new SweepInputError(file, path, `${result.error.issues[0]?.message ?? 'invalid value'} (value ${JSON.stringify(value)})`);
      }
    }
  };
  for (const [key, spec] of Object.entries(parameters)) {
    if (isZipSpec(spec)) {
      for (const [name, values] of Object.entries(spec.axes)) check(name, values, `${pathOf(key)}.${name}`);
    } else {
      check(key, writtenValues(spec), pathOf(key));
    }
  }
}

/** The values a spec can give a parameter, as far as they can be listed cheaply. */
function writtenValues(spec: AnyParameterSpec): readonly ParamValue[] {
  if (Array.isArray(spec)) return spec;
  if (spec === null || typeof spec !== 'object') return [spec as ParamValue];
  const object = spec as Exclude<AnyParameterSpec, ParamValue | readonly ParamValue[]>;
  switch (object.kind) {
    case 'grid':
    case 'choice':
      return object.values;
    case 'range':
      return rangeLength(object) <= MAX_RANGE_POINTS_CHECKED ? rangeValues(object) : [object.start];
    case 'uniform':
    case 'logUniform':
    case 'intUniform':
      return [object.min, object.max];
    default:
      return [];
  }
}
