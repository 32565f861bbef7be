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
  /** Concurrency here is resolved: the in-flight window, 1..500. */
  readonly execution: ExecutionSettings & { readonly concurrency: number };
  readonly total: number;
  /** Trials already finished when the sweep was submitted. */
  readonly skipped: number;
  /** Set by continue-as-new: where the previous run left off. */
  readonly carried?: CarriedState;
}

/** A trial child still running: its workflow id and the trial it runs (key, and index in the sweep). */
export interface InFlightTrial {
  readonly childId: string;
  readonly key: string;
  readonly index: number;
}

export interface CarriedState {
  /** Index of the last trial started from the pages; the next page starts after it. */
  readonly cursor: number;
  readonly exhausted: boolean;
  readonly inFlight: InFlightTrial[];
  /** Indices of trials whose child was cancelled while the sweep was not: to run again. */
  readonly requeued: number[];
  readonly counters: SweepCounters;
  readonly paused: boolean;
  readonly startedAtMs: number;
}

export interface TrialWorkflowInput extends SweepIdentity {
  readonly trial: TrialSpec;
  readonly execution: ExecutionSettings;
}
