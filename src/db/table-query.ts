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

export interface SeriesPoint {
  params: TrialParams;
  seed: number;
  status: string;
  step: number;
  /** The named metrics at this step (absent names were not reported at it). */
  values: Record<string, number>;
}

/**
 * Every reported step of the named metrics, per trial of the sweep. A table
 * whose column is a per-step metric (say `eps`, the corruption budget of a
 * trial that measures many) reads its cells from the other metrics at the same step.
 */
export async function metricSeriesOfSweep(prisma: PrismaClient, sweepId: string, names: readonly string[]): Promise<SeriesPoint[]> {
  const rows = await prisma.$queryRaw<{ id: number; params: unknown; seed: number; status: string; step: number; name: string; value: number }[]>`
    SELECT t.id, t.params, t.seed, t.status, m.step, m.name, m.value
    FROM "SweepTrial" st
      JOIN "Trial" t ON t.id = st."trialId"
      JOIN "Metric" m ON m."trialId" = t.id AND m.name = ANY(${[...names]})
    WHERE st."sweepId" = ${sweepId}
    ORDER BY st.index, m.step`;
  const points = new Map<string, SeriesPoint>();
  for (const r of rows) {
    const id = `${r.id}:${r.step}`;
    let point = points.get(id);
    if (!point) {
      point = {
        params: (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as TrialParams,
        seed: r.seed,
        status: r.status,
        step: r.step,
        values: {},
      };
      points.set(id, point);
    }
    point.values[r.name] = Number(r.value);
  }
  return [...points.values()];
}

/** Names of the metrics any trial of the sweep reported. */
export async function metricNamesOfSweep(prisma: PrismaClient, sweepId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT DISTINCT m.name FROM "SweepTrial" st JOIN "Metric" m ON m."trialId" = st."trialId"
    WHERE st."sweepId" = ${sweepId} ORDER BY m.name`;
  return rows.map((r) => r.name);
}
