/**
 * A sweep's results tables for a layout (the `sweep table` flags, or a family's
 * preset): the checks that make a bad request a clear message, the SQL
 * aggregation per metric (table-query.ts), and the models (results/build-tables.ts)
 * with rows and columns in the sweep file's order.
 */
import { getFamily, isFamilyName } from '../experiments/registry';
import type { TablePreset, TablePresets } from '../experiments/table-preset';
import { buildTables, type CellAggregate } from '../results/build-tables';
import { formatTables, type TableFormat } from '../results/format';
import type { TableSection, TableSet } from '../results/table-set';
import { mergeLayout, METRIC_KEY, type LayoutOverrides, type TableLayout } from '../results/table-layout';
import { TableRequestError } from '../results/table-request-error';
import { valueOrderOf, varyingParametersOf } from '../results/value-order';
import type { PrismaClient } from './client';
import {
  cellAggregatesOfSweep,
  parameterNamesOfSweep,
  parameterValuesOfSweep,
  selectedTrialCounts,
  unreportedMetrics,
} from './table-query';

/** What of a Sweep row the tables need. */
export interface SweepForTables {
  readonly id: string;
  readonly family: string;
  /** The submitted definition (ResolvedSweepDefinition as JSON): the written order of the values. */
  readonly spec: unknown;
}

export interface SweepTables extends TableSet {
  readonly layout: TableLayout;
  /** Parameters pooled into some cell (neither a row, column nor --by key, and varying within a cell). */
  readonly pooled: string[];
}

/** A family's table presets by name (none for a family without any, or one sweeplab does not know). */
export function tablePresetsOf(family: string): TablePresets {
  return isFamilyName(family) ? (getFamily(family).tables ?? {}) : {};
}

/** The family's preset `name`, or an error listing its presets. */
export function tablePreset(family: string, name: string): TablePreset {
  const presets = tablePresetsOf(family);
  const preset = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (preset) return preset;
  const known = Object.entries(presets);
  const listed = known.length > 0 ? `presets of ${family}:\n${known.map(([n, p]) => `  ${n}: ${p.description}`).join('\n')}` : `the ${family} family has no table presets`;
  throw new TableRequestError(`--preset: unknown table preset '${name}' (${listed})`);
}

/** A preset as layout fields, for mergeLayout. */
export function presetLayout(preset: TablePreset): LayoutOverrides {
  const pairs = (record: Readonly<Record<string, unknown>> | undefined) => Object.entries(record ?? {}).map(([k, v]) => [k, String(v)] as const);
  return {
    rowKeys: [...preset.rows],
    columnKeys: [...(preset.cols ?? [])],
    byKeys: [...(preset.by ?? [])],
    where: pairs(preset.where),
    metrics: [...preset.metric],
    baseline: pairs(preset.baseline),
    ...(preset.best ? { best: preset.best } : {}),
  };
}

export async function sweepTables(prisma: PrismaClient, sweep: SweepForTables, layout: TableLayout): Promise<SweepTables> {
  const parameters = new Set(await parameterNamesOfSweep(prisma, sweep.id));
  if (parameters.size === 0) throw new TableRequestError(`${sweep.id} has no trials`);
  for (const [key] of layout.where) {
    if (!parameters.has(key)) throw new TableRequestError(`--where names '${key}', which is not a parameter of ${sweep.id} (parameters: ${[...parameters].sort().join(', ')})`);
  }
  const keys = [...layout.byKeys, ...layout.rowKeys, ...layout.columnKeys];
  const metricIsKey = keys.includes(METRIC_KEY) && !parameters.has(METRIC_KEY);
  const queryKeys = metricIsKey ? keys.filter((k) => k !== METRIC_KEY) : keys;
  const axes = queryKeys.filter((k) => !parameters.has(k));
  const unknown = await unreportedMetrics(prisma, sweep.id, axes);
  if (unknown.length > 0) {
    throw new TableRequestError(
      `${sweep.id} has no parameter or per-step metric ${unknown.map((k) => `'${k}'`).join(', ')} (parameters: ${[...parameters].sort().join(', ')})`,
    );
  }

  const order = valueOrderOf(sweep.spec);
  // A spec of an unknown shape says nothing: then any parameter may pool.
  const poolable = (order.size > 0 ? varyingParametersOf(sweep.spec) : [...parameters]).filter((k) => parameters.has(k) && !keys.includes(k));
  if (metricIsKey) order.set(METRIC_KEY, [...layout.metrics]);

  const cellsOf = async (metric: string): Promise<CellAggregate[]> => {
    const cells = await cellAggregatesOfSweep(prisma, {
      sweepId: sweep.id,
      metric,
      keys: queryKeys,
      axes,
      where: layout.where,
      poolable,
      baseline: layout.baseline,
    });
    if (cells.every((c) => c.n === 0)) await explainEmpty(prisma, sweep.id, layout, metric);
    if (!metricIsKey) return cells;
    const at = keys.indexOf(METRIC_KEY);
    return cells.map((c) => ({ ...c, values: [...c.values.slice(0, at), metric, ...c.values.slice(at)] }));
  };

  const sections: TableSection[] = [];
  if (metricIsKey) {
    const cells = (await Promise.all(layout.metrics.map(cellsOf))).flat();
    sections.push({ metric: null, tables: buildTables(cells, layout, order) });
  } else {
    for (const metric of layout.metrics) sections.push({ metric, tables: buildTables(await cellsOf(metric), layout, order, metric) });
  }
  const pooled = [...new Set(sections.flatMap((s) => s.tables.flatMap((t) => t.pooled)))].sort();
  return { sweepId: sweep.id, layout, sections, pooled };
}

/** No cell has a value: says why (--where selects nothing, or no finished trial reported the metric). */
async function explainEmpty(prisma: PrismaClient, sweepId: string, layout: TableLayout, metric: string): Promise<never> {
  const counts = await selectedTrialCounts(prisma, sweepId, layout.where);
  if (counts.total === 0) {
    const shown = layout.where.map(([key, value]) => `${key}=${value}`).join(', ');
    const present = await parameterValuesOfSweep(prisma, sweepId, layout.where.map(([key]) => key));
    const seen = [...present].map(([key, values]) => `${key}: ${values.join(', ')}`).join('; ');
    throw new TableRequestError(`no trial of ${sweepId} has ${shown} (values present: ${seen})`);
  }
  throw new TableRequestError(`no finished trial of ${sweepId} has a metric '${metric}' (${counts.done}/${counts.total} trials done)`);
}

export interface PresetTablesOptions {
  /** Default 'paper'. */
  readonly preset?: string;
  /** Flags laid over the preset. */
  readonly overrides?: LayoutOverrides;
}

/** A preset's tables as models (for a report that lays them out itself). */
export async function presetTables(prisma: PrismaClient, sweep: SweepForTables, options: PresetTablesOptions = {}): Promise<SweepTables> {
  const layout = mergeLayout(presetLayout(tablePreset(sweep.family, options.preset ?? 'paper')), options.overrides ?? {});
  return sweepTables(prisma, sweep, layout);
}

/** A preset's tables rendered (`html` for a report, `md`, `latex`, `csv`, `json`). */
export async function renderPresetTables(
  prisma: PrismaClient,
  sweep: SweepForTables,
  format: TableFormat,
  options: PresetTablesOptions = {},
): Promise<string> {
  return formatTables(await presetTables(prisma, sweep, options), format);
}
