/**
 * The `regions` family's plots (run.ts names the summary): stable units per
 * layer and linear regions against the l1 penalty, and the training curves.
 */
import { bandedLines } from '../charts/banded-lines';
import { labelConfigurations, metricPart } from '../charts/configurations';
import type { PlotKind, PlotPoint } from '../charts/plot-kind';
import { trainingCurves } from '../charts/training-curves';

const isRegions = (p: PlotPoint) => p.metric === 'regions';

const stableUnits: PlotKind = {
  name: 'stable-units',
  description: 'stably inactive and stably active units per layer, and linear regions, against l1',
  source: { from: 'finals', metrics: ['inactive.*', 'active.*', 'regions'] },
  chart(points) {
    const { rest } = labelConfigurations(points, [], ['l1']);
    return bandedLines({
      title: 'Stable units and linear regions against l1',
      points,
      x: { title: 'l1 penalty λ', scale: 'symlog' },
      xOf: (p) => (typeof p.params.l1 === 'number' ? p.params.l1 : null),
      y: { title: 'count', integer: true },
      series: { title: 'measure', of: (p) => (isRegions(p) ? 'linear regions' : `${metricPart(p.metric, 0)}, layer ${metricPart(p.metric, 1)}`) },
      column: { title: '', of: (p) => (isRegions(p) ? 'linear regions' : 'stable units') },
      row: rest,
      independentY: true,
      notes: ['linear regions: the exact count, or a lower bound where the MILP budget ran out (regionsExact)'],
    });
  },
};

export const regionsPlots: readonly PlotKind[] = [stableUnits, trainingCurves()];
