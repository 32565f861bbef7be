/**
 * Trial state transitions, keyed by the trial's content key. Every write is
 * safe to repeat: Temporal may run an activity twice (a retry after a lost
 * completion), and two sweeps may run the same trial at once.
 *
 *   pending/error ──start──▶ running ──result──▶ done      (final)
 *                                    ──math/input──▶ failed (final)
 *                                    ──infra──▶ error      (rerun on resubmit)
 */
import type { TrialFailureKind } from '../experiments/errors';
import type { TrialParams, TrialSpec } from '../sweep/trial';
import type { Prisma, PrismaClient } from './client';
import type { Trial } from './generated/client';
import { MissingRecordError } from './missing-record';
import { FINISHED_TRIAL_STATUSES } from './sweeps';

export interface MetricPoint {
  name: string;
  step: number;
  value: number;
}

export interface TrialResult {
  key: string;
  backend: string;
  /** TensorFlow's (or tfjs's) version; null when the family uses no tfjs backend. */
  backendVersion: string | null;
  /** Where the kernels ran: 'GPU 0', 'CPU, 2 threads'. */
  device: string | null;
  summary: Record<string, number>;
  points: readonly MetricPoint[];
  startedAt: Date;
  finishedAt: Date;
  host: string;
  attempt: number;
}

export interface TrialFailure {
  key: string;
  kind: TrialFailureKind;
  message: string;
  /** Omitted when the failure is recorded outside an attempt (after the last retry, or on cancellation). */
  attempt?: number;
  host?: string;
}

// Keeps a runaway stack trace or log dump from bloating the row.
const MAX_ERROR_CHARS = 20_000;

