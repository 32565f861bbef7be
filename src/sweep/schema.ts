/**
 * The zod schema of a sweep definition: its structure, value specs, seeds and
 * execution settings. Family-specific checks (parameter names, parameter
 * values) come after, in parameter-names.ts and expand.ts, because they need
 * the family's own schema.
 *
 * Defaults are not filled here: a preset is merged over the base first, then
 * resolve.ts fills what neither wrote.
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import { MAX_IN_FLIGHT } from './limits';
import { rangeLength } from './range';
import { didYouMean } from './suggest';
import type { ParamValue } from './trial';
import type { AnyParameterSpec } from './value-specs';

export const SWEEP_NAME_PATTERN = /^[a-z0-9][a-z0-9-_]*$/;
/** At most this many trials in flight (limits.ts, shared with the orchestrator). */
export const MAX_CONCURRENCY = MAX_IN_FLIGHT;
export const MAX_SEED = 2 ** 31 - 1;
export const MAX_SEED_COUNT = 100_000;
export const MAX_SAMPLES = 1_000_000;

/**
 * A schema chosen by the value's shape. zod's own unions answer a mismatch with
 * a bare "Invalid input"; choosing first keeps the message of the branch the
 * user evidently meant (or says what was expected).
 */
function byShape<T>(pick: (value: unknown) => z.ZodType<T> | string): z.ZodType<T> {
  return z.unknown().transform((value, ctx): T => {
    const schema = pick(value);
    if (typeof schema === 'string') {
      ctx.issues.push({ code: 'custom', message: schema, input: value });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as never);
      return z.NEVER;
    }
    return result.data;
  }) as unknown as z.ZodType<T>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // NaN, Infinity
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

const finite = z.number().finite();

/** A parameter value as a trial receives it: JSON scalars only. */
export const paramValueSchema: z.ZodType<ParamValue> = z.union([z.string(), finite, z.boolean(), z.null()], {
  error: (issue) => `expected a string, a finite number, a boolean or null, got ${describe(issue.input)}`,
});

const valueList = z.array(paramValueSchema).min(1, { error: 'must list at least one value' });

const specSchemas = {
  grid: z.object({ kind: z.literal('grid'), values: valueList }).strict(),
  range: z
    .object({ kind: z.literal('range'), start: finite, stop: finite, step: finite })
    .strict()
    .superRefine((spec, ctx) => {
      try {
        rangeLength(spec);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message, path: ['step'] });
      }
    }),
  choice: z.object({ kind: z.literal('choice'), values: valueList }).strict(),
  uniform: z
    .object({ kind: z.literal('uniform'), min: finite, max: finite })
    .strict()
    .refine((s) => s.min < s.max, { error: 'min must be less than max', path: ['max'] }),
  logUniform: z
    .object({ kind: z.literal('logUniform'), min: finite.positive({ error: 'must be > 0 (log scale)' }), max: finite })
    .strict()
    .refine((s) => s.min < s.max, { error: 'min must be less than max', path: ['max'] }),
  intUniform: z
    .object({ kind: z.literal('intUniform'), min: z.number().int(), max: z.number().int() })
    .strict()
    .refine((s) => s.min <= s.max, { error: 'min must be at most max', path: ['max'] }),
  zip: z
    .object({
      kind: z.literal('zip'),
      axes: z
        .record(z.string(), valueList)
        .refine((axes) => Object.keys(axes).length > 0, { error: 'a zip needs at least one parameter' }),
    })
    .strict()
    .superRefine((spec, ctx) => {
      const lengths = Object.entries(spec.axes).map(([name, values]) => `${name}: ${values.length}`);
      if (new Set(Object.values(spec.axes).map((values) => values.length)).size > 1) {
        ctx.addIssue({ code: 'custom', message: `zip lists must have equal lengths (${lengths.join(', ')})`, path: ['axes'] });
      }
    }),
} as const;

const specKinds = Object.keys(specSchemas);

