import { describe, expect, it } from 'vitest';
import { choice, grid, intUniform, logUniform, range, resolveSweep, uniform, zip } from '../../src/sweep';
import { familyCatalogue as catalogue } from '../../src/experiments/registry';
import { noopParams } from '../../src/experiments/noop/params';
import { rangeValues } from '../../src/sweep/range';

const file = 'sweeps/test.ts';

/** A noop sweep; noop's params: durationMs, mode, steps, value, fail. */
function noop(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { name: 'expand-test', family: 'noop', parameters, seeds: 1, ...extra };
}

function trialsOf(definition: unknown, preset: string | null = null) {
  return resolveSweep(definition, { catalogue, file, preset }).trials;
}

describe('expansion order and counts', () => {
  it('takes the cartesian product in written key order (first key slowest), seeds innermost', () => {
    const trials = trialsOf(noop({ mode: ['sleep', 'burn'], steps: [1, 2, 3] }, { seeds: [7, 8] }));
    expect(trials).toHaveLength(2 * 3 * 2);
    expect(trials.map((t) => [t.params.mode, t.params.steps, t.seed])).toEqual([
      ['sleep', 1, 7], ['sleep', 1, 8], ['sleep', 2, 7], ['sleep', 2, 8], ['sleep', 3, 7], ['sleep', 3, 8],
      ['burn', 1, 7], ['burn', 1, 8], ['burn', 2, 7], ['burn', 2, 8], ['burn', 3, 7], ['burn', 3, 8],
    ]);
    expect(trials.map((t) => t.index)).toEqual([...Array(12).keys()]);
  });

  it('follows the written order, not the schema’s: swapping keys swaps the nesting', () => {
    const trials = trialsOf(noop({ steps: [1, 2], mode: ['sleep', 'burn'] }));
    expect(trials.map((t) => [t.params.steps, t.params.mode])).toEqual([
      [1, 'sleep'], [1, 'burn'], [2, 'sleep'], [2, 'burn'],
    ]);
  });

  it('treats scalars as constants, arrays and grid() alike, and a seed count n as [0..n-1]', () => {
    const trials = trialsOf(noop({ durationMs: 5, mode: grid(['sleep', 'burn']), value: [0.5] }, { seeds: 3 }));
    expect(trials).toHaveLength(6);
    expect(trials.every((t) => t.params.durationMs === 5 && t.params.value === 0.5)).toBe(true);
    expect(trials.map((t) => t.seed)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('fills the family defaults into every trial', () => {
    const [trial] = trialsOf(noop({ value: 1 }));
    expect(trial?.params).toMatchObject({ durationMs: 0, mode: 'sleep', steps: 1, value: 1, fail: 'none' });
    // Every parameter with a default; failAttempts has none on purpose (left out, it leaves keys unchanged).
    const defaulted = Object.keys(noopParams.shape).filter((name) => name !== 'failAttempts');
    expect(Object.keys(trial?.params ?? {}).sort()).toEqual(defaulted.sort());
    expect(trial?.family).toBe('noop');
  });

  it('yields one trial per seed for a sweep with no parameters', () => {
    expect(trialsOf(noop({}, { seeds: 4 }))).toHaveLength(4);
  });

  it('zips parameters jointly under any key, as one axis in its written position', () => {
    const trials = trialsOf(
      noop({ mode: ['sleep', 'burn'], schedule: zip({ steps: [1, 2, 3], value: [10, 20, 30] }) }),
    );
    expect(trials.map((t) => [t.params.mode, t.params.steps, t.params.value])).toEqual([
      ['sleep', 1, 10], ['sleep', 2, 20], ['sleep', 3, 30],
      ['burn', 1, 10], ['burn', 2, 20], ['burn', 3, 30],
    ]);
    // The zip's own key is a label, not a trial parameter.
    expect(trials[0]?.params).not.toHaveProperty('schedule');
  });

  it('deduplicates identical trials, keeping the first, with dense indices', () => {
    const trials = trialsOf(noop({ value: [1, 2, 1] }, { seeds: [0, 1, 0] }));
    expect(trials.map((t) => [t.params.value, t.seed])).toEqual([[1, 0], [1, 1], [2, 0], [2, 1]]);
    expect(trials.map((t) => t.index)).toEqual([0, 1, 2, 3]);
    expect(new Set(trials.map((t) => t.key)).size).toBe(4);
  });

  it('deduplicates trials that differ only in writing a default out', () => {
    const trials = trialsOf(noop({ durationMs: [0, 0], mode: zip({ mode: ['sleep', 'sleep'] }) }));
    expect(trials).toHaveLength(1);
  });
});

describe('range', () => {
  it('includes stop when it lands exactly, despite float drift', () => {
    expect(rangeValues(range(0, 0.3, 0.1))).toEqual([0, 0.1, 0.2, 0.3]);
    expect(rangeValues(range(0.1, 0.7, 0.2))).toEqual([0.1, 0.3, 0.5, 0.7]);
    expect(rangeValues(range(1e-7, 5e-7, 1e-7))).toEqual([1e-7, 2e-7, 3e-7, 4e-7, 5e-7]);
  });

  it('stops before stop when it does not land on it', () => {
    expect(rangeValues(range(0, 1, 0.3))).toEqual([0, 0.3, 0.6, 0.9]);
    expect(rangeValues(range(16, 100, 16))).toEqual([16, 32, 48, 64, 80, 96]);
  });

  it('counts down with a negative step, and a single point when start = stop', () => {
    expect(rangeValues(range(10, 1, -3))).toEqual([10, 7, 4, 1]);
    expect(rangeValues(range(5, 5, 1))).toEqual([5]);
  });

  it('expands as a grid axis', () => {
    const trials = trialsOf(noop({ steps: range(2, 8, 2) }));
    expect(trials.map((t) => t.params.steps)).toEqual([2, 4, 6, 8]);
  });
});

describe('random specs', () => {
  const randomSweep = (sampleSeed: number, samples = 200) =>
    noop(
      {
        mode: ['sleep', 'burn'],
        value: logUniform(1e-4, 1e-1),
        steps: intUniform(1, 4),
        fail: choice(['none', 'math']),
      },
      { samples, sampleSeed },
    );

  it('draws `samples` configurations per grid point, shared across grid points', () => {
    const trials = trialsOf(randomSweep(0, 5));
    expect(trials).toHaveLength(2 * 5);
    const draws = (mode: string) =>
      trials.filter((t) => t.params.mode === mode).map((t) => [t.params.value, t.params.steps, t.params.fail]);
    expect(draws('burn')).toEqual(draws('sleep'));
    // …and the draws differ from one another.
    expect(new Set(draws('sleep').map((d) => d[0])).size).toBe(5);
  });

  it('is reproducible per sampleSeed and changes with it', () => {
    const once = trialsOf(randomSweep(42)).map((t) => t.params);
    const twice = trialsOf(randomSweep(42)).map((t) => t.params);
    const other = trialsOf(randomSweep(43)).map((t) => t.params);
    expect(twice).toEqual(once);
    expect(other).not.toEqual(once);
  });

  it('keeps every draw within its bounds and covers them', () => {
    const trials = trialsOf(randomSweep(7, 2000));
    const values = trials.map((t) => t.params.value as number);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...values)).toBeLessThanOrEqual(1e-1);
    // Log-uniform: about a third of the draws in each decade of [1e-4, 1e-1].
    const inLowestDecade = values.filter((v) => v < 1e-3).length / values.length;
    expect(inLowestDecade).toBeGreaterThan(0.28);
    expect(inLowestDecade).toBeLessThan(0.39);


    const steps = new Set(trials.map((t) => t.params.steps));
    expect([...steps].sort()).toEqual([1, 2, 3, 4]); // both ends included, integers only

    const fails = new Set(trials.map((t) => t.params.fail));
    expect([...fails].sort()).toEqual(['math', 'none']);
  });

  it('draws uniform reals in [min, max)', () => {
    const values = trialsOf(noop({ value: uniform(-2, 3) }, { samples: 2000 })).map((t) => t.params.value as number);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...values)).toBeLessThan(3);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
  });

  it('lets the family schema judge drawn values (a uniform on an integer parameter is refused)', () => {
    expect(() => trialsOf(noop({ steps: uniform(1.1, 1.9) }))).toThrow(
      /^sweeps\/test\.ts: parameters\.steps: Invalid input: expected int, received number \(in trial 0: /,
    );
  });

  it('ignores samples when there are no random specs', () => {
    const trials = trialsOf(noop({ value: [1, 2] }, { samples: 50 }));
    expect(trials).toHaveLength(2);
    expect(resolveSweep(noop({ value: [1, 2] }, { samples: 50 }), { catalogue, file }).definition.samples).toBe(1);
  });
});

