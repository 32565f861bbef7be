/**
 * The sweep workflow's bookkeeping, as plain state and functions with no
 * Temporal in them (type imports only), so every rule is unit-tested without a
 * server (test/workflows/sweep-bookkeeping.test.ts) and the workflow file is
 * only its loop of waits, signals and activity calls.
 *
 * The book holds: the window of running children (by child id), the counters,
 * a buffer of fetched trials not started yet, the cursor (index of the last
 * trial started from the pages: the next page starts after it), whether the
 * pages are exhausted, pause, and how many children this run started (a run
 * continues as new after `trialsPerRun`).
 *
 * Replay: the workflow's commands follow from these rules, so changing what a
 * function here returns for a given history is a workflow change like any
 * other: version it with patched() (README, "How it works"); the replay test
 * (test/workflows/replay.test.ts) fails when one is not.
 */
import type { InFlightTrial, TrialOutcome, TrialsAt } from '../contracts';
import type { TrialSpec } from '../sweep/trial';
import type { SweepProgress } from './definitions';
import type { CarriedState, SweepCounters, SweepWorkflowInput } from './types';

/** Children started per run before continuing as new: keeps each run's history to a few thousand events. */
export const TRIALS_PER_RUN = 400;
/**
 * Trials per run when they run as activities of the sweep (about four events
 * each instead of a child's three, plus its own history): the in-flight ones
 * drain before a run continues as new, so fewer, longer runs waste less.
 */
export const ACTIVITY_TRIALS_PER_RUN = 1000;
/** Largest page of pending trials fetched at once. */
export const PAGE_SIZE = 200;
/** Reconciliation rounds a cancelled sweep waits for its children to stop before it closes anyway. */
export const CANCEL_WAIT_ROUNDS = 5;

/**
 * How long the sweep waits with nothing happening before it checks that its
 * children still run: the trials' heartbeat timeout (the sweep's own measure of
 * how much silence means lost), within bounds.
 */
export function reconcileAfterMs(input: Pick<SweepWorkflowInput, 'execution' | 'tuning'>): number {
  return input.tuning?.reconcileAfterMs ?? Math.min(Math.max(input.execution.timeouts.heartbeatMs, 10_000), 120_000);
}

/** A fetched trial waiting to start; `rerun` ones (legacy requeue) were started before and need a fresh child id. */
export interface Queued {
  readonly trial: TrialSpec;
  readonly rerun: boolean;
}

export interface SweepBook {
  readonly sweepId: string;
  /** Children in flight at most: the sweep's resolved concurrency. */
  readonly window: number;
  readonly trialsPerRun: number;
  readonly pageSize: number;
  /**
   * Legacy rule, true only in runs begun before the `cancelled-child-is-error`
   * patch: a child cancelled while its sweep was not is run again (`requeued`).
   * Since the patch such a child counts as an error, rerun by the next submission.
   */
  readonly rerunCancelled: boolean;
  /** When the sweep's first run started, epoch ms. */
  readonly startedAtMs: number;
  readonly counters: SweepCounters;
  /** Running children, by child workflow id. */
  readonly inFlight: Map<string, InFlightTrial>;
  buffer: Queued[];
  /** Legacy: indices of trials whose child was cancelled by hand, to run again. */
  requeued: number[];
  cursor: number;
  exhausted: boolean;
  paused: boolean;
  cancelling: boolean;
  startedThisRun: number;
}

