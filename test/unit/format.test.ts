import { describe, expect, it } from 'vitest';
import type { TableModel } from '../../src/results/aggregate';
import { formatMeanStd, formatTable } from '../../src/results/format';

const model: TableModel = {
  rowKeys: ['strategy'],
  columnKeys: ['lr'],
  rows: [['finetune'], ['ptu_gates']],
  columns: [[0.01], [0.1]],
  cells: [
    [{ mean: 0.7123, std: 0.0456, n: 3 }, null],
    [{ mean: 0.8567, std: 0.01234, n: 3 }, { mean: 0.5, std: 0, n: 1 }],
  ],
  pooled: [],
};

describe('formatMeanStd', () => {
  it('rounds std to two significant digits and the mean to the same place', () => {
    expect(formatMeanStd({ mean: 0.912345, std: 0.01234 })).toEqual({ mean: '0.912', std: '0.012' });
    expect(formatMeanStd({ mean: 123.456, std: 7.89 })).toEqual({ mean: '123.5', std: '7.9' });
    expect(formatMeanStd({ mean: 12345.6, std: 789 })).toEqual({ mean: '12346', std: '789' });
  });

  it('uses `digits` significant digits of the mean when std is 0', () => {
    expect(formatMeanStd({ mean: 0.5, std: 0 })).toEqual({ mean: '0.5000', std: '0' });
    expect(formatMeanStd({ mean: 2.718281, std: 0 }, 3)).toEqual({ mean: '2.72', std: '0' });
  });

  it('switches to exponent notation for tiny values', () => {
    expect(formatMeanStd({ mean: 3.2e-6, std: 1.1e-7 })).toEqual({ mean: '3.20e-6', std: '1.1e-7' });
  });
});

describe('formatTable', () => {
  it('renders Markdown with an empty-cell dash and bolds the best cell per column', () => {
    expect(formatTable(model, { format: 'md', best: 'max' })).toBe(
      [
        '| strategy | lr=0.01 | lr=0.1 |',
        '| :-- | --: | --: |',
        '| finetune | 0.712 ± 0.046 (n=3) | — |',
        '| ptu_gates | **0.857 ± 0.012** (n=3) | **0.5000** (n=1) |',
        '',
      ].join('\n'),
    );
  });

  it('bolds the minimum with best: min', () => {
    const md = formatTable(model, { format: 'md', best: 'min' });
    expect(md).toContain('| finetune | **0.712 ± 0.046** (n=3) | — |');
    expect(md).toContain('| ptu_gates | 0.857 ± 0.012 (n=3) | **0.5000** (n=1) |');
  });

  it('renders booktabs LaTeX with escaped text', () => {
    expect(formatTable(model, { format: 'latex', best: 'max', showN: false })).toBe(
      [
        '\\begin{tabular}{lrr}',
        '\\toprule',
        'strategy & lr=0.01 & lr=0.1 \\\\',
        '\\midrule',
        'finetune & 0.712 $\\pm$ 0.046 & -- \\\\',
        'ptu\\_gates & \\textbf{0.857 $\\pm$ 0.012} & \\textbf{0.5000} \\\\',
        '\\bottomrule',
        '\\end{tabular}',
        '',
      ].join('\n'),
    );
  });

  it('renders CSV with mean, std and n columns at full precision', () => {
    expect(formatTable(model, { format: 'csv' })).toBe(
      [
        'strategy,lr=0.01 mean,lr=0.01 std,lr=0.01 n,lr=0.1 mean,lr=0.1 std,lr=0.1 n',
        'finetune,0.7123,0.0456,3,,,',
        'ptu_gates,0.8567,0.01234,3,0.5,0,1',
        '',
      ].join('\n'),
    );
  });

  it('names the value column after the metric when there are no column keys, and quotes CSV fields', () => {
    const flat: TableModel = {
      rowKeys: ['name'],
      columnKeys: [],
      rows: [['a, "b"']],
      columns: [[]],
      cells: [[{ mean: 1, std: 0, n: 1 }]],
      pooled: [],
    };
    expect(formatTable(flat, { format: 'csv', metric: 'acc' })).toBe(
      'name,acc mean,acc std,acc n\n"a, ""b""",1,0,1\n',
    );
    expect(formatTable(flat, { format: 'md', metric: 'acc' })).toContain('| name | acc |');
  });
});
