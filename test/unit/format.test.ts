import { describe, expect, it } from 'vitest';
import type { TableModel } from '../../src/results/aggregate';
import { formatMeanStd, formatTable, formatTables } from '../../src/results/format';
import type { TableSet } from '../../src/results/table-set';

// ci: 0.7123 ± t(0.975, 2)·0.0456/√3 = ± 0.11328; 0.8567 ± 0.03065.
const model: TableModel = {
  rowKeys: ['strategy'],
  columnKeys: ['lr'],
  rows: [['finetune'], ['ptu_gates']],
  columns: [[0.01], [0.1]],
  cells: [
    [{ mean: 0.7123, std: 0.0456, n: 3 }, null],
    [{ mean: 0.8567, std: 0.01234, n: 3 }, { mean: 0.5, std: 0.1, n: 3 }],
  ],
  pooled: [],
};

/** The same, with ptu_gates tested against finetune: significant in the first column only. */
const tested: TableModel = {
  ...model,
  comparison: {
    against: [['strategy', 'finetune']],
    baselineRow: [0, 0],
    tests: [
      [null, null],
      [{ test: 'paired', t: 6.1, df: 2, p: 0.026 }, null],
    ],
  },
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
  it('renders Markdown: mean ± std [95 % CI], n once under the table, an empty-cell dash, the best cell per column bold', () => {
    expect(formatTable(model, { format: 'md', best: 'max' })).toBe(
      [
        '| strategy | lr=0.01 | lr=0.1 |',
        '| :-- | --: | --: |',
        '| finetune | 0.712 ± 0.046 [0.599, 0.826] | — |',
        '| ptu_gates | **0.857 ± 0.012** [0.826, 0.887] | **0.50 ± 0.10** [0.25, 0.75] |',
        '',
        'mean ± std [95 % CI, t-based] over n = 3 per cell. Bold: the highest mean of each column.',
        '',
      ].join('\n'),
    );
  });

  it('bolds the minimum with best: min', () => {
    const md = formatTable(model, { format: 'md', best: 'min' });
    expect(md).toContain('| finetune | **0.712 ± 0.046** [0.599, 0.826] | — |');
    expect(md).toContain('| ptu_gates | 0.857 ± 0.012 [0.826, 0.887] | **0.50 ± 0.10** [0.25, 0.75] |');
    expect(md).toContain('Bold: the lowest mean of each column.');
  });

  it('shows a single trial as its value alone, and says n = 1 once rather than in every cell', () => {
    const single: TableModel = { ...model, cells: [[{ mean: 0.7123, std: 0, n: 1 }, null], [{ mean: 0.8567, std: 0, n: 1 }, { mean: 0.5, std: 0, n: 1 }]] };
    const md = formatTable(single, { format: 'md' });
    expect(md).toContain('| finetune | 0.7123 | — |');
    expect(md).not.toContain('± 0');
    expect(md).not.toContain('(n=1)');
    expect(md).toContain('n = 1 per cell (one trial each): means only');
  });

  it('states n in each cell when the cells differ in n', () => {
    const mixed: TableModel = { ...model, cells: [[{ mean: 0.7123, std: 0.0456, n: 3 }, null], [{ mean: 0.8567, std: 0, n: 1 }, { mean: 0.5, std: 0.1, n: 2 }]] };
    const md = formatTable(mixed, { format: 'md' });
    expect(md).toContain('| finetune | 0.712 ± 0.046 [0.599, 0.826] (n=3) | — |');
    expect(md).toContain('| ptu_gates | 0.8567 (n=1) | 0.50 ± 0.10 [-0.40, 1.40] (n=2) |');
    expect(md).toContain('mean ± std [95 % CI, t-based], n per cell.');
  });

  it('marks cells that differ significantly from the baseline, and says with which test and threshold', () => {
    const md = formatTable(tested, { format: 'md' });
    expect(md).toContain('| finetune | 0.712 ± 0.046 [0.599, 0.826] | — |');
    expect(md).toContain('| ptu_gates | 0.857 ± 0.012 [0.826, 0.887] † | 0.50 ± 0.10 [0.25, 0.75] |');
    expect(md).toContain('† p < 0.05 against strategy=finetune in the same column (paired t-test over seeds, two-sided).');
    const untestable: TableModel = { ...tested, comparison: { ...tested.comparison!, tests: [[null, null], [null, null]] } };
    expect(formatTable(untestable, { format: 'md' })).toContain('No cell could be tested against strategy=finetune');
  });

  it('renders booktabs LaTeX: escaped text, \\textbf for the best, the CI small, notes under \\bottomrule', () => {
    const withArrow: TableModel = { ...tested, columnKeys: ['pair'], columns: [['a->b_c'], ['x&y']] };
    expect(formatTable(withArrow, { format: 'latex', best: 'max' })).toBe(
      [
        '\\begin{tabular}{lrr}',
        '\\toprule',
        'strategy & pair=a-\\textgreater{}b\\_c & pair=x\\&y \\\\',
        '\\midrule',
        'finetune & 0.712 $\\pm$ 0.046 {\\scriptsize [0.599, 0.826]} & -- \\\\',
        'ptu\\_gates & \\textbf{0.857 $\\pm$ 0.012} {\\scriptsize [0.826, 0.887]}$^{\\dagger}$ & \\textbf{0.50 $\\pm$ 0.10} {\\scriptsize [0.25, 0.75]} \\\\',
        '\\bottomrule',
        '\\multicolumn{3}{l}{\\footnotesize mean $\\pm$ std [95 \\% CI, t-based] over n = 3 per cell.} \\\\',
        '\\multicolumn{3}{l}{\\footnotesize Bold: the highest mean of each column.} \\\\',
        '\\multicolumn{3}{l}{\\footnotesize $^{\\dagger}$ p \\textless{} 0.05 against strategy=finetune in the same column (paired t-test over seeds, two-sided).} \\\\',
        '\\end{tabular}',
        '',
      ].join('\n'),
    );
  });

  it('renders CSV with mean, std, the 95 % interval and n at full precision, and p and the test against a baseline', () => {
    expect(formatTable(model, { format: 'csv' })).toBe(
      [
        'strategy,lr=0.01 mean,lr=0.01 std,lr=0.01 ci95 low,lr=0.01 ci95 high,lr=0.01 n,lr=0.1 mean,lr=0.1 std,lr=0.1 ci95 low,lr=0.1 ci95 high,lr=0.1 n',
        'finetune,0.7123,0.0456,0.599023320344185,0.825576679655815,3,,,,,',
        'ptu_gates,0.8567,0.01234,0.826045740637001,0.887354259362999,3,0.5,0.1,0.25158622882496695,0.748413771175033,3',
        '',
      ].join('\n'),
    );
    const csv = formatTable(tested, { format: 'csv' }).split('\n');
    expect(csv[0]).toContain('lr=0.01 n,lr=0.01 p,lr=0.01 test,lr=0.1 mean');
    expect(csv[1]).toBe('finetune,0.7123,0.0456,0.599023320344185,0.825576679655815,3,,,,,,,,,');
    expect(csv[2]).toMatch(/^ptu_gates,0\.8567,[^,]+,[^,]+,[^,]+,3,0\.026,paired,0\.5,/);
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
    expect(formatTable(flat, { format: 'csv', metric: 'acc' })).toBe('name,acc mean,acc std,acc ci95 low,acc ci95 high,acc n\n"a, ""b""",1,0,,,1\n');
    expect(formatTable(flat, { format: 'md', metric: 'acc' })).toContain('| name | acc |');
    // --cols metric: the metrics' names head the columns.
    const side: TableModel = { ...flat, columnKeys: ['metric'], columns: [['acc'], ['loss']], cells: [[{ mean: 1, std: 0, n: 1 }, null]] };
    expect(formatTable(side, { format: 'md' })).toContain('| name | acc | loss |');
  });

  it('renders an HTML fragment for reports, escaped, with the --by values as its caption', () => {
    const html = formatTable({ ...tested, group: { keys: ['arch'], values: ['<mlp>'] } }, { format: 'html', best: 'max' });
    expect(html).toContain('<table class="sweep-table">\n<caption>arch = &lt;mlp&gt;</caption>');
    expect(html).toContain('<th scope="row">ptu_gates</th><td><b>0.857 ± 0.012</b> <span class="ci">[0.826, 0.887]</span><sup class="significant">†</sup></td>');
    expect(html).toContain('<p class="sweep-table-note">mean ± std [95 % CI, t-based] over n = 3 per cell.');
    expect(html).toContain('<sup class="significant">†</sup> p &lt; 0.05 against strategy=finetune');
  });
});

