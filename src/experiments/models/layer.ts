/**
 * One layer of a network, written so that it can run several weight sets
 * ("branches") side by side and combine their outputs with a mixer: one
 * branch in a plain network, three (source, target, fresh) under the transfer
 * study's PTU. Layers own no variables: `init` makes a branch's weights and
 * `run` is given them (after any weight hook), so the same layer serves a
 * plain model, a transfer network and a hooked forward pass.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import type { ModelParam } from './model';

export type LayerKind = 'dense' | 'conv' | 'lstm';

/** Combines the branches' outputs (same shape) into the layer's output. */
export type Mixer = (outputs: readonly tf.Tensor[]) => tf.Tensor;

export const singleBranch: Mixer = (outputs) => outputs[0]!;

export interface LayerRun {
  /** Each branch's weights, in the order of `Layer.shapes`. */
  readonly branches: readonly (readonly tf.Tensor[])[];
  readonly input: tf.Tensor;
  readonly mix: Mixer;
  /**
   * Receives a branch's pre-activations z = W·h + b, before the nonlinearity
   * (and, in a conv layer, before pooling). Only dense and conv layers call
   * it; absent when nobody reads them, so an ordinary pass computes nothing extra.
   */
  readonly onPreActivation?: (branch: number, z: tf.Tensor) => void;
}

export interface Layer {
  /** Prefix of its parameters' names: 'dense0', 'conv1', 'lstm'… */
  readonly name: string;
  readonly kind: LayerKind;
  /** Output units (dense, LSTM) or channels (conv): the width of a PTU's gates and of an activation pattern. */
  readonly units: number;
  /** Shapes of one branch's weights, in order; names are `${layer}/${role}`. */
  readonly shapes: readonly { readonly name: string; readonly shape: readonly number[] }[];
  /** Fresh weights for one branch, drawn from `rng` in `shapes` order. */
  init(rng: Rng): ModelParam[];
  /** Runs every branch on `input` and mixes them: per step in a recurrent layer, once otherwise. */
  run(run: LayerRun): tf.Tensor;
}
