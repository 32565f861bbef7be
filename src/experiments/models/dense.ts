/** Fully connected layer: f(h·W + b). He-uniform W under ReLU, Glorot-uniform otherwise (tanh, sigmoid, the logits). */
import * as tf from '@tensorflow/tfjs';
import { denseKernel, nativeKernels } from '../kernels/native-dense';
import { activate, type Activation } from './activation';
import { constant, glorotUniform, heUniform } from './init';
import type { Layer } from './layer';

export function denseLayer(name: string, inputSize: number, units: number, activation: Activation | 'linear'): Layer {
  const kernelShape = [inputSize, units];
  return {
    name,
    kind: 'dense',
    units,
    shapes: [
      { name: `${name}/kernel`, shape: kernelShape },
      { name: `${name}/bias`, shape: [units] },
    ],
    init: (rng) => [
      activation === 'relu'
        ? heUniform(rng, `${name}/kernel`, kernelShape, inputSize)
        : glorotUniform(rng, `${name}/kernel`, kernelShape, inputSize, units),
      constant(`${name}/bias`, [units]),
    ],
    run: ({ branches, input, mix, onPreActivation }) =>
      mix(
        branches.map(([kernel, bias], branch) => {
          // One fused kernel on native TensorFlow, unless someone reads the pre-activations.
          if (!onPreActivation && nativeKernels()) return denseKernel(input, kernel!, bias!, activation);
          const z = tf.add(tf.matMul(input as tf.Tensor2D, kernel as tf.Tensor2D), bias!);
          onPreActivation?.(branch, z);
          return activate(z, activation);
        }),
      ),
  };
}
