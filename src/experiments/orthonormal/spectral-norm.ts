/**
 * σ_max of a weight matrix by power iteration, and spectral normalisation
 * SN(M) = M / σ_max(M) (Miyato, Kataoka, Koyama, Yoshida 2018).
 *
 * Stateless: every forward pass runs `iterations` power iterations from the
 * same fixed, seeded start vector (the caller's `start`), so h(W) is a pure
 * function of W; no vector persists between steps (Miyato et al. keep one and
 * run one iteration per step; here the estimate does not depend on the history
 * of the training run, nor on evaluation passes). One iteration is one product
 * with the Gram matrix G of the smaller side (MᵀM or MMᵀ: one Wᵀ-then-W round
 * of the usual alternating form), and n of them, Gⁿ·start, are computed by
 * binary exponentiation: ⌊log₂ n⌋ squarings of G (each rescaled by its largest
 * entry, which is on the diagonal of a Gram matrix, so nothing overflows) and
 * one matrix–vector product per set bit of n. 32 iterations cost five k×k
 * squarings (k the smaller side: 8 to 64 in this family's layers) instead of
 * 64 products with M, a few dozen kernels per σ.
 *
 * The gradient: the vector v̂ = Gⁿ·start / ‖·‖ is treated as a constant (computed
 * inside a custom gradient whose gradient is zero, tfjs having no stopGradient),
 * and σ = ‖M v̂‖ (or ‖Mᵀ v̂‖) is differentiated through M: dσ/dM = u v̂ᵀ with
 * u = M v̂ / ‖M v̂‖, Miyato's gradient. When v̂ is the top singular vector this
 * is the exact derivative of σ_max (v̂ maximises ‖M v‖ over unit v, so its own
 * variation contributes nothing); σ itself is not a constant. Where v̂ has not
 * converged (top singular values close together) the gradient is Miyato's
 * approximation, while the value is still close: ‖M v̂‖ never exceeds σ_max
 * and approaches it from below. On the family's layer sizes at initialisation,
 * 32 iterations put σ within 0.2% of the exact value (test/numerical/orthonormal-aon.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';

/** The side of `shape` whose Gram matrix is the smaller: rows when rows ≤ columns. */
export function smallerSide(shape: readonly number[]): number {
  const [rows, columns] = shape as [number, number];
  return Math.min(rows, columns);
}

/** The Gram matrix of the smaller side: M Mᵀ when M is wide (rows ≤ columns), Mᵀ M when tall. */
export function smallerGram(m: tf.Tensor2D): tf.Tensor2D {
  const [rows, columns] = m.shape;
  return rows <= columns ? tf.matMul(m, m, false, true) : tf.matMul(m, m, true, false);
}

/** A seeded start vector [k, 1] of standard normal entries, for the power iterations of one matrix. */
export function startVector(size: number, seed: number): tf.Tensor2D {
  const rng = new Rng(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal();
  return tf.tensor2d(values, [size, 1]);
}

/** ‖x‖₂ in three kernels (tf.norm takes six: an abs, an integer power and reshapes). */
export function euclideanNorm(x: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.sum(tf.square(x))) as tf.Scalar;
}

/**
 * Gⁿ·start / ‖Gⁿ·start‖, by binary exponentiation. G is first scaled by its
 * largest entry, after which every power's largest entry is at least one (a
 * diagonal entry of B² is the squared norm of a row of B, which holds B's unit
 * entry), so the squarings are rescaled without a floor; a product with the
 * vector is rescaled when another follows. (A zero matrix, which no layer
 * has, would give NaN, and its trial would fail with a NaN loss.)
 */
function powerIterate(g: tf.Tensor2D, iterations: number, start: tf.Tensor2D): tf.Tensor2D {
  let v = start;
  let base = tf.div(g, tf.max(g)) as tf.Tensor2D;
  for (let n = iterations; n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) {
      v = tf.matMul(base, v);
      if (n > 1) v = tf.div(v, tf.max(tf.abs(v)));
    }
    if (n > 1) {
      const square = tf.matMul(base, base);
      base = tf.div(square, tf.max(square));
    }
  }
  return tf.div(v, euclideanNorm(v));
}

/**
 * The unit vector v̂ of the smaller side after `iterations` power iterations
 * from `start` ([k, 1], k = smallerSide(m.shape)), with a zero gradient: a right
 * singular vector of a tall M, a left one of a wide M.
 */
export function powerVector(m: tf.Tensor2D, iterations: number, start: tf.Tensor2D): tf.Tensor2D {
  if (!(Number.isInteger(iterations) && iterations >= 1)) throw new RangeError(`power iterations must be a positive integer, got ${iterations}`);
  const k = smallerSide(m.shape);
  if (start.shape[0] !== k || start.shape[1] !== 1) throw new RangeError(`a ${m.shape.join('×')} matrix needs a start vector of shape [${k}, 1], got [${start.shape.join(', ')}]`);
  const detached = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const matrix = args[0] as tf.Tensor2D;
    return {
      value: powerIterate(smallerGram(matrix), iterations, start),
      gradFunc: () => tf.zerosLike(matrix),
    };
  });
  return detached(m) as tf.Tensor2D;
}

/**
 * ‖M v‖ for a tall M, ‖Mᵀ v‖ for a wide one: with v a unit vector of M's smaller
 * side, a lower bound of σ_max(M), equal to it at the top singular vector.
 * Differentiable through M (v is data).
 */
export function normAlong(m: tf.Tensor2D, v: tf.Tensor2D): tf.Scalar {
  const [rows, columns] = m.shape;
  return euclideanNorm(rows <= columns ? tf.matMul(m, v, true, false) : tf.matMul(m, v));
}

/** σ_max(M) estimated by power iteration: ‖M v̂‖ (never above the exact value), differentiable through M. */
export function spectralNorm(m: tf.Tensor2D, iterations: number, start: tf.Tensor2D): tf.Scalar {
  return normAlong(m, powerVector(m, iterations, start));
}

/**
 * SN(M) = M / σ_max(M). No floor under σ (its gradient would cost kernels every
 * step): σ is positive for any matrix but zero, which no layer has (see powerIterate).
 */
export function spectralNormalise(m: tf.Tensor2D, iterations: number, start: tf.Tensor2D): tf.Tensor2D {
  return tf.div(m, spectralNorm(m, iterations, start));
}
