/**
 * resolveSweep: a definition object (what a sweep file default-exports) → a
 * LoadedSweep. Pure: no files, no services, so tests and tools can call it on
 * objects built in memory. Every refusal is a SweepInputError naming the file
 * and the field.
 *
 * Steps: validate the structure (schema.ts); check parameter names of the base
 * and of every preset against the family; merge the chosen preset over the
 * base; fill defaults; expand and validate the trials (expand.ts); hash.
 */
import type { z } from 'zod';
import type { FamilyCatalogue } from './catalogue';
import { formatDuration } from './duration';
import { SweepInputError, formatFieldPath } from './errors';
import { expandTrials, hasRandomSpecs } from './expand';
import { specHash } from './key';
import type { LoadedSweep, ResolvedSweepDefinition, SweepExecution } from './loaded-sweep';
import { familyParameterNames, parameterSources } from './parameter-names';
import { checkWrittenValues } from './parameter-values';
import {
  definitionFieldNames,
  presetFieldNames,
  retryFieldNames,
  sweepDefinitionSchema,
  timeoutFieldNames,
  type ParsedExecution,
  type ParsedPreset,
  type ParsedSweepDefinition,
} from './schema';
import { closestName, didYouMean } from './suggest';
import type { AnyParameterSpec } from './value-specs';

export const DEFAULT_TASK_QUEUE = 'cpu';
export const DEFAULT_RETRY = { maximumAttempts: 3, initialIntervalMs: 5_000, backoffCoefficient: 2, maximumIntervalMs: 300_000 };
export const DEFAULT_TIMEOUTS = { trialMs: 2 * 3_600_000, heartbeatMs: 60_000 };

export interface ResolveOptions {
  /** Named in every error message. */
  readonly file: string;
  /** The families a sweep may name (src/experiments/registry.ts: familyCatalogue). */
  readonly catalogue: FamilyCatalogue;
  /** A preset of the definition, or null/undefined for the base sweep. */
  readonly preset?: string | null;
  /**
   * `submit --rerun`: a nonce (e.g. the submission time) that gives every trial a
   * fresh key, and the sweep a new id, so nothing finished is reused.
   */
  readonly rerun?: string | null;
}

export function resolveSweep(definition: unknown, options: ResolveOptions): LoadedSweep {
  const { file } = options;
  const parsed = parseDefinition(definition, file);
  const family = options.catalogue[parsed.family];
  if (!family || !Object.hasOwn(options.catalogue, parsed.family)) {
    const known = Object.keys(options.catalogue);
    throw new SweepInputError(file, 'family', `unknown family '${parsed.family}'${didYouMean(parsed.family, known)} (known: ${known.join(', ')})`);
  }
  const rerun = options.rerun ?? null;
  const knownNames = familyParameterNames(family.params);
  const presets = parsed.presets ?? {};

  // Every preset is checked, not only the chosen one: a typo in `paper` should not wait for the paper run.
  parameterSources(parsed.parameters, (key) => `parameters.${key}`, parsed.family, knownNames, file);
  for (const [presetName, preset] of Object.entries(presets)) {
    mergedSources(parsed, presetName, preset, knownNames, file);
  }

  const presetName = options.preset ?? null;
  let preset: ParsedPreset = {};
  if (presetName !== null) {
    if (!Object.hasOwn(presets, presetName)) {
      const known = Object.keys(presets);
      const suggestion = closestName(presetName, known);
      const listed = known.length ? `presets of this sweep: ${known.join(', ')}` : 'this sweep defines no presets';
      throw new SweepInputError(
        file,
        'preset',
        `unknown preset '${presetName}' (${suggestion ? `did you mean ${suggestion}? ` : ''}${listed})`,
      );
    }
    preset = presets[presetName]!;
  }

  // Values the expansion below will not see: the other presets', and the base's that the chosen preset replaces.
  for (const [name, other] of Object.entries(presets)) {
    if (name === presetName) continue;
    checkWrittenValues(definedEntries(other.parameters ?? {}) as Record<string, AnyParameterSpec>, (key) => `presets.${name}.parameters.${key}`, family.params, file);
  }
  const overridden = Object.keys(definedEntries(preset.parameters ?? {}));
  const replaced = Object.fromEntries(Object.entries(parsed.parameters).filter(([key]) => overridden.includes(key)));
  checkWrittenValues(replaced, (key) => `parameters.${key}`, family.params, file);

  const parameters = { ...parsed.parameters, ...definedEntries(preset.parameters ?? {}) } as Record<string, AnyParameterSpec>;
  const sources = mergedSources(parsed, presetName, preset, knownNames, file);
  const seeds = preset.seeds ?? parsed.seeds;
  const samples = hasRandomSpecs(parameters) ? (preset.samples ?? parsed.samples ?? 1) : 1;
  const sampleSeed = preset.sampleSeed ?? parsed.sampleSeed ?? 0;
  const execution = resolveExecution(parsed, preset, presetName, file);

  const trials = expandTrials({
    family: parsed.family,
    schema: family.params,
    codeVersion: family.codeVersion,
    rerun,
    parameters,
    seeds,
    samples,
    sampleSeed,
    sources,
    file,
  });

  const resolved: ResolvedSweepDefinition = {
    name: parsed.name,
    family: parsed.family,
    description: parsed.description ?? null,
    preset: presetName,
    parameters,
    seeds,
    samples,
    sampleSeed,
    execution,
    codeVersion: family.codeVersion,
    rerun,
  };
  const { description: _notHashed, ...hashed } = resolved;
  return {
    file,
    name: resolved.name,
    family: resolved.family,
    preset: presetName,
    description: resolved.description,
    definition: resolved,
    execution,
    specHash: specHash(hashed),
    trials,
  };
}

