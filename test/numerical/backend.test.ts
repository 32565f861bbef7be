import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { backendInfo, forcedBackend, initBackend, nativeThreads } from '../../src/experiments/backend';

const saved = process.env.SWEEP_TFJS_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.SWEEP_TFJS_BACKEND;
  else process.env.SWEEP_TFJS_BACKEND = saved;
});

/** Whether a native package really loads here (tfjs-node does where infra/native-tensorflow.mjs built it). */
async function loads(specifier: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ specifier);
    return true;
  } catch {
    return false;
  }
}

const gpuLoads = await loads('@tensorflow/tfjs-node-gpu');
const nodeLoads = await loads('@tensorflow/tfjs-node');

describe('forcedBackend', () => {
  it('nativeThreads reads TF_NUM_INTRAOP_THREADS, else one per core', () => {
    expect(nativeThreads({ TF_NUM_INTRAOP_THREADS: '3' })).toBe(3);
    expect(nativeThreads({ TF_NUM_INTRAOP_THREADS: 'x' })).toBe(availableParallelism());
    expect(nativeThreads({})).toBe(availableParallelism());
  });

  it('reads SWEEP_TFJS_BACKEND, case-insensitively; empty or auto means automatic', () => {
    expect(forcedBackend({ SWEEP_TFJS_BACKEND: 'WASM' })).toBe('wasm');
    expect(forcedBackend({ SWEEP_TFJS_BACKEND: 'gpu' })).toBe('gpu');
    expect(forcedBackend({ SWEEP_TFJS_BACKEND: '' })).toBeUndefined();
    expect(forcedBackend({ SWEEP_TFJS_BACKEND: 'auto' })).toBeUndefined();
    expect(forcedBackend({})).toBeUndefined();
  });

  it('refuses an unknown name, listing the valid ones', () => {
    expect(() => forcedBackend({ SWEEP_TFJS_BACKEND: 'cuda' })).toThrow(
      /SWEEP_TFJS_BACKEND='cuda' is not a backend: use one of gpu, node, wasm, cpu/,
    );
  });
});

describe('initBackend', () => {
  it('forces cpu, and is idempotent', async () => {
    process.env.SWEEP_TFJS_BACKEND = 'cpu';
    expect(await initBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('forces wasm, registering the Conv2DBackpropFilter replacement', async () => {
    process.env.SWEEP_TFJS_BACKEND = 'wasm';
    expect(await initBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    // The backend really computes (its .wasm binary was found in node_modules).
    const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(await product.data()).toEqual(new Float32Array([11]));
  });

  // Each of these runs where its condition holds: a host without the package, or with it.
  it.skipIf(gpuLoads)('fails clearly when gpu is forced but @tensorflow/tfjs-node-gpu cannot load', async () => {
    process.env.SWEEP_TFJS_BACKEND = 'gpu';
    await expect(initBackend()).rejects.toThrow(
      /SWEEP_TFJS_BACKEND=gpu but that backend is unavailable: @tensorflow\/tfjs-node-gpu could not be loaded/,
    );
  });

  it.skipIf(nodeLoads)('fails clearly when node is forced but @tensorflow/tfjs-node is missing', async () => {
    process.env.SWEEP_TFJS_BACKEND = 'node';
    await expect(initBackend()).rejects.toThrow(/SWEEP_TFJS_BACKEND=node but that backend is unavailable: @tensorflow\/tfjs-node could not be loaded/);
  });

  it.runIf(nodeLoads && !gpuLoads)('with native TensorFlow built here, picks it automatically and reports its version and threads', async () => {
    delete process.env.SWEEP_TFJS_BACKEND;
    const skipped: string[] = [];
    expect(await initBackend({ log: (m) => skipped.push(m) })).toBe('tensorflow');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/^tfjs backend gpu skipped: @tensorflow\/tfjs-node-gpu could not be loaded/);
    const info = backendInfo();
    expect(info).toEqual({ name: 'tensorflow', version: '2.16.2', device: `CPU, ${nativeThreads()} thread${nativeThreads() === 1 ? '' : 's'}` });
    const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(await product.data()).toEqual(new Float32Array([11]));
  });

  it('rejects an invalid SWEEP_TFJS_BACKEND', async () => {
    process.env.SWEEP_TFJS_BACKEND = 'tpu';
    await expect(initBackend()).rejects.toThrow(/SWEEP_TFJS_BACKEND='tpu' is not a backend/);
  });

  it.skipIf(gpuLoads || nodeLoads)(
    'without native TensorFlow, falls through to wasm, saying why each was skipped',
    async () => {
      delete process.env.SWEEP_TFJS_BACKEND;
      await tf.setBackend('cpu'); // something else selected before: auto must switch
      const skipped: string[] = [];
      expect(await initBackend({ log: (m) => skipped.push(m) })).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(skipped).toHaveLength(2);
      expect(skipped[0]).toMatch(/^tfjs backend gpu skipped: @tensorflow\/tfjs-node-gpu could not be loaded/);
      expect(skipped[1]).toMatch(/^tfjs backend node skipped: @tensorflow\/tfjs-node could not be loaded/);
      // Second call: same answer, no re-probing.
      const again: string[] = [];
      expect(await initBackend({ log: (m) => again.push(m) })).toBe('wasm');
      expect(again).toEqual([]);
    },
  );
});