/** The book of a run: fresh for a first run, else what the previous run carried. */
export function openBook(input: SweepWorkflowInput, options: { nowMs: number; rerunCancelled: boolean; trialsPerRun?: number }): SweepBook {
  const carried = input.carried;
  const counters: SweepCounters = carried
    ? { ...carried.counters }
    : { total: input.total, skipped: input.skipped, done: 0, failed: 0, errored: 0 };
  let requeued = [...(carried?.requeued ?? [])];
  if (!options.rerunCancelled && requeued.length > 0) {
    // Carried from a run under the legacy rule: under today's, their cancelled children are errors.
    counters.errored += requeued.length;
    requeued = [];
  }
  return {
    sweepId: input.sweepId,
    window: input.execution.concurrency,
    trialsPerRun: input.tuning?.trialsPerRun ?? options.trialsPerRun ?? TRIALS_PER_RUN,
    pageSize: input.tuning?.pageSize ?? PAGE_SIZE,
    rerunCancelled: options.rerunCancelled,
    startedAtMs: carried?.startedAtMs ?? options.nowMs,
    counters,
    inFlight: new Map((carried?.inFlight ?? []).map((child) => [child.childId, child])),
    buffer: [],
    requeued,
    cursor: carried?.cursor ?? -1,
    exhausted: carried?.exhausted ?? false,
    paused: carried?.paused ?? false,
    cancelling: false,
    startedThisRun: 0,
  };
}

/** What a child's report did to the book. */
export type ReportEffect = 'done' | 'failed' | 'errored' | 'requeued' | 'ignored';

/**
 * Counts a child's report (its signal, or reconciliation finding it closed).
 * A child is counted once, whichever run of the sweep hears of it: a report of
 * a child not in flight (counted already, or never ours) is ignored.
 */
export function countReport(book: SweepBook, childId: string, outcome: TrialOutcome): ReportEffect {
  const child = book.inFlight.get(childId);
  if (!child) return 'ignored';
  book.inFlight.delete(childId);
  if (outcome === 'cancelled' && !book.cancelling && book.rerunCancelled) {
    book.requeued.push(child.index);
    return 'requeued';
  }
  if (outcome === 'done') {
    book.counters.done++;
    return 'done';
  }
  if (outcome === 'failed') {
    book.counters.failed++;
    return 'failed';
  }
  // 'error', and 'cancelled': cancelled with its sweep, or by hand (rerun by the next submission, as a terminated child is).
  book.counters.errored++;
  return 'errored';
}

export function setPaused(book: SweepBook, paused: boolean): void {
  book.paused = paused;
}

function needsNewRun(book: SweepBook, continueAsNewSuggested: boolean): boolean {
  return book.startedThisRun >= book.trialsPerRun || continueAsNewSuggested;
}
function mustFetch(book: SweepBook): boolean {
  return book.requeued.length > 0 || (book.buffer.length === 0 && !book.exhausted);
}
function canStart(book: SweepBook): boolean {
  return book.buffer.length > 0 && !book.paused && book.inFlight.size < book.window;
}
function allFinished(book: SweepBook): boolean {
  return book.buffer.length === 0 && book.requeued.length === 0 && book.exhausted && book.inFlight.size === 0;
}

/**
 * Checked first in every round, before waiting: this run has started its share
 * of children (or the server suggests it), so it continues as new now.
 */
export function shouldContinueAsNew(book: SweepBook, continueAsNewSuggested: boolean): boolean {
  return needsNewRun(book, continueAsNewSuggested);
}

/** Whether the sweep has something to do: the condition it waits on (with a reconciliation timeout). */
export function isReady(book: SweepBook, continueAsNewSuggested: boolean): boolean {
  return needsNewRun(book, continueAsNewSuggested) || mustFetch(book) || canStart(book) || allFinished(book);
}

export type Step = 'finish' | 'continue-as-new' | 'fetch-requeued' | 'fetch-page' | 'start';

/**
 * What the sweep does once its wait ended, in this order: finish when nothing
 * is left anywhere; continue as new; fetch (legacy requeued trials first, else
 * the next page once the buffer is empty); else start a batch.
 *
 * `start` is not checked against pause again: a pause that arrives in the same
 * workflow task as the report that opened the window (signals are handled
 * before the sweep's loop resumes) takes effect from the next batch. That is
 * what the sweep has always done, and the recorded histories hold such a case;
 * checking again would change the commands for them, so it needs a patch.
 * When nothing had room after all, the batch is empty and starts nothing.
 */
export function stepAfterWait(book: SweepBook, continueAsNewSuggested: boolean): Step {
  if (allFinished(book)) return 'finish';
  if (needsNewRun(book, continueAsNewSuggested)) return 'continue-as-new';
  if (book.requeued.length > 0) return 'fetch-requeued';
  if (mustFetch(book)) return 'fetch-page';
  return 'start';
}

