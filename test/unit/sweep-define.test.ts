import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  choice,
  defineSweep,
  formatDuration,
  grid,
  intUniform,
  isDefinedSweep,
  logUniform,
  parseDuration,
  range,
  uniform,
  zip,
} from '../../src/sweep';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('value spec helpers', () => {
  it('build plain, JSON-round-trippable data', () => {
    const specs = {
      g: grid(['a', 'b']),
      r: range(0, 1, 0.5),
      c: choice([1, 2, 3]),
      u: uniform(0, 1),
      l: logUniform(1e-4, 1e-1),
      i: intUniform(1, 6),
      z: zip({ learningRate: [0.1, 0.01], batchSize: [32, 64] }),
    };
    expect(JSON.parse(JSON.stringify(specs))).toEqual(specs);
    expect(specs.g).toEqual({ kind: 'grid', values: ['a', 'b'] });
    expect(specs.r).toEqual({ kind: 'range', start: 0, stop: 1, step: 0.5 });
    expect(specs.z).toEqual({ kind: 'zip', axes: { learningRate: [0.1, 0.01], batchSize: [32, 64] } });
  });

  it('copy their input lists, so later mutation of the caller’s array does not leak in', () => {
    const values = [1, 2];
    const spec = grid(values);
    values.push(3);
    expect(spec.values).toEqual([1, 2]);
  });

  it('range defaults its step to 1', () => {
    expect(range(1, 3)).toEqual({ kind: 'range', start: 1, stop: 3, step: 1 });
  });
});

describe('defineSweep', () => {
  it('returns the definition itself, marked so the loader can recognise it, and still plain JSON', () => {
    const definition = { name: 'x', family: 'noop' as const, parameters: { value: [1, 2] }, seeds: 2 };
    const defined = defineSweep(definition);
    expect(defined).toBe(definition);
    expect(isDefinedSweep(defined)).toBe(true);
    expect(isDefinedSweep({ ...definition })).toBe(false);
    expect(JSON.parse(JSON.stringify(defined))).toEqual({ name: 'x', family: 'noop', parameters: { value: [1, 2] }, seeds: 2 });
  });
});

describe('durations', () => {
  it.each([
    [250, 250],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
  ])('%s is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['5 minutes', '10', '-1s', 'h', ''])('refuses %j', (input) => {
    expect(() => parseDuration(input)).toThrow(/not a duration/);
  });

  it('refuses negative and non-finite numbers', () => {
    expect(() => parseDuration(-5)).toThrow(/non-negative/);
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow(/non-negative/);
  });

  it('formats back for messages', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(250)).toBe('250ms');
  });
});

/**
 * The typing, checked the way an editor sees it: a TypeScript language service
 * over an in-memory sweep file placed in sweeps/ (never written to disk).
 */
describe('defineSweep typing (TypeScript language service)', () => {
  const probePath = resolve(repoRoot, 'sweeps/__typing-probe__.ts');

  function languageServiceFor(source: string): ts.LanguageService {
    const config = ts.getParsedCommandLineOfConfigFile(resolve(repoRoot, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    });
    if (!config) throw new Error('tsconfig.json did not parse');
    const host: ts.LanguageServiceHost = {
      // The project's files, as an editor's TypeScript server loads them from tsconfig.json: the
      // registry's declaration merging (what types sweep files by their family) is among them.
      getScriptFileNames: () => [...config.fileNames.filter((f) => f !== probePath), probePath],
      getScriptVersion: () => '1',
      getScriptSnapshot: (file) => {
        if (file === probePath) return ts.ScriptSnapshot.fromString(source);
        const text = ts.sys.readFile(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => repoRoot,
      getCompilationSettings: () => config.options,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (file) => file === probePath || ts.sys.fileExists(file),
      readFile: (file) => (file === probePath ? source : ts.sys.readFile(file)),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    return ts.createLanguageService(host);
  }

  const source = `
import { defineSweep, grid, logUniform, range, zip } from '../src/sweep';
export const good = defineSweep({
  name: 'good', family: 'train', seeds: 2,
  parameters: {
    dataset: ['mnist', 'fashion'], arch: grid(['mlp', 'cnn']), width: range(32, 128, 32),
    lrSchedule: zip({ learningRate: [0.1, 0.01], batchSize: [32, 64] }),
    /*complete-base*/
  },
  presets: { smoke: { parameters: { /*complete-preset*/ epochs: 1 }, seeds: 1, timeouts: { trial: '5m' } } },
});
export const misspelt = defineSweep({ name: 'a', family: 'train', seeds: 1, parameters: { lerningRate: 0.1 } });
export const wrongType = defineSweep({ name: 'b', family: 'train', seeds: 1, parameters: { learningRate: 'fast' } });
export const wrongEnum = defineSweep({ name: 'c', family: 'train', seeds: 1, parameters: { dataset: ['mnist', 'cifar'] } });
export const rangeOnEnum = defineSweep({ name: 'd', family: 'train', seeds: 1, parameters: { arch: range(1, 3) } });
export const zipTypo = defineSweep({ name: 'e', family: 'train', seeds: 1, parameters: { g: zip({ lerningRate: [1] }) } });
export const presetTypo = defineSweep({ name: 'f', family: 'train', seeds: 1, parameters: {}, presets: { smoke: { parameters: { lerningRate: 1 } } } });
export const otherFamily = defineSweep({ name: 'g', family: 'noop', seeds: 1, parameters: { learningRate: 0.1 } });
export const badDuration = defineSweep({ name: 'h', family: 'noop', seeds: 1, parameters: {}, timeouts: { trial: '5 minutes' } });
export const badFamily = defineSweep({ name: 'i', family: 'trian', seeds: 1, parameters: {} });
`;

  it('completes the family’s parameter names and flags misspelt or mistyped ones', () => {
    const service = languageServiceFor(source);
    const completionsAt = (marker: string): string[] =>
      service.getCompletionsAtPosition(probePath, source.indexOf(marker), {})?.entries.map((entry) => entry.name) ?? [];
    expect(completionsAt('/*complete-base*/')).toEqual(
      expect.arrayContaining(['learningRate', 'optimizer', 'epochs', 'trainSize', 'testSize', 'depth']),
    );
    expect(completionsAt('/*complete-base*/')).not.toContain('durationMs');
    expect(completionsAt('/*complete-preset*/')).toEqual(expect.arrayContaining(['learningRate', 'dataset', 'width']));

    const errorLines = service
      .getSemanticDiagnostics(probePath)
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => source.slice(0, d.start).split('\n').length);
    const lineOf = (name: string): number => source.split('\n').findIndex((line) => line.includes(`const ${name} =`)) + 1;
    // The good definition (all lines up to the first bad one) type-checks; each bad one is an error on its own line.
    expect(errorLines.filter((line) => line < lineOf('misspelt'))).toEqual([]);
    for (const name of ['misspelt', 'wrongType', 'wrongEnum', 'rangeOnEnum', 'zipTypo', 'presetTypo', 'otherFamily', 'badDuration', 'badFamily']) {
      expect(errorLines, name).toContain(lineOf(name));
    }
    const syntactic = service.getSyntacticDiagnostics(probePath);
    expect(syntactic).toEqual([]);
  }, 60_000);
});
