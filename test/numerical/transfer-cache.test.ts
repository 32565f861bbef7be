/**
 * The source-network cache without a database: the in-memory ArtifactStore,
 * getOrCreate's build-once contract (also under concurrency), the weights
 * codec, source keys, and the trial-level reuse (a second trial that needs the
 * same source does not train it). The Postgres store and its advisory lock are
 * exercised in test/integration/transfer.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOrCreate } from '../../src/experiments/artifacts/get-or-create';
import { MemoryArtifactStore } from '../../src/experiments/artifacts/memory-store';
import { advisoryLockId } from '../../src/experiments/artifacts/postgres-store';
import { initBackend } from '../../src/experiments/backend';
import type { TrialContext } from '../../src/experiments/family';
import { transferParams } from '../../src/experiments/transfer/params';
import { runTransfer } from '../../src/experiments/transfer/run';
import { sourceKey, type SourceSpec } from '../../src/experiments/transfer/source';
import { decodeWeights, encodeWeights } from '../../src/experiments/artifacts/weights-codec';

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

const bytes = (...values: number[]) => new Uint8Array(values);

describe('getOrCreate', () => {
  it('builds on a miss and reuses on the next call', async () => {
    const store = new MemoryArtifactStore();
    let builds = 0;
    const build = async () => ({ bytes: bytes(++builds), meta: { n: builds } });
    const first = await getOrCreate(store, 'k', 'test', build);
    const second = await getOrCreate(store, 'k', 'test', build);
    expect(first.reused).toBe(false);
    expect(second.reused).toBe(true);
    expect(builds).toBe(1);
    expect(second.artifact.bytes).toEqual(bytes(1));
    expect(second.artifact.meta).toEqual({ n: 1 });
  });

  it('builds once when several callers miss at the same time', async () => {
    const store = new MemoryArtifactStore();
    let builds = 0;
    const build = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 20)); // the others arrive while this one builds
      return { bytes: bytes(42), meta: {} };
    };
    const results = await Promise.all([1, 2, 3].map(() => getOrCreate(store, 'k', 'test', build)));
    expect(builds).toBe(1);
    expect(results.map((r) => r.reused).sort()).toEqual([false, true, true]);
    expect(store.size).toBe(1);
  });

  it('releases the lock when a build fails, so the next caller builds', async () => {
    const store = new MemoryArtifactStore();
    await expect(getOrCreate(store, 'k', 'test', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const next = await getOrCreate(store, 'k', 'test', async () => ({ bytes: bytes(1), meta: {} }));
    expect(next.reused).toBe(false);
  });
});

describe('weights codec and keys', () => {
  it('round-trips named float32 arrays bit for bit', () => {
    const arrays = [
      { name: 'dense0/kernel', shape: [2, 3], values: Float32Array.from([1, -2.5, 3e-8, Math.PI, -0, 7]) },
      { name: 'dense0/bias', shape: [3], values: Float32Array.from([0.1, 0.2, 0.3]) },
    ];
    const decoded = decodeWeights(encodeWeights(arrays));
    expect(decoded).toEqual(arrays);
    expect(() => decodeWeights(encodeWeights(arrays).subarray(0, 30))).toThrow();
  });

  it('source keys are stable across field order and change with every field', () => {
    const spec: SourceSpec = { domain: 'mnist', arch: 'mlp', width: 8, trainSize: 200, epochs: 1, learningRate: 1e-3, seed: 1 };
    const reordered = Object.fromEntries(Object.entries(spec).reverse()) as unknown as SourceSpec;
    expect(sourceKey(reordered)).toBe(sourceKey(spec));
    const variants: Partial<SourceSpec>[] = [{ domain: 'fashion' }, { arch: 'cnn' }, { width: 9 }, { trainSize: 201 }, { epochs: 2 }, { learningRate: 2e-3 }, { seed: 2 }];
    const keys = new Set(variants.map((v) => sourceKey({ ...spec, ...v })));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(sourceKey(spec))).toBe(false);
  });

  it('advisory lock ids are signed 64-bit integers, stable per key', () => {
    const id = BigInt(advisoryLockId('abc'));
    expect(id >= -(2n ** 63n) && id < 2n ** 63n).toBe(true);
    expect(advisoryLockId('abc')).toBe(advisoryLockId('abc'));
    expect(advisoryLockId('abd')).not.toBe(advisoryLockId('abc'));
  });
});

describe('source reuse across trials', () => {
  function context(seed: number) {
    const logs: string[] = [];
    const ctx: TrialContext = { seed, attempt: 1, backend, report: () => {}, log: (m) => logs.push(m), artifacts: new MemoryArtifactStore() };
    return { ctx, logs };
  }
  const tiny = { arch: 'mlp', width: 8, sourceSize: 200, sourceEpochs: 1, targetSize: 100, testSize: 100, epochs: 1 } as const;

  it('the second trial needing a source loads it instead of training it; another seed trains its own', async () => {
    const store = new MemoryArtifactStore();
    const tensorsBefore = tf.memory().numTensors;
    const first = context(1);
    const a = await runTransfer(transferParams.parse({ ...tiny, pair: 'mnist->mnist-rot30', strategy: 'fine-tune' }), first.ctx, store);
    // Another pair with the same source domain, another strategy: same source network.
    const second = context(1);
    const b = await runTransfer(transferParams.parse({ ...tiny, pair: 'mnist->mnist-inv', strategy: 'share-k' }), second.ctx, store);
    expect(a.sourceReused).toBe(0);
    expect(b.sourceReused).toBe(1);
    expect(b.sourceTestAccuracy).toBe(a.sourceTestAccuracy);
    expect(first.logs.filter((l) => l.includes('training it'))).toHaveLength(1);
    expect(second.logs.filter((l) => l.includes('training it'))).toHaveLength(0);
    expect(store.size).toBe(1);

    const otherSeed = context(2);
    const c = await runTransfer(transferParams.parse({ ...tiny, pair: 'mnist->mnist-inv', strategy: 'ptu' }), otherSeed.ctx, store);
    expect(c.sourceReused).toBe(0);
    expect(store.size).toBe(2);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('a target-only trial needs no source and reports none', async () => {
    const store = new MemoryArtifactStore();
    const { ctx } = context(1);
    const summary = await runTransfer(transferParams.parse({ ...tiny, strategy: 'target-only' }), ctx, store);
    expect(store.size).toBe(0);
    expect(summary.sourceReused).toBeUndefined();
    expect(summary.testAccuracy).toBeGreaterThan(0);
  });

  it('refuses a stored source whose bytes do not match their recorded hash', async () => {
    const store = new MemoryArtifactStore();
    const { ctx } = context(3);
    const params = transferParams.parse({ ...tiny, strategy: 'fine-tune' });
    await runTransfer(params, ctx, store);
    const key = sourceKey({ domain: 'mnist', arch: 'mlp', width: 8, trainSize: 200, epochs: 1, learningRate: 1e-3, seed: 3 });
    const stored = (await store.get(key))!;
    const tampered = new MemoryArtifactStore();
    const flipped = stored.bytes.slice();
    flipped[flipped.length - 1]! ^= 1;
    await tampered.put({ ...stored, bytes: flipped });
    await expect(runTransfer(params, ctx, tampered)).rejects.toThrow(/hash/);
  });
});
