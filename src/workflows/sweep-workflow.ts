/**
 * One sweep: runs its unfinished trials through a bounded window of child
 * workflows. The design follows the sliding-window batch pattern: children are
 * started with ParentClosePolicy.ABANDON and report back by signal, so the
 * sweep can continue-as-new (bounding its history) while trials keep running.
 * A 10,000-trial sweep is twenty short runs of this workflow, not one long one.
 *
 * Two things a signal alone cannot promise are handled here as well: a child
 * that closes without reporting (terminated by hand, timed out) is found by a
 * periodic reconciliation, and a child cancelled while the sweep was not (a
 * cancelled earlier submission still winding down) is run again.
 */
import {
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ControlActivities } from '../activities/control';
import type { TrialSpec } from '../sweep/trial';
import {
  FamilyAttribute,
  pauseSignal,
  progressQuery,
  resumeSignal,
  SweepIdAttribute,
  SweepNameAttribute,
  trialFinishedSignal,
  type TrialFinished,
  type TrialOutcome,
} from './definitions';
import { trialWorkflow } from './trial-workflow';
import type { CarriedState, InFlightTrial, SweepCounters, SweepWorkflowInput } from './types';

/** Trials started per run before continuing as new: keeps each run's history to a few thousand events. */
const TRIALS_PER_RUN = 400;
/** Largest page of pending trials fetched at once. */
const PAGE_SIZE = 200;
/**
 * How long the sweep waits with nothing happening before it checks that its
 * children still run: the trials' heartbeat timeout (the sweep's own measure of
 * how much silence means lost), within bounds.
 */
function reconcileAfterMs(input: SweepWorkflowInput): number {
  return Math.min(Math.max(input.execution.timeouts.heartbeatMs, 10_000), 120_000);
}
/** Reconciliation rounds a cancelled sweep waits for its children to stop before it closes anyway. */
const CANCEL_WAIT_ROUNDS = 5;

const control = proxyActivities<ControlActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** A trial to start: `rerun` ones were started before and need a fresh child id. */
interface Queued {
  readonly trial: TrialSpec;
  readonly rerun: boolean;
}

