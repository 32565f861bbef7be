/**
 * A sweep as the rest of sweeplab sees it: validated, its preset applied, its
 * defaults filled and its trials expanded.
 */
import type { ExecutionSettings } from './execution';
import type { TrialSpec } from './trial';
import type { AnyParameterSpec } from './value-specs';

/**
 * ExecutionSettings as a sweep file fixes them (durations in ms). `concurrency`
 * is null when the file leaves it to the workers' slot count, which only the
 * submitter can know; it turns this into ExecutionSettings.
 */
export type SweepExecution = Omit<ExecutionSettings, 'concurrency'> & { readonly concurrency: number | null };

/** The resolved definition: plain JSON, stored with the sweep and (minus description) hashed. */
export interface ResolvedSweepDefinition {
  readonly name: string;
  readonly family: string;
  readonly description: string | null;
  readonly preset: string | null;
  /** The base parameters with the preset's merged over them, key by key, in written order. */
  readonly parameters: Readonly<Record<string, AnyParameterSpec>>;
  readonly seeds: readonly number[];
  /** 1 when there are no random specs (samples would change nothing). */
  readonly samples: number;
  readonly sampleSeed: number;
  readonly execution: SweepExecution;
  /** The family's code version when resolved: a new version is a new sweep id, and new trial keys. */
  readonly codeVersion: string;
  /** The nonce of `submit --rerun`, else null. */
  readonly rerun: string | null;
}

export interface LoadedSweep {
  /** The sweep file, relative to the working directory when inside it: what error messages name. */
  readonly file: string;
  readonly name: string;
  readonly family: string;
  readonly preset: string | null;
  readonly description: string | null;
  readonly definition: ResolvedSweepDefinition;
  readonly execution: SweepExecution;
  /** sha256 of the resolved definition without its description; with the name, the workflow id. */
  readonly specHash: string;
  readonly trials: TrialSpec[];
}
