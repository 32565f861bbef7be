/**
 * What tells a plot's configurations apart: the parameters that take more than
 * one value among its points (the seed is never a parameter: points are
 * aggregated over it). A chart names a configuration by those values alone,
 * so a legend reads "cnn · 0.001", titled "arch, learningRate".
 */
import type { ParamValue, TrialParams } from '../../sweep/trial';
import type { PlotPoint } from './plot-kind';

/**
 * The parameters with more than one value among the points, in the order first
 * seen (the database's: Postgres keeps a trial's parameters as jsonb, which
 * orders keys by length, then alphabetically, not as the sweep file wrote them).
 */
export function varyingParams(points: readonly { readonly params: TrialParams }[]): string[] {
  const seen = new Map<string, Set<string>>();
  for (const { params } of points) {
    for (const [key, value] of Object.entries(params)) {
      const values = seen.get(key) ?? new Set<string>();
      values.add(JSON.stringify(value));
      seen.set(key, values);
    }
  }
  return [...seen.entries()].filter(([, values]) => values.size > 1).map(([key]) => key);
}

function valueText(value: ParamValue | undefined): string {
  return value === undefined || value === null ? '–' : String(value);
}

/** A labelling of configurations by some parameters: a title for the legend or panel, a label per point. */
export interface Labelling {
  /** The parameters' names, e.g. "arch, learningRate"; '' when none vary. */
  readonly title: string;
  /** The label of a point's configuration, e.g. "cnn · 0.001"; '' when no parameter varies. */
  of(point: { readonly params: TrialParams }): string;
}

export function labelling(keys: readonly string[]): Labelling {
  return {
    title: keys.join(', '),
    of: ({ params }) => keys.map((key) => valueText(params[key])).join(' · '),
  };
}

/**
 * Whether `key`'s value follows from the values of `given` in every point: a
 * parameter zipped with another (corruption's `epsilons` with its `norm`) adds
 * nothing to a label once the other is in it, and is left out.
 */
function determinedBy(points: readonly { readonly params: TrialParams }[], key: string, given: readonly string[]): boolean {
  const valueOf = new Map<string, string>();
  for (const { params } of points) {
    const context = JSON.stringify(given.map((k) => params[k] ?? null));
    const value = JSON.stringify(params[key] ?? null);
    if ((valueOf.get(context) ?? value) !== value) return false;
    valueOf.set(context, value);
  }
  return true;
}

/**
 * Labellings of the points' configurations by groups of parameters (say: the
 * lines of a panel, the panels' columns) and by the `rest` of the varying
 * parameters. Each group keeps its parameters that vary, in its order; a
 * parameter that follows from those before it is left out; `exclude`d ones
 * (an axis, say) are in no labelling.
 */
export function labelConfigurations(
  points: readonly { readonly params: TrialParams }[],
  groups: readonly (readonly string[])[],
  exclude: readonly string[] = [],
): { groups: Labelling[]; rest: Labelling } {
  const varying = varyingParams(points).filter((key) => !exclude.includes(key));
  const kept: string[] = [];
  const keep = (keys: readonly string[]) =>
    keys.filter((key) => {
      if (!varying.includes(key) || kept.includes(key) || determinedBy(points, key, kept)) return false;
      kept.push(key);
      return true;
    });
  const labelled = groups.map((keys) => labelling(keep(keys)));
  const rest = labelling(keep(varying));
  return { groups: labelled, rest };
}

/** The `*` part of a metric name matched by a pattern such as `mi.*`: `mi.3` → '3'. */
export function metricPart(metric: string, index: number): string {
  return metric.split('.')[index] ?? '';
}
