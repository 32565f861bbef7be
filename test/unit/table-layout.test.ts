import { describe, expect, it } from 'vitest';
import { presetLayout, tablePreset } from '../../src/db/sweep-tables';
import { mergeLayout } from '../../src/results/table-layout';
import { jsonbCandidates, matchesText, parseConditions } from '../../src/results/value-match';

describe('--where and --baseline values', () => {
  it('match strings exactly, numbers by value, booleans and null by name', () => {
    expect(matchesText('ptu', 'ptu')).toBe(true);
    expect(matchesText('1', '1')).toBe(true);
    expect(matchesText(0.001, '1e-3')).toBe(true);
    expect(matchesText(0.001, '0.0010')).toBe(true);
    expect(matchesText(1, 'x')).toBe(false);
    expect(matchesText(0, '')).toBe(false);
    expect(matchesText(true, 'true')).toBe(true);
    expect(matchesText(null, 'null')).toBe(true);
  });

  it('stand for the same jsonb values in SQL', () => {
    expect(jsonbCandidates('ptu')).toEqual(['"ptu"']);
    expect(jsonbCandidates('1e-3')).toEqual(['"1e-3"', '0.001']);
    expect(jsonbCandidates('true')).toEqual(['"true"', 'true']);
    expect(jsonbCandidates('null')).toEqual(['"null"', 'null']);
  });

  it('are parsed from K=V pairs, naming the flag when one is not', () => {
    expect(parseConditions('where', 'target=all, pair=mnist->fashion,x=a=b')).toEqual([
      ['target', 'all'],
      ['pair', 'mnist->fashion'],
      ['x', 'a=b'],
    ]);
    expect(() => parseConditions('baseline', 'strategy')).toThrow("--baseline takes KEY=VALUE pairs, got 'strategy'");
  });
});

describe('layouts and presets', () => {
  it('lays flags over a preset, field by field', () => {
    const paper = presetLayout(tablePreset('transfer', 'paper'));
    expect(mergeLayout(paper, {})).toEqual({
      rowKeys: ['strategy'],
      columnKeys: ['pair'],
      byKeys: ['arch', 'targetSize'],
      where: [],
      metrics: ['testAccuracy'],
      baseline: [],
      best: 'max',
    });
    const changed = mergeLayout(paper, { byKeys: ['arch'], best: 'min', baseline: [['strategy', 'target-only']] });
    expect(changed).toMatchObject({ rowKeys: ['strategy'], byKeys: ['arch'], best: 'min', baseline: [['strategy', 'target-only']] });
  });

  it('adds --where conditions to the preset’s, the flag winning for the same key', () => {
    const corruption = presetLayout(tablePreset('corruption', 'paper'));
    expect(mergeLayout(corruption, { where: [['norm', 'L2']] }).where).toEqual([
      ['target', 'all'],
      ['norm', 'L2'],
    ]);
    expect(mergeLayout(corruption, { where: [['target', 'dense0']] }).where).toEqual([['target', 'dense0']]);
  });

  it('refuses a layout without rows or metric, a key named twice, or a baseline that is not a row', () => {
    expect(() => mergeLayout(null, { metrics: ['acc'] })).toThrow('--rows is required');
    expect(() => mergeLayout(null, { rowKeys: ['a'] })).toThrow('--metric is required');
    expect(() => mergeLayout(null, { rowKeys: ['a'], columnKeys: ['a'], metrics: ['m'] })).toThrow("'a' is named twice");
    expect(() => mergeLayout(null, { rowKeys: ['a'], metrics: ['m'], baseline: [['b', '1']] })).toThrow("--baseline names 'b', which is not a row key");
  });

  it('lists the family’s presets when the one asked for is unknown', () => {
    expect(() => tablePreset('orthonormal', 'papr')).toThrow(/unknown table preset 'papr' \(presets of orthonormal:\n {2}paper: .*\n {2}orthError: /);
    expect(() => tablePreset('noop', 'paper')).toThrow('the noop family has no table presets');
  });
});
