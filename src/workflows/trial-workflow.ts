/**
 * One trial of a sweep: runs the trial activity on the sweep's task queue with
 * the sweep's retry and timeout settings, records a failure that outlived its
 * retries, and reports the outcome to the sweep by signal (the sweep may have
 * continued-as-new since it started this child, so it is addressed by id).
 */
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import {
  NON_RETRYABLE_TRIAL_ERRORS,
  TRIAL_CANCELLED_MESSAGE,
  type ControlActivities,
  type TrialActivities,
  type TrialOutcome,
} from '../contracts';
import { trialFinishedSignal } from './definitions';
import type { TrialWorkflowInput } from './types';

const control = proxyActivities<ControlActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function trialWorkflow(input: TrialWorkflowInput): Promise<TrialOutcome> {
  const { retry, timeouts, taskQueue } = input.execution;
  const trials = proxyActivities<TrialActivities>({
    // What the web UI shows for the activity: which trial it trains.
    summary: input.summary,
    taskQueue,
    startToCloseTimeout: timeouts.trialMs,
    heartbeatTimeout: timeouts.heartbeatMs,
    // A cancelled trial is reported only once its process is gone: nothing of it runs on
    // after `sweep cancel` returns, and no result lands after the sweep counted it cancelled.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: [...NON_RETRYABLE_TRIAL_ERRORS],
    },
  });

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
    outcome = await recordFailure(input, err);
  }
  await reportToSweep(outcome);
  return outcome;
}

/** The activity records math and input failures itself; what reaches here after retries is infrastructure. */
async function recordFailure(input: TrialWorkflowInput, err: unknown): Promise<TrialOutcome> {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  if (type && NON_RETRYABLE_TRIAL_ERRORS.includes(type)) return 'failed';
  const message = cause instanceof Error ? cause.message : String(cause);
  await control.recordTrialFailure({ key: input.trial.key, kind: 'infra', message });
  return 'error';
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
