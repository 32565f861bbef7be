/**
 * The `transfer` family on the real stack: the Postgres artifact store and its
 * advisory lock across connections, and a small PTU sweep end to end (Temporal
 * server, two workers, trial processes) in which concurrent trials share one
 * source network that only one of them trains.
 */
import { describe, expect, it } from 'vitest';
import { getOrCreate } from '../../src/experiments/artifacts/get-or-create';
import { PostgresArtifactStore } from '../../src/experiments/artifacts/postgres-store';
import { SOURCE_ARTIFACT_KIND } from '../../src/experiments/transfer/source';
import { useTestStack } from '../support/stack';
import { runCli } from '../support/workers';

// Two single-slot workers, as on two machines: their first trials both need the source.
const stack = useTestStack({ database: 'transfer_it' });

describe('the Postgres artifact store', () => {
  it('builds once when two connections miss the same key at the same time, and stores the bytes', async () => {
    const [a, b] = await Promise.all([PostgresArtifactStore.connect(stack.databaseUrl), PostgresArtifactStore.connect(stack.databaseUrl)]);
    try {
      let builds = 0;
      const build = async () => {
        builds++;
        await new Promise((r) => setTimeout(r, 300)); // the other connection arrives and waits on the lock
        return { bytes: new Uint8Array([1, 2, 3, 255]), meta: { note: 'it' } };
      };
      const results = await Promise.all([getOrCreate(a, 'it-key', 'test', build), getOrCreate(b, 'it-key', 'test', build)]);
      expect(builds).toBe(1);
      expect(results.map((r) => r.reused).sort()).toEqual([false, true]);
      for (const r of results) expect([...r.artifact.bytes]).toEqual([1, 2, 3, 255]);
      const row = await stack.prisma.artifact.findUniqueOrThrow({ where: { key: 'it-key' } });
      expect(row.kind).toBe('test');
      expect(row.meta).toEqual({ note: 'it' });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a lock held by a connection that dies is released, so the next caller builds', async () => {
    const holder = await PostgresArtifactStore.connect(stack.databaseUrl);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holding = holder.withLock('it-dead', () => held).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    // The holder's process "dies": its connection is terminated by the server.
    await stack.prisma.$executeRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()`,
    );
    const next = await PostgresArtifactStore.connect(stack.databaseUrl);
    try {
      const got = await getOrCreate(next, 'it-dead', 'test', async () => ({ bytes: new Uint8Array([7]), meta: {} }));
      expect(got.reused).toBe(false);
    } finally {
      release();
      await holding;
      await next.close();
      await holder.close().catch(() => undefined);
    }
  });
});

describe('a PTU sweep end to end', () => {
  it('runs every strategy, trains the shared source network once, and tabulates strategy × pair', async () => {
    const submit = await runCli(['submit', 'test/fixtures/transfer-tiny.ts', '--wait', '--json'], stack.env);
    expect(submit.code, `${submit.stderr}\n${stack.workers.map((w) => w.output().slice(-3000)).join('\n---\n')}`).toBe(0);
    const sweep = await stack.prisma.sweep.findFirstOrThrow({ where: { name: 'it-transfer-tiny' }, orderBy: { createdAt: 'desc' } });
    expect(sweep.status).toBe('completed');
    const trials = (await stack.prisma.sweepTrial.findMany({ where: { sweepId: sweep.id }, include: { trial: { include: { metrics: true } } } })).map((l) => l.trial);
    expect(trials).toHaveLength(8);
    const withSource = trials.filter((t) => (t.params as { strategy: string }).strategy !== 'target-only');
    expect(withSource).toHaveLength(6);
    for (const t of trials) {
      expect(t.status).toBe('done');
      // The backend a trial process picks on this host (native TensorFlow where infra/setup.sh built it).
      expect(t.backend).toBe(stack.hostBackend.backend);
      expect(t.backendVersion).toBe(stack.hostBackend.version);
      expect(t.device).toMatch(/^(CPU|GPU)/);
      const summary = t.summary as Record<string, number>;
      expect(summary.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(summary.testAccuracy).toBeLessThanOrEqual(1);
      expect(t.metrics.filter((m) => m.name === 'testLoss')).toHaveLength(4); // a loss curve: one point per epoch
    }
    // One source network for all of them: trained by exactly one trial, loaded by the rest.
    const summaries = withSource.map((t) => t.summary as Record<string, number>);
    expect(summaries.map((s) => s.sourceReused).sort()).toEqual([0, 1, 1, 1, 1, 1]);
    expect(new Set(summaries.map((s) => s.sourceTestAccuracy)).size).toBe(1);
    // 3 epochs on 400 digits: the source network learned something (chance is 0.1).
    expect(summaries[0]!.sourceTestAccuracy).toBeGreaterThan(0.3);
    const artifacts = await stack.prisma.artifact.findMany({ where: { kind: SOURCE_ARTIFACT_KIND } });
    expect(artifacts).toHaveLength(1);
    expect(artifacts[0]!.bytes!.length).toBeGreaterThan(4 * (784 * 8));
    // PTU trials say which transfer state they learned.
    for (const t of trials.filter((t) => (t.params as { strategy: string }).strategy === 'ptu')) {
      const s = t.summary as Record<string, number>;
      for (const gate of ['gateG1', 'gateR1', 'gateG2', 'gateR2']) expect(s[gate]).toBeGreaterThan(0);
    }

    const table = await runCli(
      ['table', 'it-transfer-tiny', '--rows', 'strategy', '--cols', 'pair', '--by', 'arch', '--metric', 'testAccuracy', '--best', 'max', '--format', 'csv'],
      stack.env,
    );
    expect(table.code, table.stderr).toBe(0);
    for (const text of ['ptu', 'share-k', 'target-only', 'mnist->mnist-inv', 'mnist->mnist-rot30']) expect(table.stdout).toContain(text);
  }, 300_000);
});
