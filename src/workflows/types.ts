import type { InFlightTrial } from '../contracts';
import type { ExecutionSettings } from '../sweep/execution';
import type { TrialSpec } from '../sweep/trial';

/** Identity of a sweep, carried by every workflow it starts. */
export interface SweepIdentity {
  readonly sweepId: string;
  readonly name: string;
  readonly family: string;
}

/** Counters that survive continue-as-new. */
export interface SweepCounters {
  readonly total: number;
  readonly skipped: number;
  done: number;
  failed: number;
  errored: number;
}

export interface SweepWorkflowInput extends SweepIdentity {
  /** Concurrency here is resolved: the in-flight window, 1..MAX_IN_FLIGHT (src/contracts.ts). */
  readonly execution: ExecutionSettings & { readonly concurrency: number };
  readonly total: number;
  /** Trials already finished when the sweep was submitted. */
  readonly skipped: number;
  /** Set by continue-as-new: where the previous run left off. */
  readonly carried?: CarriedState;
  /** Tests only (a submitted sweep never sets it): smaller runs, pages and reconciliation waits. */
  readonly tuning?: SweepTuning;
  /**
   * The parameters that vary across the sweep, in the sweep file's order: what each trial's
   * summary names (src/sweep/trial-summary.ts). Absent in sweeps submitted before summaries.
   */
  readonly varying?: readonly string[];
}

export interface SweepTuning {
  /** Children a run starts before continuing as new (default TRIALS_PER_RUN, 400). */
  readonly trialsPerRun?: number;
  /** Trials per fetched page (default PAGE_SIZE, 200). */
  readonly pageSize?: number;
  /** Silence before the sweep checks on its children (default: the heartbeat timeout, 10 s to 2 min). */
  readonly reconcileAfterMs?: number;
}

export interface CarriedState {
  /** Index of the last trial started from the pages; the next page starts after it. */
  readonly cursor: number;
  readonly exhausted: boolean;
  readonly inFlight: InFlightTrial[];
  /**
   * Legacy (runs begun before the `cancelled-child-is-error` patch): indices of
   * trials whose child was cancelled by hand, to run again. Always written
   * (empty since the patch), so code from before it can still read a carried state.
   */
  readonly requeued: number[];
  readonly counters: SweepCounters;
  readonly paused: boolean;
  readonly startedAtMs: number;
}

export interface TrialWorkflowInput extends SweepIdentity {
  readonly trial: TrialSpec;
  readonly execution: ExecutionSettings;
  /** The trial's one-line summary (its workflow's static summary), given to its activity too; absent in older children. */
  readonly summary?: string;
}