/** One entry of `parameters`: constant, list (grid) or a value spec object. */
export const parameterSpecSchema: z.ZodType<AnyParameterSpec> = byShape<AnyParameterSpec>((value) => {
  if (Array.isArray(value)) return valueList as z.ZodType<AnyParameterSpec>;
  if (value !== null && typeof value === 'object') {
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind === 'string' && Object.hasOwn(specSchemas, kind)) {
      return specSchemas[kind as keyof typeof specSchemas] as z.ZodType<AnyParameterSpec>;
    }
    return typeof kind === 'string'
      ? `unknown value spec '${kind}'${didYouMean(kind, specKinds)}`
      : `expected a value, a list of values, or a value spec (${specKinds.join(', ')}), got an object`;
  }
  return paramValueSchema;
});

export const parametersSchema = z.record(z.string(), parameterSpecSchema, {
  error: (issue) =>
    issue.input === undefined ? 'missing' : `expected an object of parameter name → value spec, got ${describe(issue.input)}`,
});

const seedSchema = z.number().int().min(0).max(MAX_SEED);

/** A list of seeds, or a count n meaning [0, …, n-1]; resolved to the list. */
export const seedsSchema: z.ZodType<number[]> = byShape<number[]>((value) => {
  if (Array.isArray(value)) return z.array(seedSchema).min(1, { error: 'must list at least one seed' });
  if (typeof value === 'number') {
    return z
      .number()
      .int({ error: 'a seed count must be a whole number' })
      .min(1)
      .max(MAX_SEED_COUNT)
      .transform((count) => Array.from({ length: count }, (_, i) => i));
  }
  return value === undefined ? 'missing' : `expected a list of integer seeds or a count, got ${describe(value)}`;
});

export const durationSchema: z.ZodType<number> = z.unknown().transform((value, ctx): number => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.issues.push({ code: 'custom', message: (error as Error).message, input: value });
    return z.NEVER;
  }
}) as unknown as z.ZodType<number>;

const retrySchema = z
  .object({
    maximumAttempts: z.number().int().min(1).max(100).optional(),
    initialInterval: durationSchema.optional(),
    backoffCoefficient: finite.min(1).max(100).optional(),
    maximumInterval: durationSchema.optional(),
  })
  .strict();

const timeoutsSchema = z
  .object({
    trial: durationSchema.optional(),
    heartbeat: durationSchema.optional(),
  })
  .strict();

const executionShape = {
  taskQueue: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must be letters, digits, ".", "_" or "-"' })
    .optional(),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
  retry: retrySchema.optional(),
  timeouts: timeoutsSchema.optional(),
};

const samplingShape = {
  samples: z.number().int().min(1).max(MAX_SAMPLES).optional(),
  sampleSeed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
};

export const presetSchema = z
  .object({
    parameters: parametersSchema.optional(),
    seeds: seedsSchema.optional(),
    ...samplingShape,
    ...executionShape,
  })
  .strict();

export const sweepDefinitionSchema = z
  .object({
    name: z
      .string()
      .max(100)
      .regex(SWEEP_NAME_PATTERN, {
        error: (issue) =>
          `'${String(issue.input)}' is not a slug: use lower-case letters, digits, '-' and '_', starting with a letter or digit`,
      }),
    // Checked against the catalogue of families in resolve.ts.
    family: z.string(),
    description: z.string().optional(),
    parameters: parametersSchema,
    seeds: seedsSchema,
    ...samplingShape,
    ...executionShape,
    presets: z
      .record(
        z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-_]*$/, { error: 'preset names are letters, digits, "-" and "_"' }),
        presetSchema,
      )
      .optional(),
  })
  .strict();

export type ParsedSweepDefinition = z.output<typeof sweepDefinitionSchema>;
export type ParsedPreset = z.output<typeof presetSchema>;
export type ParsedExecution = Pick<ParsedPreset, 'taskQueue' | 'concurrency' | 'retry' | 'timeouts'>;

/** Field names a definition may have, for "did you mean" on unrecognised keys. */
export const definitionFieldNames = Object.keys(sweepDefinitionSchema.shape);
export const presetFieldNames = Object.keys(presetSchema.shape);
export const retryFieldNames = Object.keys(retrySchema.shape);
export const timeoutFieldNames = Object.keys(timeoutsSchema.shape);
