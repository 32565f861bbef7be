/** Everything one `sweep table` prints, as models: a section per metric, a table per --by group. */
import type { TableModel } from './aggregate';
import type { Best } from './table-layout';

/** The tables of one metric (null: the metrics are a key of the tables). */
export interface TableSection {
  readonly metric: string | null;
  readonly tables: readonly TableModel[];
}

export interface TableSet {
  readonly sweepId: string;
  readonly layout: { readonly best?: Best };
  readonly sections: readonly TableSection[];
}
