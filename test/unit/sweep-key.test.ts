import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, resolveSweep, specHash, trialKey } from '../../src/sweep';

const file = 'sweeps/key.ts';

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order, drops undefined like JSON', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('trialKey', () => {
  const params = { learningRate: 0.001, width: 64, dataset: 'mnist' };

  it('is the sha256 hex of the canonical JSON of { family, params, seed }', () => {
    const expected = createHash('sha256')
      .update('{"family":"train","params":{"dataset":"mnist","learningRate":0.001,"width":64},"seed":3}')
      .digest('hex');
    expect(trialKey('train', params, 3)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order parameters are written in', () => {
    expect(trialKey('train', { width: 64, dataset: 'mnist', learningRate: 0.001 }, 3)).toBe(trialKey('train', params, 3));
  });

  it('changes with the seed, any value, and the family', () => {
    const key = trialKey('train', params, 3);
    expect(trialKey('train', params, 4)).not.toBe(key);
    expect(trialKey('train', { ...params, width: 65 }, 3)).not.toBe(key);
    expect(trialKey('train', { ...params, learningRate: 0.0011 }, 3)).not.toBe(key);
    expect(trialKey('other', params, 3)).not.toBe(key);
  });
});

describe('keys of expanded trials', () => {
  const sweep = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    resolveSweep({ name: 'keys', family: 'train', parameters, seeds: [0, 1], ...extra }, { file });

  it('do not depend on whether a default was written out', () => {
    // 128, 'adam' and 64 are train's defaults for width, optimizer and batchSize.
    const implicit = sweep({ learningRate: [0.01, 0.1] });
    const explicit = sweep({ width: 128, learningRate: [0.01, 0.1], optimizer: 'adam', batchSize: 64 });
    expect(explicit.trials.map((t) => t.key)).toEqual(implicit.trials.map((t) => t.key));
  });

  it('do not depend on parameter order when the trials are the same', () => {
    const a = sweep({ learningRate: 0.01, width: 32 });
    const b = sweep({ width: 32, learningRate: 0.01 });
    expect(b.trials.map((t) => t.key)).toEqual(a.trials.map((t) => t.key));
  });

  it('are the trial keys of the trials’ own family, params and seed', () => {
    for (const trial of sweep({ learningRate: [0.01, 0.1], arch: ['mlp', 'cnn'] }).trials) {
      expect(trial.key).toBe(trialKey(trial.family, trial.params, trial.seed));
    }
  });

  it('are the same for the same trial in two different sweeps (so a finished result is found again)', () => {
    const small = sweep({ learningRate: 0.01 });
    const larger = resolveSweep(
      { name: 'other-sweep', family: 'train', parameters: { learningRate: [0.001, 0.01] }, seeds: 3, timeouts: { trial: '1h' } },
      { file: 'sweeps/other.ts' },
    );
    const largerKeys = new Set(larger.trials.map((t) => t.key));
    expect(small.trials.every((t) => largerKeys.has(t.key))).toBe(true);
  });
});

describe('specHash', () => {
  const definition = {
    name: 'hash',
    family: 'noop',
    description: 'first words',
    parameters: { value: [1, 2] },
    seeds: 2,
    presets: { smoke: { seeds: 1 } },
  };
  const hashOf = (d: unknown, preset: string | null = null) => resolveSweep(d, { file, preset }).specHash;

  it('is a sha256 hex and stable across runs', () => {
    expect(hashOf(definition)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(structuredClone(definition))).toBe(hashOf(definition));
  });

  it('is the hash of the resolved definition without its description', () => {
    const loaded = resolveSweep(definition, { file });
    const { description: _, ...hashed } = loaded.definition;
    expect(loaded.specHash).toBe(specHash(hashed));
    expect(hashOf({ ...definition, description: 'other words' })).toBe(hashOf(definition));
  });

  it('changes with the preset, parameters, seeds, execution settings and name', () => {
    const base = hashOf(definition);
    const variants = [
      hashOf(definition, 'smoke'),
      hashOf({ ...definition, parameters: { value: [1, 3] } }),
      hashOf({ ...definition, seeds: 3 }),
      hashOf({ ...definition, taskQueue: 'gpu' }),
      hashOf({ ...definition, retry: { maximumAttempts: 1 } }),
      hashOf({ ...definition, name: 'hash-2' }),
    ];
    for (const variant of variants) expect(variant).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('does not change when a default execution setting is written out', () => {
    expect(hashOf({ ...definition, taskQueue: 'cpu', timeouts: { heartbeat: '60s', trial: '2h' } })).toBe(hashOf(definition));
  });
});
