/** Which cells a table marks: the best of each column (bold), and those that differ significantly from their baseline. */
import type { TableModel } from './aggregate';
import { SIGNIFICANCE } from './statistics';
import type { Best } from './table-layout';

/** best[r][c]: whether cell (r, c) holds its column's best mean (ties all count). */
export function bestMask(model: TableModel, best: Best | undefined): boolean[][] {
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

/** Whether cell (r, c) differs from its baseline with p below the threshold. */
export function isSignificant(model: TableModel, r: number, c: number): boolean {
  const test = model.comparison?.tests[r]?.[c];
  return test !== null && test !== undefined && test.p < SIGNIFICANCE;
}