function parseDefinition(definition: unknown, file: string): ParsedSweepDefinition {
  const result = sweepDefinitionSchema.safeParse(definition, { error: missingFieldMessage });
  if (result.success) return result.data;
  // A misspelt key (`seed`) also leaves its field missing (`seeds`): the unknown key is the cause to name.
  const issues = result.error.issues;
  throw inputErrorFromIssue(issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0]!, file);
}

function inputErrorFromIssue(issue: z.core.$ZodIssue, file: string): SweepInputError {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const candidates = fieldNamesAt(issue.path);
    const hint = candidates ? didYouMean(key, candidates) : '';
    return new SweepInputError(file, formatFieldPath([...issue.path, key]), `unknown field${hint}`);
  }
  if (issue.code === 'invalid_key') {
    // A record key its pattern refuses (a preset name): the pattern's own message, not zod's "Invalid key in record".
    return new SweepInputError(file, formatFieldPath(issue.path), issue.issues[0]?.message ?? issue.message);
  }
  return new SweepInputError(file, formatFieldPath(issue.path), issue.message);
}

/** A required field left out reads "missing", not zod's "expected string, received undefined". */
function missingFieldMessage(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : undefined;
}

/** The field names allowed at a path of the definition, where there is a fixed list. */
function fieldNamesAt(path: readonly PropertyKey[]): readonly string[] | null {
  const last = path[path.length - 1];
  if (path.length === 0) return definitionFieldNames;
  if (path.length === 2 && path[0] === 'presets') return presetFieldNames;
  if (last === 'retry') return retryFieldNames;
  if (last === 'timeouts') return timeoutFieldNames;
  return null;
}

/** Drops keys explicitly set to undefined, so they do not erase what the base wrote. */
function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Checks a preset's parameters merged over the base; returns where each trial parameter is written. */
function mergedSources(
  base: ParsedSweepDefinition,
  presetName: string | null,
  preset: ParsedPreset,
  knownNames: readonly string[] | null,
  file: string,
): Map<string, string> {
  const overrides = definedEntries(preset.parameters ?? {}) as Record<string, AnyParameterSpec>;
  const merged = { ...base.parameters, ...overrides };
  const pathOf = (key: string): string =>
    presetName !== null && Object.hasOwn(overrides, key) ? `presets.${presetName}.parameters.${key}` : `parameters.${key}`;
  return parameterSources(merged, pathOf, base.family, knownNames, file);
}

function resolveExecution(
  base: ParsedExecution,
  preset: ParsedExecution,
  presetName: string | null,
  file: string,
): SweepExecution {
  const retry = { ...definedEntries(base.retry ?? {}), ...definedEntries(preset.retry ?? {}) };
  const timeouts = { ...definedEntries(base.timeouts ?? {}), ...definedEntries(preset.timeouts ?? {}) };
  const execution: SweepExecution = {
    taskQueue: preset.taskQueue ?? base.taskQueue ?? DEFAULT_TASK_QUEUE,
    concurrency: preset.concurrency ?? base.concurrency ?? null,
    retry: {
      maximumAttempts: retry.maximumAttempts ?? DEFAULT_RETRY.maximumAttempts,
      initialIntervalMs: retry.initialInterval ?? DEFAULT_RETRY.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
      maximumIntervalMs: retry.maximumInterval ?? DEFAULT_RETRY.maximumIntervalMs,
    },
    timeouts: {
      trialMs: timeouts.trial ?? DEFAULT_TIMEOUTS.trialMs,
      heartbeatMs: timeouts.heartbeat ?? DEFAULT_TIMEOUTS.heartbeatMs,
    },
  };
  // Where a setting was written, for the cross-field checks below.
  const pathOf = (group: 'retry' | 'timeouts', field: string): string =>
    presetName !== null && (preset[group] as Record<string, unknown> | undefined)?.[field] !== undefined
      ? `presets.${presetName}.${group}.${field}`
      : `${group}.${field}`;
  if (execution.retry.maximumIntervalMs < execution.retry.initialIntervalMs) {
    throw new SweepInputError(
      file,
      pathOf('retry', 'maximumInterval'),
      `must be at least initialInterval (${formatDuration(execution.retry.initialIntervalMs)})`,
    );
  }
  if (execution.timeouts.trialMs <= 0) {
    throw new SweepInputError(file, pathOf('timeouts', 'trial'), 'must be longer than 0');
  }
  if (execution.timeouts.heartbeatMs <= 0 || execution.timeouts.heartbeatMs > execution.timeouts.trialMs) {
    throw new SweepInputError(
      file,
      pathOf('timeouts', 'heartbeat'),
      `must be longer than 0 and at most the trial timeout (${formatDuration(execution.timeouts.trialMs)})`,
    );
  }
  return execution;
}
