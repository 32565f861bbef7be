/**
 * Lines of means with a band of ± 1 std over seeds around each: training
 * curves, a measure against ε or against a parameter. Points are drawn on
 * every line, so a line with one x still shows.
 */
import type { TopLevelSpec } from 'vega-lite';
import { framedChart, nominal, panelFields, splits, type Panels, type Split } from './chart-frame';
import type { PlotPoint } from './plot-kind';
import { lowerOf, spreadNote, upperOf } from './spread';

export type ScaleKind = 'linear' | 'log' | 'symlog';

export interface Axis {
  readonly title: string;
  readonly scale?: ScaleKind;
  /** Whole numbers only (epochs, counts): no ticks between them. */
  readonly integer?: boolean;
  /** Whether the axis must include 0 (default: only a linear y axis does). */
  readonly zero?: boolean;
}

export interface BandedLinesOptions extends Panels<PlotPoint> {
  readonly title: string;
  readonly points: readonly PlotPoint[];
  /** The x axis; the value is the point's x unless `xOf` says otherwise (a parameter, say). */
  readonly x: Axis;
  readonly xOf?: (point: PlotPoint) => number | null;
  readonly y: Axis;
  /** What tells the lines apart (colour). */
  readonly series: Split<PlotPoint>;
  /** A second distinction within a colour, drawn as solid and dashed lines (e.g. train and test). */
  readonly dash?: Split<PlotPoint>;
  /** Extra lines under the title (what the axes mean, what is not recorded). */
  readonly notes?: readonly string[];
}

function scaleOf(axis: Axis, values: readonly number[], isY: boolean) {
  const kind = axis.scale ?? 'linear';
  const zero = axis.zero ?? (isY && kind === 'linear');
  // One value only (every count 0, say): a domain around it, else Vega draws a zero-height axis.
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const flat = values.length > 0 && lo === hi ? { domain: kind === 'log' ? [lo / 10, lo * 10] : lo === 0 ? [0, 1] : [Math.min(0, 2 * lo), Math.max(0, 2 * lo)] } : {};
  // A log axis ends at the data, not at the next power of ten (epochs 1..12 would run to 100).
  if (kind === 'log') return { type: kind, nice: false, ...flat };
  if (kind === 'linear') return { type: kind, zero, ...flat };
  // symlog is linear within ±constant: the smallest positive value keeps 0 and the decades above it apart.
  const positive = values.filter((v) => v > 0);
  return { type: 'symlog', constant: positive.length > 0 ? Math.min(...positive) : 1, zero, ...flat };
}

/** Whole numbers as such (a panel of zero counts reads "0", not "0.000000"), else the shortest form. */
function axisFormat(axis: Axis) {
  return axis.integer ? { tickMinStep: 1, format: 'd' } : { format: '~g' };
}

export function bandedLines(options: BandedLinesOptions): TopLevelSpec {
  const { title, x, series, dash, notes = [] } = options;
  const xOf = options.xOf ?? ((p: PlotPoint) => p.x);
  // A log axis cannot show 0 or less: such points are left out (and counted in a note), and a band is cut at the smallest positive mean / 10.
  const placed = options.points.filter((p) => xOf(p) !== null && Number.isFinite(xOf(p)));
  const points = placed.filter((p) => (x.scale !== 'log' || xOf(p)! > 0) && (options.y.scale !== 'log' || p.mean > 0));
  const floor = options.y.scale === 'log' ? Math.min(...points.map((p) => p.mean)) / 10 : -Infinity;
  const logNotes = [
    ...(points.length < placed.length ? [`${placed.length - points.length} point(s) at or below 0 left out (log scale)`] : []),
    ...(points.some((p) => lowerOf(p) < floor) ? ['bands reaching 0 or below are cut at a tenth of the smallest mean (log scale)'] : []),
  ];
  const { column, row, fieldsOf } = panelFields(options, points);
  const dashed = splits(dash, points) ? dash : undefined;
  // One line per panel needs no legend.
  const coloured = splits(series, points);
  const values = points.map((p) => ({
    x: xOf(p),
    mean: p.mean,
    lo: Math.max(lowerOf(p), floor),
    hi: upperOf(p),
    n: p.n,
    series: series.of(p),
    ...(dashed ? { dash: dashed.of(p) } : {}),
    ...fieldsOf(p),
  }));

  const xEncoding = {
    field: 'x',
    type: 'quantitative',
    title: x.title,
    scale: scaleOf(x, values.map((v) => v.x!), false),
    axis: axisFormat(x),
  };
  const yScale = scaleOf(options.y, values.flatMap((v) => [v.lo, v.hi]), true);
  const color = coloured ? nominal('series', series.title, values) : undefined;
  // The dash pattern is what tells training from test: the legend shows strokes.
  const strokeDash = dashed ? { ...nominal('dash', dashed.title, values), legend: { symbolType: 'stroke', symbolStrokeColor: '#444' } } : undefined;
  const y = (field: string) => ({ field, type: 'quantitative', title: options.y.title, scale: yScale, axis: axisFormat(options.y) });
  // An area from mean − std to mean + std; its fill is faint, not its opacity, so the legend's swatches keep their colour.
  const band = {
    mark: { type: 'area', fillOpacity: 0.18 },
    encoding: {
      x: xEncoding,
      y: y('lo'),
      y2: { field: 'hi' },
      ...(color ? { color } : {}),
      ...(dashed ? { detail: { field: 'dash' } } : {}),
    },
  };
  const line = {
    mark: { type: 'line', strokeWidth: 1.8 },
    encoding: { x: xEncoding, y: y('mean'), ...(color ? { color } : {}), ...(strokeDash ? { strokeDash } : {}) },
  };
  // Marks on every point: a line with one x still shows.
  const marks = {
    mark: { type: 'point', filled: true, size: 22 },
    encoding: { x: xEncoding, y: y('mean'), ...(color ? { color } : {}) },
  };
  return framedChart({
    title,
    subtitle: [...notes, ...logNotes, spreadNote(points, 'band')],
    values,
    layers: [band, line, marks],
    column,
    row,
    independentY: options.independentY,
  });
}
