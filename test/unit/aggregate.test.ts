import { describe, expect, it } from 'vitest';
import { aggregate, compareTuples, meanStd, type ResultRow } from '../../src/results/aggregate';

function row(params: ResultRow['params'], seed: number, value: number | null, status = 'done'): ResultRow {
  return { params, seed, status, value };
}

describe('meanStd', () => {
  it('uses the sample (n − 1) standard deviation', () => {
    const c = meanStd([1, 2, 3, 4]);
    expect(c.mean).toBe(2.5);
    expect(c.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(c.n).toBe(4);
  });

  it('gives std 0 for a single value', () => {
    expect(meanStd([0.7])).toEqual({ mean: 0.7, std: 0, n: 1 });
  });
});

describe('aggregate', () => {
  const rows: ResultRow[] = [
    // strategy × lr, three seeds each; one seed of (ptu, 0.01) unfinished, one failed.
    row({ strategy: 'ptu', lr: 0.01 }, 1, 0.9),
    row({ strategy: 'ptu', lr: 0.01 }, 2, 0.8),
    row({ strategy: 'ptu', lr: 0.01 }, 3, null, 'running'),
    row({ strategy: 'ptu', lr: 0.1 }, 1, 0.5),
    row({ strategy: 'ptu', lr: 0.1 }, 2, 0.99, 'failed'),
    row({ strategy: 'finetune', lr: 0.01 }, 1, 0.6),
    row({ strategy: 'finetune', lr: 0.01 }, 2, 0.7),
    row({ strategy: 'finetune', lr: 0.01 }, 3, 0.8),
    row({ strategy: 'finetune', lr: 0.1 }, 1, null, 'pending'),
  ];

  it('averages over seeds per (row, column) tuple, counting only finished trials', () => {
    const t = aggregate(rows, { rowKeys: ['strategy'], columnKeys: ['lr'] });
    expect(t.rows).toEqual([['finetune'], ['ptu']]);
    expect(t.columns).toEqual([[0.01], [0.1]]);
    const finetune001 = t.cells[0]![0]!;
    expect(finetune001.n).toBe(3);
    expect(finetune001.mean).toBeCloseTo(0.7, 12);
    expect(finetune001.std).toBeCloseTo(0.1, 12);
    // Pending only: the cell exists in the shape but is empty.
    expect(t.cells[0]![1]).toBeNull();
    const ptu001 = t.cells[1]![0]!;
    expect(ptu001.n).toBe(2);
    expect(ptu001.mean).toBeCloseTo(0.85, 12);
    // The failed trial's value does not count.
    expect(t.cells[1]![1]).toEqual({ mean: 0.5, std: 0, n: 1 });
    expect(t.pooled).toEqual([]);
  });

  it('sorts numbers numerically, and null < booleans < numbers < strings', () => {
    const t = aggregate(
      [
        row({ a: 10 }, 1, 1),
        row({ a: 9 }, 1, 1),
        row({ a: 'x10' }, 1, 1),
        row({ a: 'x9' }, 1, 1),
        row({ a: true }, 1, 1),
        row({ a: null }, 1, 1),
        row({ a: false }, 1, 1),
      ],
      { rowKeys: ['a'], columnKeys: [] },
    );
    expect(t.rows).toEqual([[null], [false], [true], [9], [10], ['x9'], ['x10']]);
    expect(compareTuples([1, 'b'], [1, 'a'])).toBeGreaterThan(0);
  });

  it('keeps 1 and "1" apart, and treats a missing parameter as null', () => {
    const t = aggregate([row({ a: 1 }, 1, 1), row({ a: '1' }, 1, 2), row({}, 1, 3)], {
      rowKeys: ['a'],
      columnKeys: [],
    });
    expect(t.rows).toEqual([[null], [1], ['1']]);
    expect(t.cells.map((r) => r[0]?.mean)).toEqual([3, 1, 2]);
  });

  it('supports multi-key rows and columns, and no column keys at all', () => {
    const t = aggregate(
      [
        row({ arch: 'cnn', norm: 'l2', eps: 0.1 }, 1, 1),
        row({ arch: 'cnn', norm: 'linf', eps: 0.1 }, 1, 2),
        row({ arch: 'lstm', norm: 'l2', eps: 0.2 }, 1, 3),
      ],
      { rowKeys: ['arch', 'norm'], columnKeys: ['eps'] },
    );
    expect(t.rows).toEqual([
      ['cnn', 'l2'],
      ['cnn', 'linf'],
      ['lstm', 'l2'],
    ]);
    expect(t.cells).toEqual([
      [{ mean: 1, std: 0, n: 1 }, null],
      [{ mean: 2, std: 0, n: 1 }, null],
      [null, { mean: 3, std: 0, n: 1 }],
    ]);
    const flat = aggregate([row({ a: 1 }, 1, 4), row({ a: 1 }, 2, 6)], { rowKeys: ['a'], columnKeys: [] });
    expect(flat.columns).toEqual([[]]);
    expect(flat.cells[0]![0]!.mean).toBe(5);
  });

  it('reports parameters that vary but are neither rows nor columns (pooled into cells)', () => {
    const t = aggregate(
      [row({ a: 1, b: 'x', c: 0 }, 1, 1), row({ a: 1, b: 'y', c: 0 }, 1, 2)],
      { rowKeys: ['a'], columnKeys: [] },
    );
    expect(t.pooled).toEqual(['b']);
    expect(t.cells[0]![0]!.n).toBe(2);
  });

  it('ignores non-finite values', () => {
    const t = aggregate([row({ a: 1 }, 1, Number.NaN), row({ a: 1 }, 2, 2)], { rowKeys: ['a'], columnKeys: [] });
    expect(t.cells[0]![0]).toEqual({ mean: 2, std: 0, n: 1 });
  });
});
