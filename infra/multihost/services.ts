/**
 * The services and workers of a simulated cluster (./netns.ts): a Temporal dev
 * server and a private Postgres in the services' namespace, listening on its
 * address (Postgres lets the simulated network in, with the password like
 * every client), and `sweep worker` processes on the worker hosts, each given
 * only TEMPORAL_ADDRESS and DATABASE_URL: addresses, as on separate machines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '../../src/db/migrate';
import { ensurePostgres, stopPostgres } from '../../src/stack/postgres';
import { ensureTemporalServer, stopTemporalServer } from '../../src/stack/temporal-server';
import { TS_EXEC_ARGV } from '../../src/ts-runtime';
import { runOnHost, type HostProcess, type SimulatedHost, type Topology } from './netns';

const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The ports inside the services' namespace: it is a host of its own, so the standard ones are free. */
export const TEMPORAL_PORT = 7233;
export const TEMPORAL_UI_PORT = 8233;
export const POSTGRES_PORT = 5432;

export interface ClusterServices {
  /** What a worker, the CLI or a check needs: TEMPORAL_ADDRESS, DATABASE_URL (both by address) and a private SWEEP_STATE_DIR. */
  readonly env: Record<string, string>;
  readonly temporalAddress: string;
  readonly databaseUrl: string;
  /** Where the servers keep their data and logs. */
  readonly dir: string;
  stop(): Promise<void>;
}

/** The Temporal security settings a developer may have set, blanked: the simulated server speaks plain gRPC. */
const PLAIN_TEMPORAL = ['TEMPORAL_NAMESPACE', 'TEMPORAL_TLS', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_API_KEY'];

export async function startServices(topology: Topology, options: { dataRoot?: string } = {}): Promise<ClusterServices> {
  const dir = mkdtempSync(join(options.dataRoot ?? tmpdir(), `${topology.prefix}services-`));
  const dataDir = join(dir, 'postgres');
  const temporalPid = join(dir, 'temporal.pid');
  const stop = async () => {
    await Promise.all([stopTemporalServer(temporalPid).catch(() => undefined), stopPostgres(dataDir).catch(() => undefined)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [postgres, temporal] = await Promise.all([
      ensurePostgres({
        dataDir,
        port: POSTGRES_PORT,
        listenAddress: topology.servicesAddress,
        clientNetworks: [topology.network],
        netns: topology.servicesNetns,
      }),
      ensureTemporalServer({
        dbFile: join(dir, 'temporal.db'),
        port: TEMPORAL_PORT,
        uiPort: TEMPORAL_UI_PORT,
        // All of the services' namespace's addresses (its loopback, where the dev server's own
        // services meet, and its link's), reached by the others at the link's.
        ip: '0.0.0.0',
        host: topology.servicesAddress,
        netns: topology.servicesNetns,
        pidFile: temporalPid,
        logFile: join(dir, 'temporal.log'),
        // As the test servers (test/support/temporal.ts): attributes given at start need no rereading.
        dynamicConfig: { 'system.forceSearchAttributesCacheRefreshOnRead': false },
      }),
    ]);
    // From the root namespace, over its link into the services' bridge.
    await migrateDatabase(postgres.url);
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_UI_URL: temporal.uiUrl,
      DATABASE_URL: postgres.url,
      SWEEP_STATE_DIR: join(dir, 'state'),
      ...Object.fromEntries(PLAIN_TEMPORAL.map((name) => [name, ''])),
    };
    return { env, temporalAddress: temporal.address, databaseUrl: postgres.url, dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `sweep worker ARGS` on a simulated host, reaching the services by address only. */
export function startWorkerOn(host: SimulatedHost, services: ClusterServices, args: readonly string[], env: Record<string, string> = {}): HostProcess {
  return runOnHost(host, process.execPath, [...TS_EXEC_ARGV, CLI_MAIN, 'worker', ...args], { ...services.env, ...env });
}

/** Runs the real CLI from the root namespace (a laptop on the cluster's network) and collects its output. */
export function runCliFromRoot(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [...TS_EXEC_ARGV, CLI_MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      }),
  );
}
