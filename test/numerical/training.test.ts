import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { loadDataset } from '../../src/experiments/data/load';
import { TrialMathError } from '../../src/experiments/errors';
import { buildModel } from '../../src/experiments/models/build';
import { OPTIMIZER_NAMES } from '../../src/experiments/optimizer-names';
import { evaluate, train, type EpochMetrics, type OptimizerName } from '../../src/experiments/training';

const trainSet = loadDataset('mnist', 'train', 1000, 1);
const testSet = loadDataset('mnist', 'test', 500, 2);

const saved = process.env.SWEEP_TFJS_BACKEND;
beforeAll(async () => {
  // Register wasm for the tests that switch backends, then take the automatic choice (native where installed).
  process.env.SWEEP_TFJS_BACKEND = 'wasm';
  await initBackend();
  delete process.env.SWEEP_TFJS_BACKEND;
  await initBackend();
});
afterAll(() => {
  if (saved !== undefined) process.env.SWEEP_TFJS_BACKEND = saved;
});

async function trainMlp(backend: string, seed: number, overrides: Partial<Parameters<typeof train>[3]> = {}): Promise<EpochMetrics[]> {
  await tf.setBackend(backend);
  const model = buildModel('mlp', { width: 32, depth: 1, seed });
  try {
    return await train(model, trainSet, testSet, {
      optimizer: 'adam',
      learningRate: 3e-3,
      epochs: 3,
      batchSize: 32,
      seed: seed + 1000,
      ...overrides,
    });
  } finally {
    model.dispose();
  }
}

describe('train', () => {
  it('a tiny MLP learns MNIST digits: test accuracy > 0.6 after 3 epochs', async () => {
    const before = await (async () => {
      const model = buildModel('mlp', { width: 32, depth: 1, seed: 7 });
      const metrics = await evaluate(model, testSet);
      model.dispose();
      return metrics;
    })();
    const reported: EpochMetrics[] = [];
    const history = await trainMlp(tf.getBackend(), 7, { onEpoch: (m) => void reported.push(m) });
    expect(reported).toEqual(history);
    expect(history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    const last = history[2]!;
    expect(before.accuracy).toBeLessThan(0.3); // untrained: near chance
    expect(last.testAccuracy).toBeGreaterThan(0.6);
    expect(last.testLoss).toBeLessThan(before.loss);
    expect(history[2]!.loss).toBeLessThan(history[0]!.loss);
  });

  it('gives identical metrics for the same seed on the cpu backend, and different ones for another seed', async () => {
    const a = await trainMlp('cpu', 3, { epochs: 2 });
    const b = await trainMlp('cpu', 3, { epochs: 2 });
    const c = await trainMlp('cpu', 4, { epochs: 2 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it.each(['sgd', 'momentum', 'adam', 'rmsprop'] satisfies OptimizerName[])('optimizer %s reduces the loss', async (optimizer) => {
    const learningRate = { sgd: 0.1, momentum: 0.05, adam: 3e-3, rmsprop: 1e-3 }[optimizer];
    const history = await trainMlp(tf.getBackend(), 5, { optimizer, learningRate, epochs: 2 });
    expect(history[1]!.loss).toBeLessThan(history[0]!.loss);
    expect(history[1]!.testAccuracy).toBeGreaterThan(0.3);
  });

  it('throws TrialMathError when a huge learning rate blows the loss up', async () => {
    await expect(trainMlp(tf.getBackend(), 1, { optimizer: 'sgd', learningRate: 1e4, epochs: 2 })).rejects.toBeInstanceOf(TrialMathError);
  });

  it('throws TrialMathError naming NaN when the weights turn NaN', async () => {
    const model = buildModel('mlp', { width: 16, depth: 1, seed: 1 });
    const firstKernel = model.params[0]!.variable;
    // A penalty whose gradient is NaN: the first update poisons every weight it touches.
    const run = train(model, trainSet, testSet, {
      optimizer: 'sgd',
      learningRate: 0.1,
      epochs: 2,
      batchSize: 100,
      seed: 1,
      regularizer: () => tf.mul(tf.sum(firstKernel), Number.NaN) as tf.Scalar,
    });
    await expect(run).rejects.toBeInstanceOf(TrialMathError);
    await expect(run).rejects.toThrow(/epoch 1 \(sgd, learning rate 0.1\): training loss is NaN/);
    model.dispose();
  });

  it('leaks no tensors: the count is stable across epochs and back to the start afterwards', async () => {
    // Every backend initialised in this process: cpu, wasm, and native TensorFlow where installed.
    for (const backend of Object.keys(tf.engine().registry)) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const model = buildModel('mlp', { width: 16, depth: 2, seed: 2 });
      const counts: number[] = [];
      await train(model, trainSet, testSet, {
        optimizer: 'adam',
        learningRate: 1e-3,
        epochs: 4,
        batchSize: 100,
        seed: 1,
        onEpoch: () => void counts.push(tf.memory().numTensors),
      });
      expect(new Set(counts).size, `${backend}: ${counts}`).toBe(1);
      model.dispose();
      expect(tf.memory().numTensors, backend).toBe(before);
    }
    // Every optimizer frees what it allocates (tfjs's momentum optimizer alone does not: see makeOptimizer).
    for (const optimizer of OPTIMIZER_NAMES) {
      const before = tf.memory().numTensors;
      await trainMlp(tf.getBackend(), 3, { optimizer, learningRate: 1e-2, epochs: 1 });
      expect(tf.memory().numTensors, optimizer).toBe(before);
    }
    // And after a failed run.
    const before = tf.memory().numTensors;
    await expect(trainMlp(tf.getBackend(), 1, { optimizer: 'sgd', learningRate: 1e4 })).rejects.toBeInstanceOf(TrialMathError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('updates only the `trainable` variables', async () => {
    const model = buildModel('mlp', { width: 16, depth: 1, seed: 2 });
    const frozen = model.params[0]!.variable;
    const frozenBefore = await frozen.data();
    const headBefore = await model.params[2]!.variable.data();
    await train(model, trainSet, testSet, {
      optimizer: 'adam',
      learningRate: 1e-3,
      epochs: 1,
      batchSize: 100,
      seed: 1,
      trainable: model.params.slice(2).map((p) => p.variable),
    });
    expect(await frozen.data()).toEqual(frozenBefore);
    expect(await model.params[2]!.variable.data()).not.toEqual(headBefore);
    model.dispose();
  });
});
