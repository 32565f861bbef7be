/**
 * The private Postgres (src/stack/postgres.ts) with a password on every
 * connection instead of trust auth, a cluster from before passwords adopted on
 * its next start, and TLS: through `sslmode`/`sslrootcert` in DATABASE_URL,
 * to a server started with ssl on, checked from the server's side
 * (pg_stat_ssl) and through the real `sweep` command.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { ensurePostgres, stopPostgres, type PostgresHandle } from '../../src/stack/postgres';
import { makeTestCertificates, type TestCertificates } from '../support/certificates';
import { freePort } from '../support/postgres';
import { serverDataRoot } from '../support/scratch';
import { runCli } from '../support/workers';

const roots: string[] = [];
const dataDirs: string[] = [];

/** A fresh cluster directory (stopped and deleted after the file). */
function clusterDir(): string {
  const root = mkdtempSync(join(serverDataRoot(), 'sweeplab-pgsec-'));
  roots.push(root);
  const dataDir = join(root, 'data');
  dataDirs.push(dataDir);
  return dataDir;
}

afterAll(async () => {
  for (const dir of dataDirs) await stopPostgres(dir).catch(() => undefined);
  for (const root of roots) rmSync(root, { recursive: true, force: true });
}, 120_000);

function withUrl(url: string, change: (u: URL) => void): string {
  const u = new URL(url);
  change(u);
  return u.toString();
}

