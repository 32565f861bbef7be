/**
 * Expansion: a resolved sweep → its trials, deterministically.
 *
 * Order: the cartesian product of the grid and zip axes, the first key written
 * varying slowest; within each grid point, `samples` draws of the random specs;
 * within each draw, the seeds (innermost). The draws are made once, from a PRNG
 * seeded with `sampleSeed`, and shared by every grid point, so grid cells are
 * compared on the same random configurations. Constants are one-point axes.
 *
 * Every trial's parameters go through the family's zod schema (defaults filled),
 * so writing a default out does not change a trial's key; trials with equal keys
 * are kept once, at their first position.
 */
import type { z } from 'zod';
import { SweepInputError } from './errors';
import { trialKey } from './key';
import { seededRandom, type Random } from './random';
import { rangeValues } from './range';
import type { ParamValue, TrialParams, TrialSpec } from './trial';
import { isRandomSpec, type AnyParameterSpec, type RandomSpec } from './value-specs';

/** Refuse sweeps whose expansion would not fit comfortably in memory or in one workflow's history. */
export const MAX_TRIALS = 1_000_000;

export interface ExpansionInput {
  readonly family: string;
  /** The family's parameter schema (strict, with defaults). */
  readonly schema: z.ZodType;
  /** Version of the family's code: part of each trial key (see key.ts). */
  readonly codeVersion: string;
  /** Set by `submit --rerun`: a fresh key for every trial of this submission. */
  readonly rerun: string | null;
  /** In the order written: that order is the axis order. */
  readonly parameters: Readonly<Record<string, AnyParameterSpec>>;
  readonly seeds: readonly number[];
  readonly samples: number;
  readonly sampleSeed: number;
  /** Trial parameter name → the field path that defines it, for error messages. */
  readonly sources: ReadonlyMap<string, string>;
  readonly file: string;
}

// Array.isArray does not narrow readonly arrays out of a union; these do.
function isValueList(spec: AnyParameterSpec): spec is readonly ParamValue[] {
  return Array.isArray(spec);
}

function isSpecObject(spec: AnyParameterSpec): spec is Exclude<AnyParameterSpec, ParamValue | readonly ParamValue[]> {
  return spec !== null && typeof spec === 'object' && !Array.isArray(spec);
}

/** One axis of the product: each point assigns one parameter (grid) or several (zip). */
export type Axis = readonly TrialParams[];

export function hasRandomSpecs(parameters: Readonly<Record<string, AnyParameterSpec>>): boolean {
  return Object.values(parameters).some(isRandomSpec);
}

/** The axis a `parameters` entry makes; null for a random spec (drawn per sample, not an axis). */
export function axisOf(key: string, spec: AnyParameterSpec): Axis | null {
  if (isValueList(spec)) return spec.map((value) => ({ [key]: value }));
  if (!isSpecObject(spec)) return [{ [key]: spec }];
  switch (spec.kind) {
    case 'grid':
      return spec.values.map((value) => ({ [key]: value }));
    case 'range':
      return rangeValues(spec).map((value) => ({ [key]: value }));
    case 'zip': {
      const names = Object.keys(spec.axes);
      const length = spec.axes[names[0] ?? '']?.length ?? 0;
      return Array.from({ length }, (_, i) => Object.fromEntries(names.map((name) => [name, spec.axes[name]?.[i] ?? null])));
    }
    default:
      return null; // random: drawn per sample, not an axis
  }
}

function draw(spec: RandomSpec, random: Random): ParamValue {
  const u = random.next();
  switch (spec.kind) {
    case 'choice':
      return spec.values[Math.min(spec.values.length - 1, Math.floor(u * spec.values.length))] ?? null;
    case 'uniform':
      return spec.min + u * (spec.max - spec.min);
    case 'logUniform': {
      const value = Math.exp(Math.log(spec.min) + u * (Math.log(spec.max) - Math.log(spec.min)));
      return Math.min(spec.max, Math.max(spec.min, value)); // exp/log round-off must not leave the bounds
    }
    case 'intUniform':
      return Math.min(spec.max, spec.min + Math.floor(u * (spec.max - spec.min + 1)));
  }
}

/** The `samples` assignments of the random specs, in key order within each draw. */
function drawSamples(input: ExpansionInput): TrialParams[] {
  const randomEntries = Object.entries(input.parameters).filter((entry): entry is [string, RandomSpec] => isRandomSpec(entry[1]));
  if (randomEntries.length === 0) return [{}];
  const random = seededRandom(input.sampleSeed);
  return Array.from({ length: input.samples }, () => {
    const assignment: TrialParams = {};
    for (const [key, spec] of randomEntries) assignment[key] = draw(spec, random);
    return assignment;
  });
}

function axesOf(input: ExpansionInput): Axis[] {
  const axes: Axis[] = [];
  for (const [key, spec] of Object.entries(input.parameters)) {
    const axis = axisOf(key, spec);
    if (axis) axes.push(axis);
  }
  return axes;
}

/** How many trials the expansion yields before deduplication. */
export function countTrials(input: ExpansionInput): number {
  const samples = hasRandomSpecs(input.parameters) ? input.samples : 1;
  return axesOf(input).reduce((product, axis) => product * axis.length, samples * input.seeds.length);
}

export function expandTrials(input: ExpansionInput): TrialSpec[] {
  const total = countTrials(input);
  if (total > MAX_TRIALS) {
    throw new SweepInputError(input.file, 'parameters', `expands to ${total} trials (at most ${MAX_TRIALS}); split the sweep`);
  }
  const axes = axesOf(input);
  const draws = drawSamples(input);
  const trials: TrialSpec[] = [];
  const seen = new Set<string>();
  // An odometer over the axes: the last axis turns fastest.
  const position = axes.map(() => 0);
  const pointCount = axes.reduce((product, axis) => product * axis.length, 1);
  for (let point = 0; point < pointCount; point++) {
    const gridParams: TrialParams = {};
    axes.forEach((axis, a) => Object.assign(gridParams, axis[position[a] ?? 0]));
    for (const sample of draws) {
      const raw: TrialParams = { ...gridParams, ...sample };
      const params = validateTrialParams(input, raw, trials.length);
      for (const seed of input.seeds) {
        const key = trialKey({ family: input.family, codeVersion: input.codeVersion, params, seed, rerun: input.rerun });
        if (seen.has(key)) continue;
        seen.add(key);
        trials.push({ key, family: input.family, codeVersion: input.codeVersion, params, seed, index: trials.length });
      }
    }
    for (let a = axes.length - 1; a >= 0; a--) {
      position[a] = (position[a] ?? 0) + 1;
      if (position[a]! < (axes[a]?.length ?? 0)) break;
      position[a] = 0;
    }
  }
  return trials;
}

/** The family schema's output for one trial, or a SweepInputError naming where the bad value was written. */
function validateTrialParams(input: ExpansionInput, raw: TrialParams, trialIndex: number): TrialParams {
  const result = input.schema.safeParse(raw);
  if (result.success) return result.data as TrialParams;
  const issue = result.error.issues[0]!;
  const name = issue.path[0];
  const path = (typeof name === 'string' && input.sources.get(name)) || 'parameters';
  throw new SweepInputError(input.file, path, `${issue.message} (in trial ${trialIndex}: ${JSON.stringify(raw)})`);
}
