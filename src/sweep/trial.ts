/**
 * One trial: a family, its fully-defaulted parameters and a seed. A trial is a
 * pure function of these, so its key (a hash of the three) identifies its result
 * across sweeps: a trial another sweep already finished is linked, not rerun.
 */
export type ParamValue = string | number | boolean | null;
export type TrialParams = Record<string, ParamValue>;

export interface TrialSpec {
  /** sha256 hex of the canonical JSON of { family, codeVersion, params, seed } (key.ts). */
  readonly key: string;
  readonly family: string;
  /** Version of the code that computes it (part of the key), recorded on the trial row. */
  readonly codeVersion: string;
  readonly params: TrialParams;
  readonly seed: number;
  /** Position in the sweep's deterministic expansion order. */
  readonly index: number;
}
