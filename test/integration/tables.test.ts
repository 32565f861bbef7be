/**
 * `sweep table` against a real Postgres (a private cluster for this file, no
 * Temporal): the aggregation runs in SQL, and here it must equal the same
 * statistics computed directly from the trials' values; the CLI prints the
 * family's preset in the sweep file's order, with tests against a baseline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepIdOf } from '../../src/client/submit-sweep';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { registerSweep } from '../../src/db/sweeps';
import { presetTables, renderPresetTables, sweepTables } from '../../src/db/sweep-tables';
import { cellAggregatesOfSweep } from '../../src/db/table-query';
import { recordTrialFailure, recordTrialResult } from '../../src/db/trials';
import { familyCatalogue } from '../../src/experiments/registry';
import { meanStd } from '../../src/results/aggregate';
import { mergeLayout } from '../../src/results/table-layout';
import { defineSweep, resolveSweep, zip } from '../../src/sweep';
import type { LoadedSweep } from '../../src/sweep/loaded-sweep';
import type { TrialSpec } from '../../src/sweep/trial';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { runCli } from '../support/workers';

let server: TestPostgres;
let url: string;
let prisma: PrismaClient;
let sweep: LoadedSweep;
let sweepId: string;

const STRATEGIES = ['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu'];
const EPS = [0.3, 0.1, 1];

/** A deterministic, seed-dependent accuracy: ptu clearly best, fine-tune close to target-only. */
function accuracy(trial: TrialSpec): number {
  const p = trial.params as { strategy: string; arch: string; pair: string };
  const base = { 'target-only': 0.6, 'fine-tune': 0.61, 'share-k': 0.7, 'fine-tune-k': 0.72, ptu: 0.8 }[p.strategy]!;
  const jitter = ((trial.seed * 7919 + p.strategy.length * 104729 + p.arch.length * 31 + p.pair.length) % 97) / 2000;
  return base + jitter + (p.arch === 'cnn' ? 0.05 : 0);
}

/** Which trials are left unfinished: (ptu, cnn, fashion0-4->fashion5-9) seed 2 pending, seed 1 failed. */
function leftOut(trial: TrialSpec): 'pending' | 'failed' | null {
  const p = trial.params as { strategy: string; arch: string; pair: string };
  if (p.strategy !== 'ptu' || p.arch !== 'cnn' || p.pair !== 'fashion0-4->fashion5-9') return null;
  return trial.seed === 2 ? 'pending' : trial.seed === 1 ? 'failed' : null;
}

beforeAll(async () => {
  server = await startTestPostgres();
  url = await server.database('tables_test');
  await migrateDatabase(url);
  prisma = createPrisma(url);
  // The strategies as ptu-grid.ts writes them: the table must keep this order, not sort it.
  const definition = defineSweep({
    name: 'it-tables',
    family: 'transfer',
    parameters: {
      pair: ['mnist->mnist-rot30', 'fashion0-4->fashion5-9'],
      model: zip({ arch: ['mlp', 'cnn'], width: [64, 4] }),
      strategy: STRATEGIES as ['target-only'],
      targetSize: 300,
    },
    seeds: 3,
  });
  sweep = resolveSweep(definition, { file: 'tables.test.ts', catalogue: familyCatalogue });
  sweepId = sweepIdOf(sweep);
  await registerSweep(prisma, {
    id: sweepId,
    name: sweep.name,
    family: sweep.family,
    preset: null,
    spec: sweep.definition,
    specHash: sweep.specHash,
    workflowId: `wf-${sweepId}`,
    trials: sweep.trials,
  });
  for (const trial of sweep.trials) {
    const left = leftOut(trial);
    if (left === 'pending') continue;
    if (left === 'failed') {
      await recordTrialFailure(prisma, { key: trial.key, kind: 'math', message: 'NaN loss', attempt: 1 });
      continue;
    }
    const acc = accuracy(trial);
    // eps is a per-step axis (reported at steps 0..2, not in order); `loss` only a curve, no summary entry.
    const points = EPS.flatMap((eps, step) => [
      { name: 'eps', step, value: eps },
      { name: 'lossIncrease', step, value: eps * (1 - acc) + trial.seed / 100 },
    ]);
    points.push({ name: 'loss', step: 0, value: 9 }, { name: 'loss', step: 1, value: 1 - acc });
    await recordTrialResult(prisma, {
      key: trial.key,
      backend: 'cpu',
      backendVersion: null,
      device: null,
      summary: { testAccuracy: acc },
      points,
      startedAt: new Date(Date.now() - 1000),
      finishedAt: new Date(),
      host: 'test',
      attempt: 1,
    });
  }
}, 180_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await server?.stop();
}, 60_000);

