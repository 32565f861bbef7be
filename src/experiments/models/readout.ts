/**
 * Read-outs of what happens inside a model, through the pre-activation hook:
 * each hidden dense or conv layer's z = W·h + b, and its activation pattern
 * (which ReLUs are on). Stable-ReLU and linear-region studies start from these.
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardHooks, LayerRef } from './hooks';
import type { ForwardResult, Model } from './model';

export interface PreActivation {
  readonly layer: LayerRef;
  /** [n, units] (dense) or [n, h, w, channels] (conv, before pooling). */
  readonly z: tf.Tensor;
}

/** A forward pass that also returns every hidden dense/conv layer's pre-activations, input side first (branch 0 only). */
export function forwardWithPreActivations(model: Model, x: tf.Tensor2D, hooks: Omit<ForwardHooks, 'preActivation'> = {}): ForwardResult & { preActivations: PreActivation[] } {
  const preActivations: PreActivation[] = [];
  const result = model.forward(x, {
    ...hooks,
    preActivation: (layer, z) => {
      if (layer.branch === 0) preActivations.push({ layer, z });
    },
  });
  return { ...result, preActivations };
}

/** Which units are active (z > 0), per example, as a bool tensor of z's shape. */
export function activationPattern(z: tf.Tensor): tf.Tensor {
  return tf.greater(z, 0);
}
