/** A real Temporal dev server for integration tests: a temp SQLite file, free loopback ports, stopped by pid. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/stack/processes';
import { ensureTemporalServer, stopTemporalServer } from '../../src/stack/temporal-server';

export interface TestTemporal {
  readonly address: string;
  readonly uiUrl: string;
  stop(): Promise<void>;
}

/** `searchAttributes: []` starts a server without sweeplab's (as a real cluster starts). */
export async function startTestTemporal(options: { searchAttributes?: readonly string[] } = {}): Promise<TestTemporal> {
  const dir = mkdtempSync(join(tmpdir(), 'sweeplab-temporal-'));
  const pidFile = join(dir, 'temporal.pid');
  const server = await ensureTemporalServer({
    dbFile: join(dir, 'temporal.db'),
    port: await freePort(),
    uiPort: await freePort(),
    pidFile,
    logFile: join(dir, 'temporal.log'),
    searchAttributes: options.searchAttributes,
  });
  return {
    address: server.address,
    uiUrl: server.uiUrl,
    async stop() {
      await stopTemporalServer(pidFile);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
