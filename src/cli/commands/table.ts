import { createPrisma } from '../../db/client';
import { metricRowsOfSweep } from '../../db/table-query';
import { aggregate } from '../../results/aggregate';
import { formatTable, type TableFormat } from '../../results/format';
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
  help: `Usage: sweep table SWEEP --rows A[,B] [--cols C[,D]] --metric M [--format md|latex|csv] [--best max|min]

Each cell is the mean ± sample standard deviation of metric M over the finished
trials with those parameter values (usually: over seeds), with their count n.
M is a trial's summary value (e.g. testAccuracy), else the last point of its curve.

  --rows A,B        parameters that make the rows
  --cols C          parameters that make the columns (default: one column, the metric)
  --metric M        the metric to tabulate
  --format F        md (default), latex (booktabs) or csv
  --best max|min    bold the best cell of each column`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('table', argv, {
      rows: { type: 'string' },
      cols: { type: 'string' },
      metric: { type: 'string' },
      format: { type: 'string' },
      best: { type: 'string' },
    });
    const rowKeys = keyList(values.rows);
    const columnKeys = keyList(values.cols);
    const metric = values.metric;
    const format = (values.format ?? 'md') as TableFormat;
    if (rowKeys.length === 0) throw new UsageError('sweep table: --rows is required (parameter names, comma-separated)');
    if (!metric) throw new UsageError('sweep table: --metric is required (e.g. testAccuracy)');
    if (!FORMATS.includes(format)) throw new UsageError(`sweep table: --format must be one of ${FORMATS.join(', ')}, got '${format}'`);
    if (values.best !== undefined && values.best !== 'max' && values.best !== 'min') {
      throw new UsageError(`sweep table: --best must be max or min, got '${values.best}'`);
    }

    const prisma = createPrisma();
    try {
      const sweep = await resolveSweep(prisma, 'table', positionals[0]);
      const rows = await metricRowsOfSweep(prisma, sweep.id, metric);
      const known = new Set(rows.flatMap((r) => Object.keys(r.params)));
      const unknown = [...rowKeys, ...columnKeys].filter((k) => !known.has(k));
      if (rows.length > 0 && unknown.length > 0) {
        throw new UsageError(`sweep table: ${sweep.id} has no parameter ${unknown.map((k) => `'${k}'`).join(', ')} (it has: ${[...known].sort().join(', ')})`);
      }
      if (rows.length > 0 && rows.every((r) => r.value === null)) {
        const finished = rows.filter((r) => r.status === 'done').length;
        throw new UsageError(`sweep table: no finished trial of ${sweep.id} has a metric '${metric}' (${finished}/${rows.length} trials done)`);
      }
      const model = aggregate(rows, { rowKeys, columnKeys });
      console.log(formatTable(model, { format, metric, best: values.best as 'max' | 'min' | undefined }));
      if (model.pooled.length > 0) {
        console.error(`note: cells pool trials that differ in ${model.pooled.join(', ')}; add them to --rows or --cols to separate them`);
      }
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};
