/**
 * Per-cell aggregates (as Postgres returns them: one per value tuple of the
 * --by, row and column keys) → one TableModel per --by group, rows and columns
 * in the sweep file's order, each cell tested against its baseline row.
 */
import type { ParamValue } from '../sweep/trial';
import type { BaselineComparison, Cell, TableModel } from './aggregate';
import { compareToBaseline, type SeedPairing, type Summary } from './statistics';
import type { TableLayout } from './table-layout';
import { TableRequestError } from './table-request-error';
import { matchesText } from './value-match';
import { tupleComparator, type ValueOrder } from './value-order';

export interface CellAggregate {
  /** Values of the layout's keys: --by, then rows, then columns. */
  readonly values: readonly ParamValue[];
  /** Finished trials (or steps) with a finite value. 0: the cell exists but is empty so far. */
  readonly n: number;
  readonly mean: number | null;
  readonly std: number | null;
  /** Parameters outside the keys that differ among the cell's trials. */
  readonly pooled: readonly string[];
  /** How the cell's values pair by seed with its baseline cell's (only asked for with a baseline). */
  readonly pairing?: SeedPairing;
}

const tupleId = (t: readonly ParamValue[]) => JSON.stringify(t);

function distinctSorted(tuples: readonly ParamValue[][], compare: (a: readonly ParamValue[], b: readonly ParamValue[]) => number): ParamValue[][] {
  const byId = new Map(tuples.map((t) => [tupleId(t), t]));
  return [...byId.values()].sort(compare);
}

export function buildTables(cells: readonly CellAggregate[], layout: TableLayout, order: ValueOrder, metric?: string): TableModel[] {
  const { byKeys, rowKeys, columnKeys } = layout;
  const split = (values: readonly ParamValue[]) => ({
    by: values.slice(0, byKeys.length),
    row: values.slice(byKeys.length, byKeys.length + rowKeys.length),
    column: values.slice(byKeys.length + rowKeys.length),
  });
  const groups = new Map<string, { values: ParamValue[]; cells: CellAggregate[] }>();
  for (const cell of cells) {
    const { by } = split(cell.values);
    const group = groups.get(tupleId(by)) ?? { values: by, cells: [] };
    group.cells.push(cell);
    groups.set(tupleId(by), group);
  }
  const byOrder = tupleComparator(byKeys, order);
  const sortedGroups = [...groups.values()].sort((a, b) => byOrder(a.values, b.values));

  const tables = sortedGroups.map((group) => {
    const rows = distinctSorted(group.cells.map((c) => split(c.values).row), tupleComparator(rowKeys, order));
    const columns = distinctSorted(group.cells.map((c) => split(c.values).column), tupleComparator(columnKeys, order));
    const rowIndex = new Map(rows.map((t, i) => [tupleId(t), i]));
    const columnIndex = new Map(columns.map((t, i) => [tupleId(t), i]));
    const aggregates: (CellAggregate | null)[][] = rows.map(() => columns.map(() => null));
    const pooled = new Set<string>();
    for (const cell of group.cells) {
      const { row, column } = split(cell.values);
      aggregates[rowIndex.get(tupleId(row))!]![columnIndex.get(tupleId(column))!] = cell;
      cell.pooled.forEach((k) => pooled.add(k));
    }
    const model: TableModel = {
      rowKeys: [...rowKeys],
      columnKeys: [...columnKeys],
      rows,
      columns,
      cells: aggregates.map((line) => line.map(cellOf)),
      pooled: [...pooled].sort(),
      ...(metric !== undefined ? { metric } : {}),
      ...(byKeys.length > 0 ? { group: { keys: [...byKeys], values: group.values } } : {}),
    };
    if (layout.baseline.length > 0) model.comparison = compareRows(model, aggregates, layout);
    return model;
  });

  if (layout.baseline.length > 0 && tables.length > 0 && tables.every((t) => t.comparison!.baselineRow.every((b) => b === null))) {
    const asked = layout.baseline.map(([k, v]) => `${k}=${v}`).join(',');
    const present = rowKeys.map((k, i) => `${k}: ${[...new Set(tables.flatMap((t) => t.rows.map((r) => String(r[i]))))].join(', ')}`).join('; ');
    throw new TableRequestError(`--baseline ${asked} matches no row (rows: ${present})`);
  }
  return tables;
}

function cellOf(aggregate: CellAggregate | null): Cell | null {
  if (!aggregate || aggregate.n === 0 || aggregate.mean === null) return null;
  return { mean: aggregate.mean, std: aggregate.std ?? 0, n: aggregate.n };
}

/**
 * A row's baseline is the row with the --baseline values that agrees with it on
 * every other row key (with --rows arch,training and --baseline training=normal,
 * each architecture is compared with its own normally trained row).
 */
function compareRows(model: TableModel, aggregates: (CellAggregate | null)[][], layout: TableLayout): BaselineComparison {
  const named = new Map(layout.baseline.map(([k, v]) => [model.rowKeys.indexOf(k), v]));
  const isBaseline = (row: readonly ParamValue[]) => [...named].every(([i, text]) => matchesText(row[i] ?? null, text));
  const baselineRow = model.rows.map((row) =>
    model.rows.findIndex((candidate) => isBaseline(candidate) && row.every((v, i) => named.has(i) || tupleId([v]) === tupleId([candidate[i] ?? null]))),
  ).map((i) => (i >= 0 ? i : null));
  const tests = aggregates.map((line, r) =>
    line.map((cell, c) => {
      const b = baselineRow[r];
      const base = b === null || b === undefined || b === r ? null : aggregates[b]![c];
      if (!cell || !base || !cell.pairing || !base.pairing || cell.mean === null || base.mean === null) return null;
      return compareToBaseline(summaryOf(cell, cell.pairing), summaryOf(base, base.pairing));
    }),
  );
  return { against: layout.baseline.map(([k, v]) => [k, v] as const), baselineRow, tests };
}

function summaryOf(cell: CellAggregate, pairing: SeedPairing): Summary & SeedPairing {
  return { n: cell.n, mean: cell.mean ?? 0, std: cell.std ?? 0, ...pairing };
}
