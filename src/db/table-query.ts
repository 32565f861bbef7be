/**
 * Results tables out of Postgres. A trial's value of a metric is its summary
 * entry when it has one (the figure the experiment reports), else the last step
 * of that metric's series; a per-step metric used as a key (eps, epoch) makes
 * each step a point of its own, read with the metric at the same step.
 *
 * cellAggregatesOfSweep does the aggregation itself in SQL (GROUP BY over the
 * jsonb parameter values: count, avg, stddev_samp; with a baseline, the per-seed
 * differences too), so only one row per cell comes back, however many trials
 * and steps there are. The per-trial readers below it return every row.
 */
import type { CellAggregate } from '../results/build-tables';
import type { ResultRow } from '../results/aggregate';
import type { Condition } from '../results/table-layout';
import { jsonbCandidates } from '../results/value-match';
import type { ParamValue, TrialParams } from '../sweep/trial';
import { Prisma, type PrismaClient } from './client';

export interface CellQuery {
  readonly sweepId: string;
  readonly metric: string;
  /** What the cells are grouped by, in order: parameters, or per-step metrics (those listed in `axes`). */
  readonly keys: readonly string[];
  /** The keys that are per-step metrics, read at the metric's step. */
  readonly axes: readonly string[];
  /** Only trials whose parameters have these values. */
  readonly where: readonly Condition[];
  /** Parameters outside `keys` that may differ within a cell (the spec varies them): reported per cell as pooled. */
  readonly poolable: readonly string[];
  /** Row keys and values naming each cell's baseline: asks for the seed pairing of every cell with it. */
  readonly baseline?: readonly Condition[];
}

/** A value that counts: null (unfinished) and NaN/±Infinity do not. */
const FINITE = Prisma.sql`value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`;

const column = (i: number) => Prisma.raw(`g${i}`);

function matching(expression: Prisma.Sql, text: string): Prisma.Sql {
  return Prisma.sql`${expression} = ANY(${jsonbCandidates(text)}::jsonb[])`;
}

