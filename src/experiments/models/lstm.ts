/**
 * LSTM over a sequence (an image's rows), returning the last hidden state.
 *
 * Gates in the order i, f, g, o (input, forget, candidate, output), as in
 * Keras; the forget-gate bias starts at 1 (Jozefowicz et al. 2015). Both
 * weight matrices use Glorot-uniform initialisation (Keras uses an orthogonal
 * recurrent matrix; a seeded QR would add little for these sizes).
 *
 * Under several branches each keeps its own cell state, but all read the mixed
 * hidden state of the previous step: a PTU acts on the hidden state at each step.
 */
import * as tf from '@tensorflow/tfjs';
import { glorotUniform, piecewiseConstant } from './init';
import type { Layer } from './layer';

export function lstmLayer(name: string, steps: number, stepSize: number, units: number): Layer {
  const gates = 4 * units;
  return {
    name,
    kind: 'lstm',
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
    run: ({ branches, input, mix }) => {
      const n = input.shape[0]!;
      const rows = tf.reshape(input, [n * steps, stepSize]) as tf.Tensor2D;
      // One matMul per branch for the input contribution of every step, then the recurrence.
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
