/**
 * The statistics of `sweep table` against reference values computed with
 * scipy 1.17 (scipy.stats.t.ppf / t.cdf / t.interval, ttest_rel,
 * ttest_ind(equal_var=False)), copied here: no Python runs in the tests.
 */
import { describe, expect, it } from 'vitest';
import { meanStd } from '../../src/results/aggregate';
import { compareToBaseline, confidenceInterval, pairedTTest, welchTTest } from '../../src/results/statistics';

describe('confidenceInterval', () => {
  it('is mean ± t(0.975, n − 1)·s/√n with the t quantiles of the tables', () => {
    // t(0.975, df) for df = 1, 2, 4, 9, 29: 12.706, 4.303, 2.776, 2.262, 2.045.
    const expected = [12.70620474, 4.30265273, 2.77644511, 2.26215716, 2.04522964];
    [2, 3, 5, 10, 30].forEach((n, i) => {
      const ci = confidenceInterval({ n, mean: 0, std: Math.sqrt(n) })!;
      expect(ci.high).toBeCloseTo(expected[i]!, 7);
      expect(ci.low).toBeCloseTo(-expected[i]!, 7);
    });
  });

  it('matches scipy.stats.t.interval on data, and has no interval for a single value', () => {
    const ci = confidenceInterval(meanStd([0.6, 0.7, 0.8]))!;
    expect(ci.low).toBeCloseTo(0.45158622882496674, 12);
    expect(ci.high).toBeCloseTo(0.9484137711750329, 12);
    expect(confidenceInterval({ n: 1, mean: 0.7, std: 0 })).toBeNull();
  });
});

describe('pairedTTest', () => {
  it('matches scipy.stats.ttest_rel from the per-seed differences', () => {
    const a = [0.71, 0.74, 0.69, 0.73];
    const b = [0.7, 0.71, 0.66, 0.72];
    const r = pairedTTest(meanStd(a.map((x, i) => x - b[i]!)))!;
    expect(r.test).toBe('paired');
    expect(r.df).toBe(3);
    expect(r.t).toBeCloseTo(3.4641016151377593, 9);
    expect(r.p).toBeCloseTo(0.04051932635383388, 12);
  });

  it('gives t = ±∞ and p = 0 for a constant nonzero difference, and no test for none at all (as scipy)', () => {
    expect(pairedTTest({ n: 3, mean: 0.1, std: 0 })).toEqual({ test: 'paired', t: Infinity, df: 2, p: 0 });
    expect(pairedTTest({ n: 3, mean: 0, std: 0 })).toBeNull();
    expect(pairedTTest({ n: 1, mean: 0.1, std: 0 })).toBeNull();
  });
});

describe('welchTTest', () => {
  it('matches scipy.stats.ttest_ind(equal_var=False) on the two samples of Welch’s test’s textbook example', () => {
    const x = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0];
    const y = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3];
    const r = welchTTest(meanStd(x), meanStd(y))!;
    expect(r.test).toBe('welch');
    expect(r.t).toBeCloseTo(-2.225512039969852, 9);
    expect(r.df).toBeCloseTo(24.524634944257343, 9);
    expect(r.p).toBeCloseTo(0.035484530830010394, 12);
  });

  it('needs two values on each side; without spread on either side a difference is p = 0', () => {
    expect(welchTTest({ n: 1, mean: 1, std: 0 }, { n: 5, mean: 0, std: 1 })).toBeNull();
    expect(welchTTest({ n: 3, mean: 1, std: 0 }, { n: 3, mean: 2, std: 0 })).toMatchObject({ t: -Infinity, p: 0 });
    // One side constant: the degrees of freedom are the other side's n − 1.
    expect(welchTTest({ n: 3, mean: 1, std: 0 }, { n: 5, mean: 0, std: 1 })!.df).toBeCloseTo(4, 12);
  });
});

describe('compareToBaseline', () => {
  const cell = { n: 3, mean: 0.8, std: 0.02 };
  const baseline = { n: 3, mean: 0.7, std: 0.03, seeds: 3 };

  it('pairs by seed when both cells have one value for each of the same seeds', () => {
    const r = compareToBaseline({ ...cell, seeds: 3, differences: { n: 3, mean: 0.1, std: 0.01 } }, baseline)!;
    expect(r.test).toBe('paired');
    expect(r.df).toBe(2);
  });

  it('falls back to Welch where the seeds differ, a seed is missing, or a cell pools several trials per seed', () => {
    // Seeds {0, 1, 2} against {0, 1, 3}: two pairs only.
    expect(compareToBaseline({ ...cell, seeds: 3, differences: { n: 2, mean: 0.1, std: 0.01 } }, baseline)!.test).toBe('welch');
    // No seed in common.
    expect(compareToBaseline({ ...cell, seeds: 3, differences: null }, baseline)!.test).toBe('welch');
    // Six trials over three seeds: per-seed means would pair, but not the trials.
    expect(compareToBaseline({ ...cell, n: 6, seeds: 3, differences: { n: 3, mean: 0.1, std: 0.01 } }, baseline)!.test).toBe('welch');
    // A baseline cell with two trials of one seed.
    expect(compareToBaseline({ ...cell, seeds: 3, differences: { n: 3, mean: 0.1, std: 0.01 } }, { ...baseline, seeds: 2 })!.test).toBe('welch');
  });

  it('tests nothing with a single value on either side', () => {
    expect(compareToBaseline({ n: 1, mean: 0.8, std: 0, seeds: 1, differences: { n: 1, mean: 0.1, std: 0 } }, baseline)).toBeNull();
  });
});
