/** How trials and sweeps read in the web UI: the summaries, details and memo, and their size limits. */
import { describe, expect, it } from 'vitest';
import { familyCatalogue as catalogue } from '../../src/experiments/registry';
import { choice, logUniform, resolveSweep, zip } from '../../src/sweep';
import { loadSweepFile } from '../../src/sweep/load';
import { sweepAxes, varyingParameters } from '../../src/sweep/sweep-axes';
import { sweepDetails, sweepMemo, sweepSummary } from '../../src/sweep/sweep-summary';
import {
  clampJsonBytes,
  describeParameters,
  formatParameter,
  MAX_DETAILS_JSON_BYTES,
  MAX_SUMMARY_JSON_BYTES,
  trialDetails,
  trialSummary,
} from '../../src/sweep/trial-summary';

const file = 'sweeps/test.ts';
const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text));

function noop(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return resolveSweep({ name: 'summary-test', family: 'noop', parameters, seeds: 1, ...extra }, { catalogue, file });
}

describe('the parameters that vary in a sweep', () => {
  it('are the lists, grids, ranges and zip columns of more than one value, in the sweep file’s order', async () => {
    const smoke = await loadSweepFile('sweeps/ptu-grid.ts', { catalogue, preset: 'smoke' });
    // pair, then the zip's arch and width, then strategy; k, targetSize and the rest are constants in smoke.
    expect(varyingParameters(smoke.definition)).toEqual(['pair', 'arch', 'width', 'strategy']);
    const full = await loadSweepFile('sweeps/ptu-grid.ts', { catalogue });
    expect(varyingParameters(full.definition)).toEqual(['pair', 'arch', 'width', 'strategy', 'targetSize']);
  });

  it('leaves out one-value lists and zip columns that repeat one value', () => {
    const loaded = noop({ mode: ['sleep'], both: zip({ steps: [1, 2], durationMs: [5, 5] }), value: [1, 2, 1] });
    expect(sweepAxes(loaded.definition)).toEqual([
      { name: 'steps', kind: 'grid', values: [1, 2] },
      { name: 'value', kind: 'grid', values: [1, 2] },
    ]);
  });

  it('counts a random parameter as varying only when more than one sample is drawn', () => {
    expect(varyingParameters(noop({ value: logUniform(1e-4, 1e-2) }, { samples: 4 }).definition)).toEqual(['value']);
    expect(varyingParameters(noop({ value: choice([1, 2]) }).definition)).toEqual([]);
  });
});

describe('a trial’s summary', () => {
  it('names the family, the varying values in order (strings bare, others name=value) and the seed', async () => {
    const smoke = await loadSweepFile('sweeps/ptu-grid.ts', { catalogue, preset: 'smoke' });
    const varying = varyingParameters(smoke.definition);
    const ptuCnn = smoke.trials.find((t) => t.params.strategy === 'ptu' && t.params.arch === 'cnn' && t.params.pair === 'mnist->mnist-rot30')!;
    expect(trialSummary(ptuCnn, varying)).toBe('transfer · mnist->mnist-rot30 · cnn · width=4 · ptu · seed 0');
  });

  it('writes numbers short, and without varying parameters is the family and seed', () => {
    expect(formatParameter('learningRate', 0.00031622776601683794)).toBe('learningRate=0.0003162');
    expect(formatParameter('width', 128)).toBe('width=128');
    expect(formatParameter('adversarial', true)).toBe('adversarial=true');
    expect(formatParameter('tag', '')).toBe('tag=""');
    expect(describeParameters({ a: 'x', b: 2 }, ['b', 'missing', 'a'])).toBe('b=2 · x');
    expect(trialSummary({ family: 'noop', params: { value: 3 }, seed: 2 }, [])).toBe('noop · seed 2');
  });

  it('stays within what the server accepts (400 bytes of summary payload), cut at a character', () => {
    const params = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, `välue-"${i}"-✓`]));
    const summary = trialSummary({ family: 'noop', params, seed: 0 }, Object.keys(params));
    expect(jsonBytes(summary)).toBeLessThanOrEqual(MAX_SUMMARY_JSON_BYTES);
    expect(summary.endsWith('…')).toBe(true);
    expect(clampJsonBytes('short', 300)).toBe('short');
    expect(clampJsonBytes('😀'.repeat(100), 50)).toMatch(/^(😀)+…$/u);
    expect(jsonBytes(clampJsonBytes('😀'.repeat(100), 50))).toBeLessThanOrEqual(50);
  });
});

describe('a trial’s details', () => {
  it('are markdown with its index, sweep, key, seed, code version and every parameter', () => {
    const [trial] = noop({ mode: 'burn', value: [1, 2] }).trials;
    const details = trialDetails(trial!, 'summary-test');
    expect(details).toContain('**Trial 0** of sweep `summary-test`');
    expect(details).toContain(`- key: \`${trial!.key}\``);
    expect(details).toContain('- mode: `"burn"`');
    expect(details).toContain('- durationMs: `0`');
    expect(jsonBytes(details)).toBeLessThanOrEqual(MAX_DETAILS_JSON_BYTES);
  });
});

describe('a sweep’s summary, details and memo', () => {
  it('say its name, family, preset, size and axes', async () => {
    const smoke = await loadSweepFile('sweeps/ptu-grid.ts', { catalogue, preset: 'smoke' });
    expect(sweepSummary(smoke, 30)).toBe('ptu-grid · transfer · preset smoke · 30 trials: pair × arch × width × strategy × 1 seed');
    expect(sweepMemo(smoke, 30)).toEqual({
      family: 'transfer',
      preset: 'smoke',
      total: 30,
      seeds: 1,
      axes: {
        pair: 'mnist->mnist-rot30, fashion0-4->fashion5-9',
        arch: 'mlp, cnn, lstm',
        width: '64, 4, 16',
        strategy: 'target-only, fine-tune, share-k, fine-tune-k, ptu',
      },
    });
    const details = sweepDetails(smoke, 30);
    expect(details).toContain('**ptu-grid** (transfer, preset smoke)');
    expect(details).toContain('- strategy: target-only, fine-tune, share-k, fine-tune-k, ptu');
  });

  it('list a long axis by its first values and count, and a random one by how it is drawn', async () => {
    const tenK = await loadSweepFile('sweeps/noop-10k.ts', { catalogue });
    expect(sweepMemo(tenK, 10_000).axes.value).toMatch(/^0, 1, 2, .*, 19, … \(1000 values\)$/);
    const drawn = noop({ value: logUniform(1e-4, 1e-2) }, { samples: 8 });
    expect(sweepMemo(drawn, 8).axes).toEqual({ value: 'logUniform(0.0001, 0.01), 8 samples' });
  });
});
