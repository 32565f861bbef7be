/**
 * The forward pass every model shares: the architecture's layers, each with
 * its branches of weights and its mixer, then the head, with the per-layer
 * hooks (hooks.ts) applied on the way. models/build.ts makes plain models
 * from it; the transfer study makes its gated networks from it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from './architecture';
import type { ForwardHooks, LayerRef } from './hooks';
import type { Layer, Mixer } from './layer';
import type { ForwardResult, ModelParam } from './model';

export interface NetworkLayer {
  readonly layer: Layer;
  /** The weight sets the layer runs side by side: one in a plain network. */
  readonly branches: readonly (readonly ModelParam[])[];
  readonly mix: Mixer;
}

export interface Network {
  readonly architecture: Architecture;
  /** One per hidden layer of the architecture. */
  readonly hidden: readonly NetworkLayer[];
  /** The head's weights (one branch). */
  readonly head: readonly ModelParam[];
}

function refOf(layer: Layer, index: number, head: boolean, branch: number): LayerRef {
  return { index, name: layer.name, kind: layer.kind, units: layer.units, head, branch };
}

function runLayer(layer: Layer, index: number, head: boolean, branches: readonly (readonly ModelParam[])[], input: tf.Tensor, mix: Mixer, hooks: ForwardHooks | undefined): tf.Tensor {
  const weights = branches.map((branch, b) =>
    branch.map((p) => (hooks?.weight ? hooks.weight(refOf(layer, index, head, b), p.name, p.variable) : p.variable)),
  );
  const read = !head && hooks?.preActivation;
  return layer.run({
    branches: weights,
    input,
    mix,
    onPreActivation: read ? (b, z) => read.call(hooks, refOf(layer, index, head, b), z) : undefined,
  });
}

export function forwardPass(network: Network, x: tf.Tensor2D, hooks?: ForwardHooks): ForwardResult {
  const { architecture, hidden: layers, head } = network;
  const hidden: tf.Tensor[] = [];
  let h: tf.Tensor = architecture.inputShape.length === 2 ? x : tf.reshape(x, [...architecture.inputShape]);
  layers.forEach(({ layer, branches, mix }, i) => {
    h = runLayer(layer, i, false, branches, h, mix, hooks);
    if (hooks?.output) h = hooks.output(refOf(layer, i, false, 0), h);
    hidden.push(h);
  });
  const flat = h.rank === 2 ? h : tf.reshape(h, [-1, architecture.headInputSize]);
  const logits = runLayer(architecture.head, layers.length, true, [head], flat, (outputs) => outputs[0]!, hooks) as tf.Tensor2D;
  return { logits, hidden };
}
