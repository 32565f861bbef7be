/**
 * One sweep: runs its unfinished trials through a bounded window of child
 * workflows. The design follows the sliding-window batch pattern: children are
 * started with ParentClosePolicy.ABANDON and report back by signal, so the
 * sweep can continue-as-new (bounding its history) while trials keep running.
 * A 10,000-trial sweep is twenty short runs of this workflow, not one long one.
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
} from './definitions';
import { trialWorkflow } from './trial-workflow';
import type { CarriedState, SweepCounters, SweepWorkflowInput } from './types';

/** Trials started per run before continuing as new: keeps each run's history to a few thousand events. */
const TRIALS_PER_RUN = 400;
/** Largest page of pending trials fetched at once. */
const PAGE_SIZE = 200;

const control = proxyActivities<ControlActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function sweepWorkflow(input: SweepWorkflowInput): Promise<SweepCounters> {
  const carried: CarriedState = input.carried ?? {
    cursor: -1,
    exhausted: false,
    inFlight: [],
    counters: { total: input.total, skipped: input.skipped, done: 0, failed: 0, errored: 0 },
    paused: false,
    startedAtMs: Date.now(),
  };
  const counters: SweepCounters = { ...carried.counters };
  const inFlight = new Set(carried.inFlight);
  const window = input.execution.concurrency;
  let cursor = carried.cursor;
  let exhausted = carried.exhausted;
  let paused = carried.paused;
  let startedThisRun = 0;
  let buffer: TrialSpec[] = [];

  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => void (paused = false));
  setHandler(trialFinishedSignal, ({ childId, outcome }: TrialFinished) => {
    // A child's report is counted once, whichever run of the sweep receives it.
    if (!inFlight.delete(childId)) return;
    if (outcome === 'done') counters.done++;
    else if (outcome === 'failed') counters.failed++;
    else counters.errored++;
  });
  setHandler(progressQuery, () => {
    const finished = counters.done + counters.failed + counters.errored;
    const remaining = counters.total - counters.skipped - finished;
    const elapsedMs = Date.now() - carried.startedAtMs;
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
      elapsedMs,
      etaMs: finished > 0 ? Math.round((elapsedMs / finished) * remaining) : null,
    };
  });

  if (!input.carried) await control.setSweepStatus(input.sweepId, 'running');

  try {
    while (startedThisRun < TRIALS_PER_RUN) {
      await condition(() => !paused && inFlight.size < window);
      if (buffer.length === 0) {
        if (exhausted) break;
        buffer = await control.nextPendingTrials({ sweepId: input.sweepId, afterIndex: cursor, limit: PAGE_SIZE });
        if (buffer.length === 0) exhausted = true;
        continue;
      }
      // Start as many as fit in one go: one workflow task issues them all.
      const batch = buffer.splice(0, Math.min(window - inFlight.size, TRIALS_PER_RUN - startedThisRun));
      await Promise.all(batch.map((trial) => startTrial(input, trial, inFlight)));
      cursor = batch[batch.length - 1]!.index;
      startedThisRun += batch.length;
    }

    if (!exhausted) {
      return await continueAsNew<typeof sweepWorkflow>({
        ...input,
        carried: { cursor, exhausted: false, inFlight: [...inFlight], counters, paused, startedAtMs: carried.startedAtMs },
      });
    }

    await condition(() => inFlight.size === 0);
    await control.setSweepStatus(input.sweepId, counters.errored > 0 ? 'failed' : 'completed');
    return counters;
  } catch (err) {
    if (isCancellation(err)) {
      // Children are abandoned on close, so cancelling the sweep must cancel them explicitly.
      await CancellationScope.nonCancellable(async () => {
        await Promise.all([...inFlight].map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
        await control.setSweepStatus(input.sweepId, 'cancelled');
      });
    }
    throw err;
  }
}

async function startTrial(input: SweepWorkflowInput, trial: TrialSpec, inFlight: Set<string>): Promise<void> {
  const childId = `${workflowInfo().workflowId}/trial-${trial.index}`;
  inFlight.add(childId);
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
