/**
 * A bench's own local stack, in a temporary folder on free loopback ports:
 * a Temporal dev server, a Postgres with sweeplab's migrations applied, one
 * worker (a separate process, as `sweep worker` runs) and the clients the
 * bench submits with. Nothing of the developer's own stack (.sweep) is used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { connectTemporal } from '../../src/client/connect';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { ensurePostgres, stopPostgres } from '../../src/stack/postgres';
import { freePort } from '../../src/stack/processes';
import { ensureTemporalServer, stopTemporalServer } from '../../src/stack/temporal-server';
import { startTestWorker, type TestWorker } from '../../test/support/workers';

export interface PrivateStack {
  /** The temporary folder: servers' data and logs; removed by stop(). */
  readonly dir: string;
  readonly temporal: { readonly pid: number; readonly address: string };
  readonly postgres: { readonly pid: number; readonly url: string };
  readonly worker: TestWorker;
  readonly prisma: PrismaClient;
  readonly client: Client;
  stop(): Promise<void>;
}

export interface PrivateStackOptions {
  /** The worker's `--slots`: trials it runs at once. */
  readonly slots: number;
  /** Extra environment for the worker (e.g. SWEEP_TRIAL_REUSE). */
  readonly workerEnv?: Record<string, string>;
}

/** Stops the servers whose pid files are in `dir` (those that started) and removes it. */
async function stopServers(dir: string): Promise<void> {
  await stopTemporalServer(join(dir, 'temporal.pid'));
  await stopPostgres(join(dir, 'postgres'));
  rmSync(dir, { recursive: true, force: true });
}

export async function startPrivateStack(options: PrivateStackOptions): Promise<PrivateStack> {
  const dir = mkdtempSync(join(tmpdir(), 'sweeplab-bench-'));
  let temporal: { pid: number; address: string };
  let postgres: { pid: number; url: string };
  try {
    // allSettled: when one fails, the other has finished starting before everything is stopped.
    const [temporalStart, postgresStart] = await Promise.allSettled([
      ensureTemporalServer({
        dbFile: join(dir, 'temporal.db'),
        port: await freePort(),
        uiPort: await freePort(),
        pidFile: join(dir, 'temporal.pid'),
        logFile: join(dir, 'temporal.log'),
      }),
      ensurePostgres({ dataDir: join(dir, 'postgres'), port: await freePort(), logFile: join(dir, 'postgres.log') }),
    ]);
    if (temporalStart.status === 'rejected') throw temporalStart.reason;
    if (postgresStart.status === 'rejected') throw postgresStart.reason;
    temporal = temporalStart.value;
    postgres = postgresStart.value;
    await migrateDatabase(postgres.url);
  } catch (err) {
    await stopServers(dir);
    throw err;
  }
  // The bench's own clients (connectTemporal, createPrisma, submit's defaults) read these.
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.DATABASE_URL = postgres.url;
  process.env.SWEEP_STATE_DIR = dir;
  const worker = startTestWorker(
    { TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: postgres.url, ...options.workerEnv },
    ['--slots', String(options.slots)],
  );
  const prisma = createPrisma(postgres.url);
  const client = await connectTemporal();
  return {
    dir,
    temporal: { pid: temporal.pid, address: temporal.address },
    postgres: { pid: postgres.pid, url: postgres.url },
    worker,
    prisma,
    client,
    async stop() {
      await worker.stop();
      await prisma.$disconnect();
      await client.connection.close();
      await stopServers(dir);
    },
  };
}
