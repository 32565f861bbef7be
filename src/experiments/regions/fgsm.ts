/**
 * Fast gradient sign method (Goodfellow, Shlens, Szegedy 2015): one step of
 * size ε along the sign of the loss gradient with respect to the inputs,
 * clipped back into the input box [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../models/model';
import { crossEntropy } from '../training';

export function fgsmExamples(model: Model, epsilon: number): (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D {
  return (x, y) =>
    tf.tidy(() => {
      const gradient = tf.grad((input: tf.Tensor) => crossEntropy(y, model.apply(input as tf.Tensor2D)))(x);
      return tf.clipByValue(tf.add(x, tf.mul(tf.sign(gradient), epsilon)), 0, 1) as tf.Tensor2D;
    });
}
