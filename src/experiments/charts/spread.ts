/**
 * The spread every plot shows around a mean: ± one sample standard deviation
 * over the seeds (not a confidence interval, so no distribution assumption),
 * stated in each plot's subtitle together with the number of seeds.
 */
import type { PlotPoint } from './plot-kind';

export interface Estimate {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

export function lowerOf(estimate: Estimate): number {
  return estimate.mean - estimate.std;
}

export function upperOf(estimate: Estimate): number {
  return estimate.mean + estimate.std;
}

/** "band: mean ± 1 std over seeds (n = 3 per point)"; `shape` names the mark (band, error bar). */
export function spreadNote(points: readonly Pick<PlotPoint, 'n'>[], shape: 'band' | 'error bars'): string {
  const counts = points.map((p) => p.n);
  if (counts.length === 0) return 'no finished trial';
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  if (hi === 1) return `one seed per point: no ${shape}`;
  const n = lo === hi ? `n = ${lo}` : `n = ${lo}–${hi}`;
  return `${shape}: mean ± 1 std over seeds (${n} per point)`;
}