describe('formatTables', () => {
  const set: TableSet = {
    sweepId: 'sweep-x-1',
    layout: { best: 'max' },
    sections: [
      { metric: 'acc', tables: [{ ...tested, metric: 'acc', group: { keys: ['arch'], values: ['mlp'] } }, { ...model, metric: 'acc', group: { keys: ['arch'], values: ['cnn'] } }] },
      { metric: 'loss', tables: [{ ...model, metric: 'loss', group: { keys: ['arch'], values: ['mlp'] } }] },
    ],
  };

  it('heads each metric’s tables when there are several, and titles each --by table', () => {
    const md = formatTables(set, 'md');
    expect(md.startsWith('### acc\n\n**arch = mlp**\n\n| strategy |')).toBe(true);
    expect(md).toContain('\n### loss\n\n**arch = mlp**\n\n');
    expect(formatTables(set, 'csv')).toContain('# acc\n# arch = mlp\nstrategy,');
    expect(formatTables(set, 'latex')).toContain('% loss\n% arch = mlp\n\\begin{tabular}');
  });

  it('renders JSON as one document: every table with its cells’ mean, std, interval, n, best mark and test', () => {
    const doc = JSON.parse(formatTables(set, 'json'));
    expect(doc.sweep).toBe('sweep-x-1');
    expect(doc.tables).toHaveLength(3);
    const [first, second] = doc.tables;
    expect(first).toMatchObject({
      metric: 'acc',
      group: { arch: 'mlp' },
      rowKeys: ['strategy'],
      columnKeys: ['lr'],
      rows: [['finetune'], ['ptu_gates']],
      columns: [[0.01], [0.1]],
      n: 3,
      confidence: 0.95,
      baseline: { against: { strategy: 'finetune' }, significance: 0.05, rows: [0, 0] },
    });
    expect(first.cells[0][1]).toBeNull();
    expect(first.cells[1][0]).toEqual({
      mean: 0.8567,
      std: 0.01234,
      n: 3,
      ciLow: 0.826045740637001,
      ciHigh: 0.887354259362999,
      best: true,
      test: 'paired',
      p: 0.026,
      significant: true,
    });
    expect(first.cells[0][0]).toMatchObject({ best: false, test: null, p: null, significant: false });
    // Without a baseline there are no test fields.
    expect(Object.keys(second.cells[0][0]).sort()).toEqual(['best', 'ciHigh', 'ciLow', 'mean', 'n', 'std']);
    expect(second.baseline).toBeNull();
  });
});