/** The trials of the sweep that --where selects. */
function selectedTrials(sweepId: string, where: readonly Condition[]): Prisma.Sql {
  const conditions = where.map(([key, value]) => matching(Prisma.sql`COALESCE(t.params -> ${key}, 'null'::jsonb)`, value));
  return Prisma.sql`
    SELECT t.id, t.params, t.seed, t.status, t.summary
    FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
    WHERE st."sweepId" = ${sweepId}${conditions.length > 0 ? Prisma.sql` AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}`;
}

/**
 * One row per point of the table: per trial, or per step where a key is a
 * per-step metric. `value` is null unless the trial is done; the aggregates
 * skip non-finite values (FINITE), so a cell whose trials are all unfinished
 * still has its place in the table.
 */
function points(q: CellQuery): Prisma.Sql {
  const keyColumns = q.keys.map((key, i) => {
    const axis = q.axes.indexOf(key);
    const expression = axis >= 0 ? Prisma.raw(`to_jsonb(a${axis}.value)`) : Prisma.sql`COALESCE(t.params -> ${key}, 'null'::jsonb)`;
    return Prisma.sql`${expression} AS ${column(i)}`;
  });
  const keyList = keyColumns.length > 0 ? Prisma.sql`${Prisma.join(keyColumns)},` : Prisma.empty;
  if (q.axes.length === 0) {
    return Prisma.sql`
      SELECT ${keyList} t.seed, t.params,
        CASE WHEN t.status = 'done' THEN COALESCE(
          CASE WHEN jsonb_typeof(t.summary -> ${q.metric}) = 'number' THEN (t.summary ->> ${q.metric})::float8 END,
          (SELECT m.value FROM "Metric" m WHERE m."trialId" = t.id AND m.name = ${q.metric} ORDER BY m.step DESC LIMIT 1)
        ) END AS value
      FROM trial t`;
  }
  const axisJoins = q.axes.map((axis, i) => {
    const a = Prisma.raw(`a${i}`);
    return Prisma.sql`JOIN "Metric" ${a} ON ${a}."trialId" = t.id AND ${a}.name = ${axis} AND ${a}.step = m.step`;
  });
  return Prisma.sql`
    SELECT ${keyList} t.seed, t.params, CASE WHEN t.status = 'done' THEN m.value END AS value
    FROM trial t
      JOIN "Metric" m ON m."trialId" = t.id AND m.name = ${q.metric}
      ${Prisma.join(axisJoins, ' ')}`;
}

/** Parameters in `poolable` whose values differ among a cell's points, as a text[]. */
function pooledColumn(poolable: readonly string[]): Prisma.Sql {
  if (poolable.length === 0) return Prisma.sql`ARRAY[]::text[]`;
  const flags = poolable.map((key) => Prisma.sql`CASE WHEN min((params -> ${key})::text) IS DISTINCT FROM max((params -> ${key})::text) THEN ${key}::text END`);
  return Prisma.sql`array_remove(ARRAY[${Prisma.join(flags)}]::text[], NULL)`;
}

interface CellRow {
  [column: string]: unknown;
  n: number;
  mean: number | null;
  std: number | null;
  pooled: string[] | string | null;
  seeds: number | null;
  pairs: number | null;
  diff_mean: number | null;
  diff_std: number | null;
}

/** Per cell of the table (every value tuple of `keys` among the selected trials): n, mean, sample std, pooled parameters. */
export async function cellAggregatesOfSweep(prisma: PrismaClient, q: CellQuery): Promise<CellAggregate[]> {
  const groups = q.keys.map((_, i) => column(i));
  const groupList = groups.length > 0 ? Prisma.join(groups) : null;
  const groupBy = (prefix = '', extra: string[] = []) => {
    const names = [...q.keys.map((_, i) => `${prefix}g${i}`), ...extra];
    return names.length > 0 ? Prisma.raw(`GROUP BY ${names.join(', ')}`) : Prisma.empty;
  };
  const sameCell = (a: string, b: string, except: readonly number[] = []) => {
    const equal = q.keys.map((_, i) => i).filter((i) => !except.includes(i)).map((i) => `${a}.g${i} = ${b}.g${i}`);
    return Prisma.raw(equal.length > 0 ? equal.join(' AND ') : 'TRUE');
  };
  const selectGroups = groupList ? Prisma.sql`${groupList},` : Prisma.empty;
  const textGroups = q.keys.map((_, i) => Prisma.raw(`c.g${i}::text AS g${i}`));

  let pairing = Prisma.empty;
  let pairingColumns = Prisma.sql`NULL::int AS seeds, NULL::int AS pairs, NULL::float8 AS diff_mean, NULL::float8 AS diff_std`;
  let pairingJoins = Prisma.empty;
  if (q.baseline && q.baseline.length > 0) {
    const named = q.baseline.map(([key]) => q.keys.indexOf(key));
    const baseRows = q.baseline.map(([, value], j) => matching(Prisma.raw(`g${named[j]}`), value));
    // Per cell and seed the mean of its values (one value, where the cell does not pool), and
    // each cell's differences from its baseline cell, seed by seed.
    pairing = Prisma.sql`,
      per_seed AS (
        SELECT ${selectGroups} seed, avg(value) AS v FROM point WHERE ${FINITE} ${groupBy('', ['seed'])}),
      seed_count AS (SELECT ${selectGroups} count(*)::int AS seeds FROM per_seed ${groupBy()}),
      base AS (SELECT * FROM per_seed WHERE ${Prisma.join(baseRows, ' AND ')}),
      difference AS (
        SELECT ${Prisma.raw(q.keys.map((_, i) => `p.g${i},`).join(' '))} count(*)::int AS pairs,
          avg(p.v - b.v) AS diff_mean, stddev_samp(p.v - b.v) AS diff_std
        FROM per_seed p JOIN base b ON p.seed = b.seed AND ${sameCell('p', 'b', named)}
        ${groupBy('p.')})`;
    pairingColumns = Prisma.sql`s.seeds, d.pairs, d.diff_mean, d.diff_std`;
    pairingJoins = Prisma.sql`
      LEFT JOIN seed_count s ON ${sameCell('s', 'c')}
      LEFT JOIN difference d ON ${sameCell('d', 'c')}`;
  }

  const rows = await prisma.$queryRaw<CellRow[]>`
    WITH trial AS (${selectedTrials(q.sweepId, q.where)}),
    point AS (${points(q)}),
    cell AS (
      SELECT ${selectGroups} (count(value) FILTER (WHERE ${FINITE}))::int AS n,
        avg(value) FILTER (WHERE ${FINITE}) AS mean, stddev_samp(value) FILTER (WHERE ${FINITE}) AS std,
        ${pooledColumn(q.poolable)} AS pooled
      FROM point ${groupBy()})${pairing}
    SELECT ${textGroups.length > 0 ? Prisma.sql`${Prisma.join(textGroups)},` : Prisma.empty} c.n, c.mean, c.std, c.pooled, ${pairingColumns}
    FROM cell c${pairingJoins}`;

  return rows.map((r) => ({
    values: q.keys.map((_, i) => parseJsonText(r[`g${i}`])),
    n: Number(r.n),
    mean: r.mean === null ? null : Number(r.mean),
    std: r.std === null ? null : Number(r.std),
    pooled: pgTextArray(r.pooled),
    ...(q.baseline && q.baseline.length > 0
      ? {
          pairing: {
            seeds: Number(r.seeds ?? 0),
            differences: r.pairs ? { n: Number(r.pairs), mean: Number(r.diff_mean), std: Number(r.diff_std ?? 0) } : null,
          },
        }
      : {}),
  }));
}

function parseJsonText(text: unknown): ParamValue {
  if (text === null || text === undefined) return null;
  return JSON.parse(String(text)) as ParamValue;
}

/** node-postgres parses text[] into an array; a driver that does not hands back '{a,b}'. */
function pgTextArray(value: string[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
}

/** The parameter names of the sweep's trials (every trial of a sweep has the same, defaults filled). */
export async function parameterNamesOfSweep(prisma: PrismaClient, sweepId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT jsonb_object_keys(t.params) AS name
    FROM (SELECT t.params FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId" WHERE st."sweepId" = ${sweepId} LIMIT 1) t`;
  return rows.map((r) => r.name);
}

