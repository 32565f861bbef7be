/**
 * The weight matrices the orthonormal family normalises, and their matrix view.
 *
 * tfjs kernels are stored input side first: a dense kernel is [inputs, units],
 * the transpose of the paper's W (units × inputs); a conv kernel [kh, kw, in, out]
 * is viewed as the matrix [kh·kw·in, out] (a free reshape: `out` is the fastest
 * axis), the transpose of the paper's (out channels) × (kh·kw·in) filter matrix.
 * So the matrix here is always [fan-in, units] = Wᵀ. Orthonormalising the
 * smaller side (aon.ts) makes it the same thing either way: when a layer has
 * fewer units than inputs, W's rows (this matrix's columns) become orthonormal.
 *
 * Which layers: the hidden dense and conv layers' kernels; the head's too when
 * `includeHead`. Biases are never normalised. By default the head is left as it
 * is: the paper normalises the hidden layers' weight matrices, and a head whose
 * rows are orthonormal bounds the logits by the norm of the last hidden layer,
 * which caps how confident (and how low in cross-entropy) the network can be.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../models/model';

export interface TargetWeight {
  /** Layer name: 'dense0', 'conv1', …; the suffix of its `orthError.<layer>` metric. */
  readonly layer: string;
  /** Parameter name: 'dense0/kernel'. */
  readonly param: string;
  readonly kind: 'dense' | 'conv';
  readonly head: boolean;
  readonly variable: tf.Variable;
  /** [fan-in, units]. */
  readonly matrixShape: readonly [number, number];
}

/** The kernels a method acts on, input side first (hidden layers, then the head if included). */
export function targetWeights(model: Model, includeHead: boolean): TargetWeight[] {
  const layers = [...model.architecture.hidden.map((layer) => ({ layer, head: false })), ...(includeHead ? [{ layer: model.architecture.head, head: true }] : [])];
  return layers.map(({ layer, head }) => {
    if (layer.kind === 'lstm') throw new RangeError(`layer '${layer.name}' is an LSTM: the orthonormal family normalises dense and conv layers only`);
    const param = `${layer.name}/kernel`;
    const found = model.params.find((p) => p.name === param);
    if (!found) throw new RangeError(`the model has no parameter '${param}'`);
    const shape = found.variable.shape;
    const units = shape[shape.length - 1]!;
    return { layer: layer.name, param, kind: layer.kind, head, variable: found.variable, matrixShape: [found.variable.size / units, units] as const };
  });
}

/** A dense or conv kernel as the matrix [fan-in, units]. */
export function asMatrix(kernel: tf.Tensor): tf.Tensor2D {
  return kernel.rank === 2 ? (kernel as tf.Tensor2D) : tf.reshape(kernel, [-1, kernel.shape[kernel.rank - 1]!]);
}

/** The inverse of asMatrix: the matrix back in the kernel's shape. */
export function fromMatrix(matrix: tf.Tensor2D, shape: readonly number[]): tf.Tensor {
  return shape.length === 2 ? matrix : tf.reshape(matrix, [...shape]);
}
