/**
 * Small CNN: conv 3×3 (width channels, ReLU) → max-pool 2 → conv 3×3
 * (2·width channels, ReLU) → max-pool 2 → dense → numClasses.
 * 'same' padding, stride 1; on 28×28 inputs the dense layer sees 7×7×2·width.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { constant, glorotUniform, heUniform } from './init';
import { disposeParams, type ForwardResult, type Model } from './model';
import { relu } from './mlp';

export interface CnnOptions {
  /** Channels of the first conv layer (the second has twice as many). */
  width: number;
  seed: number;
  /** Input image side, default 28×28, one channel. */
  height?: number;
  imageWidth?: number;
  numClasses?: number;
}

const KERNEL = 3;

export function buildCnn(options: CnnOptions): Model {
  const { width, seed, height = 28, imageWidth = 28, numClasses = 10 } = options;
  if (!(width >= 1)) throw new RangeError(`CNN needs width ≥ 1, got ${width}`);
  const rng = new Rng(seed);
  const c1 = width;
  const c2 = 2 * width;
  // maxPool 2×2 stride 2 with 'valid' padding floors odd sides.
  const pooledH = Math.floor(Math.floor(height / 2) / 2);
  const pooledW = Math.floor(Math.floor(imageWidth / 2) / 2);
  if (pooledH < 1 || pooledW < 1) throw new RangeError(`CNN needs images of at least 4×4, got ${height}×${imageWidth}`);
  const flat = pooledH * pooledW * c2;

  const conv0Kernel = heUniform(rng, 'conv0/kernel', [KERNEL, KERNEL, 1, c1], KERNEL * KERNEL * 1);
  const conv0Bias = constant('conv0/bias', [c1]);
  const conv1Kernel = heUniform(rng, 'conv1/kernel', [KERNEL, KERNEL, c1, c2], KERNEL * KERNEL * c1);
  const conv1Bias = constant('conv1/bias', [c2]);
  const denseKernel = glorotUniform(rng, 'dense/kernel', [flat, numClasses], flat, numClasses);
  const denseBias = constant('dense/bias', [numClasses]);
  const params = [conv0Kernel, conv0Bias, conv1Kernel, conv1Bias, denseKernel, denseBias];

  const forward = (x: tf.Tensor2D): ForwardResult => {
    const image = tf.reshape(x, [-1, height, imageWidth, 1]) as tf.Tensor4D;
    // pool(relu(conv + b)) computed as relu(pool(conv) + b): max-pooling commutes
    // with adding a per-channel constant and with ReLU (both monotone, and so
    // is float rounding), so the values are the same, bit for bit. The gradient
    // is the same too, up to the order in which the bias gradient is summed and
    // windows where rounding conv + b ties two elements that conv did not (the
    // gradient then goes to the other, equally maximal, element). The bias add
    // and the ReLU run on a quarter of the elements, forward and backward.
    const p0 = relu(tf.add(tf.maxPool(tf.conv2d(image, conv0Kernel.variable as tf.Tensor4D, 1, 'same'), 2, 2, 'valid'), conv0Bias.variable)) as tf.Tensor4D;
    const p1 = relu(tf.add(tf.maxPool(tf.conv2d(p0, conv1Kernel.variable as tf.Tensor4D, 1, 'same'), 2, 2, 'valid'), conv1Bias.variable)) as tf.Tensor4D;
    const logits = tf.add(tf.matMul(tf.reshape(p1, [-1, flat]), denseKernel.variable), denseBias.variable) as tf.Tensor2D;
    return { logits, hidden: [p0, p1] };
  };

  return {
    arch: 'cnn',
    numClasses,
    inputSize: height * imageWidth,
    params,
    forward,
    apply: (x) => forward(x).logits,
    dispose: () => disposeParams(params),
  };
}
