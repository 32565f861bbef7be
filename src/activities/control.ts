/**
 * Bookkeeping activities of the sweep workflow: paging through the trials still
 * to run and recording sweep and trial states. They run on the control task
 * queue, so they never wait behind a trial for a worker slot.
 */
import type { PrismaClient } from '../db/client';
import { setSweepStatus, type SweepStatus } from '../db/sweeps';
import { nextPendingTrials, recordTrialFailure } from '../db/trials';
import type { TrialFailureKind } from '../experiments/errors';
import type { TrialSpec } from '../sweep/trial';

export interface ControlActivities {
  nextPendingTrials(page: { sweepId: string; afterIndex: number; limit: number }): Promise<TrialSpec[]>;
  setSweepStatus(sweepId: string, status: SweepStatus): Promise<void>;
  recordTrialFailure(failure: { key: string; kind: TrialFailureKind; message: string }): Promise<void>;
}

export function createControlActivities(prisma: PrismaClient): ControlActivities {
  return {
    nextPendingTrials: (page) => nextPendingTrials(prisma, page),
    setSweepStatus: async (sweepId, status) => {
      await setSweepStatus(prisma, sweepId, status);
    },
    recordTrialFailure: async (failure) => {
      await recordTrialFailure(prisma, failure);
    },
  };
}
