/**
 * What a sweep's report says beyond its tables and plots, each read by one
 * aggregate query: which code, backends and hosts computed its trials, how long
 * they took, which parameters vary, and the trials that failed and why.
 */
import type { BackendCount, CodeRevisionCount, FailedTrial, HostCount, TrialProvenance } from '../results/report/report-model';
import type { TrialParams } from '../sweep/trial';
import type { PrismaClient } from './client';

/** Trials that ran to an end (a result or a recorded failure). */
const RAN = ['done', 'failed', 'error'];

export async function trialProvenance(prisma: PrismaClient, sweepId: string): Promise<TrialProvenance> {
  const [codeRevisions, backends, hosts, durations] = await Promise.all([
    prisma.$queryRaw<CodeRevisionCount[]>`
      SELECT t."codeRevision", t."codeVersion", count(*)::int AS trials
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${sweepId} AND t.status = ANY(${RAN}::text[])
      GROUP BY 1, 2 ORDER BY trials DESC, 1, 2`,
    // Only results: a failed trial may have died before it chose a backend.
    prisma.$queryRaw<BackendCount[]>`
      SELECT t.backend, t."backendVersion", t.device, count(*)::int AS trials
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${sweepId} AND t.status = 'done'
      GROUP BY 1, 2, 3 ORDER BY trials DESC, 1, 2, 3`,
    prisma.$queryRaw<HostCount[]>`
      SELECT t.host, count(*)::int AS trials
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${sweepId} AND t.status = ANY(${RAN}::text[])
      GROUP BY 1 ORDER BY trials DESC, 1`,
    prisma.$queryRaw<{ trials: number; totalMs: number | null; medianMs: number | null; maxMs: number | null }[]>`
      SELECT count(t."durationMs")::int AS trials, sum(t."durationMs")::float8 AS "totalMs",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY t."durationMs")::float8 AS "medianMs",
        max(t."durationMs")::float8 AS "maxMs"
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${sweepId} AND t.status = 'done'`,
  ]);
  const d = durations[0]!;
  return {
    codeRevisions,
    backends,
    hosts,
    durations: { trials: d.trials, totalMs: d.totalMs ?? 0, medianMs: d.medianMs, maxMs: d.maxMs },
  };
}

/** The parameters that take more than one value among the sweep's trials, by name. */
export async function varyingParamsOfSweep(prisma: PrismaClient, sweepId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ key: string }[]>`
    SELECT p.key
    FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId", jsonb_each(t.params) p
    WHERE st."sweepId" = ${sweepId}
    GROUP BY p.key HAVING count(DISTINCT p.value) > 1
    ORDER BY p.key`;
  return rows.map((r) => r.key);
}

/** At most `limit` of the sweep's failed and errored trials, in sweep order, and how many there are. */
export async function failedTrialsOf(prisma: PrismaClient, sweepId: string, limit: number): Promise<{ trials: FailedTrial[]; total: number }> {
  const [trials, counted] = await Promise.all([
    prisma.$queryRaw<(Omit<FailedTrial, 'params'> & { params: unknown })[]>`
      SELECT st.index, t.seed, t.params, t.status, t."failureKind", t.attempts, t.host, left(t.error, 4000) AS error
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${sweepId} AND t.status IN ('failed', 'error')
      ORDER BY st.index LIMIT ${limit}`,
    prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${sweepId} AND t.status IN ('failed', 'error')`,
  ]);
  return {
    trials: trials.map((t) => ({ ...t, params: (typeof t.params === 'string' ? JSON.parse(t.params) : t.params) as TrialParams })),
    total: counted[0]?.n ?? 0,
  };
}
