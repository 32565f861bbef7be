/** The `train` family's plots: its training curves. */
import type { PlotKind } from '../charts/plot-kind';
import { trainingCurves } from '../charts/training-curves';

export const trainPlots: readonly PlotKind[] = [trainingCurves()];
