/** The report's HTML pieces: escaping, plot ids kept apart, durations, and a page that loads nothing. */
import { describe, expect, it } from 'vitest';
import { durationText } from '../../src/results/report/duration-text';
import { dataTable, escapeHtml, raw } from '../../src/results/report/html';
import type { ReportInput } from '../../src/results/report/report-model';
import { renderReport } from '../../src/results/report/render-report';
import { namespaceSvgIds } from '../../src/results/report/svg-ids';

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const at = new Date('2026-12-01T10:00:00Z');
  return {
    sweep: { id: 'sweep-x-0123', name: 'x', family: 'train', preset: null, status: 'completed', total: 2, createdAt: at, startedAt: at, finishedAt: new Date(at.getTime() + 125_000), spec: { name: 'x', note: '</pre><script>alert(1)</script>' } },
    counts: { total: 2, pending: 0, running: 0, done: 1, failed: 1, error: 0 },
    varying: ['lr'],
    tables: [],
    plots: [],
    missingPlots: [],
    provenance: { codeRevisions: [], backends: [], hosts: [], durations: { trials: 0, totalMs: 0, medianMs: null, maxMs: null } },
    environment: { node: 'v20', codeRevision: 'abc', packages: [{ name: 'vega', version: '6.4.0' }] },
    failures: { trials: [{ index: 1, seed: 2, params: { lr: 0.1 }, status: 'failed', failureKind: 'math', attempts: 1, host: 'h', error: 'TrialMathError: <NaN>\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7 not shown' }], total: 1 },
    generatedAt: at,
    ...overrides,
  };
}

describe('report HTML', () => {
  it('escapes text and leaves marked HTML alone', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(dataTable(['h<'], [['<b>', raw('<b>ok</b>'), 3, null]])).toContain('<td>&lt;b&gt;</td><td><b>ok</b></td><td class="num">3</td><td><span class="none">–</span></td>');
  });

  it('prefixes an SVG\'s ids and every reference to them', () => {
    const svg = '<svg><defs><clipPath id="clip1"><rect/></clipPath><linearGradient id="g"/></defs><g clip-path="url(#clip1)"><use href="#g"/><use xlink:href="#g"/><a href="#elsewhere"/></g></svg>';
    expect(namespaceSvgIds(svg, 'p2')).toBe(
      '<svg><defs><clipPath id="p2-clip1"><rect/></clipPath><linearGradient id="p2-g"/></defs><g clip-path="url(#p2-clip1)"><use href="#p2-g"/><use xlink:href="#p2-g"/><a href="#elsewhere"/></g></svg>',
    );
  });

  it('writes durations as a person reads them', () => {
    expect(durationText(850)).toBe('850 ms');
    expect(durationText(12_340)).toBe('12.3 s');
    expect(durationText(245_000)).toBe('4 min 05 s');
    expect(durationText(2 * 3_600_000 + 7 * 60_000)).toBe('2 h 07 min');
  });

  it('is one page that loads nothing, with user text escaped and failures cut to their first lines', () => {
    const html = renderReport(input());
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|<img/);
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;');
    expect(html).toContain('TrialMathError: &lt;NaN&gt;');
    expect(html).toContain('line 6');
    expect(html).not.toContain('line 7 not shown');
    expect(html).toContain('lr=0.1');
    expect(html).toContain('2 min 05 s');
  });

  it('inlines each plot with ids of its own', () => {
    const svg = '<svg width="10" height="10"><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>';
    const html = renderReport(input({ plots: [1, 2].map((i) => ({ name: `k${i}`, description: 'd', svg })) }));
    expect(html).toContain('id="plot1-clip1"');
    expect(html).toContain('url(#plot2-clip1)');
    expect(html.match(/<figure class="report-plot"/g)).toHaveLength(2);
  });
});
