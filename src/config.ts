/**
 * Where sweeplab finds its services. Every setting comes from the environment,
 * falling back to the local stack that `sweep dev up` started (recorded in
 * `.sweep/stack.json`), then to the defaults of a single-machine install.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * A setting in the environment that sweeplab cannot use: the message names the
 * variable (and a file it names), never a secret value. The CLI exits 2 on it,
 * as on any bad input.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

export interface LocalStackRecord {
  /** Without its password, which lives in `databasePasswordFile` (stack.json holds no secret). */
  databaseUrl?: string;
  /** A 0600 file holding the database password. */
  databasePasswordFile?: string;
  temporalAddress?: string;
  temporalUiUrl?: string;
}

/** Project-local state (Temporal's SQLite file, the private Postgres, pid files, logs). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SWEEP_STATE_DIR || '.sweep');
}

export function readLocalStack(env: NodeJS.ProcessEnv = process.env): LocalStackRecord {
  const file = resolve(stateDir(env), 'stack.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalStackRecord;
  } catch {
    return {};
  }
}

export function temporalAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_ADDRESS || readLocalStack(env).temporalAddress || '127.0.0.1:7233';
}

export function temporalNamespace(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_NAMESPACE || 'default';
}

/** Base URL of the Temporal web UI, for links printed by the CLI. An empty setting counts as unset (older stack.json files hold ''). */
export function temporalUiUrl(): string {
  return process.env.TEMPORAL_UI_URL || readLocalStack().temporalUiUrl || 'http://127.0.0.1:8233';
}

export function databaseUrl(): string {
  if (process.env.DATABASE_URL) return checkedDatabaseUrl(process.env.DATABASE_URL);
  const stack = readLocalStack();
  if (!stack.databaseUrl) {
    throw new Error(
      'no database configured: set DATABASE_URL (postgresql://user:pass@host:port/db) or run `sweep dev up` to start a local one',
    );
  }
  return stack.databasePasswordFile ? withPassword(stack.databaseUrl, stack.databasePasswordFile) : stack.databaseUrl;
}

/** The URL as given, once it parses as a Postgres URL; the message never repeats it (it may hold a password). */
function checkedDatabaseUrl(url: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigurationError('DATABASE_URL', 'is not a valid URL (expected postgresql://user:password@host:port/database)');
  }
  if (protocol !== 'postgresql:' && protocol !== 'postgres:') {
    throw new ConfigurationError('DATABASE_URL', `is a ${protocol} URL (expected postgresql://user:password@host:port/database)`);
  }
  return url;
}

/** The local stack's database URL with the password from its file put back in. */
function withPassword(url: string, passwordFile: string): string {
  const file = resolve(stateDir(), passwordFile);
  let password: string;
  try {
    password = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(
      `cannot read the local stack's database password from ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}): ` +
        'run `sweep dev up` again, or set DATABASE_URL',
    );
  }
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Task queue of the workflows and bookkeeping activities (not trials). */
export const CONTROL_TASK_QUEUE = process.env.SWEEP_CONTROL_QUEUE ?? 'sweeplab-control';

/**
 * Trials one warm trial process runs before a fresh one replaces it
 * (SWEEP_TRIAL_REUSE; 1 = a fresh process for every trial).
 */
export function trialProcessReuse(): number {
  const raw = process.env.SWEEP_TRIAL_REUSE;
  if (raw === undefined || raw === '') return 200;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`SWEEP_TRIAL_REUSE must be a whole number ≥ 1, got '${raw}'`);
  return value;
}

/**
 * Warm trial processes a worker starts before its first trial, at most one per
 * slot (SWEEP_TRIAL_PREWARM; 0 = none). Each holds about 100 MB until used.
 */
export function trialProcessPrewarm(): number {
  const raw = process.env.SWEEP_TRIAL_PREWARM;
  if (raw === undefined || raw === '') return 32;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`SWEEP_TRIAL_PREWARM must be a whole number ≥ 0, got '${raw}'`);
  return value;
}
