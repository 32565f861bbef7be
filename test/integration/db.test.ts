/**
 * The results database against a real Postgres (a private cluster started for
 * this file): migrations, sweep registration, and the idempotence of every
 * trial write.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { defaultMigrationsDir, migrateDatabase, readMigrations } from '../../src/db/migrate';
import { findSweep, listSweeps, registerSweep, setSweepStatus, sweepCounts } from '../../src/db/sweeps';
import { metricRowsOfSweep } from '../../src/db/table-query';
import {
  markTrialStarted,
  nextPendingTrials,
  recordTrialFailure,
  recordTrialResult,
  trialsOfSweep,
} from '../../src/db/trials';
import type { TrialParams, TrialSpec } from '../../src/sweep/trial';
import { ensurePostgres, postgresStatus } from '../../src/stack/postgres';
import { startTestPostgres, type TestPostgres } from '../support/postgres';

let server: TestPostgres;
let url: string;
let prisma: PrismaClient;

beforeAll(async () => {
  server = await startTestPostgres();
  url = await server.database('db_test');
  prisma = createPrisma(url);
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await server?.stop();
}, 60_000);

function spec(family: string, params: TrialParams, seed: number, index: number): TrialSpec {
  const key = createHash('sha256').update(JSON.stringify({ family, params, seed })).digest('hex');
  return { key, family, codeVersion: `${family}@1`, params, seed, index };
}

/** A grid of `n` trials of family `family` (distinct keys per family/tag). */
function grid(family: string, n: number, tag = ''): TrialSpec[] {
  return Array.from({ length: n }, (_, i) => spec(family, { lr: 0.01 * ((i % 7) + 1), tag, i }, i % 3, i));
}

async function register(id: string, trials: TrialSpec[], name = id) {
  return registerSweep(prisma, {
    id,
    name,
    family: trials[0]?.family ?? 'noop',
    preset: 'small',
    spec: { name, grid: { lr: [0.01, 0.02] } },
    specHash: `hash-${id}`,
    workflowId: `wf-${id}`,
    trials,
  });
}

function result(key: string, points = [{ name: 'acc', step: 1, value: 0.5 }, { name: 'acc', step: 2, value: 0.75 }]) {
  return {
    key,
    backend: 'cpu',
    backendVersion: 'tfjs 4.22.0',
    device: 'CPU, pure JavaScript',
    summary: { acc: 0.75 },
    points,
    startedAt: new Date(Date.now() - 1500),
    finishedAt: new Date(),
    host: 'test-host',
    attempt: 1,
  };
}

async function metricCount(key: string): Promise<number> {
  return prisma.metric.count({ where: { trial: { key } } });
}

describe('ensurePostgres', () => {
  it.skipIf(Boolean(process.env.SWEEPLAB_TEST_PG_URL))('returns the running server when called again', async () => {
    const dataDir = server.dataDir!;
    const before = postgresStatus(dataDir);
    expect(before.running).toBe(true);
    // A different port is ignored: the cluster is already up where it is.
    const again = await ensurePostgres({ dataDir, port: 1 });
    expect(again).toMatchObject({ url: server.url, pid: before.pid, passwordCreated: false });
  });
});

