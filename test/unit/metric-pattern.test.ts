/** Plot sources name metrics with `*` for one dot-separated part; the database matches them as anchored regexes. */
import { describe, expect, it } from 'vitest';
import { patternRegex } from '../../src/db/plot-query';

const matches = (pattern: string, name: string) => new RegExp(patternRegex(pattern)).test(name);

describe('metric patterns', () => {
  it('`*` stands for one part of a name', () => {
    expect(matches('mi.*', 'mi.1')).toBe(true);
    expect(matches('mi.*', 'mi.12')).toBe(true);
    expect(matches('mi.*', 'miStderr.1')).toBe(false);
    expect(matches('mi.*', 'mi.1.0.01')).toBe(false);
    expect(matches('binH.*.*', 'binH.2.0')).toBe(true);
  });

  it('anything else is literal', () => {
    expect(matches('lossIncrease.random.mean', 'lossIncrease.random.mean')).toBe(true);
    expect(matches('lossIncrease.random.mean', 'lossIncreaseXrandomXmean')).toBe(false);
    expect(matches('loss', 'testLoss')).toBe(false);
    expect(matches('a(b)+', 'a(b)+')).toBe(true);
  });
});
