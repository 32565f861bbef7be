/**
 * Approximated orthonormal normalisation, h(W) (Zhang, Niwa, Kleijn, arXiv
 * 1911.09445). The paper's exact order and settings were not available to us;
 * this is our reconstruction of it:
 *
 *   A   = W / σ_max(W)                          (power iteration, spectral-norm.ts)
 *   E   = I − A Aᵀ
 *   P_K = Σ_{k=0..K} C(2k, k) / 4^k · E^k        (Taylor series of (I − E)^(−1/2) = (A Aᵀ)^(−1/2))
 *   h(W) = SN(P_K A)                             (spectral normalisation of the product)
 *
 * A Aᵀ = U S² Uᵀ, so P_K A = U · s·P_K(1 − s²) · Vᵀ singular value by singular
 * value, and s·P_K(1 − s²) → 1 as K grows: P_K A tends to the orthonormal polar
 * factor U Vᵀ = (A Aᵀ)^(−1/2) A, from below and monotonically in K (every term of
 * the series is positive on s ∈ (0, 1]). Dividing by σ_max first puts the
 * eigenvalues 1 − s² of E in [0, 1), where the series converges (it converges
 * for s up to √2, so a σ_max estimated somewhat low does no harm). K = 1 is one
 * Newton–Schulz step, A (3I − AᵀA)/2; K = 0 is spectral normalisation alone.
 * The final SN makes the largest singular value of h(W) one.
 *
 * One power iteration serves both σ. With f(s) = s·P_K(1 − s²) the map of the
 * singular values, f′(s) = (2K + 1)·c_K·(1 − s²)^K ≥ 0 on [0, 1] (the other terms
 * of the derivative cancel, c_{k+1}/c_k being (2k + 1)/(2k + 2)), so f keeps the
 * order of the singular values and the top singular vector of P_K A is that of W:
 * σ_max(P_K A) = ‖(P_K A)ᵀ v̂‖ with the vector v̂ of W's power iteration. That saves a
 * second power iteration, and is better than one: P_K A's top singular values
 * crowd towards one (f′(1) = 0), where power iteration converges slowly, while
 * f′(1) = 0 also makes the estimate insensitive to a v̂ slightly off. (When σ_max(W)
 * is underestimated, s_max is slightly above one, where f rises on for even K and
 * falls for odd K; the difference is of the order of the squared error.)
 *
 * What a low order cannot do: near s = 0, f(s) ≈ s·P_K(1) = s·(2K + 1)·c_K, so
 * small singular values are only multiplied by 1.5, 1.875, 2.19 for K = 1, 2, 3.
 * A square layer (the MLP's 64×64 dense1), whose singular values at
 * initialisation reach down towards zero, therefore stays far from orthonormal
 * at these orders, while a strongly rectangular one (784×64) comes close.
 *
 * Rows or columns: a wide matrix (rows ≤ columns) gets orthonormal rows, a tall
 * one orthonormal columns (the larger side cannot be orthonormal: its Gram
 * matrix is rank-deficient). Since A·p(AᵀA) = p(AAᵀ)·A for any polynomial p,
 * the two forms are the same matrix; the rule picks the smaller E (k×k, k the
 * smaller side) and the Gram matrix the orthogonality error is measured on.
 * The family's weight matrices are built in weight-matrix.ts.
 *
 * The layer uses h(W) in its forward pass and gradients flow through all of
 * it: A, E, the series and both σ (each σ = ‖M v̂‖ with the power-iteration
 * vector v̂ held constant, as in Miyato et al.; see spectral-norm.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { normAlong, powerVector } from './spectral-norm';

/** c_k = C(2k, k) / 4^k for k = 0..K: 1, 1/2, 3/8, 5/16, 35/128, … (c_k = c_{k−1}·(2k−1)/(2k)). */
export function seriesCoefficients(order: number): number[] {
  if (!(Number.isInteger(order) && order >= 0)) throw new RangeError(`the series order K must be a non-negative integer, got ${order}`);
  const c = [1];
  for (let k = 1; k <= order; k++) c.push((c[k - 1]! * (2 * k - 1)) / (2 * k));
  return c;
}

/**
 * P_K(E) for a square E, by Horner's rule: P = c_K E + c_{K−1} I, then
 * P ← E P + c_k I down to k = 0 (K − 1 products of k×k matrices).
 */
export function seriesPolynomial(e: tf.Tensor2D, order: number): tf.Tensor2D {
  const c = seriesCoefficients(order);
  const eye = tf.eye(e.shape[0]);
  if (order === 0) return eye;
  let p = tf.add(tf.mul(e, c[order]!), tf.mul(eye, c[order - 1]!)) as tf.Tensor2D;
  for (let k = order - 2; k >= 0; k--) p = tf.add(tf.matMul(e, p), tf.mul(eye, c[k]!)) as tf.Tensor2D;
  return p;
}

/**
 * P_K A for an A whose σ_max is (about) one, on its smaller side: P_K(I − AAᵀ)·A
 * when A is wide, A·P_K(I − AᵀA) when tall (the same matrix).
 */
export function seriesProduct(a: tf.Tensor2D, order: number): tf.Tensor2D {
  const [rows, columns] = a.shape;
  const wide = rows <= columns;
  const gram = wide ? tf.matMul(a, a, false, true) : tf.matMul(a, a, true, false);
  const e = tf.sub(tf.eye(gram.shape[0]), gram) as tf.Tensor2D;
  const p = seriesPolynomial(e, order);
  return wide ? tf.matMul(p, a) : tf.matMul(a, p);
}

export interface AonOptions {
  /** K, the last power of E in the series. */
  readonly order: number;
  /** Power iterations of each σ_max estimate. */
  readonly powerIterations: number;
  /** Start vector of the power iterations, [k, 1] with k the smaller side of W. */
  readonly start: tf.Tensor2D;
}

/** h(W) = SN(P_K · W/σ_max(W)), for a matrix W of any shape; both σ along W's power-iteration vector (see the module comment). */
export function aon(w: tf.Tensor2D, options: AonOptions): tf.Tensor2D {
  const { order, powerIterations, start } = options;
  const v = powerVector(w, powerIterations, start);
  const a = tf.div(w, normAlong(w, v)) as tf.Tensor2D;
  const product = seriesProduct(a, order);
  return tf.div(product, normAlong(product, v)) as tf.Tensor2D;
}
