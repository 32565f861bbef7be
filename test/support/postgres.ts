/**
 * A real Postgres for integration tests: a private cluster in a scratch dir
 * (in RAM where there is room: ./scratch.ts) on a free loopback port
 * (src/stack/postgres.ts), stopped and deleted by stop().
 * Each test file asks for its own database in it, so files don't see each
 * other's rows.
 *
 * Set SWEEPLAB_TEST_PG_URL (a superuser URL of an existing server) to use that
 * server instead of starting one.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { ensurePostgres, stopPostgres } from '../../src/stack/postgres';
import { makeServerDataDir } from './scratch';

export interface TestPostgres {
  /** URL of the server's default database (`sweeplab`). */
  url: string;
  /** The cluster's data directory; null for an external server. */
  dataDir: string | null;
  /** Creates an empty database (dropping any of that name) and returns its URL. */
  database(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and keeps its data, for fault tests; not for an external server. */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port; resolves once it accepts connections. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad test database name: ${name}`);
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.SWEEPLAB_TEST_PG_URL;
  if (external) {
    const unsupported = async () => {
      throw new Error('SWEEPLAB_TEST_PG_URL names a server these tests do not own: they cannot stop and start it');
    };
    return { url: external, dataDir: null, database: (name) => createDatabase(external, name), pause: unsupported, resume: unsupported, stop: async () => undefined };
  }
  // A port can be taken between freePort() and the server's bind: one retry.
  for (let attempt = 1; ; attempt++) {
    const root = makeServerDataDir('sweeplab-pg-');
    const dataDir = join(root, 'data');
    try {
      const port = await freePort();
      const { url } = await ensurePostgres({ dataDir, port });
      return testHandle(root, dataDir, port, url);
    } catch (e) {
      await stopPostgres(dataDir).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
      if (attempt >= 2) throw e;
    }
  }
}

function testHandle(root: string, dataDir: string, port: number, url: string): TestPostgres {
  return {
    url,
    dataDir,
    database: (name) => createDatabase(url, name),
    pause: async () => void (await stopPostgres(dataDir)),
    resume: async () => void (await ensurePostgres({ dataDir, port })),
    stop: async () => {
      await stopPostgres(dataDir);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
