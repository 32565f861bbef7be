/**
 * `defineSweep`: what a sweep file default-exports. It does nothing at run time
 * but mark the object (so the loader can tell a sweep from any other default
 * export); its value is the typing: parameter names and values are checked
 * against the family's zod schema, so a misspelt parameter is a type error in
 * the editor before it is a SweepInputError at submit time.
 */
import type { z } from 'zod';
import type { Duration } from './duration';
import type { ParamValue } from './trial';
import type { ValueSpec, ZipSpec } from './value-specs';

/**
 * The families sweep files are typed by: family name → { params: its zod schema }.
 * Empty here, so the sweep language depends on no family; src/experiments/registry.ts
 * fills it in by declaration merging (`declare module '../sweep/define'`), so that an
 * editor checks a sweep file's parameters against its family's schema.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SweepFamilies {}

/** Names of the families sweep files may use (any string until the registry fills SweepFamilies in). */
export type FamilyName = [keyof SweepFamilies] extends [never] ? string : keyof SweepFamilies & string;

/** A family's parameters as a sweep file writes them (zod input: defaulted ones optional). */
export type FamilyParamsInput<F extends FamilyName> = F extends keyof SweepFamilies
  ? SweepFamilies[F] extends { readonly params: infer S extends z.ZodType }
    ? z.input<S>
    : never
  : Record<string, unknown>;

type Defined<T> = Exclude<T, undefined>;

/** Every parameter of the family, each optional, each with the value specs its type allows. */
export type ParameterSpecs<P> = {
  [K in keyof P]?: Defined<P[K]> extends ParamValue ? ValueSpec<Defined<P[K]>> | ZipOf<P> : never;
};

/** A zip over some parameters of the family, with values of their types. */
export type ZipOf<P> = ZipSpec<{ [K in keyof P]?: Defined<P[K]> extends ParamValue ? Defined<P[K]> : never }>;

/**
 * Keys the family does not have must hold a zip (a named group such as
 * `lrSchedule`), and a zip may only name the family's parameters.
 */
export type CheckedParameters<P, Ps> = {
  [K in keyof Ps]: Ps[K] extends ZipSpec<infer Z>
    ? ZipSpec<{ [A in keyof Z]: A extends keyof P ? Defined<P[A]> : never }>
    : K extends keyof P
      ? unknown
      : ZipOf<P>;
};

export interface RetryDefinition {
  /** Attempts per trial, counting the first (infrastructure faults only). Default 3. */
  maximumAttempts?: number;
  /** Wait before the first retry. Default '5s'. */
  initialInterval?: Duration;
  /** Each wait is the previous one times this. Default 2. */
  backoffCoefficient?: number;
  /** Longest wait between attempts. Default '5m'. */
  maximumInterval?: Duration;
}

export interface TimeoutsDefinition {
  /** Upper bound on one attempt of one trial. Default '2h'. */
  trial?: Duration;
  /** A trial silent for this long is presumed lost and retried. Default '60s'. */
  heartbeat?: Duration;
}

/** Execution settings, in the base definition and in presets. */
export interface ExecutionDefinition {
  /** Task queue of the trial workers: 'cpu' (default), 'gpu', or a custom one. */
  taskQueue?: string;
  /** Trials in flight at once (at most 500). Unset: decided from the workers' slots at submit time. */
  concurrency?: number;
  retry?: RetryDefinition;
  timeouts?: TimeoutsDefinition;
}

/** Seeds: a list of integers, or a count n meaning [0, 1, …, n-1]. */
export type SeedsDefinition = number | readonly number[];

/** A named variant of the sweep; parameters are merged key by key over the base ones. */
export interface PresetDefinition<P, ZipKeys extends PropertyKey = never> extends ExecutionDefinition {
  parameters?: ParameterSpecs<P> & { [K in Exclude<ZipKeys, keyof P>]?: ZipOf<P> };
  seeds?: SeedsDefinition;
  samples?: number;
  sampleSeed?: number;
}

export interface SweepDefinition<F extends FamilyName = FamilyName, Ps = ParameterSpecs<FamilyParamsInput<F>>>
  extends ExecutionDefinition {
  /** Slug: lower-case letters, digits, '-' and '_', starting with a letter or digit. */
  name: string;
  /** An experiment family (src/experiments/registry.ts lists them). */
  family: F;
  description?: string;
  /** Parameter name → value spec; unnamed parameters take the family's defaults. */
  parameters: Ps;
  seeds: SeedsDefinition;
  /** Draws of the random specs (choice, uniform, …); ignored when there are none. Default 1. */
  samples?: number;
  /** Seed of the draws, so a random search is reproducible. Default 0. */
  sampleSeed?: number;
  /** By convention at least `smoke` (runs in about a minute on a laptop) and `paper`. */
  presets?: Record<string, PresetDefinition<FamilyParamsInput<F>, keyof Ps>>;
}

/** Marks objects built by defineSweep; a registered symbol survives separate module instances. */
export const SWEEP_DEFINITION = Symbol.for('sweeplab.sweepDefinition');

export type DefinedSweep<F extends FamilyName = FamilyName, Ps = unknown> = SweepDefinition<F, Ps> & {
  readonly [SWEEP_DEFINITION]: true;
};

export function defineSweep<const F extends FamilyName, const Ps extends object>(
  definition: SweepDefinition<F, Ps & ParameterSpecs<FamilyParamsInput<F>> & CheckedParameters<FamilyParamsInput<F>, Ps>>,
): DefinedSweep<F, Ps> {
  // Non-enumerable: the definition stays plain data for JSON and hashing.
  Object.defineProperty(definition, SWEEP_DEFINITION, { value: true, enumerable: false });
  return definition as unknown as DefinedSweep<F, Ps>;
}

export function isDefinedSweep(value: unknown): value is DefinedSweep {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SWEEP_DEFINITION] === true;
}
