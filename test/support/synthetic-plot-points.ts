/**
 * Aggregated plot points as the database would return them (db/plot-query.ts),
 * made up for each family's plot kinds: a grid of configurations, each metric
 * at each x, with a spread over three seeds.
 */
import type { PlotPoint, PlotSource } from '../../src/experiments/charts/plot-kind';
import type { TrialParams } from '../../src/sweep/trial';

/** Every combination of the listed values, in order (the first key varies slowest, as a sweep expands). */
export function grid(axes: Record<string, readonly (string | number | boolean)[]>): TrialParams[] {
  return Object.entries(axes).reduce<TrialParams[]>(
    (configs, [key, values]) => configs.flatMap((config) => values.map((value) => ({ ...config, [key]: value }))),
    [{}],
  );
}

/** A deterministic value that differs between configurations, metrics and x. */
function valueOf(config: number, metric: number, x: number): number {
  return 0.2 + 0.1 * config + 0.05 * metric + 0.3 * Math.log1p(Math.abs(x)) + 0.01 * Math.sin(config + metric * 7 + x);
}

export function syntheticPoints(configs: readonly TrialParams[], metrics: readonly string[], xs: readonly (number | null)[]): PlotPoint[] {
  return configs.flatMap((params, c) =>
    metrics.flatMap((metric, m) => xs.map((x) => ({ params, metric, x, mean: valueOf(c, m, x ?? 0), std: 0.02 + 0.01 * m, n: 3 }))),
  );
}

/** The metric names a source's patterns stand for, with `*` as layers 1..layers. */
export function metricNames(source: PlotSource, layers: number): string[] {
  return source.metrics.flatMap((pattern) =>
    pattern.includes('*') ? Array.from({ length: layers }, (_, i) => pattern.replace('*', String(i + 1))) : [pattern],
  );
}
