/**
 * The input of a results table: one row per trial of a sweep with the value of
 * one metric. The value is the trial's summary entry when it has one (the
 * figure the experiment reports), else the last step of that metric's series.
 */
import type { ResultRow } from '../results/aggregate';
import type { TrialParams } from '../sweep/trial';
import type { PrismaClient } from './client';

export async function metricRowsOfSweep(prisma: PrismaClient, sweepId: string, metric: string): Promise<ResultRow[]> {
  const rows = await prisma.$queryRaw<{ params: unknown; seed: number; status: string; value: number | null }[]>`
    SELECT t.params, t.seed, t.status,
      COALESCE(
        CASE WHEN jsonb_typeof(t.summary -> ${metric}) = 'number' THEN (t.summary ->> ${metric})::float8 END,
        (SELECT m.value FROM "Metric" m
          WHERE m."trialId" = t.id AND m.name = ${metric}
          ORDER BY m.step DESC LIMIT 1)
      ) AS value
    FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
    WHERE st."sweepId" = ${sweepId}
    ORDER BY st.index`;
  return rows.map((r) => ({
    params: (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as TrialParams,
    seed: r.seed,
    status: r.status,
    value: r.value === null ? null : Number(r.value),
  }));
}
