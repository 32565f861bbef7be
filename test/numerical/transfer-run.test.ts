/**
 * The `transfer` trial: parameters, the strategies' layer modes, what training
 * touches (frozen source layers stay bit-identical), and what a trial reports.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../../src/experiments/artifacts/memory-store';
import { initBackend } from '../../src/experiments/backend';
import type { TrialContext } from '../../src/experiments/family';
import { getFamily } from '../../src/experiments/registry';
import { DOMAINS, loadDomain } from '../../src/experiments/transfer/domains';
import { buildTransferNet, exportWeights } from '../../src/experiments/transfer/network';
import { transferParams } from '../../src/experiments/transfer/params';
import { runTransfer } from '../../src/experiments/transfer/run';
import { layerModes } from '../../src/experiments/transfer/strategy';
import { train } from '../../src/experiments/training';

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

describe('parameters', () => {
  it('is registered, fills defaults and refuses typos and out-of-range values', () => {
    expect(getFamily('transfer').params).toBe(transferParams);
    const params = transferParams.parse({});
    expect(params).toMatchObject({ pair: 'mnist->mnist-rot30', arch: 'mlp', strategy: 'ptu', k: 1 });
    expect(transferParams.safeParse({ targetSize: 99 }).success).toBe(false);
    expect(transferParams.safeParse({ targetSize: 1001 }).success).toBe(false);
    expect(transferParams.safeParse({ k: 3 }).success).toBe(false);
    expect(transferParams.safeParse({ pair: 'mnist->usps' }).success).toBe(false);
    expect(transferParams.safeParse({ strategy: 'share' }).success).toBe(false);
    expect(transferParams.safeParse({ epoch: 3 }).success).toBe(false);
  });
});

describe('strategies', () => {
  it('map to per-layer modes', () => {
    expect(layerModes('target-only', 1)).toEqual(['fresh', 'fresh']);
    expect(layerModes('fine-tune', 1)).toEqual(['fine-tune', 'fine-tune']);
    expect(layerModes('share-k', 1)).toEqual(['frozen', 'fresh']);
    expect(layerModes('share-k', 2)).toEqual(['frozen', 'frozen']);
    expect(layerModes('fine-tune-k', 1)).toEqual(['fine-tune', 'fresh']);
    expect(layerModes('ptu', 2)).toEqual(['ptu', 'ptu']);
  });

  it('training changes fine-tuned and fresh layers but leaves frozen source layers and the PTU source branch bit-identical', async () => {
    const source = buildTransferNet({ arch: 'mlp', width: 8, numClasses: 10, seed: 1, modes: ['fresh', 'fresh'] });
    const weights = await exportWeights(source);
    source.dispose();
    const data = loadDomain(DOMAINS['mnist-inv'], 'train', 'target', 100, 1);
    const test = loadDomain(DOMAINS['mnist-inv'], 'test', 'target', 100, 1);
    const options = { optimizer: 'adam', learningRate: 1e-2, epochs: 1, batchSize: 25, seed: 1 } as const;
    const values = async (p: { variable: tf.Variable }) => (await p.variable.data()) as Float32Array;
    const sourceValues = weights.find((w) => w.name === 'dense0/kernel')!.values;

    const shared = buildTransferNet({ arch: 'mlp', width: 8, numClasses: 10, seed: 2, modes: layerModes('share-k', 1), source: weights });
    const freshBefore = await values(shared.branches[1]![0]![0]!);
    await train(shared, data, test, { ...options, trainable: shared.trainable });
    expect(await values(shared.branches[0]![0]![0]!)).toEqual(sourceValues);
    expect(await values(shared.branches[1]![0]![0]!)).not.toEqual(freshBefore);
    shared.dispose();

    const tuned = buildTransferNet({ arch: 'mlp', width: 8, numClasses: 10, seed: 2, modes: layerModes('fine-tune', 1), source: weights });
    await train(tuned, data, test, { ...options, trainable: tuned.trainable });
    expect(await values(tuned.branches[0]![0]![0]!)).not.toEqual(sourceValues);
    tuned.dispose();

    const ptu = buildTransferNet({ arch: 'mlp', width: 8, numClasses: 10, seed: 2, modes: layerModes('ptu', 1), source: weights });
    await train(ptu, data, test, { ...options, trainable: ptu.trainable });
    expect(await values(ptu.branches[0]![0]![0]!)).toEqual(sourceValues); // W_s frozen
    expect(await values(ptu.branches[0]![1]![0]!)).not.toEqual(sourceValues); // W_t trained from W_s
    ptu.dispose();
  });
});

describe('a trial', () => {
  it('reports loss curves every epoch and, for a PTU, the mean gates of each layer', async () => {
    const points: { step: number; metrics: Record<string, number> }[] = [];
    const ctx: TrialContext = { seed: 4, attempt: 1, backend, report: (step, metrics) => points.push({ step, metrics }), log: () => {}, artifacts: new MemoryArtifactStore() };
    const params = transferParams.parse({
      pair: 'mnist->mnist-8x8', arch: 'mlp', strategy: 'ptu', width: 8,
      sourceSize: 400, sourceEpochs: 4, targetSize: 100, testSize: 100, epochs: 2,
    });
    const summary = await runTransfer(params, ctx, new MemoryArtifactStore());
    expect(points.map((p) => p.step)).toEqual([1, 2]);
    expect(Object.keys(points[1]!.metrics).sort()).toEqual(
      ['accuracy', 'gateG1', 'gateG2', 'gateR1', 'gateR2', 'loss', 'testAccuracy', 'testLoss'],
    );
    for (const name of ['gateG1', 'gateG2', 'gateR1', 'gateR2']) {
      expect(summary[name]).toBe(points[1]!.metrics[name]);
      expect(summary[name]).toBeGreaterThan(0);
      expect(summary[name]).toBeLessThan(1);
    }
    expect(summary.testAccuracy).toBe(points[1]!.metrics.testAccuracy);
    expect(summary.sourceReused).toBe(0);
    expect(summary.sourceTestAccuracy).toBeGreaterThan(0.2); // 4 epochs on 400 digits: well above chance (0.1)
    expect(summary.trainableParameters).toBeLessThan(summary.parameters!); // W_s is frozen
  });
});
