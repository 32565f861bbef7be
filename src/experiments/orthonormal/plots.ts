/**
 * The `orthonormal` family's plots (run.ts names the metrics): the
 * orthogonality error over training, a line per method (with its λ or K), and
 * the training curves.
 */
import { bandedLines } from '../charts/banded-lines';
import { labelConfigurations } from '../charts/configurations';
import type { PlotKind } from '../charts/plot-kind';
import { trainingCurves } from '../charts/training-curves';

const orthogonalityError: PlotKind = {
  name: 'orthogonality-error',
  description: 'mean orthogonality error ‖h(W)h(W)ᵀ − I‖F of the targeted layers per epoch, a line per method',
  source: { from: 'steps', metrics: ['orthError'] },
  chart(points) {
    const { groups, rest } = labelConfigurations(points, [['method', 'lambda', 'order']]);
    return bandedLines({
      title: 'Orthogonality error over training',
      points,
      x: { title: 'epoch', integer: true },
      y: { title: 'orthogonality error (mean over layers)', scale: 'log' },
      series: groups[0]!,
      column: rest,
    });
  },
};

export const orthonormalPlots: readonly PlotKind[] = [orthogonalityError, trainingCurves()];
