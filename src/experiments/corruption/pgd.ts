/**
 * The multi-step corruption: projected gradient ascent on a within the norm
 * ball ‖a‖ ≤ ε. The paper names the one-step gradient corruption; the
 * multi-step variant is our reconstruction, after Madry et al. (2018):
 * start at the one-step corruption ε·d, take `steps` steps of size
 * α = 2.5ε/steps along the ascent direction of the norm (g/‖g‖₂ for L2,
 * sign(g) for L∞), project back onto the ball after each (rescale for L2,
 * clip to [−ε, ε] for L∞), and keep the iterate with the largest loss, the
 * start included, so it is never weaker than the one-step corruption.
 */
import * as tf from '@tensorflow/tfjs';
import type { Corrupter } from './corrupter';
import { jointNorm, type NormName } from './norms';
import type { Evaluation, LossProbe } from './probe';

export const PGD_STEP_FACTOR = 2.5;

/** One ascent step from `a` along `gradient`, projected onto the ε-ball (new tensors). */
export function pgdStep(a: readonly tf.Tensor[], gradient: readonly tf.Tensor[], norm: NormName, eps: number, alpha: number): tf.Tensor[] {
  if (norm === 'Linf') {
    return tf.tidy(() => a.map((ai, i) => tf.clipByValue(tf.add(ai, tf.mul(tf.sign(gradient[i]!), alpha)), -eps, eps)));
  }
  const gNorm = jointNorm(gradient, 'L2');
  // A zero gradient (a flat point): no direction to move in, stay.
  const moved = tf.tidy(() => a.map((ai, i) => (gNorm > 0 ? tf.add(ai, tf.mul(gradient[i]!, alpha / gNorm)) : tf.clone(ai))));
  const norm2 = jointNorm(moved, 'L2');
  if (norm2 <= eps) return moved;
  const projected = moved.map((m) => tf.mul(m, eps / norm2));
  tf.dispose(moved);
  return projected;
}

export interface PgdResult extends Evaluation {
  /** The iterate that reached `loss` (caller disposes). */
  readonly corruption: tf.Tensor[];
}

/**
 * Runs PGD from `start` (evaluated already as `startEval`); the probe's variables
 * are left at the last iterate (the caller restores them).
 */
export async function projectedGradientAscent(
  probe: LossProbe,
  corrupter: Corrupter,
  start: readonly tf.Tensor[],
  startEval: Evaluation,
  options: { norm: NormName; eps: number; steps: number },
): Promise<PgdResult> {
  const { norm, eps, steps } = options;
  const alpha = (PGD_STEP_FACTOR * eps) / steps;
  let best: PgdResult = { ...startEval, corruption: start.map((t) => tf.clone(t)) };
  let current = start.map((t) => tf.clone(t));
  for (let step = 0; step < steps; step++) {
    corrupter.apply(current);
    const gradient = probe.gradient();
    const next = pgdStep(current, gradient, norm, eps, alpha);
    tf.dispose([...gradient, ...current]);
    current = next;
    corrupter.apply(current);
    const evaluation = await probe.evaluate();
    if (evaluation.loss > best.loss) {
      tf.dispose(best.corruption);
      best = { ...evaluation, corruption: current.map((t) => tf.clone(t)) };
    }
  }
  tf.dispose(current);
  return best;
}
