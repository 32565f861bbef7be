import type { PrismaClient } from '../../db/client';
import { metricNamesOfSweep, metricRowsOfSweep, metricSeriesOfSweep } from '../../db/table-query';
import { aggregate, compareTuples, type ResultRow } from '../../results/aggregate';
import { formatTable, type TableFormat } from '../../results/format';
import { rowsFromSeries, splitBy } from '../../results/series-rows';
import { parseCommandArgs, type Command } from '../command';
import { resolveSweep } from '../resolve-sweep';
import { UsageError } from '../usage-error';

const FORMATS: readonly TableFormat[] = ['md', 'latex', 'csv'];

function keyList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((k) => k.trim()).filter(Boolean);
}

export const tableCommand: Command = {
  name: 'table',
  summary: 'a comparison table of a sweep: mean ± std over seeds, with n',
  help: `Usage: sweep table SWEEP --rows A[,B] [--cols C[,D]] [--by E] [--where K=V[,K2=V2]] --metric M [--format md|latex|csv] [--best max|min]

Each cell is the mean ± sample standard deviation of metric M over the finished
trials with those parameter values (usually: over seeds), with their count n.
M is a trial's summary value (e.g. testAccuracy), else the last point of its curve.
A key that is not a parameter but a metric reported per step (e.g. eps, when one
trial measures several corruption budgets) is an axis: M is then read at each step.

  --rows A,B        parameters (or per-step metrics) that make the rows
  --cols C          ... that make the columns (default: one column, the metric)
  --by E            one table per value of E (e.g. --by arch)
  --where K=V       only trials whose parameter K has value V (e.g. --where target=all)
  --metric M[,N]    the metric to tabulate (several: one table each, e.g.
                    lossIncrease.gradient,lossIncrease.random.mean; or, with
                    --cols metric, one table whose columns are the metrics)
  --format F        md (default), latex (booktabs) or csv
  --best max|min    bold the best cell of each column`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('table', argv, {
      rows: { type: 'string' },
      cols: { type: 'string' },
      metric: { type: 'string' },
      by: { type: 'string' },
      format: { type: 'string' },
      best: { type: 'string' },
      where: { type: 'string' },
    });
    const rowKeys = keyList(values.rows);
    const columnKeys = keyList(values.cols);
    const byKeys = keyList(values.by);
    const metrics = keyList(values.metric);
    const where = keyList(values.where).map((condition) => {
      const [key, ...rest] = condition.split('=');
      if (!key || rest.length === 0) throw new UsageError(`sweep table: --where takes KEY=VALUE pairs, got '${condition}'`);
      return [key.trim(), rest.join('=').trim()] as const;
    });
    const format = (values.format ?? 'md') as TableFormat;
    if (rowKeys.length === 0) throw new UsageError('sweep table: --rows is required (parameter names, comma-separated)');
    if (metrics.length === 0) throw new UsageError('sweep table: --metric is required (e.g. testAccuracy)');
    if (!FORMATS.includes(format)) throw new UsageError(`sweep table: --format must be one of ${FORMATS.join(', ')}, got '${format}'`);
    if (values.best !== undefined && values.best !== 'max' && values.best !== 'min') {
      throw new UsageError(`sweep table: --best must be max or min, got '${values.best}'`);
    }

    // Loaded here, not at start-up: `--help` and usage errors need no Prisma.
    const { createPrisma } = await import('../../db/client');
    const prisma = createPrisma();
    try {
      const sweep = await resolveSweep(prisma, 'table', positionals[0]);
      const pooled = new Set<string>();
      const sections: string[] = [];
      if (columnKeys.length === 1 && columnKeys[0] === METRIC_COLUMNS) {
        const tables = await metricColumnTables(prisma, sweep.id, metrics, { rowKeys, columnKeys, byKeys, where, format, best: values.best as 'max' | 'min' | undefined });
        tables.pooled.forEach((k) => pooled.add(k));
        sections.push(tables.rendered.join('\n\n'));
      }
      for (const metric of sections.length > 0 ? [] : metrics) {
        const tables = await tablesOf(prisma, sweep.id, metric, { rowKeys, columnKeys, byKeys, where, format, best: values.best as 'max' | 'min' | undefined });
        tables.pooled.forEach((k) => pooled.add(k));
        const body = tables.rendered.join('\n\n');
        sections.push(metrics.length === 1 ? body : format === 'md' ? `### ${metric}\n\n${body}` : `${format === 'latex' ? '%' : '#'} ${metric}\n${body}`);
      }
      console.log(sections.join('\n\n'));
      if (pooled.size > 0) {
        console.error(`note: cells pool trials that differ in ${[...pooled].sort().join(', ')}; add them to --rows, --cols or --by to separate them`);
      }
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

interface TableLayout {
  readonly rowKeys: string[];
  readonly columnKeys: string[];
  readonly byKeys: string[];
  readonly where: readonly (readonly [string, string])[];
  readonly format: TableFormat;
  readonly best: 'max' | 'min' | undefined;
}

/** `--cols metric`: the metrics side by side, one column each, in the order given. */
const METRIC_COLUMNS = 'metric';

async function metricColumnTables(prisma: PrismaClient, sweepId: string, metrics: readonly string[], layout: TableLayout) {
  const { rowKeys, byKeys, format, best } = layout;
  const rows: ResultRow[] = [];
  for (const metric of metrics) {
    for (const row of await rowsOf(prisma, sweepId, metric, { ...layout, columnKeys: [] })) rows.push({ ...row, params: { ...row.params, [METRIC_COLUMNS]: metric } });
  }
  const pooled = new Set<string>();
  const groups = splitBy(rows, byKeys).sort((a, b) => compareTuples(a.values, b.values));
  const rendered = groups.map((group) => {
    const sorted = aggregate(group.rows, { rowKeys, columnKeys: [METRIC_COLUMNS] });
    sorted.pooled.filter((k) => !byKeys.includes(k)).forEach((k) => pooled.add(k));
    // Columns in the order of --metric, not sorted by name.
    const order = metrics.map((m) => sorted.columns.findIndex((c) => c[0] === m)).filter((i) => i >= 0);
    const model = { ...sorted, columns: order.map((i) => sorted.columns[i]!), cells: sorted.cells.map((cells) => order.map((i) => cells[i]!)) };
    const table = formatTable(model, { format, metric: METRIC_COLUMNS, best });
    return titled(table, byKeys, group.values, format);
  });
  return { rendered, pooled };
}

function titled(table: string, byKeys: readonly string[], values: readonly unknown[], format: TableFormat): string {
  if (byKeys.length === 0) return table;
  const title = byKeys.map((k, i) => `${k} = ${String(values[i])}`).join(', ');
  return format === 'latex' ? `% ${title}\n${table}` : format === 'csv' ? `# ${title}\n${table}` : `**${title}**\n\n${table}`;
}

/** The tables of one metric (one per --by group), and the parameters their cells pool. */
async function tablesOf(prisma: PrismaClient, sweepId: string, metric: string, layout: TableLayout) {
  const { rowKeys, columnKeys, byKeys, format, best } = layout;
  const rows = await rowsOf(prisma, sweepId, metric, layout);
  const pooled = new Set<string>();
  const groups = splitBy(rows, byKeys).sort((a, b) => compareTuples(a.values, b.values));
  const rendered = groups.map((group) => {
    const model = aggregate(group.rows, { rowKeys, columnKeys });
    model.pooled.filter((k) => !byKeys.includes(k)).forEach((k) => pooled.add(k));
    return titled(formatTable(model, { format, metric, best }), byKeys, group.values, format);
  });
  return { rendered, pooled };
}

/** One metric's result rows for a table: per trial, or per step when an axis is a per-step metric; --where applied. */
async function rowsOf(prisma: PrismaClient, sweepId: string, metric: string, layout: TableLayout): Promise<ResultRow[]> {
  const { rowKeys, columnKeys, byKeys, where } = layout;
  const selected = (row: ResultRow) => where.every(([key, value]) => String(row.params[key]) === value);
  const allRows = await metricRowsOfSweep(prisma, sweepId, metric);
  const trialRows = allRows.filter(selected);
  if (allRows.length > 0 && trialRows.length === 0) {
    const shown = where.map(([key, value]) => `${key}=${value}`).join(', ');
    const seen = where.map(([key]) => `${key}: ${[...new Set(allRows.map((r) => String(r.params[key])))].sort().join(', ')}`).join('; ');
    throw new UsageError(`sweep table: no trial of ${sweepId} has ${shown} (values present: ${seen})`);
  }
  const params = new Set(trialRows.flatMap((r) => Object.keys(r.params)));
  const axes = [...byKeys, ...rowKeys, ...columnKeys].filter((k) => !params.has(k));
  let rows: ResultRow[] = trialRows;
  if (axes.length > 0 && trialRows.length > 0) {
    const metricNames = new Set(await metricNamesOfSweep(prisma, sweepId));
    const unknown = axes.filter((k) => !metricNames.has(k));
    if (unknown.length > 0) {
      throw new UsageError(
        `sweep table: ${sweepId} has no parameter or per-step metric ${unknown.map((k) => `'${k}'`).join(', ')} (parameters: ${[...params].sort().join(', ')})`,
      );
    }
    rows = rowsFromSeries(await metricSeriesOfSweep(prisma, sweepId, [metric, ...axes]), metric, axes).filter(selected);
  }
  if (trialRows.length > 0 && rows.every((r) => r.value === null)) {
    const finished = trialRows.filter((r) => r.status === 'done').length;
    throw new UsageError(`sweep table: no finished trial of ${sweepId} has a metric '${metric}' (${finished}/${trialRows.length} trials done)`);
  }
  return rows;
}
