/**
 * THE TABLE SEAM of `sweep report`: the report asks `reportTables` for a
 * sweep's tables, each a title and an HTML block.
 *
 * Issue 13 part A (table presets per family, `sweep table --preset`) exports a
 * function that renders a family's named table presets. When it lands, point
 * `reportTables` at it (adapting its output to ReportTable: title + HTML) and
 * delete `interimReportTables` with results/report/interim-table-html.ts.
 *
 * Until then `interimReportTables` makes one table per sweep over the current
 * aggregate API: a row per configuration (the varying parameters), a column per
 * headline metric of the family, cells mean ± std over seeds with n.
 */
import type { PrismaClient } from '../db/client';
import type { Sweep } from '../db/generated/client';
import { metricRowsOfSweep } from '../db/table-query';
import { aggregate, type ResultRow } from '../results/aggregate';
import { tableModelHtml } from '../results/report/interim-table-html';
import type { ReportTable } from '../results/report/report-model';
import { varyingParams } from '../experiments/charts/configurations';

export type ReportTables = (prisma: PrismaClient, sweep: Sweep) => Promise<ReportTable[]>;

/** The summary metrics each family's interim table shows (README's paper tables, without their per-step axes). */
const HEADLINE_METRICS: Record<string, readonly string[]> = {
  noop: ['value', 'durationMs'],
  train: ['testAccuracy', 'testLoss'],
  transfer: ['testAccuracy'],
  corruption: ['accuracy', 'loss', 'gradientDualNorm'],
  regions: ['testAccuracy', 'compression', 'regions', 'regionsExact'],
  orthonormal: ['testAccuracy', 'orthError'],
  infoflow: ['testAccuracy', 'cleanTestAccuracy', 'compression.1'],
};

const METRIC = 'metric';

export const interimReportTables: ReportTables = async (prisma, sweep) => {
  const rows: ResultRow[] = [];
  const shown: string[] = [];
  for (const metric of HEADLINE_METRICS[sweep.family] ?? []) {
    const metricRows = await metricRowsOfSweep(prisma, sweep.id, metric);
    if (!metricRows.some((r) => r.status === 'done' && r.value !== null)) continue;
    shown.push(metric);
    for (const row of metricRows) rows.push({ ...row, params: { ...row.params, [METRIC]: metric } });
  }
  if (shown.length === 0) return [];
  const rowKeys = varyingParams(rows.map((r) => ({ params: Object.fromEntries(Object.entries(r.params).filter(([k]) => k !== METRIC)) })));
  const model = aggregate(rows, { rowKeys, columnKeys: [METRIC] });
  // Columns in the order of HEADLINE_METRICS, not sorted by name.
  const order = shown.map((m) => model.columns.findIndex((c) => c[0] === m));
  const ordered = { ...model, columns: order.map((i) => model.columns[i]!), cells: model.cells.map((cells) => order.map((i) => cells[i]!)) };
  return [{ title: `${shown.join(', ')}: mean ± std over seeds`, html: tableModelHtml(ordered) }];
};

export const reportTables: ReportTables = interimReportTables;
