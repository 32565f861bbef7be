/**
 * How a sweep file says which values a parameter takes. Every spec is plain,
 * JSON-serialisable data (it is hashed into the spec hash and stored with the
 * sweep), so the helpers below only build tagged objects; expansion gives them
 * meaning (expand.ts).
 *
 * Written directly in `parameters`: a scalar is a constant and an array is a grid.
 */
import type { ParamValue } from './trial';

/** Every listed value, one per trial (an axis of the cartesian product). */
export interface GridSpec<T extends ParamValue = ParamValue> {
  readonly kind: 'grid';
  readonly values: readonly T[];
}

/** start, start+step, … up to stop (inclusive when it lands on it): a numeric grid. */
export interface RangeSpec {
  readonly kind: 'range';
  readonly start: number;
  readonly stop: number;
  readonly step: number;
}

/** One of the values, drawn at random per sample. */
export interface ChoiceSpec<T extends ParamValue = ParamValue> {
  readonly kind: 'choice';
  readonly values: readonly T[];
}

/** A real number in [min, max), drawn per sample. */
export interface UniformSpec {
  readonly kind: 'uniform';
  readonly min: number;
  readonly max: number;
}

/** A real number in [min, max] whose logarithm is uniform (learning rates, weight decays). */
export interface LogUniformSpec {
  readonly kind: 'logUniform';
  readonly min: number;
  readonly max: number;
}

/** An integer in [min, max], both ends included, drawn per sample. */
export interface IntUniformSpec {
  readonly kind: 'intUniform';
  readonly min: number;
  readonly max: number;
}

/**
 * Several parameters varied jointly: the i-th trial point takes the i-th value
 * of every list. Written under any key of `parameters`; its sub-keys are the
 * trial parameters.
 */
export interface ZipSpec<Z = Record<string, ParamValue>> {
  readonly kind: 'zip';
  readonly axes: { readonly [K in keyof Z]: readonly Exclude<Z[K], undefined>[] };
}

export type RandomSpec = ChoiceSpec | UniformSpec | LogUniformSpec | IntUniformSpec;

/** What one parameter may be written as, for a parameter of type T. */
export type ValueSpec<T extends ParamValue = ParamValue> =
  | T
  | readonly T[]
  | GridSpec<T>
  | ChoiceSpec<T>
  | (number extends T ? RangeSpec | UniformSpec | LogUniformSpec | IntUniformSpec : never);

/** Anything a `parameters` entry may hold (untyped view used by validation and expansion). */
export type AnyParameterSpec = ValueSpec<ParamValue> | ZipSpec | RangeSpec | UniformSpec | LogUniformSpec | IntUniformSpec;

export function grid<const T extends ParamValue>(values: readonly T[]): GridSpec<T> {
  return { kind: 'grid', values: [...values] };
}

export function range(start: number, stop: number, step = 1): RangeSpec {
  return { kind: 'range', start, stop, step };
}

export function choice<const T extends ParamValue>(values: readonly T[]): ChoiceSpec<T> {
  return { kind: 'choice', values: [...values] };
}

export function uniform(min: number, max: number): UniformSpec {
  return { kind: 'uniform', min, max };
}

export function logUniform(min: number, max: number): LogUniformSpec {
  return { kind: 'logUniform', min, max };
}

export function intUniform(min: number, max: number): IntUniformSpec {
  return { kind: 'intUniform', min, max };
}

export function zip<const Z extends Record<string, readonly ParamValue[]>>(
  axes: Z,
): ZipSpec<{ -readonly [K in keyof Z]: Z[K][number] }> {
  const copy: Record<string, ParamValue[]> = {};
  for (const [name, values] of Object.entries(axes)) copy[name] = [...values];
  return { kind: 'zip', axes: copy as ZipSpec<{ -readonly [K in keyof Z]: Z[K][number] }>['axes'] };
}

export const RANDOM_KINDS = ['choice', 'uniform', 'logUniform', 'intUniform'] as const;

export function isRandomSpec(spec: unknown): spec is RandomSpec {
  return (
    typeof spec === 'object' &&
    spec !== null &&
    !Array.isArray(spec) &&
    (RANDOM_KINDS as readonly string[]).includes((spec as { kind?: unknown }).kind as string)
  );
}

export function isZipSpec(spec: unknown): spec is ZipSpec {
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) && (spec as { kind?: unknown }).kind === 'zip';
}
