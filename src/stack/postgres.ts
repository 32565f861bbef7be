/**
 * A private Postgres cluster in a project folder, for `sweep dev up` and tests:
 * loopback TCP only (the multi-host run adds its network namespace's address
 * and network: `listenAddress`, `clientNetworks`, `netns`), its unix socket next to the data directory (never
 * /var/run/postgresql, which belongs to the system cluster), and a password for
 * the superuser `sweeplab` on every connection, TCP and socket alike
 * (scram-sha-256; no trust auth). The password is generated with the cluster
 * and kept in a 0600 file beside the data directory (`postgres.password`);
 * only its SCRAM verifier ever reaches the server. A cluster made by an older
 * sweeplab with trust auth gets a password on its next start. Optionally the
 * server speaks TLS and refuses TCP connections without it.
 *
 * initdb refuses to run as root, so under root every server command runs as
 * the `postgres` OS user (`runuser -u postgres --`), which must own the data
 * directory and be able to reach it.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { scramVerifier } from './scram-verifier';

const run = promisify(execFile);

export const PG_USER = 'sweeplab';
export const PG_DATABASE = 'sweeplab';
const OS_USER_UNDER_ROOT = 'postgres';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Server log; defaults to `<dataDir>/../postgres.log`. */
  logFile?: string;
  /** The superuser's password (created with the cluster, mode 0600); defaults to `<dataDir>/../postgres.password`. */
  passwordFile?: string;
  /** Serve TLS with this certificate and key (PEM files; copied into the data directory) and require it on TCP. */
  tls?: { certFile: string; keyFile: string };
  /**
   * An address to listen on besides 127.0.0.1, and the host of the returned URL. @default '127.0.0.1'
   * The multi-host run (infra/multihost/) gives its namespace's address, with `clientNetworks` and `netns`.
   */
  listenAddress?: string;
  /** Networks (CIDR) whose TCP clients may log in, with the password like every client. @default none: loopback only */
  clientNetworks?: readonly string[];
  /** Start the server inside this network namespace (`ip netns exec NAME`, as root). */
  netns?: string;
}

