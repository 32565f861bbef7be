/**
 * Every study's table presets name what its trials have: row, column and --by
 * keys that are parameters of the family (or the per-step axes its trial
 * reports, or `metric`), --where values its sweep file runs, and metrics its
 * run.ts reports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familyCatalogue, families, familyNames } from '../../src/experiments/registry';
import { loadSweepFile } from '../../src/sweep';

/** Per family: its sweep file, and the per-step metrics its trials report as axes. */
const STUDIES: Record<string, { sweep: string; axes: string[] }> = {
  train: { sweep: 'sweeps/train-mnist.ts', axes: [] },
  transfer: { sweep: 'sweeps/ptu-grid.ts', axes: [] },
  corruption: { sweep: 'sweeps/corruption.ts', axes: ['eps'] },
  regions: { sweep: 'sweeps/linear-regions.ts', axes: [] },
  orthonormal: { sweep: 'sweeps/aon.ts', axes: [] },
  infoflow: { sweep: 'sweeps/infoflow.ts', axes: ['epoch'] },
};

/** Whether run.ts names the metric: a literal, an object key (or shorthand), or a template such as `inactive.${l + 1}`. */
function reports(source: string, metric: string): boolean {
  const stem = metric.replace(/\d+$/, '');
  const name = metric.replace(/\./g, '\\.');
  return (
    source.includes(`'${metric}'`) ||
    new RegExp(`\\b${name}:|[{,]\\s*${name}\\s*[,}]`).test(source) ||
    (stem !== metric && source.includes(`\`${stem}\${`))
  );
}

describe('table presets', () => {
  it('every study has a paper table; noop, which is no study, has none', () => {
    for (const name of familyNames) {
      const tables = (families[name] as { tables?: Record<string, unknown> }).tables;
      if (name === 'noop') expect(tables).toBeUndefined();
      else expect(Object.keys(tables ?? {}), name).toContain('paper');
    }
  });

  for (const [family, study] of Object.entries(STUDIES)) {
    it(`${family}: keys, --where values and metrics exist`, async () => {
      const sweep = await loadSweepFile(study.sweep, { catalogue: familyCatalogue });
      const parameters = new Set(sweep.trials.flatMap((t) => Object.keys(t.params)));
      const source = readFileSync(`src/experiments/${family}/run.ts`, 'utf8');
      const presets = (families[family as keyof typeof families] as { tables?: Record<string, import('../../src/experiments/table-preset').TablePreset> }).tables!;
      for (const [name, preset] of Object.entries(presets)) {
        const where = `${family} preset ${name}`;
        expect(preset.description.length, where).toBeGreaterThan(10);
        for (const key of [...preset.rows, ...(preset.cols ?? []), ...(preset.by ?? [])]) {
          expect(parameters.has(key) || study.axes.includes(key) || key === 'metric', `${where}: key '${key}'`).toBe(true);
        }
        for (const [key, value] of Object.entries(preset.where ?? {})) {
          expect(sweep.trials.some((t) => t.params[key] === value), `${where}: --where ${key}=${value}`).toBe(true);
        }
        for (const metric of preset.metric) expect(reports(source, metric), `${where}: metric '${metric}' in run.ts`).toBe(true);
      }
    });
  }
});
