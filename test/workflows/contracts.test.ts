/** The shared contracts module: one definition of each name, safe for workflow code, no activities ↔ workflows cycle. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_IN_FLIGHT,
  NON_RETRYABLE_TRIAL_ERRORS,
  TRIAL_CRASHED,
  TRIAL_INPUT_ERROR,
  TRIAL_MATH_ERROR,
} from '../../src/contracts';
import { TrialInputError, TrialMathError } from '../../src/experiments/errors';

const source = (path: string) => readFileSync(new URL(`../../src/${path}`, import.meta.url), 'utf8');
const importsOf = (text: string) => [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((m) => ({ typeOnly: !!m[1], from: m[2]! }));
const filesIn = (dir: string) => readdirSync(new URL(`../../src/${dir}`, import.meta.url)).filter((f) => f.endsWith('.ts'));

describe('src/contracts.ts', () => {
  it('names the error types as the error classes do', () => {
    expect(new TrialMathError('x').name).toBe(TRIAL_MATH_ERROR);
    expect(new TrialInputError('x').name).toBe(TRIAL_INPUT_ERROR);
    expect(NON_RETRYABLE_TRIAL_ERRORS).toEqual([TRIAL_MATH_ERROR, TRIAL_INPUT_ERROR]);
    expect(NON_RETRYABLE_TRIAL_ERRORS).not.toContain(TRIAL_CRASHED);
    expect(MAX_IN_FLIGHT).toBe(500);
  });

  it.each(['contracts.ts', 'workflows/sweep-bookkeeping.ts'])('%s imports nothing at run time (safe in workflow code, pure)', (file) => {
    const imports = importsOf(source(file));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => !i.typeOnly)).toEqual([]);
    // A value it re-exports comes from a module that itself imports nothing (the sweep language's limits).
    for (const [, from] of source(file).matchAll(/^export\s+\{[^}]*\}\s+from\s+'([^']+)'/gm)) {
      const target = new URL(`${from!.replace(/^\.\//, '')}.ts`, new URL(`../../src/${file}`, import.meta.url));
      expect(importsOf(readFileSync(target, 'utf8')), from).toEqual([]);
    }
  });

  it('activities import no workflow module and workflows no activity module', () => {
    for (const file of filesIn('activities')) {
      expect(importsOf(source(`activities/${file}`)).filter((i) => i.from.includes('/workflows/')), file).toEqual([]);
    }
    for (const file of filesIn('workflows')) {
      expect(importsOf(source(`workflows/${file}`)).filter((i) => i.from.includes('/activities/')), file).toEqual([]);
    }
  });
});
