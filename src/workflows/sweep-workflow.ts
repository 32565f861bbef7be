/**
 * One sweep: runs its unfinished trials through a bounded window of child
 * workflows. The design follows the sliding-window batch pattern: children are
 * started with ParentClosePolicy.ABANDON and report back by signal, so the
 * sweep can continue-as-new (bounding its history) while trials keep running.
 * A 10,000-trial sweep is twenty-five short runs of this workflow, not one long one.
 *
 * This file is the loop of waits, signals and activity calls; what each event
 * means for the window, the counters and the pages is in sweep-bookkeeping.ts.
 * A child that closes without reporting (terminated by hand, timed out) is
 * found by a periodic reconciliation and counted from its database row.
 *
 * A child cancelled by hand (web UI, `temporal workflow cancel`) while its sweep
 * runs on counts as an error, as a terminated one does: the sweep's next
 * submission runs it again. Until the `cancelled-child-is-error` patch the sweep
 * ran such a trial again at once, under a fresh child id. That cost a requeue
 * list, a rerun flag on buffered trials, a second fetch path (the trialsAt
 * activity and query), unique child ids, and two carried fields; it needed two
 * follow-up fixes (b0402b6, b9ae9b1); and it undid what a cancel asks for (stop
 * this trial) while making cancel and terminate mean different things. The case
 * it was for, a cancelled submission still winding down when the next one
 * starts, no longer arises from `sweep cancel`, which returns only once the
 * children have stopped. Runs begun before the patch keep the old rule until
 * they continue as new or close (`rerunCancelled`); see README, "How it works",
 * on removing that path with deprecatePatch().
 *
 * For the web UI, each child starts with a static summary and details (what
 * sets it apart in the sweep; src/sweep/trial-summary.ts), and the sweep keeps
 * its SweepStatus search attribute (set to `running` at submit) current through
 * pause, resume and its end: upserts, versioned by the `sweep-status-attribute`
 * patch (statusShower below).
 */
import {
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ControlActivities } from '../contracts';
import {
  FamilyAttribute,
  pauseSignal,
  progressQuery,
  resumeSignal,
  SweepIdAttribute,
  SweepNameAttribute,
  SweepStatusAttribute,
  trialFinishedSignal,
  type SweepStatusValue,
  type TrialFinished,
} from './definitions';
import {
  acceptPage,
  acceptRequeued,
  beginCancel,
  CANCEL_WAIT_ROUNDS,
  carryOver,
  countReport,
  finalStatus,
  isReady,
  openBook,
  pageRequest,
  progressOf,
  reconcileAfterMs,
  setPaused,
  settleCancel,
  shouldContinueAsNew,
  startBatch,
  stepAfterWait,
  takeRequeued,
  type Launch,
} from './sweep-bookkeeping';
import { trialDetails, trialSummary } from '../sweep/trial-summary';
import { progressDetails } from './progress-details';
import { trialWorkflow } from './trial-workflow';
import type { SweepCounters, SweepWorkflowInput } from './types';

/** Patch id: a hand-cancelled child counts as an error instead of being run again (see above). */
export const CANCELLED_CHILD_IS_ERROR = 'cancelled-child-is-error';
/** Patch id: the sweep keeps its SweepStatus search attribute current (an upsert command per change). */
export const SWEEP_STATUS_ATTRIBUTE = 'sweep-status-attribute';

