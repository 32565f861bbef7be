/**
 * Per-layer hooks of a forward pass: what the studies that look inside a
 * network need, without a builder of their own.
 *
 *   weight         a transform of a weight before its layer uses it, inside the
 *                  graph so gradients flow through it (orthonormalising W)
 *   preActivation  a read-out of dense and conv layers' z = W·h + b (stable
 *                  ReLUs, activation patterns, linear regions)
 *   output         a replacement of a hidden layer's output (noise injection)
 *
 * A pass without hooks computes exactly what it did before hooks existed.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from './layer';

export interface LayerRef {
  /** Position among the hidden layers, input side first; the head's is the number of hidden layers. */
  readonly index: number;
  readonly name: string;
  readonly kind: LayerKind;
  readonly units: number;
  /** True for the output layer (logits). */
  readonly head: boolean;
  /** Which weight set, under a layer with several (the transfer study's PTU); 0 otherwise. */
  readonly branch: number;
}

export interface ForwardHooks {
  /**
   * Replaces the weight `param` (its full name, e.g. 'dense0/kernel') of `layer`
   * for this pass. Called for every weight of every layer, head included.
   * @default the weight itself
   */
  weight?(layer: LayerRef, param: string, value: tf.Tensor): tf.Tensor;
  /**
   * Sees a hidden dense or conv layer's pre-activations: [n, units] for a
   * dense layer, [n, height, width, channels] for a conv layer (before pooling).
   * Not called for LSTM layers, whose gates are not piecewise linear, nor for the head.
   */
  preActivation?(layer: LayerRef, z: tf.Tensor): void;
  /**
   * Replaces a hidden layer's output (after its nonlinearity, pooling and
   * mixing): what the next layer reads and what `hidden` reports. Not called for the head.
   * @default the output itself
   */
  output?(layer: LayerRef, h: tf.Tensor): tf.Tensor;
}
