/**
 * A plot kind: one figure a family draws from a sweep's results, e.g. the
 * transfer study's accuracy per strategy and domain pair. A family lists its
 * kinds in `<family>/plots.ts` (its definition's `plots`). A kind says what to
 * read (`source`: the database aggregates it over seeds, in SQL) and how to draw
 * the aggregates (`chart`: a Vega-Lite spec, rendered to SVG and PNG by
 * src/results/plots). Light: no tfjs, and Vega-Lite only as types.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { TrialParams } from '../../sweep/trial';

/**
 * Metric names may hold `*` for one dot-separated part of a name: `mi.*` is
 * every layer's `mi.1`, `mi.2`, … but not `miStderr.1` nor `mi.1.x`.
 */
export type MetricPattern = string;

export type PlotSource =
  /** Curves: every reported step of the metrics, x being the step (an epoch) or, with `x`, a metric reported at the same step (corruption's `eps`). */
  | { readonly from: 'steps'; readonly metrics: readonly MetricPattern[]; readonly x?: string }
  /** One value per trial: its summary entry, else the last step of its curve (what `sweep table` reads). */
  | { readonly from: 'finals'; readonly metrics: readonly MetricPattern[] };

/**
 * One point of a plot: a metric over the finished trials of one configuration
 * (the trials' parameters, identical but for the seed), at one x.
 */
export interface PlotPoint {
  readonly params: TrialParams;
  readonly metric: string;
  /** The step, or the `x` metric's value there; null for a `finals` source. */
  readonly x: number | null;
  readonly mean: number;
  /** Sample standard deviation over the seeds (n − 1); 0 when n = 1. */
  readonly std: number;
  readonly n: number;
}

export interface PlotKind {
  /** What `--kind` takes: lower-case words joined by '-'. */
  readonly name: string;
  /** One line for `sweep plot --kind` listings and the report. */
  readonly description: string;
  readonly source: PlotSource;
  /** The figure for a sweep's points (in the sweep's order: configurations as first expanded). */
  chart(points: readonly PlotPoint[]): TopLevelSpec;
}
