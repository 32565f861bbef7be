/**
 * The transferable hidden layers of each architecture, written so that one
 * layer can run several weight sets ("branches") side by side and combine
 * their activations: one branch for plain layers, three (source, target,
 * fresh) under a PTU. Every architecture has two of them (TRANSFER_LAYERS_COUNT), so
 * `k` means the same thing everywhere; the output layer is never transferred
 * (half the pairs change the label set).
 *
 *   mlp:  dense(width, ReLU) → dense(width, ReLU)
 *   cnn:  [conv 3×3 (width ch), ReLU, max-pool 2] → [conv 3×3 (2·width ch), ReLU, max-pool 2]
 *   lstm: LSTM over the 28 image rows (width units, last hidden state) → dense(width, ReLU)
 *
 * A branch's activation a = f(W h) includes the layer's nonlinearity and (CNN)
 * pooling, so a PTU whose gate is 1 passes on exactly what the source layer did.
 */
import * as tf from '@tensorflow/tfjs';
import type { Arch, ModelParam } from '../models/model';
import type { Rng } from '../rng';
import { constant, glorotUniform, heUniform, piecewiseConstant } from '../models/init';

/** Combines the branches' activations (same shape) into the layer's output. */
export type Mixer = (activations: readonly tf.Tensor[]) => tf.Tensor;

export const singleBranch: Mixer = (activations) => activations[0]!;

export interface TransferLayer {
  readonly name: string;
  /** Width of the layer's gates: units (dense, LSTM) or channels (conv). */
  readonly units: number;
  /** Shapes of one branch's weights, in order (names: `${layer}/${param}`). */
  readonly shapes: readonly { readonly name: string; readonly shape: readonly number[] }[];
  /** Fresh weights for one branch. */
  init(rng: Rng): ModelParam[];
  /** Runs every branch on `input` and mixes: per step for a recurrent layer, once otherwise. */
  run(branches: readonly (readonly tf.Tensor[])[], input: tf.Tensor, mix: Mixer): tf.Tensor;
}

export interface ArchLayers {
  readonly layers: readonly TransferLayer[];
  /** Flattened images [n, h·w] → the first layer's input. */
  prepare(x: tf.Tensor2D): tf.Tensor;
  /** Length of the last layer's output, flattened: the head's input. */
  readonly headInputSize: number;
}

function dense(name: string, inputSize: number, units: number): TransferLayer {
  return {
    name,
    units,
    shapes: [
      { name: `${name}/kernel`, shape: [inputSize, units] },
      { name: `${name}/bias`, shape: [units] },
    ],
    init: (rng) => [heUniform(rng, `${name}/kernel`, [inputSize, units], inputSize), constant(`${name}/bias`, [units])],
    run: (branches, input, mix) =>
      mix(branches.map(([kernel, bias]) => tf.relu(tf.add(tf.matMul(input as tf.Tensor2D, kernel as tf.Tensor2D), bias!)))),
  };
}

const KERNEL = 3;

function conv(name: string, inChannels: number, channels: number): TransferLayer {
  const shape = [KERNEL, KERNEL, inChannels, channels];
  return {
    name,
    units: channels,
    shapes: [
      { name: `${name}/kernel`, shape },
      { name: `${name}/bias`, shape: [channels] },
    ],
    init: (rng) => [heUniform(rng, `${name}/kernel`, shape, KERNEL * KERNEL * inChannels), constant(`${name}/bias`, [channels])],
    run: (branches, input, mix) =>
      mix(
        branches.map(([kernel, bias]) =>
          tf.maxPool(tf.relu(tf.add(tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same'), bias!)) as tf.Tensor4D, 2, 2, 'valid'),
        ),
      ),
  };
}

/**
 * LSTM (gates i, f, g, o; forget bias 1, as in models/lstm.ts). Each branch
 * keeps its own cell state, but all branches read the mixed hidden state of
 * the previous step: under a PTU the unit acts on the hidden state at each step.
 */
function lstm(name: string, steps: number, stepSize: number, units: number): TransferLayer {
  const gates = 4 * units;
  return {
    name,
    units,
    shapes: [
      { name: `${name}/kernel`, shape: [stepSize, gates] },
      { name: `${name}/recurrent`, shape: [units, gates] },
      { name: `${name}/bias`, shape: [gates] },
    ],
    init: (rng) => [
      glorotUniform(rng, `${name}/kernel`, [stepSize, gates], stepSize, gates),
      glorotUniform(rng, `${name}/recurrent`, [units, gates], units, gates),
      piecewiseConstant(`${name}/bias`, gates, 0, units, 2 * units, 1),
    ],
    run: (branches, input, mix) => {
      const n = input.shape[0]!;
      const rows = tf.reshape(input, [n * steps, stepSize]) as tf.Tensor2D;
      // One matMul per branch for the input contribution of every step.
      const perStep = branches.map(([kernel, , bias]) =>
        tf.unstack(tf.reshape(tf.add(tf.matMul(rows, kernel as tf.Tensor2D), bias!), [n, steps, gates]), 1) as tf.Tensor2D[],
      );
      let h = tf.zeros([n, units]) as tf.Tensor2D;
      let cells = branches.map(() => tf.zeros([n, units]) as tf.Tensor2D);
      for (let t = 0; t < steps; t++) {
        const hidden: tf.Tensor2D[] = [];
        cells = branches.map(([, recurrent], b) => {
          const z = tf.add(perStep[b]![t]!, tf.matMul(h, recurrent as tf.Tensor2D));
          const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const c = tf.add(tf.mul(tf.sigmoid(zf), cells[b]!), tf.mul(tf.sigmoid(zi), tf.tanh(zg))) as tf.Tensor2D;
          hidden.push(tf.mul(tf.sigmoid(zo), tf.tanh(c)) as tf.Tensor2D);
          return c;
        });
        h = mix(hidden) as tf.Tensor2D;
      }
      return h;
    },
  };
}

export interface ArchOptions {
  /** Hidden units (MLP, LSTM) or channels of the first conv layer (CNN; the second has twice as many). */
  width: number;
  height?: number;
  imageWidth?: number;
}

export function archLayers(arch: Arch, options: ArchOptions): ArchLayers {
  const { width, height = 28, imageWidth = 28 } = options;
  if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`width must be a positive integer, got ${width}`);
  switch (arch) {
    case 'mlp':
      return {
        layers: [dense('dense0', height * imageWidth, width), dense('dense1', width, width)],
        prepare: (x) => x,
        headInputSize: width,
      };
    case 'cnn': {
      const pooled = Math.floor(Math.floor(height / 2) / 2) * Math.floor(Math.floor(imageWidth / 2) / 2);
      return {
        layers: [conv('conv0', 1, width), conv('conv1', width, 2 * width)],
        prepare: (x) => tf.reshape(x, [-1, height, imageWidth, 1]),
        headInputSize: pooled * 2 * width,
      };
    }
    case 'lstm':
      return {
        layers: [lstm('lstm', height, imageWidth, width), dense('dense1', width, width)],
        prepare: (x) => x,
        headInputSize: width,
      };
    default:
      throw new RangeError(`unknown architecture '${String(arch)}' (known: mlp, cnn, lstm)`);
  }
}