const done = () => sweep.trials.filter((t) => leftOut(t) === null);
const param = (t: TrialSpec, k: string) => (t.params as Record<string, unknown>)[k];

/** The direct computation: values grouped by `keys` in JS. */
function direct(keys: string[], valueOf: (t: TrialSpec) => { values: unknown[]; value: number }[]) {
  const groups = new Map<string, number[]>();
  for (const trial of done()) {
    for (const { values, value } of valueOf(trial)) {
      const id = JSON.stringify(values);
      groups.set(id, [...(groups.get(id) ?? []), value]);
    }
  }
  void keys;
  return groups;
}

describe('aggregation in SQL', () => {
  it('equals mean, sample std and n computed directly from every trial, per cell', async () => {
    const keys = ['arch', 'strategy', 'pair'];
    const cells = await cellAggregatesOfSweep(prisma, { sweepId, metric: 'testAccuracy', keys, axes: [], where: [], poolable: ['width'] });
    const expected = direct(keys, (t) => [{ values: keys.map((k) => param(t, k)), value: accuracy(t) }]);
    expect(cells).toHaveLength(20);
    for (const cell of cells) {
      const values = expected.get(JSON.stringify(cell.values));
      expect(values, JSON.stringify(cell.values)).toBeDefined();
      const want = meanStd(values!);
      expect(cell.n).toBe(want.n);
      expect(cell.mean).toBeCloseTo(want.mean, 12);
      expect(cell.n > 1 ? cell.std : 0).toBeCloseTo(want.std, 12);
      // width goes with arch (a zip): never pooled when arch is a key.
      expect(cell.pooled).toEqual([]);
    }
    const partial = cells.find((c) => JSON.stringify(c.values) === JSON.stringify(['cnn', 'ptu', 'fashion0-4->fashion5-9']))!;
    expect(partial.n).toBe(1);
  });

  it('reads a metric without a summary entry at the last step of its curve, and reports pooled parameters', async () => {
    const cells = await cellAggregatesOfSweep(prisma, { sweepId, metric: 'loss', keys: ['strategy'], axes: [], where: [], poolable: ['pair', 'arch', 'width'] });
    const expected = direct(['strategy'], (t) => [{ values: [param(t, 'strategy')], value: 1 - accuracy(t) }]);
    for (const cell of cells) {
      const want = meanStd(expected.get(JSON.stringify(cell.values))!);
      expect(cell.mean).toBeCloseTo(want.mean, 12);
      expect(cell.std).toBeCloseTo(want.std, 12);
      expect(cell.pooled).toEqual(['pair', 'arch', 'width']);
    }
  });

  it('aggregates a per-step metric over a per-step axis (eps) like any parameter', async () => {
    const keys = ['arch', 'eps'];
    const cells = await cellAggregatesOfSweep(prisma, { sweepId, metric: 'lossIncrease', keys, axes: ['eps'], where: [['strategy', 'ptu']], poolable: [] });
    const expected = direct(keys, (t) =>
      param(t, 'strategy') === 'ptu' ? EPS.map((eps) => ({ values: [param(t, 'arch'), eps], value: eps * (1 - accuracy(t)) + t.seed / 100 })) : [],
    );
    expect(cells).toHaveLength(6);
    for (const cell of cells) {
      const want = meanStd(expected.get(JSON.stringify(cell.values))!);
      expect(cell.n).toBe(want.n);
      expect(cell.mean).toBeCloseTo(want.mean, 12);
      expect(cell.std).toBeCloseTo(want.std, 12);
    }
  });

  it('with a baseline, returns per cell the seeds and the per-seed differences from the baseline cell', async () => {
    const keys = ['arch', 'pair', 'strategy'];
    const cells = await cellAggregatesOfSweep(prisma, {
      sweepId,
      metric: 'testAccuracy',
      keys,
      axes: [],
      where: [],
      poolable: [],
      baseline: [['strategy', 'target-only']],
    });
    const valueOf = (arch: unknown, pair: unknown, strategy: string, seed: number) => {
      const t = done().find((x) => param(x, 'arch') === arch && param(x, 'pair') === pair && param(x, 'strategy') === strategy && x.seed === seed);
      return t ? accuracy(t) : null;
    };
    for (const cell of cells) {
      const [arch, pair, strategy] = cell.values as [string, string, string];
      const diffs = sweep.definition.seeds.flatMap((seed) => {
        const a = valueOf(arch, pair, strategy, seed);
        const b = valueOf(arch, pair, 'target-only', seed);
        return a !== null && b !== null ? [a - b] : [];
      });
      const want = meanStd(diffs);
      expect(cell.pairing!.seeds).toBe(cell.n);
      expect(cell.pairing!.differences!.n).toBe(want.n);
      expect(cell.pairing!.differences!.mean).toBeCloseTo(want.mean, 12);
      expect(cell.pairing!.differences!.std).toBeCloseTo(want.std, 12);
    }
  });
});

