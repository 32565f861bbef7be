import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { TrialInputError } from '../../src/experiments/errors';
import trainRunner from '../../src/experiments/train/run';
import { trainParams } from '../../src/experiments/train/params';
import { recordingContext } from '../support/trial-context';

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

describe('train family', () => {
  it('needs tfjs', () => {
    expect(trainRunner.usesTensorflow).toBe(true);
  });

  it('smoke size (MLP width 64, 1,000 examples, 2 epochs) reports every epoch (its time is printed)', async () => {
    const params = trainParams.parse({ width: 64, depth: 1, trainSize: 1000, testSize: 500, epochs: 2 });
    const { ctx, points } = recordingContext(1, backend);
    const started = performance.now();
    const summary = await trainRunner.run(params, ctx);
    const seconds = (performance.now() - started) / 1000;
    console.log(`train smoke on ${backend}: ${seconds.toFixed(2)} s (trainSeconds ${summary.trainSeconds!.toFixed(2)})`);
    expect(points.map((p) => p.step)).toEqual([1, 2]);
    expect(Object.keys(points[0]!.metrics).sort()).toEqual(['accuracy', 'loss', 'testAccuracy', 'testLoss']);
    const last = points[1]!.metrics;
    expect(summary).toEqual({
      loss: last.loss,
      accuracy: last.accuracy,
      testLoss: last.testLoss,
      testAccuracy: last.testAccuracy,
      trainSeconds: summary.trainSeconds,
      parameters: 784 * 64 + 64 + 64 * 10 + 10,
    });
    expect(summary.testAccuracy).toBeGreaterThan(0.6);
    expect(tf.memory().numTensors).toBe(0);
  });

  it.each(['cnn', 'lstm'] as const)('%s trains at a tiny size', async (arch) => {
    const params = trainParams.parse({ arch, width: 4, trainSize: 200, testSize: 100, epochs: 1, batchSize: 50 });
    const { ctx, points } = recordingContext(2, backend);
    const summary = await trainRunner.run(params, ctx);
    expect(points).toHaveLength(1);
    expect(summary.parameters).toBeGreaterThan(0);
    expect(Number.isFinite(summary.testLoss)).toBe(true);
  });

  it('refuses more MNIST training examples than the package has', async () => {
    const params = trainParams.parse({ dataset: 'mnist', trainSize: 20_000 });
    await expect(trainRunner.run(params, recordingContext(1, backend).ctx)).rejects.toBeInstanceOf(TrialInputError);
  });
});
