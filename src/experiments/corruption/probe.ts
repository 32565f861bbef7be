/**
 * What the corruption measurements need from a model: its targeted variables,
 * the loss (and accuracy) at their current values, and the gradient of that
 * loss. An interface rather than the Model itself, so that the same code is
 * tested on a quadratic loss whose increase has a closed form.
 */
import type * as tf from '@tensorflow/tfjs';

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
}

export interface LossProbe {
  /** The variables a corruption changes (the target), in a fixed order. */
  readonly variables: readonly tf.Variable[];
  /** Loss and accuracy at the variables' current values. */
  evaluate(): Promise<Evaluation>;
  /** ∇ of the loss w.r.t. `variables` at their current values, one tensor each (caller disposes). */
  gradient(): tf.Tensor[];
}
