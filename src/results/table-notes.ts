/**
 * What a reader of a table needs to know that its cells do not repeat: what a
 * cell shows and over how many trials (n once, when every cell has the same),
 * what bold means, and what the significance marker means (test, threshold,
 * baseline). The same facts in every format; each format spells ± and the marker.
 */
import type { TableModel } from './aggregate';
import { CONFIDENCE, SIGNIFICANCE } from './statistics';
import type { Best } from './table-layout';

/** n of every non-empty cell when they all agree, else null (then each cell states its own). */
export function commonN(model: TableModel): number | null {
  const ns = new Set(model.cells.flat().flatMap((cell) => (cell ? [cell.n] : [])));
  return ns.size === 1 ? [...ns][0]! : null;
}

/** How a format spells the notes: its ± and significance marker, and how it escapes text. */
export interface NoteDialect {
  readonly pm: string;
  readonly marker: string;
  escape(text: string): string;
}

/** The table's notes, one sentence each, ready for the format. */
export function tableNotes(model: TableModel, best: Best | undefined, d: NoteDialect): string[] {
  const notes: string[] = [];
  const n = commonN(model);
  const stat = `${d.escape('mean ')}${d.pm}${d.escape(` std [${Math.round(CONFIDENCE * 100)} % CI, t-based]`)}`;
  if (n === 1) notes.push(d.escape('n = 1 per cell (one trial each): means only, no spread to estimate.'));
  else if (n !== null) notes.push(`${stat}${d.escape(` over n = ${n} per cell.`)}`);
  else if (model.cells.flat().some((c) => c !== null)) notes.push(`${stat}${d.escape(', n per cell.')}`);
  if (best) notes.push(d.escape(`Bold: the ${best === 'max' ? 'highest' : 'lowest'} mean of each column.`));
  const comparison = model.comparison;
  if (comparison) {
    const against = comparison.against.map(([k, v]) => `${k}=${v}`).join(', ');
    const kinds = new Set(comparison.tests.flat().flatMap((t) => (t ? [t.test] : [])));
    const test =
      kinds.size === 0
        ? null
        : kinds.size === 2
          ? "paired t-test over seeds where both cells have one trial per seed for the same seeds, else Welch's t-test"
          : kinds.has('paired')
            ? 'paired t-test over seeds'
            : "Welch's t-test";
    if (test) notes.push(`${d.marker}${d.escape(` p < ${SIGNIFICANCE} against ${against} in the same column (${test}, two-sided).`)}`);
    else notes.push(d.escape(`No cell could be tested against ${against} (a test needs at least two trials on each side).`));
  }
  return notes;
}
