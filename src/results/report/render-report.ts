/**
 * A sweep report as one self-contained HTML page: inline CSS and inline SVG,
 * no script, and a Content-Security-Policy that lets the page load nothing
 * from anywhere, so it reads the same offline, attached to a mail or archived
 * next to a paper. Sections: overview, tables, plots, failed trials,
 * reproducibility, the sweep as submitted.
 */
import { durationText } from './duration-text';
import { dataTable, escapeHtml, raw } from './html';
import type { FailedTrial, ReportInput } from './report-model';
import { REPORT_CSS } from './report-style';
import { namespaceSvgIds } from './svg-ids';

/** Lines of a failure's message shown in the report (the first lines name the error; the rest is mostly its stack). */
const ERROR_LINES = 6;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function dateText(date: Date | null): string {
  return date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '–';
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function facts(entries: readonly [string, string][]): string {
  return `<dl class="facts">${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function overview(input: ReportInput): string {
  const { sweep, counts } = input;
  const end = sweep.finishedAt ?? (sweep.status === 'running' ? input.generatedAt : null);
  const wall = sweep.startedAt && end ? durationText(end.getTime() - sweep.startedAt.getTime()) + (sweep.finishedAt ? '' : ' so far') : '–';
  const countText = (['done', 'failed', 'error', 'running', 'pending'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`)
    .join(', ');
  return facts([
    ['sweep id', sweep.id],
    ['family', sweep.family],
    ['preset', sweep.preset ?? '–'],
    ['status', sweep.status],
    ['trials', `${counts.total}${countText ? ` (${countText})` : ''}`],
    ['varying parameters', input.varying.length > 0 ? input.varying.join(', ') : 'none'],
    ['submitted', dateText(sweep.createdAt)],
    ['started', dateText(sweep.startedAt)],
    ['finished', dateText(sweep.finishedAt)],
    ['wall time', wall],
  ]);
}

function tablesSection(input: ReportInput): string {
  if (input.tables.length === 0) return '<p class="note">No table: no finished trial has a tabulated metric yet.</p>';
  return input.tables.map((t) => `<div class="report-table">\n<h3>${escapeHtml(t.title)}</h3>\n${t.html}\n</div>`).join('\n');
}

function plotsSection(input: ReportInput): string {
  const figures = input.plots.map(
    (p, i) =>
      `<figure class="report-plot" id="plot-${escapeHtml(p.name)}">\n${namespaceSvgIds(p.svg, `plot${i + 1}`)}\n` +
      `<figcaption><strong>${escapeHtml(p.name)}</strong>: ${escapeHtml(p.description)}</figcaption>\n</figure>`,
  );
  const missing = input.missingPlots.map((m) => `<li><strong>${escapeHtml(m.name)}</strong>: ${escapeHtml(m.reason)}</li>`);
  return [
    ...figures,
    ...(missing.length > 0 ? [`<p class="note">Not drawn:</p><ul class="note">${missing.join('')}</ul>`] : []),
    ...(figures.length === 0 && missing.length === 0 ? ['<p class="note">This family has no plot kinds.</p>'] : []),
  ].join('\n');
}

function paramsText(trial: FailedTrial, keys: readonly string[]): string {
  return keys.map((k) => `${k}=${String(trial.params[k] ?? '–')}`).join(', ');
}

function failuresSection(input: ReportInput): string {
  const { trials, total } = input.failures;
  if (total === 0) return '<p class="note">No trial failed.</p>';
  const rows = trials.map((t) => [
    t.index,
    raw(`<span class="status-${escapeHtml(t.status)}">${escapeHtml(t.status)}</span>`),
    t.failureKind,
    t.attempts,
    t.host,
    t.seed,
    input.varying.length > 0 ? paramsText(t, input.varying) : '–',
    t.error === null ? null : raw(`<pre class="error">${escapeHtml(t.error.split('\n').slice(0, ERROR_LINES).join('\n'))}</pre>`),
  ]);
  const head = ['#', 'status', 'failure kind', 'attempts', 'host', 'seed', 'parameters', 'error (first lines)'];
  const more = total > trials.length ? `<p class="note">The first ${trials.length} of ${total} are shown; \`sweep trials\` lists them all.</p>` : '';
  return (
    '<p class="note"><strong>failed</strong>: the trial\'s math or input failed (final, not retried); ' +
    '<strong>error</strong>: an infrastructure fault after retries (rerun by the next submission).</p>\n' +
    dataTable(head, rows, 'data failures') +
    more
  );
}

function reproducibilitySection(input: ReportInput): string {
  const { codeRevisions, backends, hosts, durations } = input.provenance;
  const env = input.environment;
  const parts = [
    '<h3>Code</h3>',
    dataTable(
      ['code revision (git)', 'code version', 'trials'],
      codeRevisions.map((r) => [r.codeRevision, r.codeVersion, r.trials]),
    ),
    '<h3>Backends</h3>',
    dataTable(
      ['backend', 'version', 'device', 'finished trials'],
      backends.map((b) => [b.backend, b.backendVersion, b.device, b.trials]),
    ),
    '<h3>Hosts</h3>',
    dataTable(['host', 'trials'], hosts.map((h) => [h.host, h.trials])),
    '<h3>Durations</h3>',
    dataTable(
      ['finished trials', 'total trial time', 'median', 'max', 'sweep wall time'],
      [
        [
          durations.trials,
          durationText(durations.totalMs),
          durations.medianMs === null ? null : durationText(durations.medianMs),
          durations.maxMs === null ? null : durationText(durations.maxMs),
          input.sweep.startedAt && input.sweep.finishedAt ? durationText(input.sweep.finishedAt.getTime() - input.sweep.startedAt.getTime()) : null,
        ],
      ],
    ),
    '<h3>Where this report was made</h3>',
    `<p class="note">Node and the installed packages of the checkout that wrote the report (trials record their own backend and revision above).</p>`,
    dataTable(
      ['component', 'version'],
      [['node', env.node], ['sweeplab checkout', env.codeRevision], ...env.packages.map((p) => [p.name, p.version ?? 'not installed'] as [string, string])],
    ),
  ];
  return parts.join('\n');
}

export function renderReport(input: ReportInput): string {
  const { sweep } = input;
  const sections: [string, string, string][] = [
    ['overview', 'Overview', overview(input)],
    ['tables', 'Tables', tablesSection(input)],
    ['plots', 'Plots', plotsSection(input)],
    ['failures', `Failed trials (${input.failures.total})`, failuresSection(input)],
    ['reproducibility', 'Reproducibility', reproducibilitySection(input)],
    ['spec', 'The sweep as submitted', `<pre class="spec">${escapeHtml(JSON.stringify(sweep.spec, null, 2))}</pre>`],
  ];
  const nav = `<nav><ul>${sections.map(([id, title]) => `<li><a href="#${id}">${escapeHtml(title)}</a></li>`).join('')}</ul></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${sweep.name} · sweep report`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(sweep.name)}</h1>
<p class="subtitle">sweeplab report of ${escapeHtml(sweep.id)} (${escapeHtml(sweep.family)}), written ${escapeHtml(dateText(input.generatedAt))}</p>
${nav}
${sections.map(([id, title, body]) => section(id, title, body)).join('\n')}
</main>
</body>
</html>
`;
}