/** The error a connection gets, or 'connected'. */
async function tryConnect(config: string | pg.ClientConfig): Promise<string> {
  const client = new pg.Client(typeof config === 'string' ? { connectionString: config } : config);
  try {
    await client.connect();
    return 'connected';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('a new cluster', () => {
  let handle: PostgresHandle;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = clusterDir();
    handle = await ensurePostgres({ dataDir, port: await freePort() });
  }, 120_000);

  it('has a generated password, kept in a 0600 file beside the data directory, in the URL it returns', async () => {
    const password = readFileSync(handle.passwordFile, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(handle.passwordFile).mode & 0o777).toBe(0o600);
    expect(handle.passwordFile).toBe(join(dataDir, '..', 'postgres.password'));
    expect(new URL(handle.url).password).toBe(password);
    expect(handle.passwordCreated).toBe(true);
    expect(await tryConnect(handle.url)).toBe('connected');
  });

  it('refuses a wrong password or none, over TCP and over its unix socket, never echoing a password', async () => {
    expect(await tryConnect(withUrl(handle.url, (u) => (u.password = 'not-the-password')))).toBe('password authentication failed for user "sweeplab"');
    expect(await tryConnect(withUrl(handle.url, (u) => (u.password = '')))).toMatch(/password/);
    const { port } = new URL(handle.url);
    const socketDir = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[4]!;
    expect(await tryConnect({ host: socketDir, port: Number(port), user: 'sweeplab', database: 'sweeplab', password: 'wrong' })).toBe(
      'password authentication failed for user "sweeplab"',
    );
  });

  it('listens on loopback only, and stores only a SCRAM verifier', async () => {
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    try {
      expect((await client.query('SHOW listen_addresses')).rows[0].listen_addresses).toBe('127.0.0.1');
      const { rows } = await client.query(`SELECT rolpassword FROM pg_authid WHERE rolname = 'sweeplab'`);
      expect(rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
    } finally {
      await client.end();
    }
    const log = readFileSync(join(dataDir, '..', 'postgres.log'), 'utf8');
    expect(log).not.toContain(new URL(handle.url).password);
  });

  it('keeps its password across restarts, and says what to do when the password file is gone', async () => {
    await stopPostgres(dataDir);
    const again = await ensurePostgres({ dataDir, port: Number(new URL(handle.url).port) });
    expect(again.url).toBe(handle.url);
    expect(again.passwordCreated).toBe(false);
    await stopPostgres(dataDir);
    const saved = readFileSync(handle.passwordFile, 'utf8');
    rmSync(handle.passwordFile);
    await expect(ensurePostgres({ dataDir, port: await freePort() })).rejects.toThrow(
      `the Postgres cluster in ${dataDir} has a password, but ${handle.passwordFile} (where it is kept) is missing or empty: restore that file`,
    );
    writeFileSync(handle.passwordFile, saved, { mode: 0o600 });
    expect((await ensurePostgres({ dataDir, port: Number(new URL(handle.url).port) })).url).toBe(handle.url);
  });
});

describe('a cluster made with trust auth by an older sweeplab', () => {
  it('gets a password on its next start, keeping its data', async () => {
    const dataDir = clusterDir();
    const first = await ensurePostgres({ dataDir, port: await freePort() });
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE kept (note text)');
    await client.query(`INSERT INTO kept VALUES ('from before')`);
    await client.query('ALTER ROLE sweeplab PASSWORD NULL');
    await client.end();
    await stopPostgres(dataDir);
    // As initdb --auth=trust left it, and no password file.
    writeFileSync(join(dataDir, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n');
    rmSync(first.passwordFile);

    const adopted = await ensurePostgres({ dataDir, port: await freePort() });
    expect(adopted.passwordCreated).toBe(true);
    expect(new URL(adopted.url).password).not.toBe(new URL(first.url).password);
    const after = new pg.Client({ connectionString: adopted.url });
    await after.connect();
    expect((await after.query('SELECT note FROM kept')).rows).toEqual([{ note: 'from before' }]);
    await after.end();
    expect(await tryConnect(withUrl(adopted.url, (u) => (u.password = 'anything')))).toBe('password authentication failed for user "sweeplab"');
    expect(readFileSync(join(dataDir, 'pg_hba.conf'), 'utf8')).not.toMatch(/\btrust\b/);
  });
});

describe('TLS', () => {
  let certs: TestCertificates;
  let handle: PostgresHandle;
  let tlsUrl: string;
  beforeAll(async () => {
    certs = makeTestCertificates();
    roots.push(certs.dir);
    handle = await ensurePostgres({ dataDir: clusterDir(), port: await freePort(), tls: { certFile: certs.server.certFile, keyFile: certs.server.keyFile } });
    tlsUrl = `${handle.url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca.certFile)}`;
  }, 120_000);

  it('encrypts a session opened with sslmode=verify-full and the CA in sslrootcert (as the server sees it)', async () => {
    await migrateDatabase(tlsUrl);
    const prisma = createPrisma(tlsUrl);
    try {
      const rows = await prisma.$queryRaw<{ ssl: boolean; version: string }[]>`SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
      expect(rows).toEqual([{ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) }]);
      expect(await prisma.sweep.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('refuses a session without TLS, and a server certificate from another CA', async () => {
    const plain = await tryConnect(`${handle.url}?sslmode=disable`);
    expect(plain).toMatch(/no pg_hba\.conf entry .* no encryption/);
    const otherCa = await tryConnect(`${handle.url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.otherCa.certFile)}`);
    expect(otherCa).toMatch(/certificate/);
    for (const message of [plain, otherCa]) expect(message).not.toContain(new URL(handle.url).password);
  });

  it('serves the real sweep command over TLS; a wrong password fails without printing it', async () => {
    const state = mkdtempSync(join(serverDataRoot(), 'sweeplab-pgsec-state-'));
    roots.push(state);
    const ok = await runCli(['ls'], { DATABASE_URL: tlsUrl, SWEEP_STATE_DIR: state });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('no sweeps yet');
    const wrong = withUrl(tlsUrl, (u) => (u.password = 'wrong-password-123'));
    const refused = await runCli(['ls'], { DATABASE_URL: wrong, SWEEP_STATE_DIR: state });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^sweep ls: /);
    expect(refused.stderr + refused.stdout).not.toContain('wrong-password-123');
  });
});