describe('determinism', () => {
  it('gives the same trials and keys for the same definition, twice', () => {
    const definition = () =>
      noop(
        { mode: ['sleep', 'burn'], value: uniform(0, 1), group: zip({ steps: [1, 2], durationMs: [5, 6] }) },
        { seeds: 3, samples: 4, sampleSeed: 9 },
      );
    const first = resolveSweep(definition(), { catalogue, file });
    const second = resolveSweep(definition(), { catalogue, file });
    expect(second.trials).toEqual(first.trials);
    expect(second.specHash).toBe(first.specHash);
    expect(first.trials).toHaveLength(2 * 2 * 4 * 3);
  });
});

describe('presets', () => {
  const base = {
    name: 'preset-test',
    family: 'train',
    parameters: { dataset: ['mnist', 'fashion'], arch: ['mlp', 'cnn'], learningRate: [1e-3, 1e-2], epochs: 5 },
    seeds: 3,
    taskQueue: 'gpu',
    concurrency: 20,
    retry: { maximumAttempts: 5, initialInterval: '10s' },
    timeouts: { trial: '3h' },
    presets: {
      smoke: {
        parameters: { dataset: 'mnist', epochs: 1 },
        seeds: [11],
        taskQueue: 'cpu',
        retry: { maximumAttempts: 1 },
        timeouts: { heartbeat: '10s' },
      },
    },
  };

  it('merges parameters key by key over the base, keeping the written order', () => {
    const sweep = resolveSweep(base, { catalogue, file, preset: 'smoke' });
    expect(Object.keys(sweep.definition.parameters)).toEqual(['dataset', 'arch', 'learningRate', 'epochs']);
    expect(sweep.definition.parameters).toEqual({ dataset: 'mnist', arch: ['mlp', 'cnn'], learningRate: [1e-3, 1e-2], epochs: 1 });
    expect(sweep.trials).toHaveLength(1 * 2 * 2 * 1);
    expect(sweep.trials.every((t) => t.params.dataset === 'mnist' && t.params.epochs === 1 && t.seed === 11)).toBe(true);
    expect(sweep.preset).toBe('smoke');
  });

  it('replaces seeds and merges execution settings field by field', () => {
    const sweep = resolveSweep(base, { catalogue, file, preset: 'smoke' });
    expect(sweep.execution).toEqual({
      taskQueue: 'cpu',
      concurrency: 20,
      retry: { maximumAttempts: 1, initialIntervalMs: 10_000, backoffCoefficient: 2, maximumIntervalMs: 300_000 },
      timeouts: { trialMs: 10_800_000, heartbeatMs: 10_000 },
    });
  });

  it('leaves the base alone when no preset is chosen, with defaults filled', () => {
    const sweep = resolveSweep(base, { catalogue, file });
    expect(sweep.preset).toBeNull();
    expect(sweep.trials).toHaveLength(2 * 2 * 2 * 3);
    expect(sweep.execution.taskQueue).toBe('gpu');
    expect(sweep.execution.retry.maximumAttempts).toBe(5);
    expect(sweep.execution.timeouts.heartbeatMs).toBe(60_000);
  });

  it('fills execution defaults: queue cpu, concurrency unset, 3 attempts, 5s×2 up to 5m, 2h trial, 60s heartbeat', () => {
    const sweep = resolveSweep(noop({}), { catalogue, file });
    expect(sweep.execution).toEqual({
      taskQueue: 'cpu',
      concurrency: null,
      retry: { maximumAttempts: 3, initialIntervalMs: 5_000, backoffCoefficient: 2, maximumIntervalMs: 300_000 },
      timeouts: { trialMs: 7_200_000, heartbeatMs: 60_000 },
    });
  });

  it('can replace a zip group as a whole and change samples', () => {
    const sweep = resolveSweep(
      noop(
        { group: zip({ steps: [1, 2], value: [1, 2] }), durationMs: intUniform(0, 100) },
        { samples: 2, presets: { wide: { parameters: { group: zip({ steps: [5], value: [5] }) }, samples: 3 } } },
      ),
      { catalogue, file, preset: 'wide' },
    );
    expect(sweep.trials).toHaveLength(3);
    expect(sweep.trials.every((t) => t.params.steps === 5)).toBe(true);
  });
});