/** The page to fetch next: trials after the cursor. */
export function pageRequest(book: SweepBook): { sweepId: string; afterIndex: number; limit: number } {
  return { sweepId: book.sweepId, afterIndex: book.cursor, limit: book.pageSize };
}

export function acceptPage(book: SweepBook, page: readonly TrialSpec[]): void {
  book.buffer.push(...page.map((trial) => ({ trial, rerun: false })));
  // A short page is the last one: no empty fetch needed (which a pause would hold up).
  book.exhausted = page.length < book.pageSize;
}

/** Legacy: takes the requeued trials to look up (all of them, in one query). */
export function takeRequeued(book: SweepBook): { sweepId: string; indices: number[] } {
  return { sweepId: book.sweepId, indices: book.requeued.splice(0) };
}

/** Legacy: a cancelled attempt may have completed after all: it is counted instead of run again. */
export function acceptRequeued(book: SweepBook, at: TrialsAt): void {
  for (const { outcome } of at.finished) book.counters[outcome === 'done' ? 'done' : 'failed']++;
  book.buffer.unshift(...at.pending.map((trial) => ({ trial, rerun: true })));
}

export interface Launch {
  readonly childId: string;
  readonly trial: TrialSpec;
}

/**
 * Takes as many buffered trials as fit in the window and in this run's share,
 * and records them as in flight. A trial's child id is `<sweep workflow
 * id>/trial-<index>`, so a resubmission (same workflow id) finds a child still
 * running from before; a legacy rerun gets `uniqueSuffix()` appended.
 */
export function startBatch(book: SweepBook, workflowId: string, uniqueSuffix: () => string): Launch[] {
  const room = Math.min(book.window - book.inFlight.size, book.trialsPerRun - book.startedThisRun);
  const batch = book.buffer.splice(0, Math.max(0, room));
  const launches = batch.map(({ trial, rerun }) => {
    const base = `${workflowId}/trial-${trial.index}`;
    const childId = rerun ? `${base}.${uniqueSuffix()}` : base;
    book.inFlight.set(childId, { childId, key: trial.key, index: trial.index });
    return { childId, trial };
  });
  book.cursor = Math.max(book.cursor, ...batch.filter((q) => !q.rerun).map((q) => q.trial.index));
  book.startedThisRun += batch.length;
  return launches;
}

/**
 * What continue-as-new hands the next run. Trials fetched but not started are
 * fetched again from the cursor; legacy reruns, which the pages no longer
 * return, are carried by index.
 */
export function carryOver(book: SweepBook): CarriedState {
  return {
    cursor: book.cursor,
    exhausted: book.exhausted && book.buffer.every((q) => q.rerun),
    inFlight: [...book.inFlight.values()],
    requeued: [...book.requeued, ...book.buffer.filter((q) => q.rerun).map((q) => q.trial.index)],
    counters: { ...book.counters },
    paused: book.paused,
    startedAtMs: book.startedAtMs,
  };
}

/** The sweep was cancelled: from now on a cancelled child is one it cancelled. */
export function beginCancel(book: SweepBook): void {
  book.cancelling = true;
}

/** After the children stopped: legacy requeued trials will not run now, so they are errors. */
export function settleCancel(book: SweepBook): void {
  book.counters.errored += book.requeued.splice(0).length;
}

/** The status the sweep closes with when every trial was counted. */
export function finalStatus(book: SweepBook): 'completed' | 'failed' {
  return book.counters.errored > 0 ? 'failed' : 'completed';
}

export function progressOf(book: SweepBook): SweepProgress {
  const { counters } = book;
  const finished = counters.done + counters.failed + counters.errored;
  const remaining = counters.total - counters.skipped - finished;
  return {
    sweepId: book.sweepId,
    total: counters.total,
    skipped: counters.skipped,
    done: counters.done,
    failed: counters.failed,
    errored: counters.errored,
    running: book.inFlight.size,
    queued: Math.max(0, remaining - book.inFlight.size),
    paused: book.paused,
    startedAtMs: book.startedAtMs,
  };
}