function unknownTrial(key: string): Error {
  return new MissingRecordError(`no trial with key ${key} (was its sweep registered?)`);
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** What a sweep-trial link query selects to make a TrialSpec of it. */
const LINK_AS_SPEC = { index: true, trial: { select: { key: true, family: true, codeVersion: true, params: true, seed: true } } } as const;

function specOfLink({
  index,
  trial,
}: {
  index: number;
  trial: { key: string; family: string; codeVersion: string | null; params: unknown; seed: number };
}): TrialSpec {
  // Rows from before code versions were recorded have none: '' (their keys were made without one).
  return { key: trial.key, family: trial.family, codeVersion: trial.codeVersion ?? '', params: parseJson<TrialParams>(trial.params), seed: trial.seed, index };
}

/** The sweep's trials still to run after `afterIndex`, in expansion order (one page). */
export async function nextPendingTrials(
  prisma: PrismaClient,
  page: { sweepId: string; afterIndex: number; limit: number },
): Promise<TrialSpec[]> {
  const links = await prisma.sweepTrial.findMany({
    where: { sweepId: page.sweepId, index: { gt: page.afterIndex }, trial: { status: { notIn: [...FINISHED_TRIAL_STATUSES] } } },
    orderBy: { index: 'asc' },
    take: page.limit,
    select: LINK_AS_SPEC,
  });
  return links.map(specOfLink);
}

/**
 * The sweep's trials at `indices`, split into those still to run and those
 * finished meanwhile (a cancelled attempt may have completed after all).
 */
export async function trialsAt(
  prisma: PrismaClient,
  at: { sweepId: string; indices: number[] },
): Promise<{ pending: TrialSpec[]; finished: { index: number; outcome: 'done' | 'failed' }[] }> {
  const links = await prisma.sweepTrial.findMany({
    where: { sweepId: at.sweepId, index: { in: at.indices } },
    orderBy: { index: 'asc' },
    select: { index: true, trial: { select: { ...LINK_AS_SPEC.trial.select, status: true } } },
  });
  const pending: TrialSpec[] = [];
  const finished: { index: number; outcome: 'done' | 'failed' }[] = [];
  for (const link of links) {
    const { status } = link.trial;
    if (status === 'done' || status === 'failed') finished.push({ index: link.index, outcome: status });
    else pending.push(specOfLink(link));
  }
  return { pending, finished };
}

/**
 * Marks a trial whose workflow ended without a word as `error` (rerun on
 * resubmit), only if it is still pending or running: a result or a failure it
 * recorded itself stands, and so does its own error message.
 */
export async function markTrialLost(prisma: PrismaClient, lost: { key: string; message: string }): Promise<void> {
  await prisma.trial.updateMany({
    where: { key: lost.key, status: { in: ['pending', 'running'] } },
    data: { status: 'error', failureKind: 'infra', error: lost.message.slice(0, MAX_ERROR_CHARS) },
  });
}

/** A trial's status as a sweep counts it: done, failed, or anything else (an error). */
export async function trialOutcome(prisma: PrismaClient, key: string): Promise<'done' | 'failed' | 'error'> {
  const row = await prisma.trial.findUnique({ where: { key }, select: { status: true } });
  if (!row) throw unknownTrial(key);
  return row.status === 'done' || row.status === 'failed' ? row.status : 'error';
}

/**
 * Marks an attempt as running. A trial already done or failed is left alone and
 * reported, so the caller can skip it.
 *
 * Committed without waiting for its WAL flush (synchronous_commit off for this
 * one statement's transaction): the mark is bookkeeping that a crash may lose
 * harmlessly (the row keeps its previous state, and the attempt's result is
 * written durably or not at all), and on a disk the flush was a trial's
 * largest fixed cost after the result's own (bench/README.md).
 */
export async function markTrialStarted(
  prisma: PrismaClient,
  start: { key: string; attempt: number; host: string; codeRevision: string | null },
): Promise<{ alreadyFinished: 'done' | 'failed' | null }> {
  const count = await prisma.$executeRaw`
    UPDATE "Trial"
    SET status = 'running', attempts = ${start.attempt}, "startedAt" = now(), "finishedAt" = NULL,
        "durationMs" = NULL, host = ${start.host}, "codeRevision" = ${start.codeRevision}
    WHERE key = ${start.key} AND status NOT IN ('done', 'failed')
      AND set_config('synchronous_commit', 'off', true) IS NOT NULL`;
  if (count > 0) return { alreadyFinished: null };
  const row = await prisma.trial.findUnique({ where: { key: start.key }, select: { status: true } });
  if (!row) throw unknownTrial(start.key);
  if (row.status === 'done' || row.status === 'failed') return { alreadyFinished: row.status };
  // It left done/failed between our two queries: impossible, both are final.
  throw new Error(`trial ${start.key} has unexpected status ${row.status}`);
}

/**
 * Writes a finished trial's summary and metric series exactly once, in one
 * statement (one round trip, one commit): the trial row is locked
 * (SELECT … FOR UPDATE), so concurrent calls for one key serialise and all but
 * the first find it `done` and write nothing. The points go in as three arrays
 * (INSERT … SELECT FROM unnest), three bind parameters however many rows, where
 * Prisma's createMany bound three per row (bench/metrics-ingest.ts).
 *
 * An attempt older than the trial's latest is refused: a worker cut off for
 * longer than the heartbeat timeout may finish after its trial was retried
 * elsewhere, and only the attempt Temporal still waits for may write.
 */
export async function recordTrialResult(prisma: PrismaClient, result: TrialResult): Promise<{ written: boolean; stale?: boolean }> {
  const { points } = result;
  const durationMs = Math.max(0, Math.round(result.finishedAt.getTime() - result.startedAt.getTime()));
  const rows = await prisma.$queryRaw<{ found: number; stale: number; written: number }[]>`
    WITH locked AS (
      SELECT id, status, attempts FROM "Trial" WHERE key = ${result.key} FOR UPDATE
    ), writable AS (
      SELECT id FROM locked WHERE status <> 'done' AND attempts <= ${result.attempt}
    ), metrics AS (
      INSERT INTO "Metric" ("trialId", "name", "step", "value")
      SELECT writable.id, u.name, u.step, u.value
      FROM writable, unnest(${points.map((p) => p.name)}::text[], ${points.map((p) => p.step)}::int[], ${points.map((p) => p.value)}::float8[]) AS u(name, step, value)
      ON CONFLICT ("trialId", "name", "step") DO NOTHING
    ), written AS (
      UPDATE "Trial" t
      SET status = 'done', summary = ${JSON.stringify(result.summary)}::jsonb, backend = ${result.backend},
          "backendVersion" = ${result.backendVersion}, device = ${result.device}, host = ${result.host},
          attempts = ${result.attempt}, "startedAt" = ${result.startedAt}, "finishedAt" = ${result.finishedAt},
          "durationMs" = ${durationMs}, "failureKind" = NULL, error = NULL
      FROM writable WHERE t.id = writable.id
      RETURNING t.id
    )
    SELECT (SELECT count(*) FROM locked)::int AS found,
           (SELECT count(*) FROM locked WHERE status <> 'done' AND attempts > ${result.attempt})::int AS stale,
           (SELECT count(*) FROM written)::int AS written`;
  const { found, stale, written } = rows[0]!;
  if (!found) throw unknownTrial(result.key);
  return stale ? { written: false, stale: true } : { written: written > 0 };
}

/**
 * math/input → `failed` (final: the same spec would fail the same way);
 * infra → `error` (rerun when the sweep is resubmitted). Never overwrites a done
 * trial, and an infra error never overwrites a final failure.
 */
export async function recordTrialFailure(prisma: PrismaClient, failure: TrialFailure): Promise<{ written: boolean }> {
  const infra = failure.kind === 'infra';
  const { count } = await prisma.trial.updateMany({
    where: { key: failure.key, status: { notIn: infra ? ['done', 'failed'] : ['done'] } },
    data: {
      status: infra ? 'error' : 'failed',
      failureKind: failure.kind,
      error: failure.message.slice(0, MAX_ERROR_CHARS),
      // Recorded by the workflow after the last attempt, the attempt count and host are the trial's own, already set.
      ...(failure.attempt === undefined ? {} : { attempts: failure.attempt }),
      ...(failure.host === undefined ? {} : { host: failure.host }),
      finishedAt: new Date(),
    },
  });
  if (count === 0 && !(await prisma.trial.findUnique({ where: { key: failure.key }, select: { id: true } }))) {
    throw unknownTrial(failure.key);
  }
  return { written: count > 0 };
}

/** The sweep's trials in expansion order, each with its index in the sweep. */
export async function trialsOfSweep(prisma: PrismaClient, sweepId: string): Promise<(Trial & { index: number })[]> {
  const links = await prisma.sweepTrial.findMany({
    where: { sweepId },
    orderBy: { index: 'asc' },
    select: { index: true, trial: true },
  });
  return links.map(({ index, trial }) => ({ ...trial, index }));
}
