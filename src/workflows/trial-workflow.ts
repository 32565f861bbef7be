/**
 * One trial of a sweep as a child workflow, as sweeps ran every trial before
 * the `trials-as-activities` patch (sweep-workflow.ts): kept for the runs begun
 * before it, which start such children until they continue as new or close.
 * It runs the trial activity on the sweep's task queue with the sweep's retry
 * and timeout settings, records a failure that outlived its retries, and
 * reports the outcome to the sweep by signal (the sweep may have continued-as-new
 * since it started this child, so it is addressed by id).
 */
import { CancellationScope, getExternalWorkflowHandle, isCancellation, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { TRIAL_CANCELLED_MESSAGE, type ControlActivities, type TrialActivities, type TrialOutcome } from '../contracts';
import { trialFinishedSignal } from './definitions';
import { recordFailureAfterRetries, trialActivityOptions } from './trial-attempts';
import type { TrialWorkflowInput } from './types';

const control = proxyActivities<ControlActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function trialWorkflow(input: TrialWorkflowInput): Promise<TrialOutcome> {
  // What the web UI shows for the activity: which trial it trains.
  const trials = proxyActivities<TrialActivities>(trialActivityOptions(input.execution, input.summary === undefined ? {} : { summary: input.summary }));

  let outcome: TrialOutcome;
  try {
    outcome = await trials.runTrial(input.trial);
  } catch (err) {
    // Cancelled, or lost while being cancelled (its worker died and the heartbeat timed out).
    if (isCancellation(err) || CancellationScope.current().consideredCancelled) {
      // Leave the trial re-runnable: a later submission of the sweep picks it up.
      await CancellationScope.nonCancellable(async () => {
        await control.recordTrialFailure({ key: input.trial.key, kind: 'infra', message: TRIAL_CANCELLED_MESSAGE });
        await reportToSweep('cancelled');
      });
      throw err;
    }
    outcome = await recordFailureAfterRetries(input.trial.key, err);
  }
  await reportToSweep(outcome);
  return outcome;
}

async function reportToSweep(outcome: TrialOutcome): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId).signal(trialFinishedSignal, {
      childId: workflowInfo().workflowId,
      outcome,
    });
  } catch {
    // The sweep is gone (terminated or cancelled); the result is in the database all the same.
  }
}
