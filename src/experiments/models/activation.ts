/** Hidden-layer nonlinearities, and a ReLU whose gradient is cheap on every backend. */
import * as tf from '@tensorflow/tfjs';

export type Activation = 'relu' | 'tanh' | 'sigmoid';

/**
 * ReLU with a two-kernel gradient, dy·sign(y) where y = relu(x). Since y ≥ 0,
 * sign(y) is 1 where x > 0 and 0 elsewhere: the same values as tfjs's own
 * gradient dy·step(x). That one calls `step`, which the native (TensorFlow)
 * backend runs as five kernels over the whole activation (IsNan, Greater,
 * Fill, Select, Select): on the CNN's activations it was about a third of a
 * training step. Same forward values and the same gradient on every backend.
 */
export const relu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const y = tf.relu(x);
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sign(saved[0]!)) };
}) as <T extends tf.Tensor>(x: T) => T;

/** `linear` is the identity: an output layer's logits. */
export function activate(x: tf.Tensor, activation: Activation | 'linear'): tf.Tensor {
  switch (activation) {
    case 'relu':
      return relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'linear':
      return x;
  }
}
