import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/results/aggregate';
import { rowsFromSeries, splitBy, type StepPoint } from '../../src/results/series-rows';

const point = (seed: number, eps: number, loss: number | undefined, arch = 'mlp'): StepPoint => ({
  params: { arch, norm: 'L2' },
  seed,
  status: 'done',
  values: loss === undefined ? { eps } : { eps, lossIncrease: loss },
});

describe('per-step axes', () => {
  it('turns each step into a row carrying the axis value, and aggregates over seeds per axis value', () => {
    const points = [point(0, 0.01, 0.1), point(0, 0.1, 1.0), point(1, 0.01, 0.3), point(1, 0.1, 3.0)];
    const rows = rowsFromSeries(points, 'lossIncrease', ['eps']);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ params: { arch: 'mlp', norm: 'L2', eps: 0.01 }, seed: 0, value: 0.1 });
    const model = aggregate(rows, { rowKeys: ['arch'], columnKeys: ['eps'] });
    expect(model.columns).toEqual([[0.01], [0.1]]);
    expect(model.cells[0]![0]).toMatchObject({ mean: 0.2, n: 2 });
    expect(model.cells[0]![1]).toMatchObject({ mean: 2.0, n: 2 });
  });

  it('leaves out steps that lack the metric or an axis', () => {
    const rows = rowsFromSeries([point(0, 0.01, undefined), point(0, 0.1, 1)], 'lossIncrease', ['eps']);
    expect(rows.map((r) => r.params.eps)).toEqual([0.1]);
    expect(rowsFromSeries([point(0, 0.1, 1)], 'lossIncrease', ['layer'])).toEqual([]);
  });

  it('splits rows into one table per value of the --by keys', () => {
    const rows = rowsFromSeries([point(0, 0.1, 1, 'mlp'), point(0, 0.1, 2, 'cnn'), point(1, 0.1, 3, 'mlp')], 'lossIncrease', ['eps']);
    const groups = splitBy(rows, ['arch']);
    expect(groups.map((g) => [g.values, g.rows.length])).toEqual([
      [['mlp'], 2],
      [['cnn'], 1],
    ]);
  });
});
