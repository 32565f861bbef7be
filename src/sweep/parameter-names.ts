/**
 * Checks the names in `parameters` against the family's schema before any
 * trial is expanded, so a typo is reported where it was written
 * (`parameters.lerningRate`, `parameters.lrSchedule.lerningRate`) rather than
 * as a property of some trial.
 */
import { z } from 'zod';
import { SweepInputError } from './errors';
import { didYouMean } from './suggest';
import type { AnyParameterSpec } from './value-specs';
import { isZipSpec } from './value-specs';

/** The family's parameter names, or null when its schema is not a plain object schema. */
export function familyParameterNames(schema: z.ZodType): string[] | null {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : null;
}

/**
 * Where each trial parameter is defined: 'learningRate' → 'parameters.learningRate'
 * or 'parameters.lrSchedule.learningRate'. `pathOf(key)` says where the entry
 * `key` of `parameters` was written (the base or a preset).
 */
export function parameterSources(
  parameters: Readonly<Record<string, AnyParameterSpec>>,
  pathOf: (key: string) => string,
  family: string,
  knownNames: readonly string[] | null,
  file: string,
): Map<string, string> {
  const sources = new Map<string, string>();
  const define = (name: string, path: string): void => {
    if (knownNames && !knownNames.includes(name)) {
      throw new SweepInputError(file, path, `unknown parameter for family '${family}'${didYouMean(name, knownNames)}`);
    }
    const earlier = sources.get(name);
    if (earlier !== undefined) {
      throw new SweepInputError(file, path, `parameter '${name}' is already given by ${earlier}`);
    }
    sources.set(name, path);
  };
  for (const [key, spec] of Object.entries(parameters)) {
    if (isZipSpec(spec)) {
      for (const name of Object.keys(spec.axes)) define(name, `${pathOf(key)}.${name}`);
    } else {
      define(key, pathOf(key));
    }
  }
  return sources;
}