const control = proxyActivities<ControlActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function sweepWorkflow(input: SweepWorkflowInput): Promise<SweepCounters> {
  // Decided once per run, at its start: a run begun before the patch (replayed without its marker) keeps the old rule.
  const book = openBook(input, { nowMs: Date.now(), rerunCancelled: !patched(CANCELLED_CHILD_IS_ERROR) });
  const continueAsNewSuggested = () => workflowInfo().continueAsNewSuggested;
  const showStatus = statusShower();
  showStatus(book.paused ? 'paused' : 'running');
  // The web UI's "Current Details": no command, so safe to change at any time.
  const showProgress = (finished = false) =>
    setCurrentDetails(progressDetails(progressOf(book), finished ? 'finished' : book.cancelling ? 'cancelling' : 'running'));

  const pauseOrResume = (paused: boolean) => {
    setPaused(book, paused);
    if (!book.cancelling) showStatus(paused ? 'paused' : 'running');
    showProgress();
  };
  setHandler(pauseSignal, () => pauseOrResume(true));
  setHandler(resumeSignal, () => pauseOrResume(false));
  setHandler(trialFinishedSignal, ({ childId, outcome }: TrialFinished) => {
    countReport(book, childId, outcome);
    showProgress();
  });
  setHandler(progressQuery, () => progressOf(book));

  /** Children that closed without a report (terminated, timed out) are counted from the database. */
  const reconcile = async () => {
    if (book.inFlight.size === 0) return;
    const closed = await control.reconcileClosedTrials([...book.inFlight.values()]);
    for (const { childId, outcome } of closed) countReport(book, childId, outcome);
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
    for (;;) {
      showProgress();
      if (shouldContinueAsNew(book, continueAsNewSuggested())) {
        return await continueAsNew<typeof sweepWorkflow>({ ...input, carried: carryOver(book) });
      }
      await waitFor(() => isReady(book, continueAsNewSuggested()));
      const step = stepAfterWait(book, continueAsNewSuggested());
      if (step === 'finish') break;
      if (step === 'fetch-page') acceptPage(book, await control.nextPendingTrials(pageRequest(book)));
      else if (step === 'fetch-requeued') acceptRequeued(book, await control.trialsAt(takeRequeued(book)));
      else if (step === 'start') {
        // As many as fit, in one go: one workflow task issues them all.
        const launches = startBatch(book, workflowInfo().workflowId, () => uuid4().slice(0, 8));
        await Promise.all(launches.map((launch) => startTrial(input, launch)));
      }
      // 'continue-as-new' is taken at the top of the next round.
    }

    showProgress(true);
    showStatus(finalStatus(book));
    await control.setSweepStatus(input.sweepId, finalStatus(book));
    return book.counters;
  } catch (err) {
    if (isCancellation(err)) {
      beginCancel(book);
      showProgress();
      // Children are abandoned on close, so cancelling the sweep must cancel them explicitly,
      // and waits until they stopped: a resubmission right after must not find them still running.
      await CancellationScope.nonCancellable(async () => {
        await Promise.all([...book.inFlight.keys()].map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
        await waitFor(() => book.inFlight.size === 0, CANCEL_WAIT_ROUNDS);
        settleCancel(book);
        showProgress(true);
        showStatus('cancelled');
        await control.setSweepStatus(input.sweepId, 'cancelled');
      });
    }
    throw err;
  }
}

/**
 * Sets SweepStatus when it changes. Only in runs begun since the patch (a run that
 * began without it never upserts, so its history replays), and only for sweeps
 * submitted with the attribute: an older submission lacks it, and on a cluster where
 * no submitter has added it yet an upsert would fail the workflow task.
 */
function statusShower(): (status: SweepStatusValue) => void {
  let shown = workflowInfo().typedSearchAttributes.get(SweepStatusAttribute);
  const tracked = shown !== undefined && patched(SWEEP_STATUS_ATTRIBUTE);
  return (status) => {
    if (!tracked || status === shown) return;
    upsertSearchAttributes([{ key: SweepStatusAttribute, value: status }]);
    shown = status;
  };
}

async function startTrial(input: SweepWorkflowInput, { childId, trial }: Launch): Promise<void> {
  // What the web UI shows for the child: the values that set it apart in its sweep, and all of it.
  const summary = trialSummary(trial, input.varying ?? []);
  try {
    await startChild(trialWorkflow, {
      workflowId: childId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ sweepId: input.sweepId, name: input.name, family: input.family, trial, execution: input.execution, summary }],
      staticSummary: summary,
      staticDetails: trialDetails(trial, input.name),
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
