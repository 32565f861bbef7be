/**
 * Distinct activation patterns of a model over a set of inputs, read through
 * the model builder's pre-activation hook: each input's pattern is which
 * hidden ReLUs are on (z > 0), over every layer. Each distinct pattern is one
 * linear region the inputs visit, so this is a lower bound on the region count
 * that any network size allows (the exact count needs the MILP).
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../models/model';
import { activationPattern, forwardWithPreActivations } from '../models/readout';

const BATCH = 1000;

/** Number of distinct patterns among the rows of `x` ([n, inputSize]). */
export async function countDistinctPatterns(model: Model, x: tf.Tensor2D): Promise<number> {
  const seen = new Set<string>();
  const n = x.shape[0];
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    const bits = tf.tidy(() => {
      const { preActivations } = forwardWithPreActivations(model, tf.slice(x, [start, 0], [size, -1]));
      return tf.concat(preActivations.map((p) => tf.cast(activationPattern(p.z), 'int32')), 1) as tf.Tensor2D;
    });
    const [, units] = bits.shape;
    const values = await bits.data();
    bits.dispose();
    for (let i = 0; i < size; i++) {
      let key = '';
      for (let j = 0; j < units; j++) key += values[i * units + j] ? '1' : '0';
      seen.add(key);
    }
  }
  return seen.size;
}
