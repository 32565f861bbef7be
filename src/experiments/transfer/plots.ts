/** The `transfer` family's plots: target accuracy per strategy and domain pair (the PTU study's table as bars), and the training curves. */
import { labelConfigurations } from '../charts/configurations';
import { groupedBars } from '../charts/grouped-bars';
import type { PlotKind } from '../charts/plot-kind';
import { trainingCurves } from '../charts/training-curves';

const accuracy: PlotKind = {
  name: 'accuracy',
  description: 'target test accuracy per strategy and domain pair',
  source: { from: 'finals', metrics: ['testAccuracy'] },
  chart(points) {
    const { rest } = labelConfigurations(points, [], ['strategy', 'pair']);
    return groupedBars({
      title: 'Target accuracy per strategy and domain pair',
      points,
      category: { title: 'strategy', of: (p) => String(p.params.strategy) },
      group: { title: 'domain pair', of: (p) => String(p.params.pair) },
      y: { title: 'target test accuracy', domain: [0, 1] },
      column: rest,
    });
  },
};

export const transferPlots: readonly PlotKind[] = [accuracy, trainingCurves()];
