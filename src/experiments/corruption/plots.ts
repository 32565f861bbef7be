/**
 * The `corruption` family's plots (run.ts names the metrics): the loss
 * increase against ε, gradient-based versus random corruption, and the
 * training curves of the corrupted models.
 */
import { bandedLines } from '../charts/banded-lines';
import { labelConfigurations } from '../charts/configurations';
import type { PlotKind } from '../charts/plot-kind';
import { trainingCurves } from '../charts/training-curves';

const METHODS: Record<string, string> = {
  'lossIncrease.gradient': 'gradient-based',
  'lossIncrease.random.mean': 'random',
};

const lossIncrease: PlotKind = {
  name: 'loss-increase',
  description: 'loss increase against ε, both on log scales, gradient-based versus random corruption',
  source: { from: 'steps', metrics: Object.keys(METHODS), x: 'eps' },
  chart(points) {
    const { groups, rest } = labelConfigurations(points, [['training'], ['norm']]);
    const [training, norm] = groups;
    return bandedLines({
      title: 'Loss increase under parameter corruption',
      points,
      x: { title: 'ε (corruption norm bound)', scale: 'log' },
      // Log–log: the first-order picture (gradient-based ∝ ε, random ∝ ε²) shows as slopes 1 and 2.
      y: { title: 'loss increase', scale: 'log' },
      series: { title: 'corruption', of: (p) => METHODS[p.metric] ?? p.metric },
      dash: training,
      column: norm,
      row: rest,
      independentY: true,
      notes: ['random: the mean over each trial\'s random draws'],
    });
  },
};

export const corruptionPlots: readonly PlotKind[] = [lossIncrease, trainingCurves('train.')];
