/**
 * Names shared by the sweep workflow, its trial children and the client: the
 * progress query, the pause/resume signals, the completion signal a trial sends
 * to its sweep, and the search attributes the web UI filters on (SweepId,
 * SweepName, Family on the sweep and its trials; SweepStatus on the sweep).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TrialOutcome } from '../contracts';

export interface TrialFinished {
  readonly childId: string;
  readonly outcome: TrialOutcome;
}

export interface SweepProgress {
  readonly sweepId: string;
  /** Trials in the sweep. */
  readonly total: number;
  /** Finished before this submission (by an earlier run or another sweep): not rerun. */
  readonly skipped: number;
  /** Finished in this submission, by outcome. */
  readonly done: number;
  readonly failed: number;
  readonly errored: number;
  readonly running: number;
  readonly queued: number;
  readonly paused: boolean;
  /**
   * When the sweep (its first run, not this one) started, epoch ms. A query cannot
   * read the clock (workflow time stands still between tasks), so the client turns
   * this into elapsed time and an ETA: see src/client/progress-clock.ts.
   */
  readonly startedAtMs: number;
}

export const progressQuery = defineQuery<SweepProgress>('progress');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const trialFinishedSignal = defineSignal<[TrialFinished]>('trialFinished');

export const SweepIdAttribute = defineSearchAttributeKey('SweepId', SearchAttributeType.KEYWORD);
export const SweepNameAttribute = defineSearchAttributeKey('SweepName', SearchAttributeType.KEYWORD);
export const FamilyAttribute = defineSearchAttributeKey('Family', SearchAttributeType.KEYWORD);
/** The sweep workflow's state as a person would say it (set at submit, kept current by the sweep). */
export const SweepStatusAttribute = defineSearchAttributeKey('SweepStatus', SearchAttributeType.KEYWORD);

/** Values of SweepStatus. Paused is a running workflow that starts no new trials. */
export type SweepStatusValue = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