describe('sweep tables', () => {
  it('orders rows, columns and tables as the sweep file wrote the values, and tests each cell against the baseline', async () => {
    const layout = mergeLayout(null, {
      rowKeys: ['strategy'],
      columnKeys: ['pair'],
      byKeys: ['arch'],
      metrics: ['testAccuracy'],
      baseline: [['strategy', 'target-only']],
      best: 'max',
    });
    const { sections, pooled } = await sweepTables(prisma, { id: sweepId, family: 'transfer', spec: sweep.definition }, layout);
    expect(pooled).toEqual([]);
    const tables = sections[0]!.tables;
    expect(tables.map((t) => t.group!.values)).toEqual([['mlp'], ['cnn']]);
    expect(tables[0]!.rows.map((r) => r[0])).toEqual(STRATEGIES);
    expect(tables[0]!.columns).toEqual([['mnist->mnist-rot30'], ['fashion0-4->fashion5-9']]);
    const cnn = tables[1]!;
    const tests = cnn.comparison!.tests;
    // Baseline row untested; ptu far above target-only: significant by a paired test over three seeds.
    expect(tests[0]).toEqual([null, null]);
    expect(tests[4]![0]).toMatchObject({ test: 'paired', df: 2 });
    expect(tests[4]![0]!.p).toBeLessThan(0.05);
    // (ptu, fashion→fashion) on the cnn has one finished seed: no test at all.
    expect(cnn.cells[4]![1]!.n).toBe(1);
    expect(tests[4]![1]).toBeNull();
  });

  it('renders a preset for a report (markdown, html) and says which presets exist', async () => {
    const ref = { id: sweepId, family: 'transfer', spec: sweep.definition };
    const md = await renderPresetTables(prisma, ref, 'md');
    expect(md).toContain('**arch = mlp, targetSize = 300**');
    expect(md.indexOf('| target-only |')).toBeLessThan(md.indexOf('| ptu |'));
    const html = await renderPresetTables(prisma, ref, 'html', { overrides: { baseline: [['strategy', 'target-only']] } });
    expect(html).toContain('<caption>arch = cnn, targetSize = 300</caption>');
    expect(html).toContain('<sup class="significant">†</sup>');
    const models = await presetTables(prisma, ref, { preset: 'paper' });
    expect(models.sections[0]!.tables).toHaveLength(2);
    await expect(presetTables(prisma, ref, { preset: 'nope' })).rejects.toThrow(/unknown table preset 'nope'.*paper: .*gates: /s);
  });
});

