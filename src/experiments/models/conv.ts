/** Conv 3×3 ('same' padding, stride 1) → ReLU → max-pool 2×2 ('valid', so odd sides floor). */
import * as tf from '@tensorflow/tfjs';
import { relu } from './activation';
import { constant, heUniform } from './init';
import type { Layer } from './layer';

const KERNEL = 3;

export function convLayer(name: string, inChannels: number, channels: number): Layer {
  const kernelShape = [KERNEL, KERNEL, inChannels, channels];
  return {
    name,
    kind: 'conv',
    units: channels,
    shapes: [
      { name: `${name}/kernel`, shape: kernelShape },
      { name: `${name}/bias`, shape: [channels] },
    ],
    init: (rng) => [heUniform(rng, `${name}/kernel`, kernelShape, KERNEL * KERNEL * inChannels), constant(`${name}/bias`, [channels])],
    run: ({ branches, input, mix, onPreActivation }) =>
      mix(
        branches.map(([kernel, bias], branch) => {
          const conv = tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same');
          // Only a read-out pays for the full-resolution bias add.
          if (onPreActivation) onPreActivation(branch, tf.add(conv, bias!));
          // pool(relu(conv + b)) computed as relu(pool(conv) + b): max-pooling commutes
          // with adding a per-channel constant and with ReLU (both monotone, and so
          // is float rounding), so the values are the same, bit for bit. The gradient
          // is the same too, up to the order in which the bias gradient is summed and
          // windows where rounding conv + b ties two elements that conv did not (the
          // gradient then goes to the other, equally maximal, element). The bias add
          // and the ReLU run on a quarter of the elements, forward and backward.
          return relu(tf.add(tf.maxPool(conv, 2, 2, 'valid'), bias!));
        }),
      ),
  };
}
