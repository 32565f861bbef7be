/**
 * Results tables over per-step axes. A trial that measures one model at many
 * settings (corruption budgets ε, epochs, layers) reports each setting as a
 * metric at its own step; here each such step becomes a result row whose
 * params include the axis values, so the axis can be a row or column key.
 */
import type { ParamValue } from '../sweep/trial';
import type { ResultRow } from './aggregate';

export interface StepPoint {
  params: Readonly<Record<string, ParamValue>>;
  seed: number;
  status: string;
  values: Readonly<Record<string, number>>;
}

/** One row per step that reported `metric` and every axis; steps missing any of them are left out. */
export function rowsFromSeries(points: readonly StepPoint[], metric: string, axes: readonly string[]): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const point of points) {
    const value = point.values[metric];
    if (value === undefined || axes.some((axis) => point.values[axis] === undefined)) continue;
    const params: Record<string, ParamValue> = { ...point.params };
    for (const axis of axes) params[axis] = point.values[axis]!;
    rows.push({ params, seed: point.seed, status: point.status, value });
  }
  return rows;
}

/** Groups rows by their values of `keys` (one table per group), in first-seen order. */
export function splitBy(rows: readonly ResultRow[], keys: readonly string[]): { values: ParamValue[]; rows: ResultRow[] }[] {
  const groups = new Map<string, { values: ParamValue[]; rows: ResultRow[] }>();
  for (const row of rows) {
    const values = keys.map((k) => row.params[k] ?? null);
    const id = JSON.stringify(values);
    const group = groups.get(id) ?? { values, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  return [...groups.values()];
}