describe('sweep table (the CLI)', () => {
  const env = () => ({ DATABASE_URL: url, TEMPORAL_ADDRESS: '127.0.0.1:1' });

  it('--preset paper prints the paper table with n once per table, strategies in the written order', async () => {
    const { code, stdout, stderr } = await runCli(['table', 'it-tables', '--preset', 'paper'], env());
    expect(code, stderr).toBe(0);
    const mlp = stdout.split('**arch = cnn')[0]!;
    const rows = mlp.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| strategy') && !l.startsWith('| :--'));
    expect(rows.map((l) => l.split(' | ')[0]!.slice(2))).toEqual(STRATEGIES);
    expect(mlp).toContain('over n = 3 per cell');
    expect(mlp).not.toContain('(n=3)');
    expect(mlp).toMatch(/\*\*0\.\d+ ± 0\.\d+\*\* \[0\.\d+, 0\.\d+\]/);
    // The cnn table has one cell with a single finished trial: n per cell there.
    expect(stdout.split('**arch = cnn')[1]).toContain('(n=1)');
  });

  it('flags beside --preset replace the preset’s, and --baseline adds p and the test to csv', async () => {
    const { code, stdout, stderr } = await runCli(
      ['table', 'it-tables', '--preset', 'paper', '--by', 'arch', '--baseline', 'strategy=target-only', '--format', 'csv'],
      env(),
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('# arch = mlp\n');
    const [header, first, , , , ptu] = stdout.split('# arch = mlp\n')[1]!.trim().split('\n');
    expect(header).toBe(
      ['strategy', ...['mnist->mnist-rot30', 'fashion0-4->fashion5-9'].flatMap((p) => ['mean', 'std', 'ci95 low', 'ci95 high', 'n', 'p', 'test'].map((f) => `pair=${p} ${f}`))].join(','),
    );
    expect(first).toMatch(/^target-only,[^,]+,[^,]+,[^,]+,[^,]+,3,,,/);
    const fields = ptu!.split(',');
    expect(fields[0]).toBe('ptu');
    expect(fields[7]).toBe('paired');
    expect(Number(fields[6])).toBeLessThan(0.05);
  });

  it('--format json is one document with every cell’s statistics', async () => {
    const { code, stdout, stderr } = await runCli(
      ['table', 'it-tables', '--rows', 'strategy', '--cols', 'metric', '--metric', 'testAccuracy,loss', '--where', 'arch=mlp', '--format', 'json', '--baseline', 'strategy=target-only'],
      env(),
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('note: cells pool trials that differ in pair');
    const doc = JSON.parse(stdout);
    expect(doc.sweep).toBe(sweepId);
    expect(doc.tables).toHaveLength(1);
    const [table] = doc.tables;
    expect(table.columns).toEqual([['testAccuracy'], ['loss']]);
    expect(table.rows.map((r: string[]) => r[0])).toEqual(STRATEGIES);
    expect(table.n).toBe(6);
    const cell = table.cells[4][0];
    expect(Object.keys(cell).sort()).toEqual(['best', 'ciHigh', 'ciLow', 'mean', 'n', 'p', 'significant', 'std', 'test']);
    // Two trials per seed (the pairs are pooled): they do not pair one to one, so Welch's test.
    expect(cell).toMatchObject({ n: 6, test: 'welch', significant: true });
    expect(cell.ciLow).toBeLessThan(cell.mean);
    expect(table.cells[0][0]).toMatchObject({ test: null, p: null, significant: false });
  });

  it('refuses what it cannot make, naming the flag, with exit code 2', async () => {
    const unknown = await runCli(['table', 'it-tables', '--preset', 'nope'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--preset: unknown table preset 'nope'/);
    expect(unknown.stderr).toMatch(/paper: target test accuracy/);
    const where = await runCli(['table', 'it-tables', '--rows', 'strategy', '--metric', 'testAccuracy', '--where', 'arch=lstm'], env());
    expect(where.code).toBe(2);
    expect(where.stderr).toMatch(/no trial of .* has arch=lstm \(values present: arch: cnn, mlp\)/);
    const baseline = await runCli(['table', 'it-tables', '--rows', 'strategy', '--metric', 'testAccuracy', '--baseline', 'arch=mlp'], env());
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/--baseline names 'arch', which is not a row key/);
    const none = await runCli(['table', 'it-tables', '--rows', 'strategy', '--metric', 'testAccuracy', '--baseline', 'strategy=scratch'], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--baseline strategy=scratch matches no row/);
    const axis = await runCli(['table', 'it-tables', '--rows', 'strategy', '--cols', 'layer', '--metric', 'testAccuracy'], env());
    expect(axis.code).toBe(2);
    expect(axis.stderr).toMatch(/no parameter or per-step metric 'layer'/);
    const metric = await runCli(['table', 'it-tables', '--rows', 'strategy', '--metric', 'bogus'], env());
    expect(metric.code).toBe(2);
    expect(metric.stderr).toMatch(/no finished trial of .* has a metric 'bogus' \(58\/60 trials done\)/);
  });
});
