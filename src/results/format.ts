/**
 * Renders TableModels as Markdown, LaTeX (booktabs), CSV, JSON or HTML. A cell
 * reads "mean ± std [CI low, CI high]", rounded the way results are usually
 * reported: the std to two significant digits, the mean and the interval to the
 * same decimal place; a single trial shows its value alone. n is said once per
 * table when every cell has the same, else in each cell. Best cells are bold, and
 * cells that differ significantly from the baseline row carry a marker; the
 * notes under each table say what both mean (table-notes.ts).
 */
import type { ParamValue } from '../sweep/trial';
import type { Cell, TableModel } from './aggregate';
import { bestMask, isSignificant } from './cell-marks';
import { formatJson } from './format-json';
import { confidenceInterval } from './statistics';
import { METRIC_KEY, type Best } from './table-layout';
import type { TableSet } from './table-set';
import { commonN, tableNotes } from './table-notes';

export type TableFormat = 'md' | 'latex' | 'csv' | 'json' | 'html';
export const TABLE_FORMATS: readonly TableFormat[] = ['md', 'latex', 'csv', 'json', 'html'];

export interface FormatOptions {
  format: Exclude<TableFormat, 'json'>;
  /** Header of the value columns when there are no column keys (default: the model's metric, else 'value'). */
  metric?: string;
  /** Bold the best cell(s) of each column by mean. */
  best?: Best;
  /** Significant digits of the mean of a single trial (no std to round by). Default 4. */
  digits?: number;
}

/** Decimal places that keep `digits` significant digits of `x`. */
function decimalsFor(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  return Math.min(12, Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x)))));
}

function tiny(x: number): boolean {
  return x !== 0 && Math.abs(x) < 1e-4;
}

/** "0.912 ± 0.012": std to 2 significant digits, mean to the same place. */
export function formatMeanStd(cell: Pick<Cell, 'mean' | 'std'>, digits = 4): { mean: string; std: string } {
  const { mean, std } = cell;
  if (std > 0) {
    if (tiny(std) && (tiny(mean) || mean === 0)) {
      return { mean: mean.toExponential(Math.max(1, digits - 2)), std: std.toExponential(1) };
    }
    const d = decimalsFor(std, 2);
    return { mean: mean.toFixed(d), std: std.toFixed(d) };
  }
  if (tiny(mean)) return { mean: mean.toExponential(digits - 1), std: '0' };
  return { mean: mean.toFixed(decimalsFor(mean, digits)), std: '0' };
}

/** `x` rounded like `like` (a formatted mean): the same decimal places, or the same exponent notation. */
function formatLike(like: string, x: number): string {
  const exponent = /e/i.test(like);
  const [, fraction = ''] = like.split(/e/i)[0]!.split('.');
  const text = exponent ? x.toExponential(fraction.length) : x.toFixed(fraction.length);
  return Number(text) === 0 ? text.replace(/^-/, '') : text;
}

/** The pieces of one cell's text, before a format spells them. */
export interface CellText {
  /** "mean ± std" with the format's ±, or the mean alone for a single trial. */
  readonly value: string;
  /** "[low, high]", or null for a single trial. */
  readonly interval: string | null;
  readonly n: number;
}

export function cellText(cell: Cell, digits: number, pm: string): CellText {
  const { mean, std } = formatMeanStd(cell, digits);
  const ci = confidenceInterval(cell);
  return {
    value: cell.n > 1 ? `${mean} ${pm} ${std}` : mean,
    interval: ci ? `[${formatLike(mean, ci.low)}, ${formatLike(mean, ci.high)}]` : null,
    n: cell.n,
  };
}

function valueText(v: ParamValue): string {
  return v === null ? 'null' : String(v);
}

export function columnTitle(model: TableModel, c: number, metric: string): string {
  const tuple = model.columns[c] ?? [];
  if (model.columnKeys.length === 0) return metric;
  // `--cols metric`: the metrics' names say enough.
  if (model.columnKeys.length === 1 && model.columnKeys[0] === METRIC_KEY) return valueText(tuple[0] ?? null);
  if (model.columnKeys.length === 1) return `${model.columnKeys[0]}=${valueText(tuple[0] ?? null)}`;
  return model.columnKeys.map((k, i) => `${k}=${valueText(tuple[i] ?? null)}`).join(', ');
}

/** "arch = mlp, targetSize = 300": the --by values of a table, or null. */
export function groupTitle(model: TableModel): string | null {
  if (!model.group || model.group.keys.length === 0) return null;
  return model.group.keys.map((k, i) => `${k} = ${valueText(model.group!.values[i] ?? null)}`).join(', ');
}

