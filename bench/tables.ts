/**
 * `sweep table` at scale, aggregated in Postgres: `npx tsx bench/tables.ts [--reps N]`.
 *
 * Starts a private Postgres (free port, data in a temp folder, stopped at the
 * end), bulk-inserts with generate_series a sweep of 100,000 trials (summary
 * metrics) and a sweep of 10,000 trials × 50 steps of per-step metrics (eps and
 * two metrics per step: 1.5 million Metric rows), then times the tables as
 * `sweep table` makes them (checks, SQL aggregation, models, Markdown): the
 * median of a few repetitions, with trials (or steps) per second. Beside each,
 * once, what the same table cost before the aggregation moved into SQL: every
 * row loaded into Node and aggregated there. Prints, asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPrisma, type PrismaClient } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { sweepTables, type SweepForTables } from '../src/db/sweep-tables';
import { metricRowsOfSweep, metricSeriesOfSweep } from '../src/db/table-query';
import { aggregate } from '../src/results/aggregate';
import { formatTables } from '../src/results/format';
import { rowsFromSeries, splitBy } from '../src/results/series-rows';
import { mergeLayout, type LayoutOverrides } from '../src/results/table-layout';
import { ensurePostgres, stopPostgres } from '../src/stack/postgres';
import { freePort } from '../src/stack/processes';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
const reps = Math.max(1, Number(values.reps));

const STRATEGIES = ['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu'];
const PAIRS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
const ARCHS = ['mlp', 'cnn', 'lstm', 'gru', 'resnet'];
const RATES = [1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2];
const SEEDS = 50; // 5 × 8 × 5 × 10 × 50 = 100,000 trials

const dir = mkdtempSync(join(tmpdir(), 'sweeplab-bench-tables-'));
const dataDir = join(dir, 'postgres');
const postgres = await ensurePostgres({ dataDir, port: await freePort(), logFile: join(dir, 'postgres.log') });
const prisma = createPrisma(postgres.url);

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** A sweep row with a spec in the stored format (parameters as written), so order and pooling read it. */
async function insertSweep(id: string, family: string, parameters: Record<string, unknown>, total: number): Promise<SweepForTables> {
  const spec = { name: id, family, parameters, seeds: [] };
  await prisma.$executeRaw`
    INSERT INTO "Sweep" (id, name, family, spec, "specHash", "workflowId", status, total)
    VALUES (${id}, ${id}, ${family}, ${JSON.stringify(spec)}::jsonb, ${id}, ${`wf-${id}`}, 'completed', ${total})`;
  return { id, family, spec };
}

/** 100,000 finished trials of a transfer-like grid: the value of i picks every parameter and the seed. */
async function insertTrialSweep(): Promise<SweepForTables> {
  const total = STRATEGIES.length * PAIRS.length * ARCHS.length * RATES.length * SEEDS;
  const sweep = await insertSweep('bench-trials', 'transfer', { strategy: STRATEGIES, pair: PAIRS, arch: ARCHS, learningRate: RATES, epochs: 20 }, total);
  await prisma.$executeRaw`
    INSERT INTO "Trial" (key, family, "codeVersion", params, seed, status, summary)
    SELECT 'bench-trials-' || i, 'transfer', 'transfer@2',
      jsonb_build_object(
        'strategy', (${STRATEGIES}::text[])[1 + i % 5],
        'pair', (${PAIRS}::text[])[1 + (i / 5) % 8],
        'arch', (${ARCHS}::text[])[1 + (i / 40) % 5],
        'learningRate', (${RATES}::float8[])[1 + (i / 200) % 10],
        'epochs', 20, 'batchSize', 32, 'optimizer', 'adam'),
      i / 2000, 'done',
      jsonb_build_object('testAccuracy', 0.5 + 0.05 * (i % 5) + random() / 10, 'loss', random(), 'trainSeconds', 60 * random())
    FROM generate_series(0, ${total - 1}) AS i`;
  await prisma.$executeRaw`
    INSERT INTO "SweepTrial" ("sweepId", "trialId", index)
    SELECT ${sweep.id}, id, row_number() OVER (ORDER BY id) - 1 FROM "Trial" WHERE key LIKE 'bench-trials-%'`;
  return sweep;
}

const STEP_TRIALS = 10_000;
const STEPS = 50;