/** Those of `names` that no trial of the sweep reported as a metric. */
export async function unreportedMetrics(prisma: PrismaClient, sweepId: string, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT u.name FROM unnest(${[...names]}::text[]) AS u(name)
    WHERE NOT EXISTS (
      SELECT 1 FROM "Metric" m JOIN "SweepTrial" st ON st."trialId" = m."trialId"
      WHERE m.name = u.name AND st."sweepId" = ${sweepId})`;
  return rows.map((r) => r.name);
}

/** Trials that --where selects, and how many of them are done. */
export async function selectedTrialCounts(prisma: PrismaClient, sweepId: string, where: readonly Condition[]): Promise<{ total: number; done: number }> {
  const [row] = await prisma.$queryRaw<{ total: number; done: number }[]>`
    WITH trial AS (${selectedTrials(sweepId, where)})
    SELECT count(*)::int AS total, (count(*) FILTER (WHERE status = 'done'))::int AS done FROM trial`;
  return { total: Number(row?.total ?? 0), done: Number(row?.done ?? 0) };
}

/** The distinct values of each parameter among the sweep's trials (for messages), as text. */
export async function parameterValuesOfSweep(prisma: PrismaClient, sweepId: string, keys: readonly string[]): Promise<Map<string, string[]>> {
  const values = new Map<string, string[]>();
  for (const key of keys) {
    const rows = await prisma.$queryRaw<{ value: string | null }[]>`
      SELECT DISTINCT (t.params -> ${key})::text AS value
      FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId" WHERE st."sweepId" = ${sweepId}`;
    values.set(key, rows.map((r) => (r.value === null ? 'undefined' : String(parseJsonText(r.value)))).sort());
  }
  return values;
}

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
