/**
 * A private Postgres cluster in a project folder, for `sweep dev up` and tests:
 * trust auth for the local superuser `sweeplab`, loopback TCP only, its unix
 * socket next to the data directory (never /var/run/postgresql, which belongs
 * to the system cluster).
 *
 * initdb refuses to run as root, so under root every server command runs as
 * the `postgres` OS user (`runuser -u postgres --`), which must own the data
 * directory and be able to reach it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const PG_USER = 'sweeplab';
export const PG_DATABASE = 'sweeplab';
const OS_USER_UNDER_ROOT = 'postgres';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Server log; defaults to `<dataDir>/../postgres.log`. */
  logFile?: string;
}

export interface PostgresHandle {
  url: string;
  pid: number;
}

export interface PostgresStatus {
  running: boolean;
  pid?: number;
  port?: number;
}

/** Directory holding initdb/pg_ctl: PG_BIN, pg_ctl on PATH, else the newest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBin(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'pg_ctl'))) {
      throw new Error(`PG_BIN=${fromEnv} has no pg_ctl; point it at the directory holding initdb and pg_ctl`);
    }
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  throw new Error(
    'PostgreSQL server binaries not found (looked at PG_BIN, PATH, /usr/lib/postgresql/*/bin). ' +
      'Install them (Debian/Ubuntu: `apt-get install -y postgresql`), or set DATABASE_URL to an existing server.',
  );
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** uid/gid of the OS user the server runs as when we are root. */
async function serverOwner(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', OS_USER_UNDER_ROOT])).stdout.trim());
    const gid = Number((await run('id', ['-g', OS_USER_UNDER_ROOT])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `running as root, the private Postgres must run as the '${OS_USER_UNDER_ROOT}' user, which does not exist ` +
        '(Debian/Ubuntu: `apt-get install -y postgresql` creates it), or run as a normal user',
    );
  }
}

/** Runs a server binary, as `postgres` under root; cwd '/' so it never trips over an unreadable cwd. */
async function pgExec(bin: string, args: string[]): Promise<string> {
  const [file, argv] = isRoot() ? ['runuser', ['-u', OS_USER_UNDER_ROOT, '--', bin, ...args]] : [bin, args];
  try {
    const { stdout, stderr } = await run(file, argv, { cwd: '/', env: { ...process.env, LC_ALL: 'C' } });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${[file, ...argv].join(' ')} failed: ${(err.stderr || err.stdout || err.message).trim()}`);
  }
}

/** Under root: give `postgres` ownership of its paths and search permission on every ancestor. */
function handOver(paths: string[], owner: { uid: number; gid: number }): void {
  for (const p of paths) {
    chownSync(p, owner.uid, owner.gid);
    let dir = dirname(p);
    const { root } = parse(p);
    while (dir !== root) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
      dir = dirname(dir);
    }
  }
}

function readPostmasterPid(dataDir: string): { pid: number; port: number } | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, port };
}

function alive(pid: number): boolean {
  // A stale postmaster.pid may name a pid reused by something else.
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self')) return existsSync(cmdline) && /postgres|postmaster/.test(readFileSync(cmdline, 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function postgresStatus(dataDir: string): PostgresStatus {
  const info = readPostmasterPid(resolve(dataDir));
  if (!info || !alive(info.pid)) return { running: false };
  return { running: true, pid: info.pid, port: info.port };
}

export function postgresUrl(port: number, database = PG_DATABASE): string {
  return `postgresql://${PG_USER}@127.0.0.1:${port}/${database}`;
}

// sockaddr_un.sun_path holds 107 bytes: a deep project path gets a socket dir under the temp dir instead.
const MAX_SOCKET_PATH = 100;

function socketDir(dataDir: string): string {
  const beside = join(dirname(dataDir), 'pg-socket');
  if (join(beside, '.s.PGSQL.65535').length <= MAX_SOCKET_PATH) return beside;
  return join(tmpdir(), `sweeplab-pg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
}

function confQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Settings we own live in sweeplab.conf, rewritten on every start so a new port takes effect. */
function writeConfig(dataDir: string, port: number): void {
  const main = join(dataDir, 'postgresql.conf');
  const include = "include_if_exists = 'sweeplab.conf'";
  const text = readFileSync(main, 'utf8');
  if (!text.includes(include)) writeFileSync(main, `${text}\n# sweeplab: local settings\n${include}\n`);
  writeFileSync(
    join(dataDir, 'sweeplab.conf'),
    [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = ${confQuote(socketDir(dataDir))}`,
      // A dev cluster on a shared laptop: modest memory, room for a pool per worker.
      `max_connections = 200`,
      `shared_buffers = 64MB`,
      '',
    ].join('\n'),
  );
}

async function waitForConnections(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, database: 'postgres' });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`Postgres on 127.0.0.1:${port} did not accept connections: ${String(last)}`);
}

async function ensureDatabase(port: number, name: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } catch (e) {
        // Another process created it between our check and our CREATE.
        if ((e as { code?: string }).code !== '42P04') throw e;
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * Initialises (when empty) and starts the cluster in `dataDir`, and makes sure
 * database `sweeplab` exists. If it is already running, returns its URL (on the
 * port it is running on).
 */
export async function ensurePostgres(opts: PostgresOptions): Promise<PostgresHandle> {
  const dataDir = resolve(opts.dataDir);
  const logFile = resolve(opts.logFile ?? join(dirname(dataDir), 'postgres.log'));

  const status = postgresStatus(dataDir);
  if (status.running && status.pid && status.port) {
    await waitForConnections(status.port, 30_000);
    await ensureDatabase(status.port, PG_DATABASE);
    return { url: postgresUrl(status.port), pid: status.pid };
  }

  const bin = findPostgresBin();
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(socketDir(dataDir), { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  if (!existsSync(logFile)) writeFileSync(logFile, '');
  chmodSync(dataDir, 0o700); // postgres refuses a group/world-accessible data directory
  if (isRoot()) handOver([dataDir, socketDir(dataDir), logFile], await serverOwner());

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    if (readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} is neither empty nor a Postgres data directory; refusing to initdb there`);
    }
    await pgExec(join(bin, 'initdb'), [
      '-D', dataDir,
      '-U', PG_USER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync', // initdb's own fsyncs only; the running server keeps fsync on
    ]);
  }
  writeConfig(dataDir, opts.port);
  await pgExec(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);

  await waitForConnections(opts.port, 30_000);
  await ensureDatabase(opts.port, PG_DATABASE);
  const started = postgresStatus(dataDir);
  if (!started.running || !started.pid) throw new Error(`Postgres in ${dataDir} exited after start; see ${logFile}`);
  return { url: postgresUrl(opts.port), pid: started.pid };
}

/** Fast shutdown (rolls back open transactions). Returns false if it was not running. */
export async function stopPostgres(dataDir: string): Promise<boolean> {
  const dir = resolve(dataDir);
  const status = postgresStatus(dir);
  if (!status.running || !status.pid) return false;
  const pid = status.pid;
  try {
    await pgExec(join(findPostgresBin(), 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  } catch {
    // No binaries, or pg_ctl failed: SIGINT is the postmaster's fast shutdown.
    if (alive(pid)) process.kill(pid, 'SIGINT');
  }
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`Postgres (pid ${pid}) did not stop within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
