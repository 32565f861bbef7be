import { describe, expect, it } from 'vitest';
import { familyCatalogue } from '../../src/experiments/registry';
import { loadSweepFile } from '../../src/sweep';
import { tupleComparator, valueOrderOf, varyingParametersOf } from '../../src/results/value-order';
import type { ParamValue } from '../../src/sweep/trial';

describe('the written order of a sweep’s values', () => {
  it('reads lists, grids, zips, ranges and choices from the stored spec, each value once', () => {
    const spec = {
      parameters: {
        strategy: ['target-only', 'fine-tune', 'ptu'],
        width: { kind: 'grid', values: [64, 16, 64] },
        model: { kind: 'zip', axes: { arch: ['mlp', 'mlp', 'cnn'], target: ['all', 'dense0', 'all'] } },
        eps: { kind: 'range', start: 0.3, stop: 0.1, step: -0.1 },
        act: { kind: 'choice', values: ['tanh', 'relu'] },
        lr: { kind: 'logUniform', min: 1e-4, max: 1e-2 },
        epochs: 5,
      },
    };
    const order = valueOrderOf(spec);
    expect(order.get('strategy')).toEqual(['target-only', 'fine-tune', 'ptu']);
    expect(order.get('width')).toEqual([64, 16]);
    expect(order.get('arch')).toEqual(['mlp', 'cnn']);
    expect(order.get('target')).toEqual(['all', 'dense0']);
    expect(order.get('eps')).toEqual([0.3, 0.2, 0.1]);
    expect(order.get('act')).toEqual(['tanh', 'relu']);
    expect(order.get('lr')).toEqual([]);
    expect(order.get('epochs')).toEqual([5]);
    expect(varyingParametersOf(spec).sort()).toEqual(['act', 'arch', 'eps', 'lr', 'strategy', 'target', 'width']);
  });

  it('says nothing about a spec of another shape', () => {
    expect(valueOrderOf({ name: 'x', grid: { lr: [1, 2] } }).size).toBe(0);
    expect(valueOrderOf(null).size).toBe(0);
    expect(varyingParametersOf('nonsense')).toEqual([]);
  });

  it('orders tuples by each key’s written order, then naturally for values the spec does not list', () => {
    const order = new Map<string, ParamValue[]>([
      ['strategy', ['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu']],
      ['lambda', [0, 1e-4, 1e-3]],
    ]);
    const byStrategy = tupleComparator(['strategy', 'eps'], order);
    const tuples: ParamValue[][] = [
      ['ptu', 0.1],
      ['zeta', 1],
      ['fine-tune', 0.3],
      ['alpha', 1],
      ['target-only', 1],
      ['fine-tune', 0.03],
    ];
    expect([...tuples].sort(byStrategy)).toEqual([
      ['target-only', 1],
      ['fine-tune', 0.03],
      ['fine-tune', 0.3],
      ['ptu', 0.1],
      ['alpha', 1],
      ['zeta', 1],
    ]);
  });

  it('keeps the PTU grid’s strategies, and the aon methods with their λ and K, as the sweep files write them', async () => {
    const ptu = await loadSweepFile('sweeps/ptu-grid.ts', { catalogue: familyCatalogue, preset: 'smoke' });
    const stored = JSON.parse(JSON.stringify(ptu.definition)) as unknown;
    expect(valueOrderOf(stored).get('strategy')).toEqual(['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu']);
    expect(valueOrderOf(stored).get('arch')).toEqual(['mlp', 'cnn', 'lstm']);

    const aon = await loadSweepFile('sweeps/aon.ts', { catalogue: familyCatalogue, preset: 'smoke' });
    const order = valueOrderOf(JSON.parse(JSON.stringify(aon.definition)));
    const keys = ['method', 'lambda', 'order'];
    const rows = [...new Map(aon.trials.map((t) => [JSON.stringify(keys.map((k) => t.params[k])), keys.map((k) => t.params[k]!)])).values()];
    expect(rows.sort(tupleComparator(keys, order))).toEqual([
      ['none', 0, 0],
      ['orth-reg', 1e-4, 0],
      ['orth-reg', 1e-3, 0],
      ['orth-reg', 1e-2, 0],
      ['orth-reg', 1e-1, 0],
      ['spectral', 0, 0],
      ['aon', 0, 1],
      ['aon', 0, 2],
      ['aon', 0, 3],
    ]);
  });
});
