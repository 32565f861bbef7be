/**
 * A named results table of a study (`sweep table SWEEP --preset NAME`): the
 * `sweep table` flags, written once in the family's folder (`<family>/tables.ts`)
 * next to the experiment whose metrics they name. Light: the CLI imports it.
 */
import type { ParamValue } from '../sweep/trial';

export interface TablePreset {
  /** One line: which table of the paper this is. */
  readonly description: string;
  /** --rows: parameters (or per-step metrics such as eps, or `metric`) whose values make the rows. */
  readonly rows: readonly string[];
  /** --cols: ... the columns (`metric`: the metrics side by side). */
  readonly cols?: readonly string[];
  /** --by: one table per value of these. */
  readonly by?: readonly string[];
  /** --where: only trials with these parameter values. */
  readonly where?: Readonly<Record<string, ParamValue>>;
  /** --metric: what the cells hold. */
  readonly metric: readonly string[];
  /** --best: bold the largest or smallest mean of each column. */
  readonly best?: 'max' | 'min';
  /** --baseline: the row every cell is tested against. */
  readonly baseline?: Readonly<Record<string, ParamValue>>;
}

/** A family's presets by name; conventionally `paper` is the paper's main table. */
export type TablePresets = Readonly<Record<string, TablePreset>>;
