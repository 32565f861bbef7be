/**
 * Corruption-resistant training (the paper's defence): on every minibatch,
 * take the gradient-based corruption a*(w) of norm ε for that batch's loss
 * (ε g/‖g‖₂ for L2, ε sign(g) for L∞, over all trainable parameters jointly)
 * and update w with the gradient at w + a*(w). Plugged into the shared
 * training loop as its `perturb` hook. It runs on the backend, with no
 * read-back per batch.
 *
 * Reconstruction: the paper's defence corrupts every parameter; so does this
 * one, whatever the trial's `target`, so one resistant model serves every
 * target. It uses the trial's norm.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainOptions } from '../training';
import type { NormName } from './norms';

/** Below this gradient norm a batch is left unmoved (no ascent direction). */
const FLAT = 1e-12;

/** The corruption ε·d of one batch's gradient, on the backend (tensors owned by the enclosing tidy). */
export function batchCorruption(gradient: readonly tf.Tensor[], norm: NormName, eps: number): tf.Tensor[] {
  if (norm === 'Linf') return gradient.map((g) => tf.mul(tf.sign(g), eps));
  const squares = gradient.map((g) => tf.sum(tf.square(g)));
  const gNorm = tf.sqrt(squares.length === 1 ? squares[0]! : tf.addN(squares));
  const scale = tf.div(eps, tf.maximum(gNorm, FLAT));
  return gradient.map((g) => tf.mul(g, scale));
}

export function resistantPerturb(variables: readonly tf.Variable[], norm: NormName, eps: number): NonNullable<TrainOptions['perturb']> {
  return (batchLoss) => {
    const { grads } = tf.variableGrads(batchLoss, [...variables]);
    const corruption = batchCorruption(variables.map((v) => grads[v.name]!), norm, eps);
    variables.forEach((v, i) => v.assign(tf.add(v, corruption[i]!)));
    return () => variables.forEach((v, i) => v.assign(tf.sub(v, corruption[i]!)));
  };
}
