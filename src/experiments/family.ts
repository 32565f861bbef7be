/**
 * The contract between the orchestrator and an experiment family.
 *
 * A family is two halves so that the CLI can validate a sweep without loading
 * TensorFlow: `params` (a zod schema, cheap to import, in `<family>/params.ts`)
 * and `run` (the trial itself, in `<family>/run.ts`, loaded only inside the
 * trial process).
 */
import type { z } from 'zod';
import type { ArtifactStore } from './artifacts/store';
import type { PlotKind } from './charts/plot-kind';

/** What a running trial can tell the outside world. */
export interface TrialContext {
  /** The trial's seed: every random choice in the trial derives from it. */
  readonly seed: number;
  /**
   * Which attempt at this trial this run is (1 = the first; Temporal's attempt number).
   * What a trial computes must not depend on it: only failure injection reads it (noop's `failAttempts`).
   */
  readonly attempt: number;
  /** The tfjs backend in use ('wasm', 'cpu', 'tensorflow', …), or 'none' for families that do not use tfjs. */
  readonly backend: string;
  /**
   * Records one point of each named curve at `step` (an epoch, an iteration, an ε index…).
   * Every call is also a heartbeat: the worker forwards the latest point to Temporal.
   */
  report(step: number, metrics: Record<string, number>): void;
  /** Free-form progress line, kept in the worker's log. */
  log(message: string): void;
  /**
   * Content-keyed artifacts shared by every trial of every worker (the Postgres
   * Artifact table; connected on first use): trained models to reuse.
   */
  readonly artifacts: ArtifactStore;
}

/** Final values of a trial: the numbers a table is made of. Every value must be finite. */
export type TrialSummary = Record<string, number>;


/** The module `<family>/run.ts` default-exports one of these. */
export interface FamilyRunner<P> {
  /** Whether the trial needs a tfjs backend initialised before `run`. */
  readonly usesTensorflow: boolean;
  // A method, not a property: a registry of runners with different P must still type-check.
  run(params: P, ctx: TrialContext): Promise<TrialSummary>;
}

/**
 * Code that several families run, with a version of its own: a change to it that
 * alters what trials compute bumps that version and so reruns every family using it.
 */
export interface SharedCode {
  readonly name: string;
  readonly version: number;
}

/** The light half: `<family>/index.ts` exports one, and `registry.ts` lists it. */
export interface FamilyDefinition<S extends z.ZodType = z.ZodType, N extends string = string> {
  readonly name: N;
  /**
   * Version of what this family's trials compute. It is part of every trial key, so
   * bumping it (after a change to the runner that alters results) reruns the
   * family's trials instead of returning the old numbers; the old rows stay queryable.
   */
  readonly version: number;
  /** Shared code the runner depends on (e.g. the training loop), each versioned on its own. */
  readonly uses: readonly SharedCode[];
  /** Validates and completes (defaults) one trial's parameters. Should be `.strict()` so typos are refused. */
  readonly params: S;
  /** The figures `sweep plot` and `sweep report` draw from this family's results (`<family>/plots.ts`). */
  readonly plots?: readonly PlotKind[];
  /** Loads the heavy half. Only the trial process calls this. */
  readonly load: () => Promise<{ default: FamilyRunner<z.output<S>> }>;
  /**
   * True when a trial with these parameters only waits (no compute, nothing that
   * can crash), so the worker may run it in its own event loop instead of forking
   * a process: orchestration benchmarks measure the orchestrator, not `fork`.
   */
  runsInline?(params: z.output<S>): boolean;
  /** Named results tables of the study (`sweep table SWEEP --preset paper`), from `<family>/tables.ts`. */
  readonly tables?: import('./table-preset').TablePresets;
}

/**
 * The code version a trial's key includes: 'train@1 training@2'. Recorded on
 * each trial row, and compared on resubmission.
 */
export function codeVersionOf(family: Pick<FamilyDefinition, 'name' | 'version' | 'uses'>): string {
  return [`${family.name}@${family.version}`, ...family.uses.map((code) => `${code.name}@${code.version}`)].join(' ');
}
