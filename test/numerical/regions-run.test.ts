/**
 * The regions trial end to end at a tiny size (8×8 digits, two hidden layers
 * of 6): training, bounds, compression, patterns and the exact count fit
 * together, the compressed network is the same function, and an l1 penalty
 * makes units stable that plain training leaves unstable.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import type { TrialSummary } from '../../src/experiments/family';
import { regionsParams } from '../../src/experiments/regions/params';
import regionsRunner from '../../src/experiments/regions/run';
import { recordingContext } from '../support/trial-context';

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

async function runTrial(overrides: Record<string, unknown>, seed = 1): Promise<{ summary: TrialSummary; epochs: number[] }> {
  const { ctx, points } = recordingContext(seed, backend);
  const params = regionsParams.parse({
    dataset: 'mnist8',
    width: 6,
    epochs: 3,
    trainSize: 600,
    testSize: 300,
    randomInputs: 1000,
    boundTimeLimit: 1,
    regionTimeLimit: 3,
    learningRate: 0.05,
    ...overrides,
  });
  const summary = await regionsRunner.run(params, ctx);
  return { summary, epochs: points.map((p) => p.step) };
}

describe('regions family', () => {
  it('reports every stage; the compressed network is the same function; the patterns seen are regions', async () => {
    const before = tf.memory().numTensors;
    const { summary, epochs } = await runTrial({ l1: 1e-3, adversarial: 'fgsm' });
    expect(epochs).toEqual([1, 2, 3]);
    for (const value of Object.values(summary)) expect(Number.isFinite(value)).toBe(true);
    for (const key of ['inactive.1', 'active.1', 'removed.1', 'inactive.2', 'active.2', 'removed.2', 'regions', 'regionsExact', 'patternsTest', 'patternsRandom']) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary.maxDiffTest).toBeLessThan(1e-9);
    expect(summary.maxDiffRandom).toBeLessThan(1e-9);
    expect(summary.removed).toBe(summary['removed.1']! + summary['removed.2']!);
    expect(summary.compression).toBeCloseTo((100 * summary.removed!) / 12, 10);
    // Every pattern the data visits is a region, and the count includes them (seeded); exact or not.
    expect(summary.regions).toBeGreaterThanOrEqual(Math.max(summary.patternsTest!, summary.patternsRandom!) - 1);
    expect(summary.parameters).toBe(64 * 6 + 6 + 6 * 6 + 6 + 6 * 10 + 10);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an l1 penalty makes units stable and removable without wrecking the network; without it fewer are', async () => {
    // 300 updates: enough for the penalty (about 300 · lr · l1 = 0.3 off every weight) to act.
    const long = { epochs: 10, trainSize: 960, batchSize: 32, randomInputs: 200, regionTimeLimit: 1 };
    const strong = (await runTrial({ ...long, l1: 0.005 }, 2)).summary;
    const none = (await runTrial({ ...long, l1: 0 }, 2)).summary;
    console.log(
      `regions tiny: l1 0.005 removed ${strong['removed.1']}/${strong['removed.2']} (acc ${strong.testAccuracy!.toFixed(3)}, regions ${strong.regions}), ` +
        `l1 0 removed ${none['removed.1']}/${none['removed.2']} (acc ${none.testAccuracy!.toFixed(3)}, regions ${none.regions})`,
    );
    expect(strong.removed).toBeGreaterThan(none.removed!);
    expect(strong.testAccuracy).toBeGreaterThan(0.5);
    expect(strong.maxDiffTest).toBeLessThan(1e-9);
  });
});
