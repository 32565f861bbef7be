/**
 * The whole path against real components: a Temporal dev server, a private
 * Postgres, worker processes started as `sweep worker`, and the real CLI.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { probeBackend, type BackendProbeReport } from '../../src/experiments/probe-backend';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { runCli, startTestWorker, type TestWorker } from '../support/workers';

let temporal: TestTemporal;
let postgres: TestPostgres;
let prisma: PrismaClient;
let env: Record<string, string>;
let client: Client;
const workers: TestWorker[] = [];

let hostBackend: BackendProbeReport;
beforeAll(async () => {
  [temporal, postgres] = await Promise.all([startTestTemporal(), startTestPostgres()]);
  await migrateDatabase(postgres.url);
  prisma = createPrisma(postgres.url);
  client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  env = { TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: postgres.url, SWEEP_STATE_DIR: mkdtempSync(join(tmpdir(), 'sweeplab-state-')) };
  hostBackend = await probeBackend({ ...process.env, ...env });
  // Two single-slot workers, as on two machines.
  workers.push(startTestWorker(env, ['--slots', '1']), startTestWorker(env, ['--slots', '1']));
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await prisma?.$disconnect();
  await client?.connection.close();
  await Promise.all([temporal?.stop(), postgres?.stop()]);
}, 60_000);

async function trialsOf(sweepName: string) {
  const sweep = await prisma.sweep.findFirstOrThrow({ where: { name: sweepName }, orderBy: { createdAt: 'desc' } });
  const links = await prisma.sweepTrial.findMany({
    where: { sweepId: sweep.id },
    orderBy: { index: 'asc' },
    include: { trial: { include: { metrics: true } } },
  });
  return { sweep, trials: links.map((l) => l.trial) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`);
}

describe('a train sweep end to end', () => {
  it('trains every trial, records rows and curves, and a resubmit runs nothing again', async () => {
    const first = await runCli(['submit', 'test/fixtures/train-tiny.ts', '--wait', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const submitted = JSON.parse(first.stdout.split('\n')[0]!);
    expect(submitted).toMatchObject({ total: 4, alreadyFinished: 0, started: true });

    const { sweep, trials } = await trialsOf('it-train-tiny');
    expect(sweep.status).toBe('completed');
    expect(trials).toHaveLength(4);
    for (const trial of trials) {
      expect(trial.status).toBe('done');
      expect(trial.attempts).toBe(1);
      // The backend a trial process picks on this host (native TensorFlow where infra/setup.sh built it).
      expect(trial.backend).toBe(hostBackend.backend);
      expect(trial.backendVersion).toBe(hostBackend.version);
      expect(trial.device).toMatch(/^(CPU|GPU)/);
      expect(trial.codeRevision).toBeTruthy();
      expect(trial.host).toMatch(/^\d+@/);
      expect(trial.durationMs).toBeGreaterThan(0);
      const summary = trial.summary as Record<string, number>;
      // Two epochs on 300 digits: well above chance (0.1), not a perfect score.
      expect(summary.testAccuracy).toBeGreaterThan(0.3);
      // 2 epochs × 4 curves, each point written once.
      const curves = trial.metrics.filter((m) => ['loss', 'accuracy', 'testLoss', 'testAccuracy'].includes(m.name));
      expect(curves).toHaveLength(8);
      expect(new Set(trial.metrics.map((m) => `${m.name}@${m.step}`)).size).toBe(trial.metrics.length);
    }
    const before = trials.map((t) => ({ key: t.key, startedAt: t.startedAt?.getTime(), metrics: t.metrics.length }));

    const again = await runCli(['submit', 'test/fixtures/train-tiny.ts', '--wait', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.split('\n')[0]!)).toMatchObject({ total: 4, alreadyFinished: 4 });
    const after = (await trialsOf('it-train-tiny')).trials;
    expect(after.map((t) => ({ key: t.key, startedAt: t.startedAt?.getTime(), metrics: t.metrics.length }))).toEqual(before);
    expect(after.every((t) => t.attempts === 1)).toBe(true);

    const table = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--cols', 'arch', '--metric', 'testAccuracy', '--format', 'csv'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/0\.01/);
    expect(table.stdout).toMatch(/n=2|,2\b/);

    // --where keeps only matching trials: one learning rate, so one row.
    const where = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--where', 'learningRate=0.01', '--metric', 'testAccuracy', '--format', 'csv'], env);
    expect(where.code, where.stderr).toBe(0);
    expect(where.stdout.trim().split('\n')).toHaveLength(2); // header + one row
    expect(where.stdout).toMatch(/^0\.01,/m);
    // --cols metric: the metrics side by side, in the order given, one row per learning rate.
    const side = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--cols', 'metric', '--metric', 'testAccuracy,loss', '--format', 'csv'], env);
    expect(side.code, side.stderr).toBe(0);
    const [header, ...lines] = side.stdout.trim().split('\n');
    expect(header).toMatch(/^learningRate,.*testAccuracy.*,.*loss/);
    expect(header!.indexOf('testAccuracy')).toBeLessThan(header!.indexOf('loss'));
    expect(lines.length).toBe(new Set(after.map((t) => (t.params as { learningRate: number }).learningRate)).size);
    const nothing = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--where', 'arch=cnn', '--metric', 'testAccuracy'], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/no trial .* has arch=cnn \(values present: arch: mlp\)/);
  }, 300_000);
});

describe('fault tolerance', () => {
  it('finishes a trial on another worker when its worker is killed mid-trial, with exactly one result', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-slow.ts', '--json'], env);
    expect(submit.code, submit.stderr).toBe(0);
    const running = await until('the trial to start', async () => {
      const { trials } = await trialsOf('it-noop-slow');
      return trials[0]?.status === 'running' ? trials[0] : null;
    });
    const victim = workers.find((w) => running.host?.startsWith(`${w.pid}@`));
    expect(victim, `no test worker ran ${running.host}`).toBeDefined();
    // Let it get going, then kill the worker outright (no graceful shutdown).
    await new Promise((r) => setTimeout(r, 1500));
    victim!.process.kill('SIGKILL');

    const done = await until(
      'the trial to finish on the other worker',
      async () => {
        const { trials } = await trialsOf('it-noop-slow');
        return trials[0]?.status === 'done' ? trials[0] : null;
      },
      90_000,
    );
    expect(done.attempts).toBe(2);
    expect(done.host).not.toBe(running.host);
    // One result: 12 progress points of 2 curves, once each, plus nothing from the killed attempt.
    expect(done.metrics).toHaveLength(24);
    expect(new Set(done.metrics.map((m) => `${m.name}@${m.step}`)).size).toBe(24);

    // Replace the killed worker so later tests have two again.
    workers.splice(workers.indexOf(victim!), 1, startTestWorker(env, ['--slots', '1']));
  }, 180_000);

  it('records a math failure without retrying it, and retries a crash until it gives up', async () => {
    const result = await runCli(['submit', 'test/fixtures/noop-failures.ts', '--wait', '--json'], env);
    expect(result.code).toBe(1); // failed trials make --wait exit 1
    const { sweep, trials } = await trialsOf('it-noop-failures');
    expect(sweep.status).toBe('failed');
    const byFail = Object.fromEntries(trials.map((t) => [(t.params as { fail: string }).fail, t]));
    expect(byFail.none).toMatchObject({ status: 'done', attempts: 1 });
    expect(byFail.math).toMatchObject({ status: 'failed', attempts: 1, failureKind: 'math' });
    expect(byFail.math!.error).toMatch(/TrialMathError|math/i);
    expect(byFail.crash).toMatchObject({ status: 'error', failureKind: 'infra' });
    expect(byFail.crash!.attempts).toBe(2);
  }, 180_000);
});

describe('controlling a running sweep', () => {
  it('a double submit starts nothing new; pause stops new trials until resume', async () => {
    const first = await runCli(['submit', 'test/fixtures/noop-pause.ts', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ total: 4, started: true });
    const second = await runCli(['submit', 'test/fixtures/noop-pause.ts', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ total: 4, started: false });

    expect((await runCli(['pause', 'it-noop-pause'], env)).code).toBe(0);
    // Whatever was running when the pause arrived finishes; then nothing new starts.
    await until('running trials to drain', async () => (await trialsOf('it-noop-pause')).trials.every((t) => t.status !== 'running'));
    const doneWhilePaused = (await trialsOf('it-noop-pause')).trials.filter((t) => t.status === 'done').length;
    await new Promise((r) => setTimeout(r, 3000));
    const later = (await trialsOf('it-noop-pause')).trials;
    expect(later.filter((t) => t.status === 'done').length).toBe(doneWhilePaused);
    expect(doneWhilePaused).toBeLessThan(4);
    const status = await runCli(['status', 'it-noop-pause', '--json'], env);
    expect(JSON.parse(status.stdout).workflow.progress).toMatchObject({ paused: true });

    expect((await runCli(['resume', 'it-noop-pause'], env)).code).toBe(0);
    const watch = await runCli(['watch', 'it-noop-pause'], env);
    expect(watch.code, watch.stdout).toBe(0);
    expect((await trialsOf('it-noop-pause')).trials.every((t) => t.status === 'done')).toBe(true);
  }, 120_000);
});

/** Waits until every trial of the sweep runs, and returns the sweep's workflow id. */
async function whenAllRunning(sweepName: string): Promise<string> {
  const { sweep } = await until(`every trial of ${sweepName} to run`, async () => {
    const state = await trialsOf(sweepName);
    return state.trials.every((t) => t.status === 'running') ? state : null;
  });
  return sweep.workflowId;
}