export interface PostgresHandle {
  /** postgresql://sweeplab:<password>@127.0.0.1:<port>/sweeplab */
  url: string;
  pid: number;
  /** Where the password is kept. */
  passwordFile: string;
  /** The password was made by this call: a new cluster, or one that had trust auth until now. */
  passwordCreated: boolean;
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

/** Runs a server binary, as `postgres` under root, in network namespace `netns` if given; cwd '/' so it never trips over an unreadable cwd. */
async function pgExec(bin: string, args: string[], netns?: string): Promise<string> {
  const [asUser, asUserArgv] = isRoot() ? ['runuser', ['-u', OS_USER_UNDER_ROOT, '--', bin, ...args]] : [bin, args];
  const [file, argv] = netns ? ['ip', ['netns', 'exec', netns, asUser, ...asUserArgv]] : [asUser, asUserArgv];
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

export function postgresUrl(port: number, password: string, database = PG_DATABASE, host = '127.0.0.1'): string {
  return `postgresql://${PG_USER}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

export function defaultPasswordFile(dataDir: string): string {
  return join(dirname(resolve(dataDir)), 'postgres.password');
}

/** The cluster's password: read, or, for a cluster that has none yet, made and written (mode 0600). */
function clusterPassword(passwordFile: string, dataDir: string): { password: string; created: boolean } {
  if (existsSync(passwordFile)) {
    const password = readFileSync(passwordFile, 'utf8').trim();
    if (password) return { password, created: false };
  }
  if (existsSync(join(dataDir, 'PG_VERSION')) && hbaIsOurs(dataDir)) {
    throw new Error(
      `the Postgres cluster in ${dataDir} has a password, but ${passwordFile} (where it is kept) is missing or empty: ` +
        'restore that file, or delete the data directory to start afresh (its data is lost)',
    );
  }
  // base64url: 32 characters of 192 random bits, nothing to escape in a URL or a config file.
  const password = randomBytes(24).toString('base64url');
  mkdirSync(dirname(passwordFile), { recursive: true });
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  chmodSync(passwordFile, 0o600); // an existing empty file keeps its mode otherwise
  return { password, created: true };
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

const TLS_CERT = 'sweeplab-server.crt';
const TLS_KEY = 'sweeplab-server.key';

/** Settings we own live in sweeplab.conf, rewritten on every start so a new port takes effect. */
function writeConfig(dataDir: string, port: number, tls: boolean, listenAddress: string): void {
  const main = join(dataDir, 'postgresql.conf');
  const include = "include_if_exists = 'sweeplab.conf'";
  const text = readFileSync(main, 'utf8');
  if (!text.includes(include)) writeFileSync(main, `${text}\n# sweeplab: local settings\n${include}\n`);
  writeFileSync(
    join(dataDir, 'sweeplab.conf'),
    [
      `listen_addresses = ${confQuote(listenAddress === '127.0.0.1' ? listenAddress : `127.0.0.1,${listenAddress}`)}`,
      `port = ${port}`,
      `unix_socket_directories = ${confQuote(socketDir(dataDir))}`,
      `password_encryption = 'scram-sha-256'`,
      ...(tls ? [`ssl = on`, `ssl_cert_file = ${confQuote(TLS_CERT)}`, `ssl_key_file = ${confQuote(TLS_KEY)}`] : [`ssl = off`]),
      // A dev cluster on a shared laptop: modest memory, room for a pool per worker.
      `max_connections = 200`,
      `shared_buffers = 64MB`,
      '',
    ].join('\n'),
  );
}

const HBA_MARKER = '# sweeplab: password (scram-sha-256) on every connection';

/** Whether pg_hba.conf is ours (else: initdb's, trust auth, from a cluster made before passwords). */
function hbaIsOurs(dataDir: string): boolean {
  const file = join(dataDir, 'pg_hba.conf');
  return existsSync(file) && readFileSync(file, 'utf8').startsWith(HBA_MARKER);
}

/** Who may connect: everyone with the password, over the socket or loopback TCP or from `networks` (with TLS only, when it is on). */
function writeHba(dataDir: string, tls: boolean, networks: readonly string[] = []): void {
  writeFileSync(
    join(dataDir, 'pg_hba.conf'),
    [
      HBA_MARKER,
      '# Rewritten by sweeplab on every start (src/stack/postgres.ts).',
      '# TYPE   DATABASE USER ADDRESS        METHOD',
      'local    all      all                 scram-sha-256',
      `${tls ? 'hostssl' : 'host   '}  all      all  127.0.0.1/32   scram-sha-256`,
      ...networks.map((network) => `${tls ? 'hostssl' : 'host   '}  all      all  ${network}   scram-sha-256`),
      '',
    ].join('\n'),
  );
}

/** The server's certificate and key, copied where the server (the `postgres` user under root) may read them: it refuses a key others can read. */
function installTlsFiles(dataDir: string, tls: { certFile: string; keyFile: string }, owner: { uid: number; gid: number } | null): void {
  for (const [from, name] of [[tls.certFile, TLS_CERT], [tls.keyFile, TLS_KEY]] as const) {
    const to = join(dataDir, name);
    rmSync(to, { force: true });
    copyFileSync(from, to);
    chmodSync(to, 0o600);
    if (owner) chownSync(to, owner.uid, owner.gid);
  }
}

/** Our own connections go through the unix socket: always scram, whatever TCP requires (TLS). */
function adminClient(dataDir: string, port: number, password: string, database = 'postgres'): pg.Client {
  return new pg.Client({ host: socketDir(dataDir), port, user: PG_USER, password, database });
}

async function waitForConnections(dataDir: string, port: number, password: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = adminClient(dataDir, port, password);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (e) {
      last = e;
      // A wrong password will not become right by waiting.
      if ((e as { code?: string }).code === '28P01') break;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`Postgres on 127.0.0.1:${port} did not accept connections: ${last instanceof Error ? last.message : String(last)}`);
}

async function ensureDatabase(dataDir: string, port: number, password: string, name: string): Promise<void> {
  const client = adminClient(dataDir, port, password);
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
 * A cluster from before passwords (initdb's trust auth): give the superuser the
 * password (as its verifier), then replace pg_hba.conf and reload. Trust lets us
 * in to do it, whatever password we present.
 */
async function adoptTrustCluster(dataDir: string, port: number, password: string, tls: boolean, networks?: readonly string[]): Promise<void> {
  const client = adminClient(dataDir, port, password);
  await client.connect();
  try {
    await client.query(`ALTER ROLE "${PG_USER}" PASSWORD '${scramVerifier(password)}'`);
    writeHba(dataDir, tls, networks);
    await client.query('SELECT pg_reload_conf()');
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
  const passwordFile = resolve(opts.passwordFile ?? defaultPasswordFile(dataDir));
  const tls = opts.tls !== undefined;
  const host = opts.listenAddress ?? '127.0.0.1';
  const { password, created: passwordCreated } = clusterPassword(passwordFile, dataDir);

  const status = postgresStatus(dataDir);
  if (status.running && status.pid && status.port) {
    if (!hbaIsOurs(dataDir)) await adoptTrustCluster(dataDir, status.port, password, tls, opts.clientNetworks);
    await waitForConnections(dataDir, status.port, password, 30_000);
    await ensureDatabase(dataDir, status.port, password, PG_DATABASE);
    return { url: postgresUrl(status.port, password, PG_DATABASE, host), pid: status.pid, passwordFile, passwordCreated };
  }

  const bin = findPostgresBin();
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(socketDir(dataDir), { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  if (!existsSync(logFile)) writeFileSync(logFile, '');
  chmodSync(dataDir, 0o700); // postgres refuses a group/world-accessible data directory
  const owner = isRoot() ? await serverOwner() : null;
  if (owner) handOver([dataDir, socketDir(dataDir), logFile], owner);

  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (fresh) {
    if (readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} is neither empty nor a Postgres data directory; refusing to initdb there`);
    }
    // initdb sets the superuser's password from this file; a verifier in it is stored as it is.
    const pwfile = join(socketDir(dataDir), 'initdb-password');
    writeFileSync(pwfile, `${scramVerifier(password)}\n`, { mode: 0o600 });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    try {
      await pgExec(join(bin, 'initdb'), [
        '-D', dataDir,
        '-U', PG_USER,
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync', // initdb's own fsyncs only; the running server keeps fsync on
      ]);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  // Ours, or initdb's fresh one: (re)written, as TLS may be on or off since the last start.
  const adopting = !fresh && !hbaIsOurs(dataDir);
  if (!adopting) writeHba(dataDir, tls, opts.clientNetworks);
  if (opts.tls) installTlsFiles(dataDir, opts.tls, owner);
  writeConfig(dataDir, opts.port, tls, host);
  await pgExec(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start'], opts.netns);

  if (adopting) await adoptTrustCluster(dataDir, opts.port, password, tls, opts.clientNetworks);
  await waitForConnections(dataDir, opts.port, password, 30_000);
  await ensureDatabase(dataDir, opts.port, password, PG_DATABASE);
  const started = postgresStatus(dataDir);
  if (!started.running || !started.pid) throw new Error(`Postgres in ${dataDir} exited after start; see ${logFile}`);
  return { url: postgresUrl(opts.port, password, PG_DATABASE, host), pid: started.pid, passwordFile, passwordCreated };
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
