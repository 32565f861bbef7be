import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, resolveSweep, specHash, trialKey } from '../../src/sweep';
import { familyCatalogue as catalogue, familyNames } from '../../src/experiments/registry';

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
  const train = { family: 'train', codeVersion: 'train@1 training@2', params, seed: 3 };

  it('is the sha256 hex of the canonical JSON of { family, codeVersion, params, seed }', () => {
    const expected = createHash('sha256')
      .update('{"codeVersion":"train@1 training@2","family":"train","params":{"dataset":"mnist","learningRate":0.001,"width":64},"seed":3}')
      .digest('hex');
    expect(trialKey(train)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order parameters are written in', () => {
    expect(trialKey({ ...train, params: { width: 64, dataset: 'mnist', learningRate: 0.001 } })).toBe(trialKey(train));
  });

  it('changes with the seed, any value, the family, the code version and a rerun nonce', () => {
    const key = trialKey(train);
    expect(trialKey({ ...train, seed: 4 })).not.toBe(key);
    expect(trialKey({ ...train, params: { ...params, width: 65 } })).not.toBe(key);
    expect(trialKey({ ...train, params: { ...params, learningRate: 0.0011 } })).not.toBe(key);
    expect(trialKey({ ...train, family: 'other' })).not.toBe(key);
    expect(trialKey({ ...train, codeVersion: 'train@2 training@2' })).not.toBe(key);
    expect(trialKey({ ...train, codeVersion: 'train@1 training@3' })).not.toBe(key);
    expect(trialKey({ ...train, rerun: '2026-12-01T23:00:00.000Z' })).not.toBe(key);
    expect(trialKey({ ...train, rerun: null })).toBe(key);
  });
});

describe('keys of expanded trials', () => {
  const sweep = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    resolveSweep({ name: 'keys', family: 'train', parameters, seeds: [0, 1], ...extra }, { catalogue, file });

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
      expect(trial.key).toBe(trialKey(trial));
      expect(trial.codeVersion).toBe(catalogue.train!.codeVersion);
    }
  });

  it('are the same for the same trial in two different sweeps (so a finished result is found again)', () => {
    const small = sweep({ learningRate: 0.01 });
    const larger = resolveSweep(
      { name: 'other-sweep', family: 'train', parameters: { learningRate: [0.001, 0.01] }, seeds: 3, timeouts: { trial: '1h' } },
      { catalogue, file: 'sweeps/other.ts' },
    );
    const largerKeys = new Set(larger.trials.map((t) => t.key));
    expect(small.trials.every((t) => largerKeys.has(t.key))).toBe(true);
  });
});

describe('a change of code version', () => {
  const definition = { name: 'versions', family: 'train', parameters: { learningRate: [0.01, 0.1] }, seeds: 2 };
  const bumped = (codeVersion: string) => ({ ...catalogue, train: { ...catalogue.train!, codeVersion } });

  it('gives every trial a new key and the sweep a new id, so nothing the old code made is reused', () => {
    const before = resolveSweep(definition, { catalogue, file });
    // Each part of the current version ('train@1 training@3') bumped in turn.
    const current = catalogue.train!.codeVersion;
    const parts = current.split(' ');
    const bumps = parts.map((_, i) => parts.map((part, j) => (j === i ? part.replace(/@(\d+)$/, (_m, v: string) => `@${Number(v) + 1}`) : part)).join(' '));
    expect(bumps).toHaveLength(2);
    for (const codeVersion of bumps) {
      expect(codeVersion).not.toBe(current);
      const after = resolveSweep(definition, { catalogue: bumped(codeVersion), file });
      expect(after.trials.map((t) => t.params)).toEqual(before.trials.map((t) => t.params));
      const oldKeys = new Set(before.trials.map((t) => t.key));
      expect(after.trials.some((t) => oldKeys.has(t.key))).toBe(false);
      expect(after.trials.every((t) => t.codeVersion === codeVersion)).toBe(true);
      expect(after.specHash).not.toBe(before.specHash);
    }
  });

  it('leaves other families alone', () => {
    const noop = { name: 'v', family: 'noop', parameters: { value: [1, 2] }, seeds: 1 };
    expect(resolveSweep(noop, { catalogue: bumped('train@9 training@9'), file }).trials.map((t) => t.key)).toEqual(
      resolveSweep(noop, { catalogue, file }).trials.map((t) => t.key),
    );
  });

  it('--rerun: a nonce gives fresh keys and a new sweep id; the same nonce the same ones', () => {
    const plain = resolveSweep(definition, { catalogue, file });
    const rerun = resolveSweep(definition, { catalogue, file, rerun: '2026-12-01T23:00:00.000Z' });
    const plainKeys = new Set(plain.trials.map((t) => t.key));
    expect(rerun.trials.some((t) => plainKeys.has(t.key))).toBe(false);
    expect(rerun.specHash).not.toBe(plain.specHash);
    expect(resolveSweep(definition, { catalogue, file, rerun: '2026-12-01T23:00:00.000Z' }).trials.map((t) => t.key)).toEqual(
      rerun.trials.map((t) => t.key),
    );
  });

  it('an unknown family is refused against the catalogue given, with a suggestion', () => {
    expect(() => resolveSweep({ ...definition, family: 'trian' }, { catalogue, file })).toThrow(
      `sweeps/key.ts: family: unknown family 'trian' (did you mean train?) (known: ${familyNames.join(', ')})`,
    );
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
  const hashOf = (d: unknown, preset: string | null = null) => resolveSweep(d, { catalogue, file, preset }).specHash;

  it('is a sha256 hex and stable across runs', () => {
    expect(hashOf(definition)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(structuredClone(definition))).toBe(hashOf(definition));
  });

  it('is the hash of the resolved definition without its description', () => {
    const loaded = resolveSweep(definition, { catalogue, file });
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
