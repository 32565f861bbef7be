import { describe, expect, it } from 'vitest';
import { threadsPerTrial, trialThreadEnv } from '../../src/worker/trial-threads';

describe('threadsPerTrial', () => {
  it('splits the cores between the slots, at least one each', () => {
    expect(threadsPerTrial(2, 2)).toBe(1);
    expect(threadsPerTrial(2, 1)).toBe(2);
    expect(threadsPerTrial(16, 4)).toBe(4);
    expect(threadsPerTrial(16, 5)).toBe(3);
    expect(threadsPerTrial(2, 20)).toBe(1);
  });

  it('refuses nonsense', () => {
    expect(() => threadsPerTrial(0, 1)).toThrow(/cores must be a positive integer/);
    expect(() => threadsPerTrial(4, 0)).toThrow(/slots must be a positive integer/);
  });
});

describe('trialThreadEnv', () => {
  it("sets TensorFlow's intra-op, inter-op and OpenMP threads", () => {
    expect(trialThreadEnv(3, {})).toEqual({ TF_NUM_INTRAOP_THREADS: '3', TF_NUM_INTEROP_THREADS: '3', OMP_NUM_THREADS: '3' });
  });

  it("leaves what the worker's operator set", () => {
    expect(trialThreadEnv(1, { TF_NUM_INTRAOP_THREADS: '8' })).toEqual({ TF_NUM_INTEROP_THREADS: '1', OMP_NUM_THREADS: '1' });
  });
});