/** 10,000 corruption-like trials, each reporting eps and two metrics at 50 steps. */
async function insertStepSweep(): Promise<SweepForTables> {
  const sweep = await insertSweep(
    'bench-steps',
    'corruption',
    { arch: ['mlp', 'cnn', 'lstm', 'gru', 'resnet'], training: ['normal', 'resistant'], norm: ['L2', 'Linf'], width: [16, 32, 64, 128, 256], target: 'all' },
    STEP_TRIALS,
  );
  await prisma.$executeRaw`
    INSERT INTO "Trial" (key, family, "codeVersion", params, seed, status, summary)
    SELECT 'bench-steps-' || i, 'corruption', 'corruption@1',
      jsonb_build_object(
        'arch', (ARRAY['mlp', 'cnn', 'lstm', 'gru', 'resnet'])[1 + i % 5],
        'training', (ARRAY['normal', 'resistant'])[1 + (i / 5) % 2],
        'norm', (ARRAY['L2', 'Linf'])[1 + (i / 10) % 2],
        'width', (ARRAY[16, 32, 64, 128, 256])[1 + (i / 20) % 5],
        'target', 'all'),
      i / 100, 'done', jsonb_build_object('loss', random())
    FROM generate_series(0, ${STEP_TRIALS - 1}) AS i`;
  await prisma.$executeRaw`
    INSERT INTO "SweepTrial" ("sweepId", "trialId", index)
    SELECT ${sweep.id}, id, row_number() OVER (ORDER BY id) - 1 FROM "Trial" WHERE key LIKE 'bench-steps-%'`;
  await prisma.$executeRaw`
    INSERT INTO "Metric" ("trialId", name, step, value)
    SELECT t.id, m.name, s, CASE m.name WHEN 'eps' THEN 0.001 * power(1.2, s) ELSE random() END
    FROM "Trial" t CROSS JOIN generate_series(0, ${STEPS - 1}) AS s
      CROSS JOIN (VALUES ('eps'), ('lossIncrease.gradient'), ('accuracy.gradient')) AS m(name)
    WHERE t.key LIKE 'bench-steps-%'`;
  return sweep;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median seconds of `sweep table`'s work for a layout (SQL, models, Markdown), and the cell count. */
async function timeTable(sweep: SweepForTables, flags: LayoutOverrides): Promise<{ median: number; min: number; cells: number }> {
  const layout = mergeLayout(null, flags);
  const times: number[] = [];
  let cells = 0;
  for (let r = 0; r < reps; r++) {
    const started = performance.now();
    const tables = await sweepTables(prisma, sweep, layout);
    formatTables(tables, 'md');
    times.push(seconds(started));
    cells = tables.sections.flatMap((s) => s.tables).reduce((sum, t) => sum + t.rows.length * t.columns.length, 0);
  }
  return { median: median(times), min: Math.min(...times), cells };
}

/** The way `sweep table` worked before: every trial's row into Node, aggregated there (once). */
async function timeInNode(prismaClient: PrismaClient, sweepId: string, metric: string, rowKeys: string[], columnKeys: string[], byKeys: string[], axes: string[]): Promise<number> {
  const started = performance.now();
  const rows = axes.length === 0 ? await metricRowsOfSweep(prismaClient, sweepId, metric) : rowsFromSeries(await metricSeriesOfSweep(prismaClient, sweepId, [metric, ...axes]), metric, axes);
  for (const group of splitBy(rows, byKeys)) aggregate(group.rows, { rowKeys, columnKeys });
  return seconds(started);
}

try {
  await migrateDatabase(postgres.url);
  let started = performance.now();
  const trialSweep = await insertTrialSweep();
  const stepSweep = await insertStepSweep();
  await prisma.$executeRawUnsafe('ANALYZE');
  console.log(`inserted 100,000 trials and 10,000 trials × ${STEPS} steps × 3 metrics in ${seconds(started).toFixed(1)} s (Postgres at ${dataDir}, ${reps} repetitions each)\n`);

  const cases: { name: string; sweep: SweepForTables; flags: LayoutOverrides; units: number; unit: string; node?: () => Promise<number> }[] = [
    {
      name: '100k trials: rows strategy,learningRate  cols pair  by arch (2,000 cells of 50)',
      sweep: trialSweep,
      flags: { rowKeys: ['strategy', 'learningRate'], columnKeys: ['pair'], byKeys: ['arch'], metrics: ['testAccuracy'], best: 'max' },
      units: 100_000,
      unit: 'trials',
      node: () => timeInNode(prisma, trialSweep.id, 'testAccuracy', ['strategy', 'learningRate'], ['pair'], ['arch'], []),
    },
    {
      name: '100k trials, the same with --baseline strategy=target-only (paired over seeds)',
      sweep: trialSweep,
      flags: { rowKeys: ['strategy', 'learningRate'], columnKeys: ['pair'], byKeys: ['arch'], metrics: ['testAccuracy'], best: 'max', baseline: [['strategy', 'target-only']] },
      units: 100_000,
      unit: 'trials',
    },
    {
      name: '100k trials: rows strategy  cols pair  --where arch=cnn (40 cells of 500, learningRate pooled)',
      sweep: trialSweep,
      flags: { rowKeys: ['strategy'], columnKeys: ['pair'], where: [['arch', 'cnn']], metrics: ['testAccuracy'] },
      units: 20_000,
      unit: 'trials',
    },
    {
      name: '10k trials × 50 steps: rows arch,training  cols eps  by norm,width (per-step axis)',
      sweep: stepSweep,
      flags: { rowKeys: ['arch', 'training'], columnKeys: ['eps'], byKeys: ['norm', 'width'], metrics: ['lossIncrease.gradient'] },
      units: STEP_TRIALS * STEPS,
      unit: 'steps',
      node: () => timeInNode(prisma, stepSweep.id, 'lossIncrease.gradient', ['arch', 'training'], ['eps'], ['norm', 'width'], ['eps']),
    },
    {
      name: '10k trials × 50 steps, two metrics side by side (--cols metric, rows eps)',
      sweep: stepSweep,
      flags: { rowKeys: ['eps'], columnKeys: ['metric'], byKeys: ['arch'], metrics: ['lossIncrease.gradient', 'accuracy.gradient'] },
      units: 2 * STEP_TRIALS * STEPS,
      unit: 'steps',
    },
  ];

  for (const c of cases) {
    const t = await timeTable(c.sweep, c.flags);
    const rate = Math.round(c.units / t.median).toLocaleString('en');
    console.log(`${c.name}\n  sweep table (SQL):  median ${(t.median * 1000).toFixed(0)} ms, min ${(t.min * 1000).toFixed(0)} ms, ${rate} ${c.unit}/s, ${t.cells} cells`);
    if (c.node) {
      const node = await c.node();
      console.log(`  rows into Node:     ${(node * 1000).toFixed(0)} ms once (${(node / t.median).toFixed(1)}× the SQL table)`);
    }
  }
} finally {
  await prisma.$disconnect();
  await stopPostgres(dataDir);
  rmSync(dir, { recursive: true, force: true });
}
