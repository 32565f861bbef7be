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

/** Whether a value counts: null (unfinished) and NaN/±Infinity do not. */
function finite(value: string): Prisma.Sql {
  return Prisma.raw(`${value} NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`);
}

const column = (i: number) => Prisma.raw(`g${i}`);

function matching(expression: Prisma.Sql, text: string): Prisma.Sql {
  return Prisma.sql`${expression} = ANY(${jsonbCandidates(text)}::jsonb[])`;
}

/** The trials of the sweep that --where selects. */
function selectedTrials(sweepId: string, where: readonly Condition[]): Prisma.Sql {
  const conditions = where.map(([key, value]) => matching(parameter(key), value));
  return Prisma.sql`
    SELECT t.id, t.params, t.seed, t.status, t.summary
    FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
    WHERE st."sweepId" = ${sweepId}${conditions.length > 0 ? Prisma.sql` AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}`;
}

/**
 * What both kinds of table produce: `cell` (cid: its number, k: its key values
 * as one jsonb array, g0…gN: the same one by one, n, mean, std, pooled) and, for
 * a baseline, `per_seed` (cid, seed, v: the mean of the cell's values of that
 * seed). Joins are on one column, k or cid: Postgres multiplies the
 * selectivities of several join columns into estimates of a row or two, and
 * then picks nested loops over joins of 100,000 rows (a baseline table took
 * minutes); and the pairing groups by numbers, which sort fast, not by jsonb.
 *
 * Over trial values: one GROUP BY k, the jsonb array of the parameter values.
 * `point` is materialised so that each trial's value (its summary entry, else
 * its curve's last step) is read once, not once per aggregate that mentions it.
 * A value is null unless the trial is done; the aggregates skip non-finite
 * values, so a cell whose trials are all unfinished still has its place.
 */
function trialCells(q: CellQuery, perSeed: boolean): Prisma.Sql {
  const key = q.keys.length > 0 ? Prisma.sql`jsonb_build_array(${Prisma.join(q.keys.map(parameter))})` : Prisma.sql`'[]'::jsonb`;
  const keyValues = q.keys.map((_, i) => Prisma.raw(`k -> ${i} AS g${i}`));
  return Prisma.sql`
    point AS MATERIALIZED (
      SELECT ${key} AS k, ${listed(poolColumns(q))} t.seed,
        CASE WHEN t.status = 'done' THEN COALESCE(
          CASE WHEN jsonb_typeof(t.summary -> ${q.metric}) = 'number' THEN (t.summary ->> ${q.metric})::float8 END,
          (SELECT m.value FROM "Metric" m WHERE m."trialId" = t.id AND m.name = ${q.metric} ORDER BY m.step DESC LIMIT 1)
        ) END AS value
      FROM trial t),
    cell AS MATERIALIZED (
      SELECT row_number() OVER () AS cid, k, ${listed(keyValues)} ${aggregates}, ${pooledColumn(q.poolable)} AS pooled
      FROM point GROUP BY k)${
        perSeed
          ? Prisma.sql`,
    per_seed AS MATERIALIZED (
      SELECT c.cid, s.seed, s.v
      FROM (SELECT k, seed, avg(value) AS v FROM point WHERE ${finite('value')} GROUP BY k, seed) s JOIN cell c ON c.k = s.k)`
          : Prisma.empty
      }`;
}

/**
 * The same over per-step points (a trial's metric at each step, with the per-step
 * axes at that step). Millions of points are grouped by numbers, not jsonb: each
 * trial first gets the number of its parameter tuple (`grp`), a point's cell is
 * (grp, axis values), and k and the parameter values are made per cell.
 */
function stepCells(q: CellQuery, perSeed: boolean): Prisma.Sql {
  const paramKeys = q.keys.map((key, i) => ({ key, i })).filter(({ key }) => !q.axes.includes(key));
  const paramColumns = paramKeys.map(({ key, i }) => Prisma.sql`${parameter(key)} AS ${column(i)}`);
  const order = paramKeys.length > 0 ? Prisma.join(paramKeys.map(({ key }) => parameter(key))) : Prisma.sql`1`;
  const axisJoins = q.axes.map((axis, j) => {
    const a = Prisma.raw(`a${j}`);
    return Prisma.sql`JOIN "Metric" ${a} ON ${a}."trialId" = tg.id AND ${a}.name = ${axis} AND ${a}.step = m.step`;
  });
  const axes = q.axes.map((_, j) => `x${j}`);
  const axisValues = q.axes.map((_, j) => Prisma.raw(`a${j}.value AS x${j}`));
  const cellKey = (alias: string) => Prisma.raw(`jsonb_build_array(${[`${alias}.grp`, ...axes.map((x) => `${alias}.${x}`)].join(', ')})`);
  const byCell = Prisma.raw(['grp', ...axes].join(', '));
  // Every key in its place: a parameter from its group's values, an axis as jsonb.
  const keyValues = q.keys.map((name, i) => {
    const j = q.axes.indexOf(name);
    return Prisma.raw(j >= 0 ? `to_jsonb(c.x${j}) AS g${i}` : `gv.g${i}`);
  });
  const firstOfGroup = paramKeys.map(({ i }) => Prisma.raw(`(array_agg(g${i}))[1] AS g${i}`));
  return Prisma.sql`
    trial_group AS MATERIALIZED (
      SELECT t.id, t.seed, t.status, ${listed([...paramColumns, ...poolColumns(q)])} dense_rank() OVER (ORDER BY ${order}) AS grp
      FROM trial t),
    group_value AS (
      SELECT grp, ${listed(firstOfGroup)} ${pooledColumn(q.poolable)} AS pooled FROM trial_group GROUP BY grp),
    point AS${perSeed ? Prisma.sql` MATERIALIZED` : Prisma.empty} (
      SELECT tg.grp, ${listed(axisValues)} tg.seed, CASE WHEN tg.status = 'done' THEN m.value END AS value
      FROM trial_group tg
        JOIN "Metric" m ON m."trialId" = tg.id AND m.name = ${q.metric}
        ${Prisma.join(axisJoins, ' ')}),
    cell AS MATERIALIZED (
      SELECT row_number() OVER () AS cid, ${cellKey('c')} AS k, ${listed(keyValues)} c.n, c.mean, c.std, gv.pooled
      FROM (SELECT ${byCell}, ${aggregates} FROM point GROUP BY ${byCell}) c JOIN group_value gv ON gv.grp = c.grp)${
        perSeed
          ? Prisma.sql`,
    per_seed AS MATERIALIZED (
      SELECT c.cid, s.seed, s.v
      FROM (SELECT ${byCell}, seed, avg(value) AS v FROM point WHERE ${finite('value')} GROUP BY ${byCell}, seed) s
        JOIN cell c ON c.k = ${cellKey('s')})`
          : Prisma.empty
      }`;
}

/** A parameter's jsonb value; a missing one is JSON null, so that plain equality joins and hashes it. */
function parameter(key: string): Prisma.Sql {
  return Prisma.sql`COALESCE(t.params -> ${key}, 'null'::jsonb)`;
}

/** Only the parameters a cell could pool travel with each trial, not the whole params object. */
function poolColumns(q: CellQuery): Prisma.Sql[] {
  return q.poolable.map((key, i) => Prisma.sql`t.params -> ${key} AS ${Prisma.raw(`p${i}`)}`);
}

/** Items followed by a comma, or nothing. */
function listed(items: readonly Prisma.Sql[]): Prisma.Sql {
  return items.length > 0 ? Prisma.sql`${Prisma.join(items)},` : Prisma.empty;
}

const aggregates = Prisma.sql`(count(value) FILTER (WHERE ${finite('value')}))::int AS n,
        avg(value) FILTER (WHERE ${finite('value')}) AS mean, stddev_samp(value) FILTER (WHERE ${finite('value')}) AS std`;

/** Parameters in `poolable` whose values differ among a cell's trials, as a text[]. */
function pooledColumn(poolable: readonly string[]): Prisma.Sql {
  if (poolable.length === 0) return Prisma.sql`ARRAY[]::text[]`;
  const flags = poolable.map((key, i) => {
    const p = Prisma.raw(`p${i}::text`);
    return Prisma.sql`CASE WHEN min(${p}) IS DISTINCT FROM max(${p}) THEN ${key}::text END`;
  });
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

/** The statement of cellAggregatesOfSweep. */
function cellAggregatesSql(q: CellQuery): Prisma.Sql {
  const textGroups = q.keys.map((_, i) => Prisma.raw(`c.g${i}::text AS g${i}`));
  const baseline = q.baseline ?? [];
  let pairing = Prisma.empty;
  let pairingColumns = Prisma.sql`NULL::int AS seeds, NULL::int AS pairs, NULL::float8 AS diff_mean, NULL::float8 AS diff_std`;
  let pairingJoins = Prisma.empty;
  if (baseline.length > 0) {
    const named = baseline.map(([key]) => q.keys.indexOf(key));
    const baseRow = baseline.map(([, value], j) => matching(Prisma.raw(`b.g${named[j]}`), value));
    const others = (alias: string) => Prisma.raw(`jsonb_build_array(${q.keys.map((_, i) => i).filter((i) => !named.includes(i)).map((i) => `${alias}.g${i}`).join(', ')})`);
    // Each cell's baseline cell: the baseline's values in the named keys, the cell's own in the
    // others (as one array: one column to join on, see trialCells). Then per cell its seeds, and
    // its differences from the baseline seed by seed.
    pairing = Prisma.sql`,
      base_of AS (
        SELECT c.cid, b.cid AS base FROM cell c JOIN (SELECT * FROM cell b WHERE ${Prisma.join(baseRow, ' AND ')}) b ON ${others('b')} = ${others('c')}),
      seed_count AS (SELECT cid, count(*)::int AS seeds FROM per_seed GROUP BY cid),
      difference AS (
        SELECT p.cid, count(*)::int AS pairs, avg(p.v - b.v) AS diff_mean, stddev_samp(p.v - b.v) AS diff_std
        FROM per_seed p JOIN base_of bo ON bo.cid = p.cid JOIN per_seed b ON b.cid = bo.base AND b.seed = p.seed
        GROUP BY p.cid)`;
    pairingColumns = Prisma.sql`s.seeds, d.pairs, d.diff_mean, d.diff_std`;
    pairingJoins = Prisma.sql`
      LEFT JOIN seed_count s ON s.cid = c.cid
      LEFT JOIN difference d ON d.cid = c.cid`;
  }
  const cells = q.axes.length > 0 ? stepCells(q, baseline.length > 0) : trialCells(q, baseline.length > 0);
  return Prisma.sql`
    WITH trial AS (${selectedTrials(q.sweepId, q.where)}),
    ${cells}${pairing}
    SELECT ${listed(textGroups)} c.n, c.mean, c.std, c.pooled, ${pairingColumns}
    FROM cell c${pairingJoins}`;
}

/** Per cell of the table (every value tuple of `keys` among the selected trials): n, mean, sample std, pooled parameters. */
export async function cellAggregatesOfSweep(prisma: PrismaClient, q: CellQuery): Promise<CellAggregate[]> {
  // For this statement only (SET LOCAL, in a batch transaction: no interactive timeout):
  // JIT would compile for seconds to save milliseconds, as the never-run fallback subquery of
  // every trial inflates the cost estimate past jit_above_cost; and the hashes of the GROUP BYs
  // and joins fit in 64 MB where the default 4 MB spills them to disk.
  const [, , rows] = await prisma.$transaction([
    prisma.$executeRaw`SET LOCAL jit = off`,
    prisma.$executeRaw`SET LOCAL work_mem = '64MB'`,
    prisma.$queryRaw<CellRow[]>(cellAggregatesSql(q)),
  ]);
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
