/**
 * The training curves every supervised family reports per epoch (training.ts's
 * epochCurves: loss, accuracy, testLoss, testAccuracy), as one plot kind: loss
 * and accuracy side by side, training solid and test dashed, a line per
 * configuration.
 */
import { bandedLines } from './banded-lines';
import { labelConfigurations } from './configurations';
import type { PlotKind, PlotPoint } from './plot-kind';

/** `prefix`: how the family names the curves (corruption reports them as `train.loss`, …). */
export function trainingCurves(prefix = ''): PlotKind {
  const names = ['loss', 'accuracy', 'testLoss', 'testAccuracy'].map((name) => `${prefix}${name}`);
  const bare = (p: PlotPoint) => p.metric.slice(prefix.length);
  return {
    name: 'training-curves',
    description: 'loss and accuracy per epoch, training (solid) and test (dashed), a line per configuration',
    source: { from: 'steps', metrics: names },
    chart(points) {
      const { rest: configuration } = labelConfigurations(points, []);
      return bandedLines({
        title: 'Training curves',
        points,
        x: { title: 'epoch', integer: true },
        y: { title: 'value' },
        series: configuration,
        dash: { title: 'split', of: (p) => (bare(p).startsWith('test') ? 'test' : 'training') },
        column: { title: '', of: (p) => (bare(p).toLowerCase().endsWith('loss') ? 'loss' : 'accuracy') },
        independentY: true,
      });
    },
  };
}
