/**
 * Bookkeeping activities of the sweep workflow: paging through the trials still
 * to run, recording sweep and trial states, and checking on trial children that
 * may have closed without reporting. They run on the control task queue, so
 * they never wait behind a trial for a worker slot.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PrismaClient } from '../db/client';
import { MissingRecordError } from '../db/missing-record';
import { setSweepStatus, type SweepStatus } from '../db/sweeps';
import { nextPendingTrials, pendingTrialsAt, recordTrialFailure, trialOutcome } from '../db/trials';
import type { TrialFailureKind } from '../experiments/errors';
import type { TrialSpec } from '../sweep/trial';
import type { InFlightTrial } from '../workflows/types';

/** A trial child found closed, and how its trial ended according to the database. */
export interface ClosedTrial {
  readonly childId: string;
  readonly outcome: 'done' | 'failed' | 'error';
}

export interface ControlActivities {
  nextPendingTrials(page: { sweepId: string; afterIndex: number; limit: number }): Promise<TrialSpec[]>;
  pendingTrialsAt(at: { sweepId: string; indices: number[] }): Promise<TrialSpec[]>;
  setSweepStatus(sweepId: string, status: SweepStatus): Promise<void>;
  recordTrialFailure(failure: { key: string; kind: TrialFailureKind; message: string }): Promise<void>;
  reconcileClosedTrials(children: InFlightTrial[]): Promise<ClosedTrial[]>;
}

/** Describe calls in flight at once when reconciling a window of up to 500 children. */
const DESCRIBE_CONCURRENCY = 20;

export function createControlActivities(prisma: PrismaClient, temporal: Client): ControlActivities {
  return {
    nextPendingTrials: (page) => missingIsFinal(() => nextPendingTrials(prisma, page)),
    pendingTrialsAt: (at) => missingIsFinal(() => pendingTrialsAt(prisma, at)),
    setSweepStatus: (sweepId, status) => missingIsFinal(async () => void (await setSweepStatus(prisma, sweepId, status))),
    recordTrialFailure: (failure) => missingIsFinal(async () => void (await recordTrialFailure(prisma, failure))),
    reconcileClosedTrials: (children) =>
      missingIsFinal(async () => {
        const closed: ClosedTrial[] = [];
        for (let i = 0; i < children.length; i += DESCRIBE_CONCURRENCY) {
          await Promise.all(
            children.slice(i, i + DESCRIBE_CONCURRENCY).map(async ({ childId, key }) => {
              const status = await workflowStatus(temporal, childId);
              if (status === 'RUNNING') return;
              // Whatever the trial wrote stands; one left unfinished becomes `error`, rerun on resubmit.
              await recordTrialFailure(prisma, {
                key,
                kind: 'infra',
                message: `trial workflow ${childId} ended (${status.toLowerCase()}) without reporting to its sweep`,
              });
              closed.push({ childId, outcome: await trialOutcome(prisma, key) });
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

/** A missing sweep or trial row will not appear on retry: fail the activity for good. */
async function missingIsFinal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof MissingRecordError) throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}
