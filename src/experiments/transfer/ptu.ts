/**
 * The Parameter Transfer Unit (Zhang, Zhang, Yang, "Parameter Transfer Unit
 * for Deep Neural Networks", arXiv 1804.08613).
 *
 * The paper's full equations were not available to us; this is sweeplab's
 * reconstruction. For each transferred layer with input h:
 *
 *   a_s = f(W_s h)   W_s copied from the source network and frozen
 *   a_t = f(W_t h)   W_t trainable, initialised from W_s
 *   a_r = f(W_r h)   W_r freshly initialised (as a target-only layer would be)
 *   g   = σ(U_g [a_s; a_t] + b_g)
 *   r   = σ(U_r [a_s; a_t] + b_r)
 *   h'  = g ⊙ a_s + (1 − g) ⊙ (r ⊙ a_t + (1 − r) ⊙ a_r)
 *
 * g → 1 is frozen sharing; g → 0, r → 1 is fine-tuning; g → 0, r → 0 is
 * training from scratch, so the unit subsumes the discrete transfer states and
 * learns a mixture per unit from the target data.
 *
 * Where the gates act: in dense layers per unit; in the LSTM on the hidden
 * state at every step (models/lstm.ts); in a CNN per channel, the gate input being
 * each branch's activation averaged over the spatial positions, so g and r are
 * [n, C] and broadcast over height and width.
 *
 * Initialisation (ours): U_g, U_r Glorot-uniform, b_g = b_r = 0, so every
 * state starts near an even mixture and the data decides.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelParam } from '../models/model';
import { constant, glorotUniform } from '../models/init';
import type { Rng } from '../rng';
import type { Mixer } from '../models/layer';

/** U_g, b_g, U_r, b_r of one layer's unit. */
export type PtuParams = readonly [ModelParam, ModelParam, ModelParam, ModelParam];

export function initPtu(rng: Rng, layer: string, units: number): PtuParams {
  const inputs = 2 * units;
  return [
    glorotUniform(rng, `${layer}/ptu/Ug`, [inputs, units], inputs, units),
    constant(`${layer}/ptu/bg`, [units]),
    glorotUniform(rng, `${layer}/ptu/Ur`, [inputs, units], inputs, units),
    constant(`${layer}/ptu/br`, [units]),
  ];
}

/** h' = g ⊙ a_s + (1 − g) ⊙ (r ⊙ a_t + (1 − r) ⊙ a_r). Exact at g = 1 (a_s) and g = 0, r = 1 (a_t). */
export function ptuCombine(aS: tf.Tensor, aT: tf.Tensor, aR: tf.Tensor, g: tf.Tensor, r: tf.Tensor): tf.Tensor {
  const inner = tf.add(tf.mul(r, aT), tf.mul(tf.sub(1, r), aR));
  return tf.add(tf.mul(g, aS), tf.mul(tf.sub(1, g), inner));
}

/** The per-unit (or per-channel) summary of an activation that the gates read: itself, or its spatial mean. */
function gateInput(a: tf.Tensor): tf.Tensor2D {
  return (a.rank === 4 ? tf.mean(a, [1, 2]) : a) as tf.Tensor2D;
}

/** Gates shaped to broadcast against the activations ([n, C] → [n, 1, 1, C] for conv maps). */
function broadcastable(gate: tf.Tensor2D, like: tf.Tensor): tf.Tensor {
  return like.rank === 4 ? tf.reshape(gate, [gate.shape[0], 1, 1, gate.shape[1]]) : gate;
}

export function ptuGates(params: PtuParams, aS: tf.Tensor, aT: tf.Tensor): { g: tf.Tensor2D; r: tf.Tensor2D } {
  const [ug, bg, ur, br] = params;
  const both = tf.concat([gateInput(aS), gateInput(aT)], 1);
  return {
    g: tf.sigmoid(tf.add(tf.matMul(both, ug.variable), bg.variable)) as tf.Tensor2D,
    r: tf.sigmoid(tf.add(tf.matMul(both, ur.variable), br.variable)) as tf.Tensor2D,
  };
}

/**
 * A mixer over the branches [source, target, fresh]. `observe`, when given,
 * receives each call's gates (several calls per forward pass in an LSTM).
 */
export function ptuMixer(params: PtuParams, observe?: (g: tf.Tensor2D, r: tf.Tensor2D) => void): Mixer {
  return (activations) => {
    const [aS, aT, aR] = activations;
    if (!aS || !aT || !aR) throw new Error(`a PTU mixes 3 branches, got ${activations.length}`);
    const { g, r } = ptuGates(params, aS, aT);
    observe?.(g, r);
    return ptuCombine(aS, aT, aR, broadcastable(g, aS), broadcastable(r, aS));
  };
}
