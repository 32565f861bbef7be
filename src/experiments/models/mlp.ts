/**
 * Multi-layer perceptron: inputSize → width × depth (activation) → numClasses.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { constant, glorotUniform, heUniform } from './init';
import { disposeParams, type ForwardResult, type Model, type ModelParam } from './model';

export type Activation = 'relu' | 'tanh' | 'sigmoid';

export interface MlpOptions {
  /** Units of each hidden layer. */
  width: number;
  /** Number of hidden layers. */
  depth: number;
  seed: number;
  /** Default 784 (a flattened 28×28 image). */
  inputSize?: number;
  /** Default 10. */
  numClasses?: number;
  /** Hidden activation, default 'relu'. */
  activation?: Activation;
}

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

export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

export function buildMlp(options: MlpOptions): Model {
  const { width, depth, seed, inputSize = 784, numClasses = 10, activation = 'relu' } = options;
  if (!(width >= 1 && depth >= 1)) throw new RangeError(`MLP needs width ≥ 1 and depth ≥ 1, got ${width}, ${depth}`);
  const rng = new Rng(seed);
  const params: ModelParam[] = [];
  let fanIn = inputSize;
  for (let layer = 0; layer < depth; layer++) {
    const kernel = activation === 'relu'
      ? heUniform(rng, `dense${layer}/kernel`, [fanIn, width], fanIn)
      : glorotUniform(rng, `dense${layer}/kernel`, [fanIn, width], fanIn, width);
    params.push(kernel, constant(`dense${layer}/bias`, [width]));
    fanIn = width;
  }
  params.push(
    glorotUniform(rng, `dense${depth}/kernel`, [fanIn, numClasses], fanIn, numClasses),
    constant(`dense${depth}/bias`, [numClasses]),
  );

  const forward = (x: tf.Tensor2D): ForwardResult => {
    const hidden: tf.Tensor[] = [];
    let h: tf.Tensor2D = x;
    for (let layer = 0; layer < depth; layer++) {
      const kernel = params[2 * layer]!.variable;
      const bias = params[2 * layer + 1]!.variable;
      h = activate(tf.add(tf.matMul(h, kernel), bias), activation) as tf.Tensor2D;
      hidden.push(h);
    }
    const logits = tf.add(tf.matMul(h, params[2 * depth]!.variable), params[2 * depth + 1]!.variable) as tf.Tensor2D;
    return { logits, hidden };
  };

  return {
    arch: 'mlp',
    numClasses,
    inputSize,
    params,
    forward,
    apply: (x) => forward(x).logits,
    dispose: () => disposeParams(params),
  };
}
