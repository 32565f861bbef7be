/**
 * The statistics of a results table, from per-cell summaries (n, mean, sample
 * std) rather than raw values, since the cells are aggregated in SQL: the 95 %
 * confidence interval of a cell's mean, and the tests of a cell against its
 * baseline (a paired t-test over seeds, or Welch's unequal-variance t-test).
 *
 * Student's t distribution comes from @stdlib (pinned exactly in package.json):
 * each function is its own small package, typed, actively maintained, and
 * tested against reference values (its incomplete beta function follows
 * Boost's), where jstat has had no release since 2022 and ships no types.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** The confidence level of every interval in a table. */
export const CONFIDENCE = 0.95;
/** A difference from the baseline is marked significant below this p. */
export const SIGNIFICANCE = 0.05;

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** mean ± t(0.975, n − 1)·s/√n; null for a single value, which has no spread to estimate. */
export function confidenceInterval(cell: Summary, level = CONFIDENCE): Interval | null {
  if (cell.n < 2) return null;
  const half = tQuantile(1 - (1 - level) / 2, cell.n - 1) * (cell.std / Math.sqrt(cell.n));
  return { low: cell.mean - half, high: cell.mean + half };
}

export type TestKind = 'paired' | 'welch';

export interface TestResult {
  readonly test: TestKind;
  readonly t: number;
  readonly df: number;
  /** Two-sided. */
  readonly p: number;
}

/** Two-sided p of a t statistic; cdf(−|t|) rather than 1 − cdf(|t|) keeps small p exact. */
function twoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/**
 * t = difference / standard error. Without spread (se = 0) a nonzero difference
 * is t = ±∞, p = 0 and no difference has no test at all, as scipy.stats decides.
 */
function tTest(test: TestKind, difference: number, se: number, df: number): TestResult | null {
  if (se > 0) {
    const t = difference / se;
    return { test, t, df, p: twoSidedP(t, df) };
  }
  return difference === 0 ? null : { test, t: difference > 0 ? Infinity : -Infinity, df, p: 0 };
}

/**
 * Paired t-test from the per-seed differences (cell − baseline): their count,
 * mean and sample std. Null with fewer than two pairs.
 */
export function pairedTTest(differences: Summary): TestResult | null {
  const { n, mean, std } = differences;
  if (n < 2) return null;
  return tTest('paired', mean, std / Math.sqrt(n), n - 1);
}

/**
 * Welch's t-test of a against b, with the Welch–Satterthwaite degrees of
 * freedom. Null with fewer than two values on either side.
 */
export function welchTTest(a: Summary, b: Summary): TestResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = (a.std * a.std) / a.n;
  const vb = (b.std * b.std) / b.n;
  const se2 = va + vb;
  // Neither side varies: the degrees of freedom are undefined (0/0); report the pooled ones.
  const df = se2 > 0 ? (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1)) : a.n + b.n - 2;
  return tTest('welch', a.mean - b.mean, Math.sqrt(se2), df);
}

/** What the database says about how a cell's trials pair with its baseline's by seed. */
export interface SeedPairing {
  /** Distinct seeds among the cell's counted values (n when there is one value per seed). */
  readonly seeds: number;
  /** Seeds that both the cell and the baseline cell have, and their per-seed differences. */
  readonly differences: Summary | null;
}

/**
 * The test of a cell against its baseline cell: paired over seeds when both hold
 * one value per seed for the same set of at least two seeds, else Welch's.
 */
export function compareToBaseline(cell: Summary & SeedPairing, baseline: Summary & Pick<SeedPairing, 'seeds'>): TestResult | null {
  const d = cell.differences;
  const pairs =
    d !== null && d.n >= 2 && cell.seeds === cell.n && baseline.seeds === baseline.n && d.n === cell.n && d.n === baseline.n;
  return pairs ? pairedTTest(d) : welchTTest(cell, baseline);
}