export async function sweepWorkflow(input: SweepWorkflowInput): Promise<SweepCounters> {
  const carried: CarriedState = input.carried ?? {
    cursor: -1,
    exhausted: false,
    inFlight: [],
    requeued: [],
    counters: { total: input.total, skipped: input.skipped, done: 0, failed: 0, errored: 0 },
    paused: false,
    startedAtMs: Date.now(),
  };
  const counters: SweepCounters = { ...carried.counters };
  /** Running children, by child workflow id. */
  const inFlight = new Map(carried.inFlight.map((child) => [child.childId, child]));
  const requeued = [...carried.requeued];
  const window = input.execution.concurrency;
  let cursor = carried.cursor;
  let exhausted = carried.exhausted;
  let paused = carried.paused;
  let cancelling = false;
  let startedThisRun = 0;
  const buffer: Queued[] = [];

  const finish = (childId: string, outcome: TrialOutcome) => {
    // A child's report is counted once, whichever run of the sweep receives it.
    const child = inFlight.get(childId);
    if (!child) return;
    inFlight.delete(childId);
    if (outcome === 'cancelled' && !cancelling) requeued.push(child.index);
    else if (outcome === 'done') counters.done++;
    else if (outcome === 'failed') counters.failed++;
    else counters.errored++;
  };

  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => void (paused = false));
  setHandler(trialFinishedSignal, ({ childId, outcome }: TrialFinished) => finish(childId, outcome));
  setHandler(progressQuery, () => {
    const finished = counters.done + counters.failed + counters.errored;
    const remaining = counters.total - counters.skipped - finished;
    return {
      sweepId: input.sweepId,
      total: counters.total,
      skipped: counters.skipped,
      done: counters.done,
      failed: counters.failed,
      errored: counters.errored,
      running: inFlight.size,
      queued: Math.max(0, remaining - inFlight.size),
      paused,
      startedAtMs: carried.startedAtMs,
    };
  });

  /** Children that closed without a report (terminated, timed out) are counted from the database. */
  const reconcile = async () => {
    if (inFlight.size === 0) return;
    const closed = await control.reconcileClosedTrials([...inFlight.values()]);
    for (const { childId, outcome } of closed) finish(childId, outcome);
  };
  /** Waits for `ready`, checking on the children whenever nothing happened for a while. */
  const waitFor = async (ready: () => boolean, maxRounds = Infinity) => {
    for (let round = 0; round < maxRounds; round++) {
      if (await condition(ready, reconcileAfterMs(input))) return true;
      await reconcile();
    }
    return ready();
  };

  if (!input.carried) await control.setSweepStatus(input.sweepId, 'running');

  try {
    const needsNewRun = () => startedThisRun >= TRIALS_PER_RUN || workflowInfo().continueAsNewSuggested;
    const mustFetch = () => requeued.length > 0 || (buffer.length === 0 && !exhausted);
    const canStart = () => buffer.length > 0 && !paused && inFlight.size < window;
    const allFinished = () => buffer.length === 0 && requeued.length === 0 && exhausted && inFlight.size === 0;
    for (;;) {
      if (needsNewRun()) {
        // Trials fetched but not started are fetched again from the cursor; reruns are carried by index.
        return await continueAsNew<typeof sweepWorkflow>({
          ...input,
          carried: {
            cursor,
            exhausted: exhausted && buffer.every((q) => q.rerun),
            inFlight: [...inFlight.values()],
            requeued: [...requeued, ...buffer.filter((q) => q.rerun).map((q) => q.trial.index)],
            counters,
            paused,
            startedAtMs: carried.startedAtMs,
          },
        });
      }
      await waitFor(() => needsNewRun() || mustFetch() || canStart() || allFinished());
      if (allFinished()) break;
      if (needsNewRun()) continue;

      if (mustFetch()) {
        if (requeued.length > 0) {
          // A cancelled attempt may have completed after all: count it instead of running it again.
          const again = await control.trialsAt({ sweepId: input.sweepId, indices: requeued.splice(0) });
          for (const { outcome } of again.finished) counters[outcome === 'done' ? 'done' : 'failed']++;
          buffer.unshift(...again.pending.map((trial) => ({ trial, rerun: true })));
        } else {
          const page = await control.nextPendingTrials({ sweepId: input.sweepId, afterIndex: cursor, limit: PAGE_SIZE });
          buffer.push(...page.map((trial) => ({ trial, rerun: false })));
          // A short page is the last one: no empty fetch needed (which a pause would hold up).
          exhausted = page.length < PAGE_SIZE;
        }
        continue;
      }

      // Start as many as fit in one go: one workflow task issues them all.
      const batch = buffer.splice(0, Math.min(window - inFlight.size, TRIALS_PER_RUN - startedThisRun));
      await Promise.all(batch.map((queued) => startTrial(input, queued, inFlight)));
      cursor = Math.max(cursor, ...batch.filter((q) => !q.rerun).map((q) => q.trial.index));
      startedThisRun += batch.length;
    }

    await control.setSweepStatus(input.sweepId, counters.errored > 0 ? 'failed' : 'completed');
    return counters;
  } catch (err) {
    if (isCancellation(err)) {
      cancelling = true;
      // Children are abandoned on close, so cancelling the sweep must cancel them explicitly,
      // and waits until they stopped: a resubmission right after must not find them still running.
      await CancellationScope.nonCancellable(async () => {
        await Promise.all([...inFlight.keys()].map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
        await waitFor(() => inFlight.size === 0, CANCEL_WAIT_ROUNDS);
        // Trials cancelled just before the sweep was (their reports came first) will not run now.
        counters.errored += requeued.splice(0).length;
        await control.setSweepStatus(input.sweepId, 'cancelled');
      });
    }
    throw err;
  }
}

async function startTrial(input: SweepWorkflowInput, queued: Queued, inFlight: Map<string, InFlightTrial>): Promise<void> {
  const { trial } = queued;
  const base = `${workflowInfo().workflowId}/trial-${trial.index}`;
  const childId = queued.rerun ? `${base}.${uuid4().slice(0, 8)}` : base;
  inFlight.set(childId, { childId, key: trial.key, index: trial.index });
  try {
    await startChild(trialWorkflow, {
      workflowId: childId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ sweepId: input.sweepId, name: input.name, family: input.family, trial, execution: input.execution }],
      typedSearchAttributes: [
        { key: SweepIdAttribute, value: input.sweepId },
        { key: SweepNameAttribute, value: input.name },
        { key: FamilyAttribute, value: input.family },
      ],
    });
  } catch (err) {
    // Still running from an earlier run of this sweep (e.g. one that was terminated):
    // it reports to this workflow id all the same, so wait for it instead of starting it twice.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

