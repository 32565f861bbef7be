/**
 * Corruption-resistant training through the training loop's `perturb` hook:
 * one SGD step must be exactly w ← w − η ∇L(w + a*(w)), with a* the
 * gradient-based corruption of the batch loss at w, and the weights must not
 * keep the corruption afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { resistantPerturb } from '../../src/experiments/corruption/resistant';
import type { NormName } from '../../src/experiments/corruption/norms';
import { loadDataset } from '../../src/experiments/data/load';
import { buildModel } from '../../src/experiments/models/build';
import { variablesOf } from '../../src/experiments/models/model';
import { train } from '../../src/experiments/training';

beforeAll(async () => {
  await initBackend();
});

const data = loadDataset('mnist', 'train', 40, 3);

describe('corruption-resistant training step', () => {
  it.each([['L2', 0.5], ['Linf', 0.01]] as [NormName, number][])('%s: one SGD step is w − η∇L(w + a*(w))', async (norm, eps) => {
    const lr = 0.1;
    const model = buildModel('mlp', { width: 8, depth: 1, seed: 4 });
    const vars = variablesOf(model);
    const w0 = vars.map((v) => tf.clone(v));
    const x = tf.tensor2d(data.images, [data.count, data.features]);
    const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10).toFloat();
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x)) as tf.Scalar;
    // By hand: g at w, a* = ε g/‖g‖₂ or ε sign(g), g' at w + a*, expected w − η g'.
    const expected = tf.tidy(() => {
      const g = vars.map((v) => tf.variableGrads(loss, vars).grads[v.name]!);
      const gNorm = Math.sqrt(g.reduce((s, t) => s + tf.sum(tf.square(t)).dataSync()[0]!, 0));
      const a = g.map((t) => (norm === 'L2' ? tf.mul(t, eps / gNorm) : tf.mul(tf.sign(t), eps)));
      vars.forEach((v, i) => v.assign(tf.add(w0[i]!, a[i]!)));
      const gAtCorrupted = vars.map((v) => tf.variableGrads(loss, vars).grads[v.name]!);
      vars.forEach((v, i) => v.assign(w0[i]!));
      return w0.map((w, i) => tf.sub(w, tf.mul(gAtCorrupted[i]!, lr)));
    });
    // One batch of the whole set, one epoch: exactly one update.
    await train(model, data, data, {
      optimizer: 'sgd', learningRate: lr, epochs: 1, batchSize: data.count, seed: 1,
      perturb: resistantPerturb(vars, norm, eps),
    });
    const plain = await (async () => {
      const m = buildModel('mlp', { width: 8, depth: 1, seed: 4 });
      await train(m, data, data, { optimizer: 'sgd', learningRate: lr, epochs: 1, batchSize: data.count, seed: 1 });
      const values = variablesOf(m).map((v) => Array.from(v.dataSync()));
      m.dispose();
      return values;
    })();
    let maxError = 0;
    let maxFromPlain = 0;
    vars.forEach((v, i) => {
      const got = v.dataSync();
      const want = expected[i]!.dataSync();
      for (let j = 0; j < got.length; j++) {
        maxError = Math.max(maxError, Math.abs(got[j]! - want[j]!));
        maxFromPlain = Math.max(maxFromPlain, Math.abs(got[j]! - plain[i]![j]!));
      }
    });
    expect(maxError).toBeLessThan(1e-6);
    expect(maxFromPlain).toBeGreaterThan(100 * maxError); // and it is not the ordinary step
    tf.dispose([...w0, ...expected, x, y]);
    model.dispose();
  });
});
