/**
 * A real Temporal dev server for integration tests: a SQLite file in a scratch dir
 * (in RAM where there is room: ./scratch.ts), free loopback ports, stopped by pid.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/stack/processes';
import { ensureTemporalServer, stopTemporalServer, type TemporalServerSettings } from '../../src/stack/temporal-server';
import { makeServerDataDir } from './scratch';

export interface TestTemporal {
  readonly address: string;
  readonly uiUrl: string;
  /** Kills the server outright (SIGKILL, no shutdown), as a crash would; resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and database file; resolves once it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** `searchAttributes: []` starts a server without sweeplab's (as a real cluster starts). */
export async function startTestTemporal(options: { searchAttributes?: readonly string[] } = {}): Promise<TestTemporal> {
  const dir = makeServerDataDir('sweeplab-temporal-');
  const pidFile = join(dir, 'temporal.pid');
  const settings: TemporalServerSettings = {
    dbFile: join(dir, 'temporal.db'),
    port: await freePort(),
    uiPort: await freePort(),
    pidFile,
    logFile: join(dir, 'temporal.log'),
    searchAttributes: options.searchAttributes,
    // The dev server rereads the search attributes from its database on every use, so that ones
    // added while it runs are seen at once (the CLI's default). A server given them at start
    // (every test server but a bare one) needs no rereading: about a tenth of its CPU per child
    // workflow (a 300-trial sweep: 17.6 instead of 19.8 CPU-s).
    ...(options.searchAttributes?.length === 0 ? {} : { dynamicConfig: { 'system.forceSearchAttributesCacheRefreshOnRead': false } }),
  };
  let server = await ensureTemporalServer(settings);
  return {
    address: server.address,
    uiUrl: server.uiUrl,
    async kill() {
      const { pid } = server;
      process.kill(pid, 'SIGKILL');
      while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
    },
    async restart() {
      server = await ensureTemporalServer(settings);
    },
    async stop() {
      await stopTemporalServer(pidFile);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
