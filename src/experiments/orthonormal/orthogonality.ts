/**
 * How far a weight matrix is from orthonormal on its smaller side (rows of a
 * wide matrix, columns of a tall one; spectral-norm.ts `smallerGram`):
 *
 *   error(M)   = ‖G − I‖_F,   G = M Mᵀ (wide) or Mᵀ M (tall)
 *   penalty    = Σ_layers ‖G − I‖²_F      (orth-reg adds λ times this to the objective)
 *
 * For the family's dense and conv layers the matrix is the paper's W (out ×
 * fan-in) or its transpose, which have the same smaller-side Gram matrix
 * (weight-matrix.ts), so this is the paper's ‖W Wᵀ − I‖_F whenever a layer has
 * no more units than inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { smallerGram } from './spectral-norm';

/** G − I for the smaller side's Gram matrix G. */
function gramResidual(m: tf.Tensor2D): tf.Tensor2D {
  const gram = smallerGram(m);
  return tf.sub(gram, tf.eye(gram.shape[0])) as tf.Tensor2D;
}

/** ‖G − I‖²_F, differentiable (the orth-reg penalty of one layer). */
export function squaredOrthogonalityError(m: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.square(gramResidual(m))) as tf.Scalar;
}

/** ‖G − I‖_F: the orthogonality error reported per layer. */
export function orthogonalityError(m: tf.Tensor2D): tf.Scalar {
  return tf.sqrt(squaredOrthogonalityError(m)) as tf.Scalar;
}

/** Σ over the matrices of ‖G − I‖²_F (zero for none). */
export function orthogonalityPenalty(matrices: readonly tf.Tensor2D[]): tf.Scalar {
  if (matrices.length === 0) return tf.scalar(0);
  return tf.addN(matrices.map(squaredOrthogonalityError)) as tf.Scalar;
}
