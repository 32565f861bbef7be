import { TABLE_FORMATS, type TableFormat } from '../../results/format';
import { mergeLayout, type Best, type LayoutOverrides } from '../../results/table-layout';
import { TableRequestError } from '../../results/table-request-error';
import { parseConditions } from '../../results/value-match';
import { parseCommandArgs, type Command } from '../command';
import { resolveSweep } from '../resolve-sweep';
import { UsageError } from '../usage-error';

function keyList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((k) => k.trim()).filter(Boolean);
}

export const tableCommand: Command = {
  name: 'table',
  summary: 'a comparison table of a sweep: mean ± std and 95 % CI over seeds, tests against a baseline row',
  help: `Usage: sweep table SWEEP [--preset NAME] --rows A[,B] [--cols C[,D]] [--by E] [--where K=V[,K2=V2]] --metric M[,N]
                  [--baseline K=V[,K2=V2]] [--best max|min] [--format md|latex|csv|json|html]

Each cell is the mean ± sample standard deviation of metric M over the finished
trials with those parameter values (usually: over seeds), with its 95 % confidence
interval [mean ± t(0.975, n−1)·s/√n]; n is stated once under the table when every
cell has the same, else in each cell, and a single trial shows its value alone.
M is a trial's summary value (e.g. testAccuracy), else the last point of its curve.
A key that is not a parameter but a metric reported per step (e.g. eps, when one
trial measures several corruption budgets) is an axis: M is then read at each step.
Rows, columns and tables follow the order the sweep file wrote the values in.
The aggregation runs in Postgres: one row per cell comes back.

  --preset NAME     a table of the study, named in its family (src/experiments/<family>/tables.ts;
                    e.g. paper); flags given beside it replace the preset's, but --where adds
                    to the preset's conditions
  --rows A,B        parameters (or per-step metrics) that make the rows
  --cols C          ... that make the columns (default: one column, the metric;
                    'metric': the metrics side by side, in the order given)
  --by E            one table per value of E (e.g. --by arch)
  --where K=V       only trials whose parameter K has value V (e.g. --where target=all)
  --metric M[,N]    the metric to tabulate (several: one table each, or with --cols metric
                    one table whose columns are the metrics)
  --baseline K=V    test every cell against the row with K=V in the same column (K a row key;
                    other row keys must match): a paired t-test over seeds where both cells
                    have one trial per seed for the same seeds (n ≥ 2), else Welch's t-test;
                    † marks p < 0.05. csv and json carry p and the test of every cell
  --best max|min    bold the best mean of each column
  --format F        md (default), latex (booktabs), csv, json, or html (a fragment for reports)`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('table', argv, {
      preset: { type: 'string' },
      rows: { type: 'string' },
      cols: { type: 'string' },
      metric: { type: 'string' },
      by: { type: 'string' },
      format: { type: 'string' },
      best: { type: 'string' },
      where: { type: 'string' },
      baseline: { type: 'string' },
    });
    const format = (values.format ?? 'md') as TableFormat;
    if (!TABLE_FORMATS.includes(format)) throw new UsageError(`sweep table: --format must be one of ${TABLE_FORMATS.join(', ')}, got '${format}'`);
    if (values.best !== undefined && values.best !== 'max' && values.best !== 'min') {
      throw new UsageError(`sweep table: --best must be max or min, got '${values.best}'`);
    }
    try {
      const flags: LayoutOverrides = {
        rowKeys: keyList(values.rows),
        columnKeys: keyList(values.cols),
        byKeys: keyList(values.by),
        metrics: keyList(values.metric),
        where: values.where === undefined ? undefined : parseConditions('where', values.where),
        baseline: values.baseline === undefined ? undefined : parseConditions('baseline', values.baseline),
        best: values.best as Best | undefined,
      };
      // Without a preset the flags are the whole layout: a bad one is refused before connecting.
      const direct = values.preset === undefined ? mergeLayout(null, flags) : null;

      // Loaded here, not at start-up: `--help` and usage errors need no Prisma.
      const { createPrisma } = await import('../../db/client');
      const { presetLayout, sweepTables, tablePreset } = await import('../../db/sweep-tables');
      const { formatTables } = await import('../../results/format');
      const prisma = createPrisma();
      try {
        const sweep = await resolveSweep(prisma, 'table', positionals[0]);
        const layout = direct ?? mergeLayout(presetLayout(tablePreset(sweep.family, values.preset!)), flags);
        const tables = await sweepTables(prisma, sweep, layout);
        process.stdout.write(formatTables(tables, format));
        if (tables.pooled.length > 0) {
          console.error(`note: cells pool trials that differ in ${tables.pooled.join(', ')}; add them to --rows, --cols or --by to separate them`);
        }
        return 0;
      } finally {
        await prisma.$disconnect();
      }
    } catch (error) {
      if (error instanceof TableRequestError) throw new UsageError(`sweep table: ${error.message}`);
      throw error;
    }
  },
};

