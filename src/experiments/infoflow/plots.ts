/**
 * The `infoflow` family's plots (run.ts names the metrics): the information
 * plane and I(X; T_ℓ) per layer over training, one panel per configuration,
 * and the training curves at the checkpoints.
 *
 * The information plane of the literature plots I(X; T_ℓ) against I(T_ℓ; Y).
 * This family does not estimate I(T_ℓ; Y); what it records of how a layer
 * separates the classes is `sameClassClose.ℓ` (the fraction of same-class pairs
 * of the noise-free network closer than 2β: the clustering Goldfeld et al.
 * relate compression to), so that is the plane's y axis, and the plot says so.
 */
import { trajectory } from '../charts/trajectory';
import { bandedLines } from '../charts/banded-lines';
import { labelConfigurations, metricPart } from '../charts/configurations';
import type { PlotKind, PlotPoint } from '../charts/plot-kind';
import type { Estimate } from '../charts/spread';
import { trainingCurves } from '../charts/training-curves';

const MI_TITLE = 'I(X;Tℓ) in nats (SP estimate)';
const layerOf = (p: PlotPoint) => `layer ${metricPart(p.metric, 1)}`;

interface PlanePoint {
  readonly point: PlotPoint;
  readonly layer: string;
  readonly step: number;
  readonly x: Estimate;
  readonly y: Estimate;
}

/** mi.ℓ and sameClassClose.ℓ of one configuration, layer and checkpoint, side by side. */
function planePoints(points: readonly PlotPoint[]): PlanePoint[] {
  const clustering = new Map<string, PlotPoint>();
  const at = (p: PlotPoint) => JSON.stringify([p.params, metricPart(p.metric, 1), p.x]);
  for (const p of points) if (p.metric.startsWith('sameClassClose.')) clustering.set(at(p), p);
  return points.flatMap((p) => {
    const y = p.metric.startsWith('mi.') ? clustering.get(at(p)) : undefined;
    return y ? [{ point: p, layer: layerOf(p), step: p.x ?? 0, x: p, y }] : [];
  });
}

const informationPlane: PlotKind = {
  name: 'information-plane',
  description: 'per hidden layer, I(X;Tℓ) against same-class clustering at each checkpoint (I(Tℓ;Y) is not recorded)',
  source: { from: 'steps', metrics: ['mi.*', 'sameClassClose.*'] },
  chart(points) {
    const plane = planePoints(points);
    const { groups, rest } = labelConfigurations(points, [['beta']]);
    const [column] = groups;
    return trajectory({
      title: 'Information plane per hidden layer',
      points: plane,
      x: { title: MI_TITLE },
      y: { title: 'same-class pairs closer than 2β' },
      path: { title: 'hidden layer', of: (p) => p.layer },
      stepTitle: 'epoch',
      column: { title: column!.title, of: (p) => column!.of(p.point) },
      row: { title: rest.title, of: (p) => rest.of(p.point) },
      notes: ['I(Tℓ;Y) is not recorded: y is sameClassClose.ℓ, the noise-free network\'s clustering; paths run from small (early) to large (late) marks'],
    });
  },
};

const miOverTraining: PlotKind = {
  name: 'mi-over-training',
  description: 'I(X;Tℓ) per hidden layer against the epoch (log scale)',
  source: { from: 'steps', metrics: ['mi.*'] },
  chart(points) {
    const { groups, rest } = labelConfigurations(points, [['beta']]);
    return bandedLines({
      title: 'I(X;Tℓ) over training',
      points,
      x: { title: 'epoch', scale: 'log' },
      y: { title: MI_TITLE },
      series: { title: 'hidden layer', of: layerOf },
      column: groups[0],
      row: rest,
    });
  },
};

// train()'s curves, reported at the checkpoints only.
export const infoflowPlots: readonly PlotKind[] = [informationPlane, miOverTraining, trainingCurves()];