/** How one format spells the parts of a table. */
interface Dialect {
  /** The format's ±. */
  readonly pm: string;
  /** The significance marker after a cell's text, and before its note. */
  readonly marker: string;
  readonly noteMarker: string;
  readonly empty: string;
  escape(text: string): string;
  bold(text: string): string;
  interval(text: string): string;
  n(n: number): string;
}

function renderCell(model: TableModel, r: number, c: number, o: ResolvedOptions, mask: boolean[][], perCellN: boolean, d: Dialect): string {
  const cell = model.cells[r]![c];
  if (!cell) return d.empty;
  const text = cellText(cell, o.digits, d.pm);
  let shown = mask[r]![c] ? d.bold(text.value) : text.value;
  if (text.interval) shown += ` ${d.interval(text.interval)}`;
  if (isSignificant(model, r, c)) shown += d.marker;
  if (perCellN) shown += ` ${d.n(cell.n)}`;
  return shown;
}

const md: Dialect = {
  pm: '±',
  noteMarker: '†',
  empty: '—',
  escape: (text) => text.replace(/\|/g, '\\|'),
  bold: (text) => `**${text}**`,
  interval: (text) => text,
  n: (n) => `(n=${n})`,
  marker: ' †',
};

/** Text mode: the specials escaped, and < > spelt out (the default OT1 font prints them as ¡ ¿). */
function escapeLatex(text: string): string {
  const named: Record<string, string> = { '\\': '\\textbackslash{}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}', '<': '\\textless{}', '>': '\\textgreater{}' };
  return text.replace(/[\\&%$#_{}~^<>]/g, (ch) => named[ch] ?? `\\${ch}`);
}

const latex: Dialect = {
  pm: '$\\pm$',
  noteMarker: '$^{\\dagger}$',
  empty: '--',
  escape: escapeLatex,
  bold: (text) => `\\textbf{${text}}`,
  interval: (text) => `{\\scriptsize ${text}}`,
  n: (n) => `{\\scriptsize (n=${n})}`,
  marker: '$^{\\dagger}$',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const html: Dialect = {
  pm: '±',
  noteMarker: '<sup class="significant">†</sup>',
  empty: '—',
  escape: escapeHtml,
  bold: (text) => `<b>${text}</b>`,
  interval: (text) => `<span class="ci">${text}</span>`,
  n: (n) => `<span class="n">(n=${n})</span>`,
  marker: '<sup class="significant">†</sup>',
};

interface ResolvedOptions {
  metric: string;
  digits: number;
}

function notesIn(model: TableModel, best: Best | undefined, d: Dialect): string[] {
  return tableNotes(model, best, { pm: d.pm, marker: d.noteMarker, escape: d.escape });
}

function renderMd(model: TableModel, o: ResolvedOptions, mask: boolean[][], best: Best | undefined): string {
  const perCellN = commonN(model) === null;
  const header = [...model.rowKeys, ...model.columns.map((_, c) => columnTitle(model, c, o.metric))].map(md.escape);
  const align = [...model.rowKeys.map(() => ':--'), ...model.columns.map(() => '--:')];
  const lines = [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`];
  model.rows.forEach((tuple, r) => {
    const cells = model.columns.map((_, c) => renderCell(model, r, c, o, mask, perCellN, md));
    lines.push(`| ${[...tuple.map((v) => md.escape(valueText(v))), ...cells].join(' | ')} |`);
  });
  const notes = notesIn(model, best, md);
  return `${lines.join('\n')}\n${notes.length > 0 ? `\n${notes.join(' ')}\n` : ''}`;
}

function renderLatex(model: TableModel, o: ResolvedOptions, mask: boolean[][], best: Best | undefined): string {
  const perCellN = commonN(model) === null;
  const width = model.rowKeys.length + model.columns.length;
  const spec = `${'l'.repeat(model.rowKeys.length)}${'r'.repeat(model.columns.length)}`;
  const header = [...model.rowKeys, ...model.columns.map((_, c) => columnTitle(model, c, o.metric))].map(escapeLatex);
  const lines = [`\\begin{tabular}{${spec}}`, '\\toprule', `${header.join(' & ')} \\\\`, '\\midrule'];
  model.rows.forEach((tuple, r) => {
    const cells = model.columns.map((_, c) => renderCell(model, r, c, o, mask, perCellN, latex));
    lines.push(`${[...tuple.map((v) => escapeLatex(valueText(v))), ...cells].join(' & ')} \\\\`);
  });
  lines.push('\\bottomrule');
  for (const note of notesIn(model, best, latex)) lines.push(`\\multicolumn{${width}}{l}{\\footnotesize ${note}} \\\\`);
  lines.push('\\end{tabular}');
  return `${lines.join('\n')}\n`;
}

function renderHtml(model: TableModel, o: ResolvedOptions, mask: boolean[][], best: Best | undefined): string {
  const perCellN = commonN(model) === null;
  const title = groupTitle(model);
  const th = (text: string, scope: string) => `<th scope="${scope}">${escapeHtml(text)}</th>`;
  const lines = ['<table class="sweep-table">'];
  if (title) lines.push(`<caption>${escapeHtml(title)}</caption>`);
  lines.push(`<thead><tr>${[...model.rowKeys, ...model.columns.map((_, c) => columnTitle(model, c, o.metric))].map((t) => th(t, 'col')).join('')}</tr></thead>`, '<tbody>');
  model.rows.forEach((tuple, r) => {
    const keys = tuple.map((v) => th(valueText(v), 'row')).join('');
    const cells = model.columns.map((_, c) => `<td>${renderCell(model, r, c, o, mask, perCellN, html)}</td>`).join('');
    lines.push(`<tr>${keys}${cells}</tr>`);
  });
  lines.push('</tbody>', '</table>');
  const notes = notesIn(model, best, html);
  if (notes.length > 0) lines.push(`<p class="sweep-table-note">${notes.join(' ')}</p>`);
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV is for further processing: per column its mean, std, 95 % interval and n at
 * full precision (and, against a baseline, p and the test), no bolding, no notes.
 */
function renderCsv(model: TableModel, o: ResolvedOptions): string {
  const tested = model.comparison !== undefined;
  const header = [
    ...model.rowKeys,
    ...model.columns.flatMap((_, c) => {
      const title = columnTitle(model, c, o.metric);
      const fields = ['mean', 'std', 'ci95 low', 'ci95 high', 'n', ...(tested ? ['p', 'test'] : [])];
      return fields.map((f) => `${title} ${f}`);
    }),
  ];
  const lines = [header.map(csvField).join(',')];
  model.rows.forEach((tuple, r) => {
    const cells = model.columns.flatMap((_, c) => {
      const cell = model.cells[r]![c];
      const test = model.comparison?.tests[r]?.[c] ?? null;
      const testFields = tested ? [test ? String(test.p) : '', test?.test ?? ''] : [];
      if (!cell) return ['', '', '', '', '', ...testFields];
      const ci = confidenceInterval(cell);
      return [String(cell.mean), String(cell.std), ci ? String(ci.low) : '', ci ? String(ci.high) : '', String(cell.n), ...testFields];
    });
    lines.push([...tuple.map(valueText), ...cells].map(csvField).join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** One table in a text format (the title of its --by group is added by formatTables). */
export function formatTable(model: TableModel, options: FormatOptions): string {
  const o: ResolvedOptions = { metric: options.metric ?? model.metric ?? 'value', digits: options.digits ?? 4 };
  const mask = bestMask(model, options.best);
  switch (options.format) {
    case 'md':
      return renderMd(model, o, mask, options.best);
    case 'latex':
      return renderLatex(model, o, mask, options.best);
    case 'csv':
      return renderCsv(model, o);
    case 'html':
      return renderHtml(model, o, mask, options.best);
  }
}

function titled(table: string, model: TableModel, format: Exclude<TableFormat, 'json'>): string {
  const title = groupTitle(model);
  if (!title || format === 'html') return table;
  if (format === 'latex') return `% ${title}\n${table}`;
  if (format === 'csv') return `# ${title}\n${table}`;
  return `**${title}**\n\n${table}`;
}

function sectionHeading(metric: string, format: Exclude<TableFormat, 'json'>): string {
  switch (format) {
    case 'md':
      return `### ${metric}\n\n`;
    case 'latex':
      return `% ${metric}\n`;
    case 'csv':
      return `# ${metric}\n`;
    case 'html':
      return `<h3>${escapeHtml(metric)}</h3>\n`;
  }
}

/** The whole output of `sweep table`: every section's tables, headed by their metric when there are several. */
export function formatTables(set: TableSet, format: TableFormat): string {
  if (format === 'json') return formatJson(set);
  const headed = set.sections.length > 1;
  return set.sections
    .map((section) => {
      const body = section.tables
        .map((model) => titled(formatTable(model, { format, best: set.layout.best, metric: section.metric ?? 'value' }), model, format))
        .join('\n');
      return headed && section.metric !== null ? `${sectionHeading(section.metric, format)}${body}` : body;
    })
    .join('\n');
}
