/**
 * The plots' SQL aggregation against a real Postgres: the means, sample
 * standard deviations and counts it returns per configuration, metric and x
 * equal those computed directly from the rows written, and only finished
 * trials count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { plotPoints } from '../../src/db/plot-query';
import type { PlotPoint } from '../../src/experiments/charts/plot-kind';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { seedSweep, type SeededTrial } from '../support/seeded-sweep';

let server: TestPostgres;
let prisma: PrismaClient;

beforeAll(async () => {
  server = await startTestPostgres();
  const url = await server.database('plot_query_it');
  await migrateDatabase(url);
  prisma = createPrisma(url);
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await server?.stop();
}, 60_000);

/** A seeded stream of numbers in [0, 1): the same data on every run. */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const CONFIGS = [
  { arch: 'mlp', lr: 0.01 },
  { arch: 'cnn', lr: 0.01 },
  { arch: 'mlp', lr: 0.1 },
];
const EPS = [0.01, 0.1, 1];

/** Per configuration and seed: curves mi.1, mi.2, miStderr.1 and loss at steps 1..4, corruption metrics at steps 0..2 with their eps, a summary. */
function trials(): SeededTrial[] {
  const next = numbers(7);
  const out: SeededTrial[] = [];
  for (const params of CONFIGS) {
    for (const seed of [1, 2, 3, 4]) {
      const points = [];
      for (let step = 1; step <= 4; step++) {
        for (const name of ['mi.1', 'mi.2', 'miStderr.1', 'loss']) points.push({ name, step, value: next() * 3 });
      }
      EPS.forEach((eps, step) => {
        points.push({ name: 'eps', step, value: eps });
        points.push({ name: 'lossIncrease.gradient', step, value: eps * 10 * next() });
      });
      const summary = { testAccuracy: next(), 'inactive.1': Math.floor(next() * 10) };
      // Seed 4 of each configuration does not finish: it must not count.
      const outcome: SeededTrial['outcome'] =
        seed === 4 ? (params.arch === 'cnn' ? { status: 'failed', message: 'NaN loss' } : { status: 'pending' }) : { status: 'done', summary, points, durationMs: 1000 };
      out.push({ params, seed, outcome });
    }
  }
  return out;
}

const seeded = trials();

/** A point's identity; params sorted by key, since Postgres' jsonb keeps no key order. */
function pointId(params: Record<string, unknown>, metric: string, x: number | null): string {
  return JSON.stringify([Object.entries(params).sort(([a], [b]) => a.localeCompare(b)), metric, x]);
}

/** mean, sample std and n of `value` over the done trials, per configuration and x. */
function direct(metric: string, valueAt: (t: SeededTrial & { outcome: { status: 'done' } }) => Map<number | null, number>) {
  const groups = new Map<string, number[]>();
  for (const t of seeded) {
    if (t.outcome.status !== 'done') continue;
    for (const [x, value] of valueAt(t as SeededTrial & { outcome: { status: 'done' } })) {
      const id = pointId(t.params, metric, x);
      groups.set(id, [...(groups.get(id) ?? []), value]);
    }
  }
  return new Map(
    [...groups].map(([id, values]) => {
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
      return [id, { mean, std, n: values.length }];
    }),
  );
}

function expectMatches(points: PlotPoint[], expected: Map<string, { mean: number; std: number; n: number }>) {
  expect(points).toHaveLength(expected.size);
  for (const p of points) {
    const want = expected.get(pointId(p.params, p.metric, p.x));
    expect(want, JSON.stringify(p)).toBeDefined();
    expect(p.n).toBe(want!.n);
    expect(p.mean).toBeCloseTo(want!.mean, 12);
    expect(p.std).toBeCloseTo(want!.std, 12);
  }
}

describe('plotPoints', () => {
  beforeAll(async () => {
    await seedSweep(prisma, { id: 'sweep-plot-it-1', name: 'plot-it', family: 'train', spec: {}, trials: seeded });
  });

  it('aggregates curves per configuration, metric and step in SQL, over finished trials only', async () => {
    const points = await plotPoints(prisma, 'sweep-plot-it-1', { from: 'steps', metrics: ['mi.*'] });
    const expected = new Map([
      ...direct('mi.1', (t) => new Map(t.outcome.points.filter((p) => p.name === 'mi.1').map((p) => [p.step, p.value]))),
      ...direct('mi.2', (t) => new Map(t.outcome.points.filter((p) => p.name === 'mi.2').map((p) => [p.step, p.value]))),
    ]);
    expectMatches(points, expected);
    // `mi.*` is one name part: not miStderr.1.
    expect(new Set(points.map((p) => p.metric))).toEqual(new Set(['mi.1', 'mi.2']));
    expect(points.every((p) => p.n === 3)).toBe(true);
  });

  it('puts a metric reported at the same step on x (corruption: eps)', async () => {
    const points = await plotPoints(prisma, 'sweep-plot-it-1', { from: 'steps', metrics: ['lossIncrease.gradient'], x: 'eps' });
    const expected = direct('lossIncrease.gradient', (t) => {
      const eps = new Map(t.outcome.points.filter((p) => p.name === 'eps').map((p) => [p.step, p.value]));
      return new Map(t.outcome.points.filter((p) => p.name === 'lossIncrease.gradient').map((p) => [eps.get(p.step)!, p.value]));
    });
    expectMatches(points, expected);
    expect([...new Set(points.map((p) => p.x))].sort()).toEqual(EPS);
  });

  it('reads one value per trial from its summary, else the last step of its curve', async () => {
    const points = await plotPoints(prisma, 'sweep-plot-it-1', { from: 'finals', metrics: ['testAccuracy', 'inactive.*', 'loss'] });
    const expected = new Map([
      ...direct('testAccuracy', (t) => new Map([[null, t.outcome.summary.testAccuracy!]])),
      ...direct('inactive.1', (t) => new Map([[null, t.outcome.summary['inactive.1']!]])),
      // Not in the summary: the curve's last step.
      ...direct('loss', (t) => new Map([[null, t.outcome.points.filter((p) => p.name === 'loss').at(-1)!.value]])),
    ]);
    expectMatches(points, expected);
  });

  it('returns configurations in the sweep order, then the metrics in the order asked', async () => {
    const points = await plotPoints(prisma, 'sweep-plot-it-1', { from: 'finals', metrics: ['testAccuracy', 'inactive.*'] });
    expect(points.map((p) => [p.params.arch, p.params.lr, p.metric])).toEqual(
      CONFIGS.flatMap((c) => [
        [c.arch, c.lr, 'testAccuracy'],
        [c.arch, c.lr, 'inactive.1'],
      ]),
    );
  });

  it('returns nothing for a metric no trial reports', async () => {
    expect(await plotPoints(prisma, 'sweep-plot-it-1', { from: 'steps', metrics: ['orthError'] })).toEqual([]);
    expect(await plotPoints(prisma, 'sweep-plot-it-1', { from: 'finals', metrics: ['regions'] })).toEqual([]);
  });
});
