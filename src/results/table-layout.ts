/**
 * What a results table is asked for: the `sweep table` flags, or a family's
 * named preset with any flags given beside it laid over it.
 */
import { TableRequestError } from './table-request-error';

export type Best = 'max' | 'min';
export type Condition = readonly [key: string, value: string];

export interface TableLayout {
  /** Parameters (or per-step metrics, or `metric`) whose values make the rows. */
  readonly rowKeys: readonly string[];
  /** ... the columns; none: one column, the metric. */
  readonly columnKeys: readonly string[];
  /** One table per value tuple of these. */
  readonly byKeys: readonly string[];
  /** Only trials whose parameters have these values. */
  readonly where: readonly Condition[];
  /** Metrics to tabulate: one table set each, or side by side where `metric` is a key. */
  readonly metrics: readonly string[];
  /** Bold the best cell of each column. */
  readonly best?: Best;
  /** The row each cell is tested against, by some or all of the row keys. */
  readonly baseline: readonly Condition[];
}

/** The key that stands for the metric itself (`--cols metric`: the metrics side by side). */
export const METRIC_KEY = 'metric';

/** Fields that a flag sets; those left undefined keep the preset's. */
export type LayoutOverrides = { -readonly [K in keyof TableLayout]?: TableLayout[K] };

/**
 * The preset's layout with every field the flags set replaced, checked; except
 * --where, whose conditions are added to the preset's (one per key, the flag's
 * winning): `--preset paper --where norm=L2` keeps the preset's target=all.
 */
export function mergeLayout(preset: LayoutOverrides | null, flags: LayoutOverrides): TableLayout {
  const pick = <K extends keyof TableLayout>(key: K): TableLayout[K] | undefined => (flags[key] !== undefined ? flags[key] : preset?.[key]) as TableLayout[K] | undefined;
  const where = new Map([...(preset?.where ?? []), ...(flags.where ?? [])]);
  const layout: TableLayout = {
    rowKeys: pick('rowKeys') ?? [],
    columnKeys: pick('columnKeys') ?? [],
    byKeys: pick('byKeys') ?? [],
    where: [...where],
    metrics: pick('metrics') ?? [],
    baseline: pick('baseline') ?? [],
    ...(pick('best') ? { best: pick('best') } : {}),
  };
  checkLayout(layout);
  return layout;
}

export function checkLayout(layout: TableLayout): void {
  if (layout.rowKeys.length === 0) throw new TableRequestError('--rows is required (parameter names, comma-separated), or --preset');
  if (layout.metrics.length === 0) throw new TableRequestError('--metric is required (e.g. testAccuracy), or --preset');
  const keys = [...layout.byKeys, ...layout.rowKeys, ...layout.columnKeys];
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (repeated.length > 0) throw new TableRequestError(`'${repeated[0]}' is named twice among --rows, --cols and --by`);
  for (const [key] of layout.baseline) {
    if (key === METRIC_KEY) throw new TableRequestError(`--baseline cannot name '${METRIC_KEY}': cells are tested against another row of the same metric`);
    if (!layout.rowKeys.includes(key)) {
      throw new TableRequestError(`--baseline names '${key}', which is not a row key (--rows ${layout.rowKeys.join(',')}): the baseline is a row of the table`);
    }
  }
}
