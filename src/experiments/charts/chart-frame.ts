/**
 * What every chart shares: the size of one panel, the title with the spread
 * note under it, and small multiples (a panel per row and column value) around
 * a layered chart. Nominal values keep the data's order (`nominal`): points
 * come in the sweep's order, so legends, axes and panels list values as the
 * sweep file does.
 */
import type { TopLevelSpec } from 'vega-lite';

const PANEL_WIDTH = 320;
const PANEL_HEIGHT = 220;

/**
 * A nominal encoding of `field` whose values are ordered as first seen in
 * `values`, its title left out when empty. (Vega-Lite's `sort: null` keeps the
 * data's order for axes and legends, but sorts facet headers; an explicit order keeps both.)
 */
export function nominal(field: string, title: string, values: readonly object[]) {
  const order = [...new Set(values.map((v) => (v as Record<string, unknown>)[field]))];
  return { field, type: 'nominal', title: title || null, sort: order };
}

/** A field of the chart's rows that splits it: into colours, dashes or panels. */
export interface Split<P> {
  readonly title: string;
  readonly of: (point: P) => string;
}

export interface Panels<P> {
  /** Panels side by side, one per value (e.g. the measure). */
  readonly column?: Split<P>;
  /** Panels one under another, one per value (e.g. the configuration). */
  readonly row?: Split<P>;
  /** Each panel its own y scale: for panels of different measures. */
  readonly independentY?: boolean;
}

/** Whether a split distinguishes anything: one that gives every point the same label is left out. */
export function splits<P>(split: Split<P> | undefined, points: readonly P[]): split is Split<P> {
  return split !== undefined && new Set(points.map(split.of)).size > 1;
}

/** The row fields `column` and `row`, for the points whose panels vary. */
export function panelFields<P>(panels: Panels<P>, points: readonly P[]) {
  const column = splits(panels.column, points) ? panels.column : undefined;
  const row = splits(panels.row, points) ? panels.row : undefined;
  return {
    column,
    row,
    fieldsOf: (point: P) => ({ ...(column ? { column: column.of(point) } : {}), ...(row ? { row: row.of(point) } : {}) }),
  };
}

/**
 * The top-level spec: `layers` in one panel, or faceted by the column and row
 * fields when present. `layers` is a Vega-Lite layer array over `values`.
 */
export function framedChart(options: {
  title: string;
  subtitle: readonly string[];
  values: readonly object[];
  layers: readonly object[];
  column?: { readonly title: string } | undefined;
  row?: { readonly title: string } | undefined;
  independentY?: boolean;
}): TopLevelSpec {
  const { title, subtitle, values, layers, column, row, independentY } = options;
  const head = { title: { text: title, subtitle: [...subtitle], anchor: 'start' }, data: { values: [...values] } };
  const inner = { width: PANEL_WIDTH, height: PANEL_HEIGHT, layer: [...layers] };
  if (!column && !row) return { ...head, ...inner } as TopLevelSpec;
  return {
    ...head,
    facet: {
      ...(column ? { column: nominal('column', column.title, values) } : {}),
      ...(row ? { row: nominal('row', row.title, values) } : {}),
    },
    spec: inner,
    ...(independentY ? { resolve: { scale: { y: 'independent' } } } : {}),
  } as TopLevelSpec;
}
