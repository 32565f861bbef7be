/**
 * `sweep dev up|down|status`: the whole stack on one machine. It starts what is
 * not configured elsewhere (a Temporal dev server unless TEMPORAL_ADDRESS is
 * set, a private Postgres unless DATABASE_URL is set), applies the migrations,
 * and starts trial workers; it records what it started in `.sweep/stack.json`
 * so that `down` stops exactly that, by pid.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ConfigurationError, stateDir, temporalNamespace, type LocalStackRecord } from '../config';
import { connectTemporal } from '../client/connect';
import { redactUrl } from '../connection/redact';
import {
  TEMPORAL_TLS_VARIABLES,
  temporalConnectionOptions,
  type TemporalConnectionOptions,
} from '../connection/temporal-options';
import { migrateDatabase } from '../db/migrate';
import { TS_EXEC_ARGV } from '../ts-runtime';
import { ensurePostgres, postgresStatus, stopPostgres } from './postgres';
import { canConnect, runningPid, startBackground, stopByPidFile, waitFor } from './processes';
import { ensureSearchAttributes } from '../client/search-attributes';
import { ensureTemporalServer, stopTemporalServer, temporalAnswers } from './temporal-server';

export interface DevUpOptions {
  /** Trial slots of the local worker (default: one per core). */
  readonly slots?: number;
  readonly queue?: string;
  /** Start no worker (e.g. when workers run elsewhere, or a test starts its own). */
  readonly workers?: boolean;
}

export interface StackRecord extends LocalStackRecord {
  /** Without its password: that is in `databasePasswordFile` (0600), so stack.json holds no secret. */
  databaseUrl: string;
  temporalAddress: string;
  /** Absent when an external server is used and TEMPORAL_UI_URL is unset (the CLI then falls back to its default). */
  temporalUiUrl?: string;
  slots: number;
  queue: string;
  /** What this stack started itself (and `down` stops). */
  started: { temporal: boolean; postgres: boolean; worker: boolean };
}

const CLI_MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

function paths(dir = stateDir()) {
  return {
    dir,
    record: join(dir, 'stack.json'),
    logs: join(dir, 'logs'),
    temporalDb: join(dir, 'temporal.db'),
    temporalPid: join(dir, 'temporal.pid'),
    postgresData: join(dir, 'postgres'),
    /** The local cluster's superuser password (src/stack/postgres.ts). */
    postgresPassword: join(dir, 'postgres.password'),
    /** The password of an external DATABASE_URL that `up` was given, kept for the commands run after it. */
    externalDatabasePassword: join(dir, 'database.password'),
    workerPid: join(dir, 'worker.pid'),
  };
}

