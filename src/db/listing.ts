/**
 * What `sweep ls` and `sweep trials` list, each in one query: the newest
 * sweeps with their trials counted by status, and one sweep's trials in
 * expansion order.
 */
import type { TrialParams } from '../sweep/trial';
import type { PrismaClient } from './client';
import type { SweepStatus, TrialStatus } from './sweeps';

export const TRIAL_STATUSES: readonly TrialStatus[] = ['pending', 'running', 'done', 'failed', 'error'];

export interface SweepListing {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly preset: string | null;
  readonly status: SweepStatus;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly error: number;
  readonly running: number;
  readonly pending: number;
  readonly createdAt: Date;
  /** When its workflow first ran (null until then). */
  readonly startedAt: Date | null;
  /** When it completed, failed or was cancelled (null while it runs). */
  readonly finishedAt: Date | null;
}

/**
 * The newest `limit` sweeps (optionally of one name), newest first. The sweeps
 * are picked first and their trials counted per sweep (a lateral join on
 * SweepTrial's primary key), so the cost grows with the sweeps listed, not
 * with every trial in the database.
 */
export async function listSweepsWithProgress(prisma: PrismaClient, options: { limit: number; name?: string }): Promise<SweepListing[]> {
  const name = options.name ?? null;
  const rows = await prisma.$queryRaw<(Omit<SweepListing, 'status'> & { status: string })[]>`
    SELECT s.id, s.name, s.family, s.preset, s.status, s.total, s."createdAt", s."startedAt", s."finishedAt",
      c.done, c.failed, c.error, c.running, c.pending
    FROM (
      SELECT * FROM "Sweep"
      WHERE ${name}::text IS NULL OR name = ${name}::text
      ORDER BY "createdAt" DESC, id
      LIMIT ${options.limit}
    ) s
    CROSS JOIN LATERAL (
      SELECT
        count(*) FILTER (WHERE t.status = 'done')::int AS done,
        count(*) FILTER (WHERE t.status = 'failed')::int AS failed,
        count(*) FILTER (WHERE t.status = 'error')::int AS error,
        count(*) FILTER (WHERE t.status = 'running')::int AS running,
        count(*) FILTER (WHERE t.status = 'pending')::int AS pending
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = s.id
    ) c
    ORDER BY s."createdAt" DESC, s.id`;
  return rows.map((row) => ({ ...row, status: row.status as SweepStatus }));
}

export interface TrialListing {
  /** Position in the sweep's expansion order. */
  readonly index: number;
  readonly key: string;
  readonly status: TrialStatus;
  readonly attempts: number;
  readonly params: TrialParams;
  readonly seed: number;
  readonly backend: string | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  /** Recorded when the trial finished with a result. */
  readonly durationMs: number | null;
  /** The first line of its error message (failed and error trials). */
  readonly error: string | null;
}

/** A sweep's trials in expansion order, optionally only those of one status. */
export async function listTrialsOfSweep(prisma: PrismaClient, sweepId: string, options: { status?: TrialStatus } = {}): Promise<TrialListing[]> {
  const status = options.status ?? null;
  const rows = await prisma.$queryRaw<(Omit<TrialListing, 'status' | 'params'> & { status: string; params: unknown })[]>`
    SELECT st.index, t.key, t.status, t.attempts, t.params, t.seed, t.backend, t."startedAt", t."finishedAt", t."durationMs",
      NULLIF(split_part(t.error, E'\n', 1), '') AS error
    FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
    WHERE st."sweepId" = ${sweepId} AND (${status}::text IS NULL OR t.status = ${status}::text)
    ORDER BY st.index`;
  return rows.map((row) => ({
    ...row,
    status: row.status as TrialStatus,
    params: (typeof row.params === 'string' ? JSON.parse(row.params) : row.params) as TrialParams,
  }));
}
