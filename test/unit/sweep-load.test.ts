import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSweepFile, SweepInputError } from '../../src/sweep';
import { familyCatalogue as catalogue } from '../../src/experiments/registry';
import { displayPath } from '../../src/sweep/load';
import { loadFailure } from '../../src/sweep/load-failure';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sweepModule = resolve(repoRoot, 'src/sweep/index.ts');
const tempDir = mkdtempSync(join(tmpdir(), 'sweeplab-load-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

let written = 0;
/** A sweep file in the temp dir; a fresh name each time, since imported modules are cached. */
function sweepFile(source: string): string {
  const path = join(tempDir, `sweep-${written++}.ts`);
  writeFileSync(path, source);
  return path;
}

async function loadRefusal(path: string, options: { preset?: string } = {}): Promise<SweepInputError> {
  try {
    await loadSweepFile(path, { catalogue, ...options });
  } catch (error) {
    if (error instanceof SweepInputError) return error;
    throw error;
  }
  throw new Error('expected a SweepInputError, but the sweep loaded');
}

describe('loadSweepFile on temporary files', () => {
  it('loads a defineSweep default export, with its preset', async () => {
    const path = sweepFile(`
      import { defineSweep, grid } from ${JSON.stringify(sweepModule)};
      const values = Array.from({ length: 3 }, (_, i) => i / 2); // sweep files may compute
      export default defineSweep({
        name: 'temp-sweep',
        family: 'noop',
        description: 'a temp sweep',
        parameters: { value: values, mode: grid(['sleep', 'burn']) },
        seeds: 2,
        presets: { smoke: { parameters: { mode: 'sleep' }, seeds: [5] } },
      });
    `);
    const base = await loadSweepFile(path, { catalogue });
    expect(base.file).toBe(displayPath(path));
    expect(base.name).toBe('temp-sweep');
    expect(base.family).toBe('noop');
    expect(base.description).toBe('a temp sweep');
    expect(base.preset).toBeNull();
    expect(base.trials).toHaveLength(3 * 2 * 2);

    const smoke = await loadSweepFile(path, { catalogue, preset: 'smoke' });
    expect(smoke.preset).toBe('smoke');
    expect(smoke.trials.map((t) => [t.params.value, t.seed])).toEqual([[0, 5], [0.5, 5], [1, 5]]);
    expect(smoke.specHash).not.toBe(base.specHash);
    expect(JSON.parse(JSON.stringify(smoke.definition))).toEqual(smoke.definition);
  });

  it('refuses a missing file', async () => {
    const path = join(tempDir, 'does-not-exist.ts');
    const error = await loadRefusal(path);
    expect(error.message).toBe(`${displayPath(path)}: no such file`);
  });

  it('refuses a file with no default export', async () => {
    const path = sweepFile(`export const sweep = { name: 'x' };\n`);
    const error = await loadRefusal(path);
    expect(error.message).toBe(`${displayPath(path)}: default export: missing (write \`export default defineSweep({ ... })\`)`);
  });

  it('refuses a default export that did not come from defineSweep', async () => {
    const path = sweepFile(`export default { name: 'x', family: 'noop', parameters: {}, seeds: 1 };\n`);
    const error = await loadRefusal(path);
    expect(error.message).toBe(
      `${displayPath(path)}: default export: not a defineSweep({ ... }) result (got a plain object: wrap it in defineSweep({ ... }))`,
    );
  });

  it('says what a wrong default export is instead', async () => {
    const made = (source: string) => loadRefusal(sweepFile(source)).then((error) => error.reason);
    expect(await made('export default () => ({});\n')).toMatch(/got a function: export the sweep, not a function/);
    expect(await made('export default Promise.resolve({});\n')).toMatch(/got a promise: export the sweep itself/);
    expect(await made('export default null;\n')).toMatch(/got null\)$/);
  });

  it('refuses a file that throws while loading, keeping the cause', async () => {
    const path = sweepFile(`const ok = 1;\n  throw new Error('broken on purpose');\nexport default ok;\n`);
    const error = await loadRefusal(path);
    // At the line and column it was thrown from, as editors link them.
    expect(error.message).toBe(`${displayPath(path)}:2:9: failed to load: broken on purpose`);
    expect(error.location).toEqual({ line: 2, column: 9 });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('names a module the file imports that does not exist', async () => {
    const path = sweepFile(`import { rates } from './no-such-module';\nexport default rates;\n`);
    const error = await loadRefusal(path);
    expect(error.message).toBe(`${displayPath(path)}: import: cannot find module './no-such-module'`);
  });

  it('names the file in validation errors of a loaded sweep', async () => {
    const path = sweepFile(`
      import { defineSweep } from ${JSON.stringify(sweepModule)};
      export default defineSweep({ name: 'typo', family: 'train', seeds: 1, parameters: { learningRate: 0.1 } , presets: { smoke: {} } });
    `);
    await expect(loadSweepFile(path, { catalogue, preset: 'paper' })).rejects.toThrow(
      `${displayPath(path)}: preset: unknown preset 'paper' (presets of this sweep: smoke)`,
    );
  });
});

describe('loadFailure', () => {
  it("reads tsx's (esbuild's) syntax error as line and 1-based column", () => {
    const esbuild = new Error('Transform failed with 1 error:\n/work/sweeps/x.ts:7:17: ERROR: Expected "}" but found "\'train\'"');
    const error = loadFailure(esbuild, '/work/sweeps/x.ts', 'sweeps/x.ts');
    expect(error.message).toBe(`sweeps/x.ts:7:18: syntax error: Expected "}" but found "'train'"`);
    expect(error.cause).toBe(esbuild);
  });

  it("keeps the first line of another tool's multi-line message, without its colours", () => {
    const other = new Error('Transform failed with 1 error:\n\u001b[31m[PARSE_ERROR]\u001b[0m Expected `}`');
    expect(loadFailure(other, '/work/sweeps/x.ts', 'sweeps/x.ts').message).toBe('sweeps/x.ts: failed to load: Transform failed with 1 error:');
  });
});

describe('the sweeps shipped in sweeps/', () => {
  it('train-mnist: base, smoke (4 small trials on cpu) and paper', async () => {
    const path = resolve(repoRoot, 'sweeps/train-mnist.ts');
    const base = await loadSweepFile(path, { catalogue });
    expect(base.family).toBe('train');
    expect(new Set(base.trials.map((t) => t.params.dataset))).toEqual(new Set(['mnist', 'fashion']));
    expect(new Set(base.trials.map((t) => t.params.arch))).toEqual(new Set(['mlp', 'cnn']));

    const smoke = await loadSweepFile(path, { catalogue, preset: 'smoke' });
    expect(smoke.trials).toHaveLength(4);
    expect(smoke.execution.taskQueue).toBe('cpu');
    for (const trial of smoke.trials) {
      expect(trial.params).toMatchObject({ dataset: 'mnist', arch: 'mlp', width: 64, epochs: 2, trainSize: 1000, testSize: 500 });
    }

    const paper = await loadSweepFile(path, { catalogue, preset: 'paper' });
    expect(paper.trials.length).toBeGreaterThan(base.trials.length);
    expect(new Set([base.specHash, smoke.specHash, paper.specHash]).size).toBe(3);
  });

  it('linear-regions: dataset (8×8 and 28×28) × width × l1 × adversarial × seeds; smoke and paper', async () => {
    const path = resolve(repoRoot, 'sweeps/linear-regions.ts');
    const base = await loadSweepFile(path, { catalogue });
    expect(base.family).toBe('regions');
    expect(base.trials).toHaveLength(2 * 3 * 5 * 2 * 3);
    expect(new Set(base.trials.map((t) => t.params.l1))).toEqual(new Set([0, 1e-4, 2e-4, 5e-4, 1e-3]));
    expect(new Set(base.trials.map((t) => `${t.params.dataset}:${t.params.regionTimeLimit}`))).toEqual(new Set(['mnist8:120', 'mnist:20']));
    const smoke = await loadSweepFile(path, { catalogue, preset: 'smoke' });
    expect(smoke.trials).toHaveLength(8);
    const cpu = await loadSweepFile(path, { catalogue, preset: 'cpu' });
    expect(cpu.trials).toHaveLength(5 * 2 * 2);
    const paper = await loadSweepFile(path, { catalogue, preset: 'paper' });
    expect(paper.trials).toHaveLength(2 * 3 * 5 * 2 * 5);
  });

  it('aon: 9 method settings (none, orth-reg × 4 λ, spectral, aon × 3 K) × arch × data set × learning rate × seeds', async () => {
    const path = resolve(repoRoot, 'sweeps/aon.ts');
    const base = await loadSweepFile(path, { catalogue });
    expect(base.family).toBe('orthonormal');
    expect(base.trials).toHaveLength(9 * 2 * 2 * 3 * 3);
    const settings = new Set(base.trials.map((t) => `${t.params.method}:${t.params.lambda}:${t.params.order}`));
    expect(settings.size).toBe(9);
    const smoke = await loadSweepFile(path, { catalogue, preset: 'smoke' });
    expect(smoke.trials).toHaveLength(9 * 2 * 2);
    expect((await loadSweepFile(path, { catalogue, preset: 'cpu' })).trials).toHaveLength(9 * 2);
    const paper = await loadSweepFile(path, { catalogue, preset: 'paper' });
    expect(paper.trials).toHaveLength(9 * 2 * 2 * 4 * 5);
  });

  it('infoflow: β × activation × orthonormality × seeds; smoke and paper', async () => {
    const path = resolve(repoRoot, 'sweeps/infoflow.ts');
    const base = await loadSweepFile(path, { catalogue });
    expect(base.family).toBe('infoflow');
    expect(base.trials).toHaveLength(4 * 2 * 2 * 3);
    expect(new Set(base.trials.map((t) => t.params.beta))).toEqual(new Set([0.005, 0.01, 0.05, 0.1]));
    expect((await loadSweepFile(path, { catalogue, preset: 'smoke' })).trials).toHaveLength(16);
    expect((await loadSweepFile(path, { catalogue, preset: 'paper' })).trials).toHaveLength(4 * 2 * 2 * 5);
  });

  it('noop-10k: exactly 10,000 distinct keys; smoke has 100', async () => {
    const path = resolve(repoRoot, 'sweeps/noop-10k.ts');
    const started = performance.now();
    const sweep = await loadSweepFile(path, { catalogue });
    const elapsedMs = performance.now() - started;
    console.log(`noop-10k: loaded and expanded ${sweep.trials.length} trials in ${elapsedMs.toFixed(0)} ms`);
    expect(sweep.trials).toHaveLength(10_000);
    expect(new Set(sweep.trials.map((t) => t.key)).size).toBe(10_000);
    expect(sweep.trials.every((t) => t.params.durationMs === 0)).toBe(true);

    const smoke = await loadSweepFile(path, { catalogue, preset: 'smoke' });
    expect(smoke.trials).toHaveLength(100);
  });
});
