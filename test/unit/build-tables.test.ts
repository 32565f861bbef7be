import { describe, expect, it } from 'vitest';
import { buildTables, type CellAggregate } from '../../src/results/build-tables';
import { mergeLayout } from '../../src/results/table-layout';
import type { ParamValue } from '../../src/sweep/trial';

const cell = (values: ParamValue[], n: number, mean: number, std: number, extra: Partial<CellAggregate> = {}): CellAggregate => ({
  values,
  n,
  mean: n > 0 ? mean : null,
  std: n > 1 ? std : null,
  pooled: [],
  ...extra,
});

const order = new Map<string, ParamValue[]>([
  ['arch', ['mlp', 'cnn']],
  ['training', ['normal', 'resistant']],
]);

describe('buildTables', () => {
  it('makes one table per --by value, rows and columns in the written order, an empty cell where nothing finished', () => {
    const layout = mergeLayout(null, { byKeys: ['norm'], rowKeys: ['arch', 'training'], columnKeys: ['eps'], metrics: ['lossIncrease'] });
    const tables = buildTables(
      [
        cell(['Linf', 'cnn', 'normal', 0.1], 2, 5, 1),
        cell(['L2', 'cnn', 'resistant', 1], 0, 0, 0),
        cell(['L2', 'mlp', 'normal', 1], 3, 2, 0.5, { pooled: ['width'] }),
        cell(['L2', 'cnn', 'normal', 0.3], 1, 4, 0),
        cell(['L2', 'mlp', 'normal', 0.3], 3, 1, 0.25),
      ],
      layout,
      order,
      'lossIncrease',
    );
    expect(tables.map((t) => t.group)).toEqual([
      { keys: ['norm'], values: ['L2'] },
      { keys: ['norm'], values: ['Linf'] },
    ]);
    const [l2] = tables;
    expect(l2!.metric).toBe('lossIncrease');
    expect(l2!.rows).toEqual([
      ['mlp', 'normal'],
      ['cnn', 'normal'],
      ['cnn', 'resistant'],
    ]);
    expect(l2!.columns).toEqual([[0.3], [1]]);
    expect(l2!.cells).toEqual([
      [{ mean: 1, std: 0.25, n: 3 }, { mean: 2, std: 0.5, n: 3 }],
      [{ mean: 4, std: 0, n: 1 }, null],
      [null, null],
    ]);
    expect(l2!.pooled).toEqual(['width']);
    expect(l2!.comparison).toBeUndefined();
  });

  it('compares each row with the baseline row that agrees on the other row keys', () => {
    const layout = mergeLayout(null, { rowKeys: ['arch', 'training'], metrics: ['acc'], baseline: [['training', 'normal']] });
    const pairing = (seeds: number, diff: number | null) => ({ pairing: { seeds, differences: diff === null ? null : { n: 3, mean: diff, std: 0.01 } } });
    const [table] = buildTables(
      [
        cell(['mlp', 'normal'], 3, 0.7, 0.02, pairing(3, 0)),
        cell(['mlp', 'resistant'], 3, 0.8, 0.02, pairing(3, 0.1)),
        cell(['cnn', 'normal'], 3, 0.75, 0.02, pairing(3, 0)),
        cell(['cnn', 'resistant'], 3, 0.75, 0.02, pairing(3, 0.0)),
        cell(['lstm', 'resistant'], 3, 0.6, 0.02, pairing(3, null)),
      ],
      layout,
      order,
    );
    expect(table!.rows.map((r) => r.join('/'))).toEqual(['mlp/normal', 'mlp/resistant', 'cnn/normal', 'cnn/resistant', 'lstm/resistant']);
    const { baselineRow, tests, against } = table!.comparison!;
    expect(against).toEqual([['training', 'normal']]);
    expect(baselineRow).toEqual([0, 0, 2, 2, null]);
    // Baseline rows untested; lstm has no normally trained row to be tested against.
    expect(tests.map((row) => row[0]?.test ?? null)).toEqual([null, 'paired', null, 'paired', null]);
    expect(tests[1]![0]!.p).toBeLessThan(0.05);
    expect(tests[3]![0]!.p).toBe(1);
  });

  it('refuses a baseline that matches no row, listing the rows', () => {
    const layout = mergeLayout(null, { rowKeys: ['strategy'], metrics: ['acc'], baseline: [['strategy', 'scratch']] });
    expect(() => buildTables([cell(['ptu'], 2, 1, 0.1, { pairing: { seeds: 2, differences: null } })], layout, order)).toThrow(
      "--baseline strategy=scratch matches no row (rows: strategy: ptu)",
    );
  });
});
