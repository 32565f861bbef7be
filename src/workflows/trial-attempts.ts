/**
 * Running one trial's attempts from workflow code: the runTrial activity with
 * the sweep's retry and timeout settings, and what a failure that outlived its
 * retries leaves in the database. The sweep workflow runs trials this way
 * since the `trials-as-activities` patch; the trial workflow (runs begun
 * before it) builds its activity options the same way.
 */
import { ActivityCancellationType, ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_TRIAL_ERRORS, TRIAL_CANCELLED_MESSAGE, type ControlActivities, type TrialActivities, type TrialOutcome } from '../contracts';
import type { ExecutionSettings } from '../sweep/execution';
import type { TrialSpec } from '../sweep/trial';

const control = proxyActivities<ControlActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** The runTrial activity's options: the sweep's task queue, timeouts and retry policy. */
export function trialActivityOptions(execution: ExecutionSettings, extra: Pick<ActivityOptions, 'summary' | 'activityId'> = {}): ActivityOptions {
  const { retry, timeouts, taskQueue } = execution;
  return {
    ...extra,
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
  };
}

/** The activity records math and input failures itself; what reaches here after retries is infrastructure. */
export async function recordFailureAfterRetries(key: string, err: unknown): Promise<TrialOutcome> {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  if (type && NON_RETRYABLE_TRIAL_ERRORS.includes(type)) return 'failed';
  const message = cause instanceof Error ? cause.message : String(cause);
  await control.recordTrialFailure({ key, kind: 'infra', message });
  return 'error';
}

/**
 * Runs the trial's attempts as an activity of the calling workflow and returns
 * its outcome. Cancelled (its sweep was), it leaves the trial re-runnable, as
 * an error a later submission picks up, and returns 'cancelled'.
 */
export async function runTrialAttempts(trial: TrialSpec, execution: ExecutionSettings, extra: Pick<ActivityOptions, 'summary' | 'activityId'>): Promise<TrialOutcome> {
  const trials = proxyActivities<TrialActivities>(trialActivityOptions(execution, extra));
  try {
    return await trials.runTrial(trial);
  } catch (err) {
    if (isCancellation(err) || CancellationScope.current().consideredCancelled) {
      await CancellationScope.nonCancellable(() => control.recordTrialFailure({ key: trial.key, kind: 'infra', message: TRIAL_CANCELLED_MESSAGE }));
      return 'cancelled';
    }
    return await recordFailureAfterRetries(trial.key, err);
  }
}
