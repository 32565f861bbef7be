/**
 * FGSM examples (regions/fgsm.ts) and the training loop's adversarial option:
 * the examples stay in the box within ε of the input and raise the loss; a
 * weight of 0 trains exactly as without the option; FGSM training makes the
 * model harder to fool by FGSM than clean training does, on the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { loadDataset } from '../../src/experiments/data/load';
import { buildModel } from '../../src/experiments/models/build';
import { fgsmExamples } from '../../src/experiments/regions/fgsm';
import { crossEntropy, train, type TrainOptions } from '../../src/experiments/training';

const trainSet = loadDataset('mnist8', 'train', 2000, 1);
const testSet = loadDataset('mnist8', 'test', 500, 2);

beforeAll(async () => {
  await initBackend();
});

const small = () => buildModel('mlp', { width: 24, depth: 2, seed: 3, height: 8, imageWidth: 8 });
const options: TrainOptions = { optimizer: 'momentum', learningRate: 0.05, epochs: 3, batchSize: 64, seed: 4 };

function tensors(n = 300) {
  const x = tf.tensor2d(testSet.images.subarray(0, n * 64), [n, 64]);
  const y = tf.oneHot(tf.tensor1d(testSet.labels.subarray(0, n), 'int32'), 10).toFloat() as tf.Tensor2D;
  return { x, y };
}

describe('FGSM and adversarial training', () => {
  it('FGSM examples are within ε of the input, inside [0, 1], and raise the loss', async () => {
    const model = small();
    await train(model, trainSet, testSet, options);
    const { x, y } = tensors();
    const adversarial = fgsmExamples(model, 0.1)(x, y);
    const [minV, maxV, gap] = await Promise.all([tf.min(adversarial).data(), tf.max(adversarial).data(), tf.max(tf.abs(tf.sub(adversarial, x))).data()]);
    expect(minV[0]).toBeGreaterThanOrEqual(0);
    expect(maxV[0]).toBeLessThanOrEqual(1);
    expect(gap[0]).toBeLessThanOrEqual(0.1 + 1e-6);
    const [clean, attacked] = await Promise.all([crossEntropy(y, model.apply(x)).data(), crossEntropy(y, model.apply(adversarial)).data()]);
    expect(attacked[0]).toBeGreaterThan(clean[0]!);
    model.dispose();
  });

  it('an adversarial weight of 0 trains exactly as without one', async () => {
    const plain = small();
    const zero = small();
    const a = await train(plain, trainSet, testSet, options);
    const b = await train(zero, trainSet, testSet, { ...options, adversarial: { examples: fgsmExamples(zero, 0.15), weight: 0 } });
    expect(b).toEqual(a);
    plain.dispose();
    zero.dispose();
  });

  it('FGSM training leaves the model more accurate under FGSM than clean training does', async () => {
    const accuracyUnderAttack = async (adversarial: boolean) => {
      const model = small();
      await train(model, trainSet, testSet, adversarial ? { ...options, adversarial: { examples: fgsmExamples(model, 0.15), weight: 0.5 } } : options);
      const { x, y } = tensors(500);
      const attacked = fgsmExamples(model, 0.15)(x, y);
      const correct = await tf.mean(tf.cast(tf.equal(tf.argMax(model.apply(attacked), 1), tf.argMax(y, 1)), 'float32')).data();
      model.dispose();
      return correct[0]!;
    };
    const clean = await accuracyUnderAttack(false);
    const robust = await accuracyUnderAttack(true);
    console.log(`accuracy under FGSM ε=0.15 (mnist8, 3 epochs): clean training ${clean.toFixed(3)}, FGSM training ${robust.toFixed(3)}`);
    expect(robust).toBeGreaterThan(clean);
  });
});
