/**
 * A TableModel (results/aggregate.ts) as an HTML table with "mean ± std" cells
 * and their n: the interim tables of `sweep report` (cli/report-tables.ts) until
 * the table presets of issue 13 part A render them.
 */
import type { TableModel } from '../aggregate';
import { formatMeanStd } from '../format';
import { dataTable, raw } from './html';

export function tableModelHtml(model: TableModel): string {
  const head = [...(model.rowKeys.length > 0 ? model.rowKeys : ['']), ...model.columns.map((c) => c.map(String).join(', '))];
  const rows = model.rows.map((tuple, r) => [
    ...(model.rowKeys.length > 0 ? tuple.map(String) : ['all trials']),
    ...model.cells[r]!.map((cell) => {
      if (!cell) return null;
      const { mean, std } = formatMeanStd(cell);
      return raw(`${cell.n > 1 ? `${mean} ± ${std}` : mean} <span class="none">(n=${cell.n})</span>`);
    }),
  ]);
  return dataTable(head, rows, 'data results');
}