describe('migrateDatabase', () => {
  it('applies the committed migrations once, recorded as Prisma records them', async () => {
    const migrations = readMigrations(defaultMigrationsDir());
    expect(migrations.length).toBeGreaterThan(0);

    const first = await migrateDatabase(url);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await migrateDatabase(url);
    expect(second.applied).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT id, checksum, migration_name, finished_at, rolled_back_at, logs, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows).toHaveLength(migrations.length);
      for (const [i, m] of migrations.entries()) {
        const fileSql = readFileSync(join(defaultMigrationsDir(), m.name, 'migration.sql'));
        const r = rows[i];
        expect(r.migration_name).toBe(m.name);
        expect(r.checksum).toBe(createHash('sha256').update(fileSql).digest('hex'));
        expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(r.finished_at).toBeInstanceOf(Date);
        expect(r.rolled_back_at).toBeNull();
        expect(r.logs).toBeNull();
        expect(r.applied_steps_count).toBe(1);
      }
      const tables = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.rows.map((t) => t.table_name)).toEqual(
        ['Artifact', 'Metric', 'Sweep', 'SweepTrial', 'Trial', '_prisma_migrations'],
      );
    } finally {
      await client.end();
    }
  });

  it('is safe when two processes migrate the same database at once', async () => {
    const fresh = await server.database('db_race');
    const results = await Promise.all([migrateDatabase(fresh), migrateDatabase(fresh), migrateDatabase(fresh)]);
    const names = readMigrations(defaultMigrationsDir()).map((m) => m.name);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(names.sort());
    const client = new pg.Client({ connectionString: fresh });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    await client.end();
    expect(rows[0].n).toBe(names.length);
  });

  it('refuses when an applied migration was edited afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweeplab-migrations-'));
    try {
      cpSync(defaultMigrationsDir(), dir, { recursive: true });
      const name = readMigrations(dir)[0]!.name;
      const file = join(dir, name, 'migration.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited\n`);
      await expect(migrateDatabase(url, { migrationsDir: dir })).rejects.toThrow(/modified after it was applied/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration completely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweeplab-migrations-'));
    try {
      cpSync(defaultMigrationsDir(), dir, { recursive: true });
      const bad = join(dir, '99990101000000_broken');
      cpSync(join(dir, readMigrations(dir)[0]!.name), bad, { recursive: true });
      writeFileSync(join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n');
      await expect(migrateDatabase(url, { migrationsDir: dir })).rejects.toThrow(/99990101000000_broken failed/);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const half = await client.query(`SELECT to_regclass('"Half"') AS t`);
      const rows = await client.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name LIKE '9999%'`);
      await client.end();
      expect(half.rows[0].t).toBeNull();
      expect(rows.rowCount).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('registerSweep', () => {
  it('is idempotent, and links a trial another sweep already has instead of duplicating it', async () => {
    const trials = grid('reg', 5);
    expect(await register('sweep-a', trials)).toEqual({ total: 5, alreadyFinished: 0, reused: [] });
    expect(await register('sweep-a', trials)).toEqual({ total: 5, alreadyFinished: 0, reused: [] });
    expect(await prisma.sweepTrial.count({ where: { sweepId: 'sweep-a' } })).toBe(5);
    expect(await prisma.trial.count({ where: { family: 'reg' } })).toBe(5);

    // Finish one; a second sweep contains it, another of A's trials and a new one.
    await markTrialStarted(prisma, { key: trials[0]!.key, attempt: 1, host: 'h', codeRevision: 'rev-a' });
    await recordTrialResult(prisma, result(trials[0]!.key));
    const extra = spec('reg', { lr: 1, tag: 'new', i: 99 }, 0, 2);
    const b = [{ ...trials[0]!, index: 0 }, { ...trials[3]!, index: 1 }, extra];
    // Submit reports what it reuses, and which code revision computed it.
    expect(await register('sweep-b', b)).toEqual({ total: 3, alreadyFinished: 1, reused: [{ codeRevision: 'rev-a', count: 1 }] });
    expect((await prisma.trial.findUniqueOrThrow({ where: { key: extra.key } })).codeVersion).toBe('reg@1');
    expect(await prisma.trial.count({ where: { family: 'reg' } })).toBe(6);

    const shared = await prisma.trial.findUniqueOrThrow({
      where: { key: trials[0]!.key },
      include: { sweeps: { orderBy: { sweepId: 'asc' } } },
    });
    expect(shared.sweeps.map((l) => [l.sweepId, l.index])).toEqual([
      ['sweep-a', 0],
      ['sweep-b', 0],
    ]);
    expect(await sweepCounts(prisma, 'sweep-b')).toEqual({
      total: 3,
      pending: 2,
      running: 0,
      done: 1,
      failed: 0,
      error: 0,
    });
  });

  it('registers 10,000 trials, and again idempotently', async () => {
    const trials = grid('big', 10_000);
    const t0 = performance.now();
    const first = await register('sweep-big', trials);
    const firstMs = performance.now() - t0;
    const t1 = performance.now();
    const again = await register('sweep-big', trials);
    const againMs = performance.now() - t1;
    console.log(`registerSweep(10,000 trials): first ${firstMs.toFixed(0)} ms, again ${againMs.toFixed(0)} ms`);
    expect(first).toEqual({ total: 10_000, alreadyFinished: 0, reused: [] });
    expect(again).toEqual(first);
    expect(await prisma.sweepTrial.count({ where: { sweepId: 'sweep-big' } })).toBe(10_000);
  }, 60_000);
});

describe('trial writes', () => {
  it('recordTrialResult writes one set of metrics, even when called twice or concurrently', async () => {
    const trials = grid('rec', 2);
    await register('sweep-rec', trials);
    const points = Array.from({ length: 50 }, (_, i) => ({ name: i % 2 ? 'loss' : 'acc', step: i, value: i / 50 }));

    const once = await recordTrialResult(prisma, result(trials[0]!.key, points));
    const twice = await recordTrialResult(prisma, result(trials[0]!.key, points));
    expect([once.written, twice.written]).toEqual([true, false]);
    expect(await metricCount(trials[0]!.key)).toBe(50);

    const racing = await Promise.all(
      Array.from({ length: 5 }, () => recordTrialResult(prisma, result(trials[1]!.key, points))),
    );
    expect(racing.filter((r) => r.written)).toHaveLength(1);
    expect(await metricCount(trials[1]!.key)).toBe(50);

    const row = await prisma.trial.findUniqueOrThrow({ where: { key: trials[1]!.key } });
    expect(row.status).toBe('done');
    expect(row.summary).toEqual({ acc: 0.75 });
    expect(row.backend).toBe('cpu');
    expect(row.backendVersion).toBe('tfjs 4.22.0');
    expect(row.device).toBe('CPU, pure JavaScript');
    expect(row.durationMs).toBeGreaterThanOrEqual(1400);
    expect(row.durationMs).toBeLessThan(5000);
  });

  it('recordTrialResult refuses an attempt older than the latest started (a cut-off worker finishing late)', async () => {
    const [trial] = grid('stale', 1);
    await register('sweep-stale', [trial!]);
    await markTrialStarted(prisma, { key: trial!.key, attempt: 1, host: 'cut-off', codeRevision: 'rev' });
    // Its heartbeat timed out: Temporal retried the trial on another worker.
    await markTrialStarted(prisma, { key: trial!.key, attempt: 2, host: 'other', codeRevision: 'rev' });
    expect(await recordTrialResult(prisma, { ...result(trial!.key), attempt: 1, host: 'cut-off' })).toEqual({ written: false, stale: true });
    let row = await prisma.trial.findUniqueOrThrow({ where: { key: trial!.key } });
    expect([row.status, row.host, row.attempts]).toEqual(['running', 'other', 2]);
    expect(await metricCount(trial!.key)).toBe(0);
    expect(await recordTrialResult(prisma, { ...result(trial!.key), attempt: 2, host: 'other' })).toEqual({ written: true });
    row = await prisma.trial.findUniqueOrThrow({ where: { key: trial!.key } });
    expect([row.status, row.host, row.attempts]).toEqual(['done', 'other', 2]);
    expect(await metricCount(trial!.key)).toBe(2);
  });

  it('recordTrialFailure never overwrites done, and infra errors never overwrite final failures', async () => {
    const [done, other] = grid('fail', 2);
    await register('sweep-fail', [done!, other!]);
    await recordTrialResult(prisma, result(done!.key));
    const failure = { message: 'NaN loss', attempt: 2, host: 'h' };

    expect(await recordTrialFailure(prisma, { key: done!.key, kind: 'math', ...failure })).toEqual({ written: false });
    expect((await prisma.trial.findUniqueOrThrow({ where: { key: done!.key } })).status).toBe('done');
    expect(await metricCount(done!.key)).toBe(2);

    await recordTrialFailure(prisma, { key: other!.key, kind: 'infra', ...failure, message: 'worker lost' });
    let row = await prisma.trial.findUniqueOrThrow({ where: { key: other!.key } });
    expect([row.status, row.failureKind, row.error, row.attempts]).toEqual(['error', 'infra', 'worker lost', 2]);

    await recordTrialFailure(prisma, { key: other!.key, kind: 'input', ...failure, message: 'bad shape' });
    expect(await recordTrialFailure(prisma, { key: other!.key, kind: 'infra', ...failure })).toEqual({ written: false });
    row = await prisma.trial.findUniqueOrThrow({ where: { key: other!.key } });
    expect([row.status, row.failureKind, row.error]).toEqual(['failed', 'input', 'bad shape']);

    await expect(recordTrialFailure(prisma, { key: 'nope', kind: 'math', ...failure })).rejects.toThrow(/no trial/);
  });

  it('markTrialStarted marks pending/error trials running and reports finished ones', async () => {
    const [a, b, c] = grid('start', 3);
    await register('sweep-start', [a!, b!, c!]);
    await recordTrialResult(prisma, result(a!.key));
    await recordTrialFailure(prisma, { key: b!.key, kind: 'math', message: 'diverged', attempt: 1, host: 'h' });

    const start = { attempt: 3, host: 'w1', codeRevision: 'abc123' };
    expect(await markTrialStarted(prisma, { key: a!.key, ...start })).toEqual({ alreadyFinished: 'done' });
    expect(await markTrialStarted(prisma, { key: b!.key, ...start })).toEqual({ alreadyFinished: 'failed' });
    expect(await markTrialStarted(prisma, { key: c!.key, ...start })).toEqual({ alreadyFinished: null });
    const row = await prisma.trial.findUniqueOrThrow({ where: { key: c!.key } });
    expect([row.status, row.attempts, row.host, row.codeRevision]).toEqual(['running', 3, 'w1', 'abc123']);
    expect(row.startedAt).toBeInstanceOf(Date);
    expect((await prisma.trial.findUniqueOrThrow({ where: { key: a!.key } })).status).toBe('done');
  });

  it('nextPendingTrials pages through unfinished trials in index order', async () => {
    const trials = grid('page', 25);
    await register('sweep-page', trials);
    const finished = new Set([0, 3, 4, 10, 24]);
    for (const i of finished) {
      if (i === 10) {
        await recordTrialFailure(prisma, { key: trials[i]!.key, kind: 'math', message: 'x', attempt: 1, host: 'h' });
      } else {
        await recordTrialResult(prisma, result(trials[i]!.key));
      }
    }
    // An infra error is not final: it is offered again.
    await recordTrialFailure(prisma, { key: trials[5]!.key, kind: 'infra', message: 'lost', attempt: 3, host: 'h' });

    const seen: TrialSpec[] = [];
    let cursor = -1;
    let pages = 0;
    for (;;) {
      const page = await nextPendingTrials(prisma, { sweepId: 'sweep-page', afterIndex: cursor, limit: 7 });
      if (page.length === 0) break;
      pages++;
      expect(page.length).toBeLessThanOrEqual(7);
      seen.push(...page);
      cursor = page[page.length - 1]!.index;
    }
    const expected = trials.filter((t) => !finished.has(t.index));
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
    expect((await trialsOfSweep(prisma, 'sweep-page')).map((t) => t.index)).toEqual(trials.map((t) => t.index));
  });
});

describe('sweeps and tables', () => {
  it('setSweepStatus stamps start and finish; findSweep resolves ids and names', async () => {
    const trials = grid('status', 2);
    await register('sweep-status-1', trials, 'status-sweep');
    await new Promise((r) => setTimeout(r, 10)); // distinct createdAt
    await register('sweep-status-2', trials, 'status-sweep');

    let s = await setSweepStatus(prisma, 'sweep-status-2', 'running');
    expect(s.startedAt).toBeInstanceOf(Date);
    expect(s.finishedAt).toBeNull();
    s = await setSweepStatus(prisma, 'sweep-status-2', 'completed');
    expect(s.finishedAt!.getTime()).toBeGreaterThanOrEqual(s.startedAt!.getTime());
    s = await setSweepStatus(prisma, 'sweep-status-2', 'running');
    expect(s.finishedAt).toBeNull();
    await expect(setSweepStatus(prisma, 'no-such-sweep', 'running')).rejects.toThrow(/no sweep/);

    expect((await findSweep(prisma, 'sweep-status-1'))?.id).toBe('sweep-status-1');
    expect((await findSweep(prisma, 'status-sweep'))?.id).toBe('sweep-status-2');
    expect(await findSweep(prisma, 'unknown')).toBeNull();
    const listed = await listSweeps(prisma, 2);
    expect(listed.map((x) => x.id)).toEqual(['sweep-status-2', 'sweep-status-1']);
  });

  it('metricRowsOfSweep takes the summary value, else the last step of the series', async () => {
    const trials = grid('table', 3);
    await register('sweep-table', trials);
    // Summary has acc: it wins over the series' last step.
    await recordTrialResult(prisma, { ...result(trials[0]!.key), summary: { acc: 0.9 } });
    // No summary entry: last step (3) of the series.
    await recordTrialResult(prisma, {
      ...result(trials[1]!.key, [
        { name: 'acc', step: 3, value: 0.6 },
        { name: 'acc', step: 1, value: 0.1 },
        { name: 'loss', step: 9, value: 5 },
      ]),
      summary: { loss: 1 },
    });
    const rows = await metricRowsOfSweep(prisma, 'sweep-table', 'acc');
    expect(rows).toEqual([
      { params: trials[0]!.params, seed: trials[0]!.seed, status: 'done', value: 0.9 },
      { params: trials[1]!.params, seed: trials[1]!.seed, status: 'done', value: 0.6 },
      { params: trials[2]!.params, seed: trials[2]!.seed, status: 'pending', value: null },
    ]);
  });
});
