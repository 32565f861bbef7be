/**
 * Bookkeeping activities of the sweep workflow: paging through the trials still
 * to run, recording sweep and trial states, and checking on trial children that
 * may have closed without reporting. They run on the control task queue, so
 * they never wait behind a trial for a worker slot.
 *
 * Each waits out a database outage inside its attempt, up to its start-to-close
 * timeout, rather than failing at the first refused connection; past that,
 * Temporal retries it (the sweep's control activities retry without limit).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { TRIAL_CANCELLED_MESSAGE, type ClosedTrial, type ControlActivities } from '../contracts';
import type { PrismaClient } from '../db/client';
import { MissingRecordError } from '../db/missing-record';
import { setSweepStatus } from '../db/sweeps';
import { markTrialLost, nextPendingTrials, recordTrialFailure, trialOutcome, trialsAt } from '../db/trials';
import { untilDatabaseAnswers } from './until-database-answers';

/** Describe calls in flight at once when reconciling a window of up to 500 children. */
const DESCRIBE_CONCURRENCY = 20;

export function createControlActivities(prisma: PrismaClient, temporal: Client): ControlActivities {
  return {
    nextPendingTrials: (page) => bookkeeping('paging through pending trials', () => nextPendingTrials(prisma, page)),
    trialsAt: (at) => bookkeeping('looking up trials', () => trialsAt(prisma, at)),
    setSweepStatus: (sweepId, status) => bookkeeping(`setting the sweep ${status}`, async () => void (await setSweepStatus(prisma, sweepId, status))),
    recordTrialFailure: (failure) => bookkeeping('recording a trial failure', async () => void (await recordTrialFailure(prisma, failure))),
    reconcileClosedTrials: (children) =>
      bookkeeping('reconciling closed trials', async () => {
        const closed: ClosedTrial[] = [];
        for (let i = 0; i < children.length; i += DESCRIBE_CONCURRENCY) {
          await Promise.all(
            children.slice(i, i + DESCRIBE_CONCURRENCY).map(async ({ childId, key }) => {
              const status = await workflowStatus(temporal, childId);
              if (status === 'RUNNING') return;
              const cancelled = status === 'CANCELLED';
              await markTrialLost(prisma, {
                key,
                message: cancelled ? TRIAL_CANCELLED_MESSAGE : `trial workflow ${childId} ended (${status.toLowerCase()}) without reporting to its sweep`,
              });
              const outcome = await trialOutcome(prisma, key);
              // The sweep decides what a cancelled child means (src/workflows/sweep-bookkeeping.ts: an error).
              closed.push({ childId, outcome: cancelled && outcome === 'error' ? 'cancelled' : outcome });
            }),
          );
        }
        return closed;
      }),
  };
}

async function workflowStatus(temporal: Client, workflowId: string): Promise<string> {
  try {
    return (await temporal.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'NOT_FOUND';
    throw err;
  }
}

/** Stop waiting for the database this long before the activity's start-to-close deadline, so its failure still reaches Temporal. */
const DEADLINE_MARGIN_MS = 2_000;

/**
 * Runs one activity's queries, waiting out a database outage until its deadline;
 * a missing sweep or trial row will not appear on retry: the activity fails for good.
 */
async function bookkeeping<T>(what: string, work: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  try {
    return await untilDatabaseAnswers(what, work, {
      deadline: Date.now() + ctx.info.startToCloseTimeoutMs - DEADLINE_MARGIN_MS,
      signal: ctx.cancellationSignal,
      log: (message) => ctx.log.warn(message),
    });
  } catch (err) {
    if (err instanceof MissingRecordError) throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}
