/**
 * Paths through a plane of two measures, one point per step in step order
 * (the information plane: where each layer's representation moves over
 * training), with error bars of ± 1 std over seeds in both directions. A
 * point's size grows with its step, so the path's direction can be read.
 */
import type { TopLevelSpec } from 'vega-lite';
import { framedChart, nominal, panelFields, type Panels, type Split } from './chart-frame';
import { lowerOf, spreadNote, upperOf, type Estimate } from './spread';

/** One step of one path: both measures there (a caller adds what its splits read). */
export interface TrajectoryPoint {
  readonly x: Estimate;
  readonly y: Estimate;
  /** The step (e.g. the epoch) that orders the path. */
  readonly step: number;
}

export interface TrajectoryOptions<P extends TrajectoryPoint> extends Panels<P> {
  readonly title: string;
  readonly points: readonly P[];
  readonly x: { readonly title: string };
  readonly y: { readonly title: string };
  /** Which path a point is on (colour). */
  readonly path: Split<P>;
  /** What a step is, for the size legend (e.g. 'epoch'). */
  readonly stepTitle: string;
  readonly notes?: readonly string[];
}

export function trajectory<P extends TrajectoryPoint>(options: TrajectoryOptions<P>): TopLevelSpec {
  const { title, points, x, y, path, stepTitle, notes = [] } = options;
  const { column, row, fieldsOf } = panelFields(options, points);
  const values = points.map((p) => ({
    x: p.x.mean,
    xlo: lowerOf(p.x),
    xhi: upperOf(p.x),
    y: p.y.mean,
    ylo: lowerOf(p.y),
    yhi: upperOf(p.y),
    step: p.step,
    path: path.of(p),
    ...fieldsOf(p),
  }));
  const xEnc = { field: 'x', type: 'quantitative', title: x.title, scale: { zero: false } };
  const yEnc = { field: 'y', type: 'quantitative', title: y.title, scale: { zero: false } };
  const color = nominal('path', path.title, values);
  const layers = [
    { mark: { type: 'rule', opacity: 0.45 }, encoding: { x: { ...xEnc, field: 'xlo' }, x2: { field: 'xhi' }, y: yEnc, color } },
    { mark: { type: 'rule', opacity: 0.45 }, encoding: { x: xEnc, y: { ...yEnc, field: 'ylo' }, y2: { field: 'yhi' }, color } },
    { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: xEnc, y: yEnc, color, order: { field: 'step', type: 'quantitative' } } },
    {
      mark: { type: 'point', filled: true },
      encoding: { x: xEnc, y: yEnc, color, size: { field: 'step', type: 'quantitative', title: stepTitle, scale: { type: 'log', range: [12, 110] } } },
    },
  ];
  const allEstimates = points.flatMap((p) => [p.x, p.y]);
  return framedChart({ title, subtitle: [...notes, spreadNote(allEstimates, 'error bars')], values, layers, column, row, independentY: options.independentY });
}
