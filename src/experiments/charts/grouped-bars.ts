/**
 * Bars of means grouped by a category (side by side within it, one colour per
 * group), with an error bar of ± 1 std over seeds on each: a measure per
 * strategy and domain pair, say.
 */
import type { TopLevelSpec } from 'vega-lite';
import { framedChart, nominal, panelFields, type Panels, type Split } from './chart-frame';
import type { PlotPoint } from './plot-kind';
import { lowerOf, spreadNote, upperOf } from './spread';

export interface GroupedBarsOptions extends Panels<PlotPoint> {
  readonly title: string;
  readonly points: readonly PlotPoint[];
  /** The x axis: one slot per value. */
  readonly category: Split<PlotPoint>;
  /** The bars within a slot (colour). */
  readonly group: Split<PlotPoint>;
  readonly y: { readonly title: string; readonly domain?: readonly [number, number] };
  readonly notes?: readonly string[];
}

export function groupedBars(options: GroupedBarsOptions): TopLevelSpec {
  const { title, points, category, group, y, notes = [] } = options;
  const { column, row, fieldsOf } = panelFields(options, points);
  const values = points.map((p) => ({
    category: category.of(p),
    group: group.of(p),
    mean: p.mean,
    lo: lowerOf(p),
    hi: upperOf(p),
    n: p.n,
    ...fieldsOf(p),
  }));
  const x = { ...nominal('category', category.title, values), axis: { labelAngle: -30 } };
  const xOffset = nominal('group', '', values);
  const yScale = y.domain ? { domain: [...y.domain] } : {};
  const bars = {
    // A fixed y domain (accuracy in [0, 1]) cuts what lies outside it rather than drawing over the title.
    mark: { type: 'bar', clip: true },
    encoding: {
      x,
      xOffset,
      y: { field: 'mean', type: 'quantitative', title: y.title, scale: yScale },
      color: nominal('group', group.title, values),
    },
  };
  const errorBars = {
    mark: { type: 'rule', color: '#222', strokeWidth: 1.2, clip: true },
    encoding: { x, xOffset, y: { field: 'lo', type: 'quantitative', title: y.title, scale: yScale }, y2: { field: 'hi' } },
  };
  return framedChart({ title, subtitle: [...notes, spreadNote(points, 'error bars')], values, layers: [bars, errorBars], column, row });
}
