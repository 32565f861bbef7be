/**
 * Renders a TableModel as Markdown, LaTeX (booktabs) or CSV. Cells read
 * "mean ± std (n=k)", rounded the way results are usually reported: the std to
 * two significant digits and the mean to the same decimal place.
 */
import type { ParamValue } from '../sweep/trial';
import type { Cell, TableModel } from './aggregate';

export type TableFormat = 'md' | 'latex' | 'csv';

export interface FormatOptions {
  format: TableFormat;
  /** Header of the value columns when there are no column keys (e.g. the metric's name). */
  metric?: string;
  /** Bold the best cell(s) of each column by mean. */
  best?: 'max' | 'min';
  /** Significant digits of the mean when the std is 0 (single trial). Default 4. */
  digits?: number;
  /** Show "(n=k)" after each cell. Default true. */
  showN?: boolean;
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

/** "mean ± std", or the mean alone for a single trial: "± 0" would claim a spread one seed cannot show. */
function cellText(cell: Cell, digits: number, pm: string): string {
  const { mean, std } = formatMeanStd(cell, digits);
  return cell.n > 1 ? `${mean} ${pm} ${std}` : mean;
}

function valueText(v: ParamValue): string {
  return v === null ? 'null' : String(v);
}

function columnTitle(model: TableModel, c: number, metric: string): string {
  const tuple = model.columns[c] ?? [];
  if (model.columnKeys.length === 0) return metric;
  if (model.columnKeys.length === 1) return `${model.columnKeys[0]}=${valueText(tuple[0] ?? null)}`;
  return model.columnKeys.map((k, i) => `${k}=${valueText(tuple[i] ?? null)}`).join(', ');
}

/** best[r][c]: whether cell (r, c) holds its column's best mean (ties all count). */
function bestMask(model: TableModel, best: 'max' | 'min' | undefined): boolean[][] {
  const mask = model.cells.map((row) => row.map(() => false));
  if (!best) return mask;
  for (let c = 0; c < model.columns.length; c++) {
    const means = model.cells.map((row) => row[c]?.mean).filter((m): m is number => m !== undefined);
    if (means.length === 0) continue;
    const target = best === 'max' ? Math.max(...means) : Math.min(...means);
    model.cells.forEach((row, r) => {
      if (row[c]?.mean === target) mask[r]![c] = true;
    });
  }
  return mask;
}

function escapeMd(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function escapeLatex(text: string): string {
  return text.replace(/[\\&%$#_{}~^]/g, (ch) => {
    if (ch === '\\') return '\\textbackslash{}';
    if (ch === '~') return '\\textasciitilde{}';
    if (ch === '^') return '\\textasciicircum{}';
    return `\\${ch}`;
  });
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function renderMd(model: TableModel, o: Required<Omit<FormatOptions, 'best'>>, mask: boolean[][]): string {
  const header = [...model.rowKeys, ...model.columns.map((_, c) => columnTitle(model, c, o.metric))].map(escapeMd);
  const align = [...model.rowKeys.map(() => ':--'), ...model.columns.map(() => '--:')];
  const lines = [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`];
  model.rows.forEach((tuple, r) => {
    const cells = model.cells[r]!.map((cell, c) => {
      if (!cell) return '—';
      const text = cellText(cell, o.digits, '±');
      const shown = mask[r]![c] ? `**${text}**` : text;
      return o.showN ? `${shown} (n=${cell.n})` : shown;
    });
    lines.push(`| ${[...tuple.map((v) => escapeMd(valueText(v))), ...cells].join(' | ')} |`);
  });
  return `${lines.join('\n')}\n`;
}

function renderLatex(model: TableModel, o: Required<Omit<FormatOptions, 'best'>>, mask: boolean[][]): string {
  const spec = `${'l'.repeat(model.rowKeys.length)}${'r'.repeat(model.columns.length)}`;
  const header = [...model.rowKeys, ...model.columns.map((_, c) => columnTitle(model, c, o.metric))].map(escapeLatex);
  const lines = [`\\begin{tabular}{${spec}}`, '\\toprule', `${header.join(' & ')} \\\\`, '\\midrule'];
  model.rows.forEach((tuple, r) => {
    const cells = model.cells[r]!.map((cell, c) => {
      if (!cell) return '--';
      const text = cellText(cell, o.digits, '$\\pm$');
      const shown = mask[r]![c] ? `\\textbf{${text}}` : text;
      return o.showN ? `${shown} \\scriptsize{(n=${cell.n})}` : shown;
    });
    lines.push(`${[...tuple.map((v) => escapeLatex(valueText(v))), ...cells].join(' & ')} \\\\`);
  });
  lines.push('\\bottomrule', '\\end{tabular}');
  return `${lines.join('\n')}\n`;
}

/**
 * CSV is for further processing, so each column becomes three (mean, std, n)
 * at full precision, and there is no bolding.
 */
function renderCsv(model: TableModel, o: Required<Omit<FormatOptions, 'best'>>): string {
  const header = [
    ...model.rowKeys,
    ...model.columns.flatMap((_, c) => {
      const title = columnTitle(model, c, o.metric);
      return [`${title} mean`, `${title} std`, `${title} n`];
    }),
  ];
  const lines = [header.map(csvField).join(',')];
  model.rows.forEach((tuple, r) => {
    const cells = model.cells[r]!.flatMap((cell) => (cell ? [String(cell.mean), String(cell.std), String(cell.n)] : ['', '', '']));
    lines.push([...tuple.map(valueText), ...cells].map(csvField).join(','));
  });
  return `${lines.join('\n')}\n`;
}

export function formatTable(model: TableModel, options: FormatOptions): string {
  const o = { format: options.format, metric: options.metric ?? 'value', digits: options.digits ?? 4, showN: options.showN ?? true };
  const mask = bestMask(model, options.best);
  switch (options.format) {
    case 'md':
      return renderMd(model, o, mask);
    case 'latex':
      return renderLatex(model, o, mask);
    case 'csv':
      return renderCsv(model, o);
  }
}
