/**
 * The local Temporal dev server: SQLite persistence in the project's state
 * directory, gRPC and web UI on loopback only, and sweeplab's search attributes
 * registered so the web UI can filter workflows by sweep and family.
 */
import { Connection } from '@temporalio/client';
import { devServerSearchAttributes } from '../client/search-attributes';
import type { TemporalConnectionOptions } from '../connection/temporal-options';
import { runningPid, startBackground, stopByPidFile, waitFor } from './processes';
import { ensureTemporalBinary } from './temporal-binary';

export interface TemporalServerSettings {
  readonly dbFile: string;
  readonly port: number;
  readonly uiPort: number;
  readonly pidFile: string;
  readonly logFile: string;
  readonly namespace?: string;
  /** Registered at start as NAME=Type (default: sweeplab's; tests pass [] to start a bare server). */
  readonly searchAttributes?: readonly string[];
  /** Dynamic config values (`--dynamic-config-value KEY=JSON`), e.g. for test servers. */
  readonly dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  /**
   * The address gRPC and the web UI listen on. @default '127.0.0.1' (loopback only)
   * The dev server's internal services call each other on 127.0.0.1, so another address works
   * only as '0.0.0.0' (all of the host's addresses: in a network namespace, its own), with `host`.
   */
  readonly ip?: string;
  /** The address clients reach it at, when `ip` is '0.0.0.0'. @default ip */
  readonly host?: string;
  /**
   * Run the server inside this network namespace (`ip netns exec NAME`, as root), listening on
   * `ip` there: the multi-host run (infra/multihost/) puts it on its own simulated host.
   */
  readonly netns?: string;
}

export interface TemporalServer {
  readonly pid: number;
  readonly address: string;
  readonly uiUrl: string;
}

/**
 * SQLite in write-ahead-log mode, syncing at checkpoints rather than at every
 * commit: a commit costs no fsync, which on disk was most of the 30-40 ms a
 * trial slot waited at each of its two hand-offs (activity dispatch, the
 * sweep's reaction to a completion; bench/README.md). A power loss can drop
 * the last commits but never corrupts the file, and what it drops is redone:
 * Postgres holds every result, and a trial Temporal forgot it had finished
 * finds its row done and reports it without running again.
 */
const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/** Starts the server unless its pid file names a live one; resolves once it answers. */
export async function ensureTemporalServer(
  settings: TemporalServerSettings,
  log: (line: string) => void = () => undefined,
): Promise<TemporalServer> {
  const ip = settings.ip ?? '127.0.0.1';
  const host = settings.host ?? ip;
  const address = `${host}:${settings.port}`;
  const uiUrl = `http://${host}:${settings.uiPort}`;
  let pid = runningPid(settings.pidFile);
  if (pid === null) {
    const binary = ensureTemporalBinary(log);
    const args = [
      'server', 'start-dev',
      '--ip', ip,
      '--port', String(settings.port),
      '--ui-port', String(settings.uiPort),
      '--db-filename', settings.dbFile,
      ...SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
      // 'default' always exists; another namespace is created at launch.
      ...(settings.namespace && settings.namespace !== 'default' ? ['--namespace', settings.namespace] : []),
      '--log-level', 'warn',
      ...(settings.searchAttributes ?? devServerSearchAttributes()).flatMap((attribute) => ['--search-attribute', attribute]),
      ...Object.entries(settings.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
    ];
    // `ip netns exec` enters the namespace and execs the server: the pid recorded is the server's.
    pid = settings.netns
      ? startBackground({ command: 'ip', args: ['netns', 'exec', settings.netns, binary, ...args], pidFile: settings.pidFile, logFile: settings.logFile })
      : startBackground({ command: binary, args, pidFile: settings.pidFile, logFile: settings.logFile });
  }
  await waitFor(`the Temporal server on ${address}`, () => temporalAnswers({ address, tls: false }, settings.namespace ?? 'default'), 60_000, settings.logFile);
  return { pid, address, uiUrl };
}

/** Whether the server answers for the namespace (the local dev server: `{ address, tls: false }`). */
export async function temporalAnswers(target: TemporalConnectionOptions, namespace = 'default'): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...target, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

export function stopTemporalServer(pidFile: string): Promise<boolean> {
  return stopByPidFile(pidFile, 15_000);
}
