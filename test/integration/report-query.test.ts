/**
 * The report's queries against a real Postgres: code revisions, backends and
 * hosts counted over the trials that ran, durations (total, median, max) as
 * computed directly, the varying parameters, and the failed trials in sweep order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { failedTrialsOf, trialProvenance, varyingParamsOfSweep } from '../../src/db/report-query';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { transferSweep } from '../support/report-sweeps';
import { seedSweep } from '../support/seeded-sweep';

let server: TestPostgres;
let prisma: PrismaClient;
const sweep = transferSweep();

beforeAll(async () => {
  server = await startTestPostgres();
  const url = await server.database('report_query_it');
  await migrateDatabase(url);
  prisma = createPrisma(url);
  await seedSweep(prisma, sweep);
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await server?.stop();
}, 60_000);

describe('report queries', () => {
  it('counts the code, backends and hosts behind the trials, and their durations', async () => {
    const provenance = await trialProvenance(prisma, sweep.id);
    const done = sweep.trials.flatMap((t) => (t.outcome.status === 'done' ? [t.outcome.durationMs] : []));
    expect(provenance.codeRevisions).toEqual([{ codeRevision: 'abc1234', codeVersion: 'transfer@1 training@2', trials: sweep.trials.length }]);
    expect(provenance.backends).toEqual([{ backend: 'tensorflow', backendVersion: '2.16.2', device: 'CPU, 2 threads', trials: done.length }]);
    // Failures ran on the default host.
    expect(provenance.hosts).toEqual([
      { host: 'cpu-box-1', trials: 20 },
      { host: 'gpu-box-2', trials: 10 },
      { host: 'test-host', trials: 2 },
    ]);
    const sorted = [...done].sort((a, b) => a - b);
    const median = (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    expect(provenance.durations).toEqual({ trials: done.length, totalMs: done.reduce((s, d) => s + d, 0), medianMs: median, maxMs: sorted.at(-1) });
  });

  it('names the parameters that vary', async () => {
    expect(await varyingParamsOfSweep(prisma, sweep.id)).toEqual(['pair', 'strategy']);
  });

  it('lists the failed and errored trials in sweep order, with their reasons, up to a limit', async () => {
    const all = await failedTrialsOf(prisma, sweep.id, 10);
    expect(all.total).toBe(2);
    expect(all.trials.map((t) => [t.index, t.status, t.failureKind, t.seed])).toEqual([
      [30, 'failed', 'math', 4],
      [31, 'error', 'infra', 4],
    ]);
    expect(all.trials[0]!.error).toMatch(/^TrialMathError: loss is NaN/);
    expect(all.trials[0]!.params).toMatchObject({ strategy: 'ptu', pair: 'mnist->fashion' });
    const first = await failedTrialsOf(prisma, sweep.id, 1);
    expect(first).toMatchObject({ total: 2, trials: [{ index: 30 }] });
  });
});
