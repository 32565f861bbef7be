/**
 * `sweep table --format json`: every table of the output in one document, for
 * programs. Full precision; per cell its mean, std, 95 % interval, n and, against
 * a baseline, the test, its p and whether it is significant.
 */
import type { ParamValue } from '../sweep/trial';
import type { TableModel } from './aggregate';
import { bestMask, isSignificant } from './cell-marks';
import { confidenceInterval, CONFIDENCE, SIGNIFICANCE, type TestKind } from './statistics';
import { commonN } from './table-notes';
import type { TableSet } from './table-set';

export interface JsonCell {
  mean: number;
  std: number;
  n: number;
  /** The 95 % t-interval of the mean; null for a single trial. */
  ciLow: number | null;
  ciHigh: number | null;
  best: boolean;
  /** Against the baseline row (only with one): the test, its two-sided p, p < threshold. Null where no test applies. */
  test?: TestKind | null;
  p?: number | null;
  significant?: boolean;
}

export interface JsonTable {
  /** The metric of the cells; null where the metrics are a row, column or --by key. */
  metric: string | null;
  /** The --by values of this table. */
  group: Record<string, ParamValue> | null;
  rowKeys: string[];
  columnKeys: string[];
  rows: ParamValue[][];
  columns: ParamValue[][];
  /** cells[r][c]; null where no finished trial has a value. */
  cells: (JsonCell | null)[][];
  /** n of every cell when they agree, else null. */
  n: number | null;
  confidence: number;
  baseline: { against: Record<string, string>; significance: number; rows: (number | null)[] } | null;
  pooled: string[];
}

function jsonTable(model: TableModel, metric: string | null, best: TableSet['layout']['best']): JsonTable {
  const mask = bestMask(model, best);
  const comparison = model.comparison;
  return {
    metric,
    group: model.group ? Object.fromEntries(model.group.keys.map((k, i) => [k, model.group!.values[i] ?? null])) : null,
    rowKeys: model.rowKeys,
    columnKeys: model.columnKeys,
    rows: model.rows,
    columns: model.columns,
    cells: model.cells.map((row, r) =>
      row.map((cell, c) => {
        if (!cell) return null;
        const ci = confidenceInterval(cell);
        const test = comparison?.tests[r]?.[c] ?? null;
        return {
          mean: cell.mean,
          std: cell.std,
          n: cell.n,
          ciLow: ci?.low ?? null,
          ciHigh: ci?.high ?? null,
          best: mask[r]![c]!,
          ...(comparison ? { test: test?.test ?? null, p: test?.p ?? null, significant: isSignificant(model, r, c) } : {}),
        };
      }),
    ),
    n: commonN(model),
    confidence: CONFIDENCE,
    baseline: comparison
      ? { against: Object.fromEntries(comparison.against), significance: SIGNIFICANCE, rows: comparison.baselineRow }
      : null,
    pooled: model.pooled,
  };
}

export function formatJson(set: TableSet): string {
  const tables = set.sections.flatMap((section) => section.tables.map((model) => jsonTable(model, section.metric ?? model.metric ?? null, set.layout.best)));
  return `${JSON.stringify({ sweep: set.sweepId, tables }, null, 2)}\n`;
}
