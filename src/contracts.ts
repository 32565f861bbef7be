/**
 * What the workflows and the activities agree on: the activity interfaces the
 * workflows proxy, how a trial ends, the error type names that decide whether
 * a failure is retried, and the sweep's limits. Both sides import this module
 * and neither imports the other, so a change to a contract is a change here.
 *
 * Workflow code imports it, so it must stay deterministic: no side effects, no
 * Node or SDK imports, and only type imports of other modules (erased at build).
 */
import type { SweepStatus } from './db/sweeps';
import type { TrialFailureKind } from './experiments/errors';
import type { TrialSpec } from './sweep/trial';

/** A sweep never keeps more trials in flight than this, whatever its settings (the sweep language's limit). */
export { MAX_IN_FLIGHT } from './sweep/limits';

/**
 * How a trial child ended, as it reports to its sweep. A sweep counts
 * `cancelled` as an error: the trial is rerun by the sweep's next submission.
 */
export type TrialOutcome = 'done' | 'failed' | 'error' | 'cancelled';

/** What the trial activity returns: a failure it throws (see the type names below). */
export type TrialActivityOutcome = 'done' | 'failed';

/**
 * Error types (ApplicationFailure `type`) a trial attempt fails with. Math and
 * input failures would recur on every attempt: recorded `failed`, never retried.
 * The names match the classes in src/experiments/errors.ts (test/workflows/contracts.test.ts).
 */
export const TRIAL_MATH_ERROR = 'TrialMathError';
export const TRIAL_INPUT_ERROR = 'TrialInputError';
/** An attempt lost to infrastructure (a crashed trial process): retried with backoff, then recorded `error`. */
export const TRIAL_CRASHED = 'TrialCrashed';
export const NON_RETRYABLE_TRIAL_ERRORS: readonly string[] = [TRIAL_MATH_ERROR, TRIAL_INPUT_ERROR];

/** The error message recorded on a trial whose child was cancelled (by its sweep or by hand). */
export const TRIAL_CANCELLED_MESSAGE = 'cancelled';

/** A trial child still running: its workflow id and the trial it runs (key, and index in the sweep). */
export interface InFlightTrial {
  readonly childId: string;
  readonly key: string;
  readonly index: number;
}

/**
 * A trial child found closed, and how it ended according to the database:
 * `cancelled` when the child was cancelled before its trial finished.
 */
export interface ClosedTrial {
  readonly childId: string;
  readonly outcome: TrialOutcome;
}

/** Trials at given indices: those still to run, and those that finished meanwhile. */
export interface TrialsAt {
  readonly pending: TrialSpec[];
  readonly finished: { index: number; outcome: 'done' | 'failed' }[];
}

/** Bookkeeping activities of the sweep and trial workflows (src/activities/control.ts), on the control task queue. */
export interface ControlActivities {
  nextPendingTrials(page: { sweepId: string; afterIndex: number; limit: number }): Promise<TrialSpec[]>;
  /**
   * Only for sweep runs begun before the `cancelled-child-is-error` patch, which
   * run a hand-cancelled child's trial again (src/workflows/sweep-workflow.ts).
   */
  trialsAt(at: { sweepId: string; indices: number[] }): Promise<TrialsAt>;
  setSweepStatus(sweepId: string, status: SweepStatus): Promise<void>;
  recordTrialFailure(failure: { key: string; kind: TrialFailureKind; message: string }): Promise<void>;
  reconcileClosedTrials(children: InFlightTrial[]): Promise<ClosedTrial[]>;
}

/** The trial activity (src/activities/trial.ts), on the sweep's trial task queue ('cpu', 'gpu'). */
export interface TrialActivities {
  runTrial(trial: TrialSpec): Promise<TrialActivityOutcome>;
}