async function workflowStatus(workflowId: string): Promise<string> {
  return (await client.workflow.getHandle(workflowId).describe()).status.name;
}

describe('cancellation', () => {
  it('cancelling a sweep stops its running trials before it returns, and a resubmit right after runs them afresh', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-cancel.ts', '--json'], env);
    expect(submit.code, submit.stderr).toBe(0);
    const workflowId = await whenAllRunning('it-noop-cancel');

    const cancel = await runCli(['cancel', 'it-noop-cancel'], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    // `sweep cancel` returns once the children have stopped: no polling needed.
    const { sweep, trials } = await trialsOf('it-noop-cancel');
    expect(sweep.status).toBe('cancelled');
    expect(trials.map((t) => [t.status, t.error])).toEqual([['error', 'cancelled'], ['error', 'cancelled']]);
    expect(await workflowStatus(`${workflowId}/trial-0`)).toBe('CANCELLED');
    expect(await workflowStatus(`${workflowId}/trial-1`)).toBe('CANCELLED');

    const again = await runCli(['submit', 'test/fixtures/noop-cancel.ts', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 2, alreadyFinished: 0, started: true });
    await whenAllRunning('it-noop-cancel');
    expect((await runCli(['cancel', 'it-noop-cancel'], env)).code).toBe(0);
  }, 120_000);

  it('a trial child cancelled on its own (not by its sweep) counts as an error, and the next submission runs it', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-requeue.ts', '--json'], env);
    expect(submit.code, submit.stderr).toBe(0);
    const workflowId = await whenAllRunning('it-noop-requeue');
    await client.workflow.getHandle(`${workflowId}/trial-0`).cancel();

    // As a terminated child: the sweep runs on, counts it as an error, and closes failed.
    const watch = await runCli(['watch', 'it-noop-requeue'], env);
    expect(watch.code, watch.stdout + watch.stderr).toBe(1);
    const { sweep, trials } = await trialsOf('it-noop-requeue');
    expect(sweep.status).toBe('failed');
    expect(trials.map((t) => [t.status, t.error])).toEqual([['error', 'cancelled'], ['done', null]]);
    expect(trials[0]!.attempts).toBe(1);
    expect(await client.workflow.getHandle(workflowId).result()).toMatchObject({ done: 1, failed: 0, errored: 1 });

    // The next submission runs it (and only it) again.
    const again = await runCli(['submit', 'test/fixtures/noop-requeue.ts', '--wait', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.split('\n')[0]!)).toMatchObject({ total: 2, alreadyFinished: 1, started: true });
    const rerun = await trialsOf('it-noop-requeue');
    expect(rerun.sweep.status).toBe('completed');
    expect(rerun.trials.map((t) => t.status)).toEqual(['done', 'done']);
    expect(rerun.trials[1]!.startedAt).toEqual(trials[1]!.startedAt);
    expect(await client.workflow.getHandle(workflowId).result()).toMatchObject({ skipped: 1, done: 1, failed: 0, errored: 0 });
  }, 180_000);

  it('a trial child that ends without reporting (terminated) is found and counted, not waited for forever', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-lost.ts', '--json'], env);
    expect(submit.code, submit.stderr).toBe(0);
    const workflowId = await whenAllRunning('it-noop-lost');
    await client.workflow.getHandle(`${workflowId}/trial-0`).terminate('test: a child that never reports');

    const watch = await runCli(['watch', 'it-noop-lost'], env);
    expect(watch.code, watch.stdout + watch.stderr).toBe(1); // an errored trial fails the sweep
    const { sweep, trials } = await trialsOf('it-noop-lost');
    expect(sweep.status).toBe('failed');
    expect(trials[0]).toMatchObject({ status: 'error', failureKind: 'infra' });
    expect(trials[0]!.error).toMatch(/terminated/);
    expect(trials[1]!.status).toBe('done');
    expect(await client.workflow.getHandle(workflowId).result()).toMatchObject({ done: 1, errored: 1 });
  }, 120_000);
});

describe('orchestration at scale', () => {
  it('runs 1,000 trials through a bounded window across several continue-as-new runs', async () => {
    const started = Date.now();
    const result = await runCli(['submit', 'test/fixtures/noop-many.ts', '--wait', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const { trials } = await trialsOf('it-noop-many');
    expect(trials).toHaveLength(1000);
    expect(trials.filter((t) => t.status === 'done')).toHaveLength(1000);
    const metricRows = await prisma.metric.count({ where: { trialId: { in: trials.map((t) => t.id) } } });
    expect(metricRows).toBe(2000); // progress and value, one point each
    console.log(`1,000 inline noop trials: ${((Date.now() - started) / 1000).toFixed(1)} s end to end`);
  }, 600_000);
});
