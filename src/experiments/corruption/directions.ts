/**
 * The two corruption directions of the paper, as unit vectors in the trial's
 * norm (the corruption at budget ε is ε times the direction):
 *
 * - gradient-based: the maximiser of the first-order change gᵀa over ‖a‖ ≤ 1,
 *   g/‖g‖₂ for L2 and sign(g) for L∞; the first-order estimate of the loss
 *   increase at ε is then Δ̂ = ε‖g‖₂ (L2) or ε‖g‖₁ (L∞), ε times the dual norm;
 * - random: r/‖r‖_p with r ~ N(0, I), as the issue states it for both norms
 *   (so an L∞ random corruption touches one coordinate by ε and the rest by less).
 */
import * as tf from '@tensorflow/tfjs';
import { TrialMathError } from '../errors';
import type { Rng } from '../rng';
import { dualOf, jointNorm, type NormName } from './norms';

export interface GradientDirection {
  /** Unit vector in the norm, one tensor per targeted parameter (caller disposes). */
  readonly direction: tf.Tensor[];
  /** ‖g‖ in the dual norm: Δ̂(ε) = ε · dualNorm. */
  readonly dualNorm: number;
}

/** The direction of steepest first-order ascent within the norm ball. */
export function gradientDirection(gradient: readonly tf.Tensor[], norm: NormName): GradientDirection {
  const dualNorm = jointNorm(gradient, dualOf(norm));
  if (!(dualNorm > 0) || !Number.isFinite(dualNorm)) {
    throw new TrialMathError(`the loss gradient has ${dualOf(norm)} norm ${dualNorm}: no gradient-based corruption exists`);
  }
  const direction =
    norm === 'L2'
      ? gradient.map((g) => tf.div(g, dualNorm)) // the dual of L2 is L2
      : gradient.map((g) => tf.sign(g));
  return { direction, dualNorm };
}

/** A seeded random unit vector in the norm, r/‖r‖_p with r ~ N(0, I), for tensors of `shapes`. */
export function randomDirection(rng: Rng, shapes: readonly (readonly number[])[], norm: NormName): tf.Tensor[] {
  const draws = shapes.map((shape) => {
    const values = new Float64Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = rng.normal();
    return values;
  });
  let scale = 0;
  for (const values of draws) {
    for (const v of values) scale = norm === 'L2' ? scale + v * v : Math.max(scale, Math.abs(v));
  }
  if (norm === 'L2') scale = Math.sqrt(scale);
  return draws.map((values, i) => tf.tensor(Float32Array.from(values, (v) => v / scale), [...shapes[i]!], 'float32'));
}
