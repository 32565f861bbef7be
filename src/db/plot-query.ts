/**
 * The data of a plot: per configuration (a trial's parameters, the same for
 * every seed of it), metric and x, the mean, sample standard deviation and
 * count over the sweep's finished trials, aggregated by Postgres. Node gets
 * one row per point of the plot, never one per trial or per step.
 */
import type { MetricPattern, PlotPoint, PlotSource } from '../experiments/charts/plot-kind';
import type { TrialParams } from '../sweep/trial';
import { Prisma, type PrismaClient } from './client';

/** `mi.*` → `^mi\.[^.]+$`: `*` is one dot-separated part of a name. */
export function patternRegex(pattern: MetricPattern): string {
  const parts = pattern.split('*').map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'));
  return `^${parts.join('[^.]+')}$`;
}

/**
 * The SQL condition that `column` (a metric name) matches one of the patterns.
 * Names without `*` compare by equality, and the others by a LIKE on their
 * prefix before the regex: a regex on every row of a large Metric table
 * doubled the time of a plot's query.
 */
function nameMatches(column: Prisma.Sql, patterns: readonly MetricPattern[]): Prisma.Sql {
  const exact = patterns.filter((p) => !p.includes('*'));
  const wild = patterns.filter((p) => p.includes('*'));
  const prefixes = wild.map((p) => `${p.slice(0, p.indexOf('*')).replace(/[\\%_]/g, '\\$&')}%`);
  const conditions = [
    ...(exact.length > 0 ? [Prisma.sql`${column} = ANY(${exact}::text[])`] : []),
    ...(wild.length > 0 ? [Prisma.sql`(${column} LIKE ANY(${prefixes}::text[]) AND ${column} ~ ANY(${wild.map(patternRegex)}::text[]))`] : []),
  ];
  // Only the conditions needed: exact names alone stay a plain `= ANY(...)`.
  return conditions.length === 0 ? Prisma.sql`false` : Prisma.sql`(${Prisma.join(conditions, ' OR ')})`;
}

// One collator for every comparison: localeCompare with options builds one per call.
const NAMES = new Intl.Collator('en', { numeric: true });

interface AggregateRow {
  params: unknown;
  metric: string;
  x: number | null;
  mean: number;
  std: number;
  n: number;
  first: number;
}

export async function plotPoints(prisma: PrismaClient, sweepId: string, source: PlotSource): Promise<PlotPoint[]> {
  const rows = source.from === 'steps' ? await stepAggregates(prisma, sweepId, source.metrics, source.x) : await finalAggregates(prisma, sweepId, source.metrics);
  const regexes = source.metrics.map((pattern) => new RegExp(patternRegex(pattern)));
  const indexOf = new Map<string, number>();
  const patternIndex = (metric: string) => {
    if (!indexOf.has(metric)) indexOf.set(metric, regexes.findIndex((re) => re.test(metric)));
    return indexOf.get(metric)!;
  };
  // Configurations in the sweep's order, then the metrics in the source's order (mi.2 before mi.10), then x.
  rows.sort(
    (a, b) =>
      a.first - b.first || patternIndex(a.metric) - patternIndex(b.metric) || NAMES.compare(a.metric, b.metric) || (a.x ?? 0) - (b.x ?? 0),
  );
  return rows.map((r) => ({
    params: (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as TrialParams,
    metric: r.metric,
    x: r.x === null ? null : Number(r.x),
    mean: Number(r.mean),
    std: Number(r.std),
    n: Number(r.n),
  }));
}

/** Every step of the matching metrics; x is the step, or the `xMetric` reported at the same step of the same trial. */
async function stepAggregates(prisma: PrismaClient, sweepId: string, patterns: readonly MetricPattern[], xMetric: string | undefined): Promise<AggregateRow[]> {
  const x = xMetric === undefined ? Prisma.sql`m.step::float8` : Prisma.sql`xm.value`;
  const xJoin =
    xMetric === undefined ? Prisma.empty : Prisma.sql`JOIN "Metric" xm ON xm."trialId" = m."trialId" AND xm.step = m.step AND xm.name = ${xMetric}`;
  return prisma.$queryRaw<AggregateRow[]>`
    SELECT t.params, m.name AS metric, ${x} AS x,
      avg(m.value)::float8 AS mean, coalesce(stddev_samp(m.value), 0)::float8 AS std,
      count(*)::int AS n, min(st.index)::int AS first
    FROM "SweepTrial" st
    JOIN "Trial" t ON t.id = st."trialId"
    JOIN "Metric" m ON m."trialId" = t.id
    ${xJoin}
    WHERE st."sweepId" = ${sweepId} AND t.status = 'done' AND ${nameMatches(Prisma.sql`m.name`, patterns)}
    GROUP BY t.params, m.name, 3`;
}

/** One value per trial and matching metric: its summary entry, else the last step of its curve (as `sweep table` reads it). */
async function finalAggregates(prisma: PrismaClient, sweepId: string, patterns: readonly MetricPattern[]): Promise<AggregateRow[]> {
  return prisma.$queryRaw<AggregateRow[]>`
    WITH trials AS (
      SELECT t.id, t.params, t.summary, st.index
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${sweepId} AND t.status = 'done'
    ), finals AS (
      SELECT tr.params, tr.index, s.key AS metric, (s.value #>> '{}')::float8 AS value
      FROM trials tr
      CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(tr.summary) = 'object' THEN tr.summary ELSE '{}'::jsonb END) s
      WHERE jsonb_typeof(s.value) = 'number' AND ${nameMatches(Prisma.sql`s.key`, patterns)}
      UNION ALL
      (SELECT DISTINCT ON (m."trialId", m.name) tr.params, tr.index, m.name, m.value
        FROM trials tr JOIN "Metric" m ON m."trialId" = tr.id
        WHERE ${nameMatches(Prisma.sql`m.name`, patterns)} AND jsonb_typeof(tr.summary -> m.name) IS DISTINCT FROM 'number'
        ORDER BY m."trialId", m.name, m.step DESC)
    )
    SELECT params, metric, NULL::float8 AS x,
      avg(value)::float8 AS mean, coalesce(stddev_samp(value), 0)::float8 AS std,
      count(*)::int AS n, min(index)::int AS first
    FROM finals
    GROUP BY params, metric`;
}
