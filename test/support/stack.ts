/**
 * The real stack for one integration test file: a Temporal dev server, a
 * private Postgres (migrated), worker processes started as `sweep worker`,
 * and the environment the real CLI needs to reach them. Each file gets its own,
 * so files run in parallel without sharing state (vitest.config.ts).
 *
 *   const stack = useTestStack({ workers: [['--slots', '1'], ['--slots', '1']] });
 *   it('…', async () => { await runCli([...], stack.env); … });
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll } from 'vitest';
import { temporalConnectionOptions, temporalConnectionSettings } from '../../src/connection/temporal-options';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { probeBackend, type BackendProbeReport } from '../../src/experiments/probe-backend';
import { startTestPostgres, type TestPostgres } from './postgres';
import { startTestTemporal, type TestTemporal } from './temporal';
import { startTestWorker, type TestWorker } from './workers';

export interface TestStack {
  /**
   * TEMPORAL_ADDRESS, TEMPORAL_UI_URL, DATABASE_URL and a private SWEEP_STATE_DIR (and the Temporal
   * security settings blanked: the test server speaks plain gRPC): pass to runCli and startTestWorker.
   */
  readonly env: Record<string, string>;
  /** The test Temporal server's web UI, e.g. http://127.0.0.1:41234 (what the CLI's links point at). */
  readonly temporalUiUrl: string;
  readonly databaseUrl: string;
  readonly prisma: PrismaClient;
  readonly client: Client;
  /** The servers themselves, for fault tests that stop and start them. */
  readonly temporal: TestTemporal;
  readonly postgres: TestPostgres;
  /** The running workers; a test that kills one replaces it here. */
  readonly workers: TestWorker[];
  /** The backend a trial process picks on this host. */
  readonly hostBackend: BackendProbeReport;
  /** The newest sweep of that name and its trials in expansion order, with their metrics. */
  trialsOf(sweepName: string): Promise<{ sweep: SweepRow; trials: TrialRow[] }>;
  /** Polls `probe` every 200 ms until it returns something truthy; on timeout, fails with the workers' last output. */
  until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  /** Waits until every trial of the sweep runs, and returns the sweep's workflow id. */
  whenAllRunning(sweepName: string): Promise<string>;
}

type SweepRow = Awaited<ReturnType<PrismaClient['sweep']['findFirstOrThrow']>>;
type TrialRow = Awaited<ReturnType<typeof loadTrials>>[number];

async function loadTrials(prisma: PrismaClient, sweepId: string) {
  const links = await prisma.sweepTrial.findMany({
    where: { sweepId },
    orderBy: { index: 'asc' },
    include: { trial: { include: { metrics: true } } },
  });
  return links.map((l) => l.trial);
}

export interface TestStackOptions {
  /** Arguments of each worker to start. @default two single-slot workers, as on two machines */
  workers?: string[][];
  /** A database of this name on the test server instead of its default one. */
  database?: string;
}

const PLAIN_TEMPORAL_SETTINGS = [
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY',
];

export function useTestStack(options: TestStackOptions = {}): TestStack {
  let temporal: TestTemporal | undefined;
  let postgres: TestPostgres | undefined;
  const workers: TestWorker[] = [];
  const state = {} as { env: Record<string, string>; databaseUrl: string; prisma: PrismaClient; client: Client; hostBackend: BackendProbeReport };

  beforeAll(async () => {
    [temporal, postgres] = await Promise.all([startTestTemporal(), startTestPostgres()]);
    state.databaseUrl = options.database ? await postgres.database(options.database) : postgres.url;
    await migrateDatabase(state.databaseUrl);
    state.prisma = createPrisma(state.databaseUrl);
    state.env = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_UI_URL: temporal.uiUrl,
      DATABASE_URL: state.databaseUrl,
      SWEEP_STATE_DIR: mkdtempSync(join(tmpdir(), 'sweeplab-state-')),
      // A developer's settings for a secured cluster must not reach the plain test server ('' is unset).
      ...Object.fromEntries(PLAIN_TEMPORAL_SETTINGS.map((name) => [name, ''])),
    };
    // Connected as the CLI and the workers connect, from the same environment.
    const settings = temporalConnectionSettings(state.env);
    state.client = new Client({ connection: await Connection.connect(temporalConnectionOptions(settings)), namespace: settings.namespace });
    state.hostBackend = await probeBackend({ ...process.env, ...state.env });
    for (const args of options.workers ?? [['--slots', '1'], ['--slots', '1']]) workers.push(startTestWorker(state.env, args));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await state.prisma?.$disconnect();
    await state.client?.connection.close();
    await Promise.all([temporal?.stop(), postgres?.stop()]);
  }, 60_000);

  const stack: TestStack = {
    get env() {
      return state.env;
    },
    get temporalUiUrl() {
      return state.env.TEMPORAL_UI_URL!;
    },
    get databaseUrl() {
      return state.databaseUrl;
    },
    get prisma() {
      return state.prisma;
    },
    get client() {
      return state.client;
    },
    get hostBackend() {
      return state.hostBackend;
    },
    get temporal() {
      return temporal!;
    },
    get postgres() {
      return postgres!;
    },
    workers,
    async trialsOf(sweepName) {
      const sweep = await state.prisma.sweep.findFirstOrThrow({ where: { name: sweepName }, orderBy: { createdAt: 'desc' } });
      return { sweep, trials: await loadTrials(state.prisma, sweep.id) };
    },
    async until(what, probe, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const value = await probe();
        if (value) return value;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`);
    },
    async whenAllRunning(sweepName) {
      const { sweep } = await stack.until(`every trial of ${sweepName} to run`, async () => {
        const found = await stack.trialsOf(sweepName);
        return found.trials.every((t) => t.status === 'running') ? found : null;
      });
      return sweep.workflowId;
    },
  };
  return stack;
}
