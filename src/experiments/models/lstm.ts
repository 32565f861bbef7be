/**
 * LSTM classifier that reads an image row by row: 28 steps of 28 pixels,
 * `width` hidden units, the last hidden state → dense → numClasses.
 *
 * Gates in the order i, f, g, o (input, forget, candidate, output), as in
 * Keras; the forget-gate bias starts at 1 (Jozefowicz et al. 2015). Both
 * weight matrices use Glorot-uniform initialisation (Keras uses an orthogonal
 * recurrent matrix; a seeded QR would add little for these sizes).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { constant, glorotUniform, piecewiseConstant } from './init';
import { disposeParams, type ForwardResult, type Model } from './model';

export interface LstmOptions {
  /** Hidden units. */
  width: number;
  seed: number;
  /** Sequence length (image rows), default 28. */
  steps?: number;
  /** Features per step (image columns), default 28. */
  stepSize?: number;
  numClasses?: number;
}

export function buildLstm(options: LstmOptions): Model {
  const { width: units, seed, steps = 28, stepSize = 28, numClasses = 10 } = options;
  if (!(units >= 1)) throw new RangeError(`LSTM needs width ≥ 1, got ${units}`);
  const rng = new Rng(seed);
  const gates = 4 * units;
  const inputKernel = glorotUniform(rng, 'lstm/kernel', [stepSize, gates], stepSize, gates);
  const recurrentKernel = glorotUniform(rng, 'lstm/recurrent', [units, gates], units, gates);
  const bias = piecewiseConstant('lstm/bias', gates, 0, units, 2 * units, 1);
  const denseKernel = glorotUniform(rng, 'dense/kernel', [units, numClasses], units, numClasses);
  const denseBias = constant('dense/bias', [numClasses]);
  const params = [inputKernel, recurrentKernel, bias, denseKernel, denseBias];

  const forward = (x: tf.Tensor2D): ForwardResult => {
    const n = x.shape[0];
    // One matMul for the input contribution of every step, then the recurrence.
    const projected = tf.reshape(
      tf.add(tf.matMul(tf.reshape(x, [n * steps, stepSize]), inputKernel.variable), bias.variable),
      [n, steps, gates],
    );
    const perStep = tf.unstack(projected, 1) as tf.Tensor2D[];
    let h = tf.zeros([n, units]) as tf.Tensor2D;
    let c = tf.zeros([n, units]) as tf.Tensor2D;
    for (const xt of perStep) {
      const z = tf.add(xt, tf.matMul(h, recurrentKernel.variable));
      const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg))) as tf.Tensor2D;
      h = tf.mul(tf.sigmoid(zo), tf.tanh(c)) as tf.Tensor2D;
    }
    const logits = tf.add(tf.matMul(h, denseKernel.variable), denseBias.variable) as tf.Tensor2D;
    return { logits, hidden: [h] };
  };

  return {
    arch: 'lstm',
    numClasses,
    inputSize: steps * stepSize,
    params,
    forward,
    apply: (x) => forward(x).logits,
    dispose: () => disposeParams(params),
  };
}
