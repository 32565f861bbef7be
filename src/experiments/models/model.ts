/**
 * The model shape every study shares: explicit tfjs variables and a forward
 * function, rather than tf.layers. The paper studies need to reach inside a
 * network (freeze or gate the first k layers, corrupt parameters, bound
 * hidden units, orthonormalise weights, add noise to activations), which is
 * plain code over named variables and per-layer hooks (hooks.ts), and awkward
 * through a layers model. One builder makes them all: build.ts over
 * architecture.ts and network.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Architecture } from './architecture';
import type { ForwardHooks } from './hooks';

export type { Arch } from './arch';
import type { Arch } from './arch';

export interface ModelParam {
  /** Stable, readable name: 'dense0/kernel', 'conv1/bias', 'lstm/recurrent'… */
  readonly name: string;
  readonly variable: tf.Variable;
}

export interface ForwardResult {
  /** [n, numClasses], before softmax. */
  readonly logits: tf.Tensor2D;
  /** Each hidden layer's output, input side first (post-activation, after any output hook). */
  readonly hidden: readonly tf.Tensor[];
}

export interface Model {
  readonly arch: Arch;
  readonly numClasses: number;
  /** Length of one flattened input example. */
  readonly inputSize: number;
  /** Its layers: names, kinds and units of the hidden layers and the head. */
  readonly architecture: Architecture;
  /** Trainable parameters in layer order. */
  readonly params: readonly ModelParam[];
  /** Logits for a batch of flattened examples [n, inputSize]. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** Logits plus the hidden representations, for studies that look inside; `hooks` reach into each layer. */
  forward(x: tf.Tensor2D, hooks?: ForwardHooks): ForwardResult;
  dispose(): void;
}

export function variablesOf(model: Model): tf.Variable[] {
  return model.params.map((p) => p.variable);
}

/** Number of scalar parameters (the `parameters` of a trial summary). */
export function parameterCount(model: Model): number {
  return model.params.reduce((total, p) => total + p.variable.size, 0);
}

export function disposeParams(params: readonly ModelParam[]): void {
  for (const p of params) p.variable.dispose();
}
