/**
 * The comparison table: rows and columns are tuples of parameter values, and
 * each cell is the mean ± sample standard deviation over the trials that land
 * in it (usually: over seeds). `sweep table` aggregates in Postgres
 * (src/db/table-query.ts, then build-tables.ts); `aggregate` below does the same
 * from per-trial rows in memory, as `sweep table` did before (bench/tables.ts
 * times the two side by side).
 */
import type { ParamValue } from '../sweep/trial';
import type { TestResult } from './statistics';

export interface ResultRow {
  params: Readonly<Record<string, ParamValue>>;
  seed: number;
  status: string;
  /** The metric's value; null when the trial has none (not finished, or never reported it). */
  value: number | null;
}

export interface Cell {
  mean: number;
  /** Sample standard deviation (n − 1); 0 when n = 1. */
  std: number;
  n: number;
}

export interface TableModel {
  rowKeys: string[];
  columnKeys: string[];
  /** Distinct row tuples (values of rowKeys): in the sweep file's order (build-tables.ts), sorted by `aggregate`. */
  rows: ParamValue[][];
  /** Distinct column tuples (values of columnKeys), ordered likewise. */
  columns: ParamValue[][];
  /** cells[r][c]; null where no finished trial has a value. */
  cells: (Cell | null)[][];
  /**
   * Parameters outside rowKeys/columnKeys that take more than one value: their
   * trials are pooled into the same cells, which is rarely what the author meant.
   */
  pooled: string[];
  /** The metric the cells hold (absent where the columns are the metrics). */
  metric?: string;
  /** The --by keys and this table's values of them (one table per value tuple). */
  group?: { keys: string[]; values: ParamValue[] };
  /** Each cell tested against its row's baseline row in the same column (--baseline). */
  comparison?: BaselineComparison;
}

export interface BaselineComparison {
  /** The baseline as asked for: [key, value] pairs of row keys. */
  against: (readonly [string, string])[];
  /** Per row, the index of its baseline row; null for a row without one. A baseline row is its own. */
  baselineRow: (number | null)[];
  /** tests[r][c]; null for baseline cells, empty cells and cells no test applies to (n < 2; no difference and no spread). */
  tests: (TestResult | null)[][];
}

export interface AggregateOptions {
  rowKeys: readonly string[];
  columnKeys: readonly string[];
  /** Trials with these statuses count; default: only 'done'. */
  statuses?: readonly string[];
}

const TYPE_RANK: Record<string, number> = { object: 0 /* null */, boolean: 1, number: 2, string: 3 };

function compareValue(a: ParamValue, b: ParamValue): number {
  const ta = TYPE_RANK[typeof a] ?? 4;
  const tb = TYPE_RANK[typeof b] ?? 4;
  if (ta !== tb) return ta - tb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, 'en', { numeric: true });
  return 0;
}

export function compareTuples(a: readonly ParamValue[], b: readonly ParamValue[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareValue(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

function tupleOf(params: Readonly<Record<string, ParamValue>>, keys: readonly string[]): ParamValue[] {
  return keys.map((k) => params[k] ?? null);
}

// JSON keeps 1 and '1' apart, which String() would not.
const tupleId = (t: readonly ParamValue[]) => JSON.stringify(t);

export function meanStd(values: readonly number[]): Cell {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

export function aggregate(rows: readonly ResultRow[], options: AggregateOptions): TableModel {
  const { rowKeys, columnKeys } = options;
  const counted = new Set(options.statuses ?? ['done']);
  const grouping = new Set([...rowKeys, ...columnKeys]);

  // Every tuple in the sweep gets its row/column, finished or not, so the table
  // keeps its shape while a sweep is still running.
  const rowTuples = new Map<string, ParamValue[]>();
  const colTuples = new Map<string, ParamValue[]>();
  const values = new Map<string, number[]>();
  const seenValues = new Map<string, Set<string>>();

  for (const row of rows) {
    const r = tupleOf(row.params, rowKeys);
    const c = tupleOf(row.params, columnKeys);
    rowTuples.set(tupleId(r), r);
    colTuples.set(tupleId(c), c);
    for (const [k, v] of Object.entries(row.params)) {
      if (grouping.has(k)) continue;
      const set = seenValues.get(k) ?? new Set<string>();
      set.add(JSON.stringify(v));
      seenValues.set(k, set);
    }
    if (!counted.has(row.status) || row.value === null || !Number.isFinite(row.value)) continue;
    const cellId = `${tupleId(r)}\u0000${tupleId(c)}`;
    const list = values.get(cellId) ?? [];
    list.push(row.value);
    values.set(cellId, list);
  }

  const sortedRows = [...rowTuples.values()].sort(compareTuples);
  const sortedCols = [...colTuples.values()].sort(compareTuples);
  const cells = sortedRows.map((r) =>
    sortedCols.map((c) => {
      const list = values.get(`${tupleId(r)}\u0000${tupleId(c)}`);
      return list && list.length > 0 ? meanStd(list) : null;
    }),
  );
  const pooled = [...seenValues.entries()]
    .filter(([, set]) => set.size > 1)
    .map(([k]) => k)
    .sort();

  return { rowKeys: [...rowKeys], columnKeys: [...columnKeys], rows: sortedRows, columns: sortedCols, cells, pooled };
}