/** A URL's password, and the URL without it. */
function splitPassword(url: string): { url: string; password: string | null } {
  const parsed = new URL(url);
  if (!parsed.password) return { url, password: null };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

function writeSecretFile(file: string, secret: string): void {
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function port(name: string, fallback: number): number {
  const value = process.env[name];
  return value ? Number.parseInt(value, 10) : fallback;
}

export async function devUp(options: DevUpOptions = {}, log: (line: string) => void = console.log): Promise<StackRecord> {
  const p = paths();
  mkdirSync(p.logs, { recursive: true });
  const slots = options.slots ?? availableParallelism();
  const queue = options.queue ?? 'cpu';

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  // Unset stays unset: an empty string in stack.json would hide the default UI address.
  let temporalUiUrl = process.env.TEMPORAL_UI_URL || undefined;
  let temporalConnection: TemporalConnectionOptions;
  if (!temporalAddress) {
    // The dev server speaks plain gRPC on loopback: TLS settings must be meant for some other server.
    const tlsSettings = [...TEMPORAL_TLS_VARIABLES, 'TEMPORAL_API_KEY'].filter((name) => process.env[name]);
    if (tlsSettings.length > 0) {
      throw new ConfigurationError(tlsSettings[0]!, 'is set, but TEMPORAL_ADDRESS is not: set TEMPORAL_ADDRESS to the secured server, or unset the TLS settings to use the local dev server');
    }
    const server = await ensureTemporalServer(
      {
        dbFile: p.temporalDb,
        port: port('SWEEP_TEMPORAL_PORT', 7233),
        uiPort: port('SWEEP_TEMPORAL_UI_PORT', 8233),
        pidFile: p.temporalPid,
        logFile: join(p.logs, 'temporal.log'),
        namespace: temporalNamespace(),
      },
      log,
    );
    temporalAddress = server.address;
    temporalUiUrl = server.uiUrl;
    temporalConnection = { address: server.address, tls: false };
    log(`temporal   ${server.address} (pid ${server.pid}), web UI ${server.uiUrl}`);
  } else {
    temporalConnection = temporalConnectionOptions();
    log(`temporal   ${temporalAddress} (TEMPORAL_ADDRESS; not started here)`);
    // The dev server registers them at start; an external one may not have them yet.
    const { added } = await registerSearchAttributes();
    log(`temporal   search attributes ${added.length > 0 ? `added ${added.join(', ')}` : 'up to date'}`);
  }

  let databaseUrl = process.env.DATABASE_URL;
  let databasePasswordFile: string | undefined;
  /** The cluster had trust auth until now: a worker started before holds a URL without the password. */
  let passwordNew = false;
  if (!databaseUrl) {
    const pg = await ensurePostgres({
      dataDir: p.postgresData,
      port: port('SWEEP_POSTGRES_PORT', 54329),
      logFile: join(p.logs, 'postgres.log'),
      passwordFile: p.postgresPassword,
    });
    databaseUrl = pg.url;
    databasePasswordFile = pg.passwordFile;
    passwordNew = pg.passwordCreated;
    log(`postgres   ${redactUrl(pg.url)} (pid ${pg.pid}), data in ${p.postgresData}, password in ${pg.passwordFile}${pg.passwordCreated ? ' (new)' : ''}`);
  } else {
    const { password } = splitPassword(databaseUrl);
    if (password !== null) {
      writeSecretFile(p.externalDatabasePassword, password);
      databasePasswordFile = p.externalDatabasePassword;
    } else {
      rmSync(p.externalDatabasePassword, { force: true });
    }
    log(`postgres   ${redactUrl(databaseUrl)} (DATABASE_URL; not started here)`);
  }

  const { applied } = await migrateDatabase(databaseUrl);
  log(`migrations ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'up to date'}`);

  const record: StackRecord = {
    databaseUrl: splitPassword(databaseUrl).url,
    ...(databasePasswordFile ? { databasePasswordFile } : {}),
    temporalAddress,
    temporalUiUrl,
    slots,
    queue,
    started: { temporal: !process.env.TEMPORAL_ADDRESS, postgres: !process.env.DATABASE_URL, worker: options.workers !== false },
  };
  writeFileSync(p.record, `${JSON.stringify(record, null, 2)}\n`);

  if (options.workers !== false) {
    if (passwordNew && (await stopByPidFile(p.workerPid, 30_000))) log('worker     restarted: the database has a password now');
    let pid = runningPid(p.workerPid);
    if (pid === null) {
      pid = startBackground({
        command: process.execPath,
        args: [...TS_EXEC_ARGV, CLI_MAIN, 'worker', '--queue', queue, '--slots', String(slots)],
        pidFile: p.workerPid,
        logFile: join(p.logs, 'worker.log'),
        env: { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress },
      });
    }
    await waitFor(
      `the worker to poll task queue '${queue}'`,
      async () => runningPid(p.workerPid) !== null && (await pollerCount(temporalConnection, queue)) > 0,
      120_000,
      join(p.logs, 'worker.log'),
    );
    log(`worker     queue '${queue}', ${slots} slot(s) (pid ${pid}), log ${join(p.logs, 'worker.log')}`);
  }
  return record;
}

export async function devDown(log: (line: string) => void = console.log): Promise<void> {
  const p = paths();
  const record = readRecord(p.record);
  if (await stopByPidFile(p.workerPid, 30_000)) log('worker     stopped');
  if (record?.started.postgres !== false && existsSync(p.postgresData)) {
    if (await stopPostgres(p.postgresData)) log('postgres   stopped');
  }
  if (await stopTemporalServer(p.temporalPid)) log('temporal   stopped');
  if (existsSync(p.record)) rmSync(p.record);
}

export interface StackStatus {
  readonly stateDir: string;
  readonly temporal: { address: string | null; up: boolean; pid: number | null; uiUrl: string | null };
  readonly postgres: { url: string | null; up: boolean; pid: number | null };
  readonly worker: { pid: number | null; queue: string | null; slots: number | null; pollers: number };
}

export async function devStatus(): Promise<StackStatus> {
  const p = paths();
  const record = readRecord(p.record);
  const temporalAddress = record?.temporalAddress ?? null;
  const pg = existsSync(p.postgresData) ? await postgresStatus(p.postgresData) : null;
  const queue = record?.queue ?? null;
  // The dev server this stack started speaks plain gRPC; an external one is reached as configured.
  const temporalConnection: TemporalConnectionOptions | null =
    temporalAddress === null ? null : record?.started.temporal ? { address: temporalAddress, tls: false } : temporalConnectionOptions();
  const temporalUp = temporalConnection !== null && (await temporalAnswers(temporalConnection, temporalNamespace()));
  return {
    stateDir: resolve(p.dir),
    temporal: { address: temporalAddress, up: temporalUp, pid: runningPid(p.temporalPid), uiUrl: record?.temporalUiUrl || null },
    postgres: {
      url: record?.databaseUrl ? redactUrl(record.databaseUrl) : null,
      up: record?.databaseUrl ? await databaseAnswers(record.databaseUrl) : false,
      pid: pg?.pid ?? null,
    },
    worker: {
      pid: runningPid(p.workerPid),
      queue,
      slots: record?.slots ?? null,
      pollers: temporalUp && queue ? await pollerCount(temporalConnection!, queue) : 0,
    },
  };
}

function readRecord(file: string): StackRecord | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as StackRecord;
}

/** On the server TEMPORAL_ADDRESS names (connectTemporal reads it, and says what to do when it is not there). */
async function registerSearchAttributes() {
  const client = await connectTemporal();
  try {
    return await ensureSearchAttributes(client.connection, client.options.namespace);
  } finally {
    await client.connection.close().catch(() => undefined);
  }
}

/** Workers polling a task queue for activities, as the server sees them. */
export async function pollerCount(target: TemporalConnectionOptions, taskQueue: string): Promise<number> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...target, connectTimeout: 1000 });
    const response = await connection.workflowService.describeTaskQueue({
      namespace: temporalNamespace(),
      taskQueue: { name: taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    return response.pollers?.length ?? 0;
  } catch {
    return 0;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function databaseAnswers(url: string): Promise<boolean> {
  try {
    const { hostname, port } = new URL(url);
    return await canConnect(hostname, Number(port || 5432));
  } catch {
    return false;
  }
}
