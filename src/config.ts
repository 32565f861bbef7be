/**
 * Where sweeplab finds its services. Every setting comes from the environment,
 * falling back to the local stack that `sweep dev up` started (recorded in
 * `.sweep/stack.json`), then to the defaults of a single-machine install.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface LocalStackRecord {
  databaseUrl?: string;
  temporalAddress?: string;
  temporalUiUrl?: string;
}

/** Project-local state (Temporal's SQLite file, the private Postgres, pid files, logs). */
export function stateDir(): string {
  return resolve(process.env.SWEEP_STATE_DIR ?? '.sweep');
}

export function readLocalStack(): LocalStackRecord {
  const file = resolve(stateDir(), 'stack.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalStackRecord;
  } catch {
    return {};
  }
}

export function temporalAddress(): string {
  return process.env.TEMPORAL_ADDRESS ?? readLocalStack().temporalAddress ?? '127.0.0.1:7233';
}

export function temporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE ?? 'default';
}

/** Base URL of the Temporal web UI, for links printed by the CLI. An empty setting counts as unset (older stack.json files hold ''). */
export function temporalUiUrl(): string {
  return process.env.TEMPORAL_UI_URL || readLocalStack().temporalUiUrl || 'http://127.0.0.1:8233';
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL ?? readLocalStack().databaseUrl;
  if (!url) {
    throw new Error(
      'no database configured: set DATABASE_URL (postgresql://user:pass@host:port/db) or run `sweep dev up` to start a local one',
    );
  }
  return url;
}

/** Task queue of the workflows and bookkeeping activities (not trials). */
export const CONTROL_TASK_QUEUE = process.env.SWEEP_CONTROL_QUEUE ?? 'sweeplab-control';

/**
 * Trials one warm trial process runs before a fresh one replaces it
 * (SWEEP_TRIAL_REUSE; 1 = a fresh process for every trial).
 */
export function trialProcessReuse(): number {
  const raw = process.env.SWEEP_TRIAL_REUSE;
  if (raw === undefined || raw === '') return 50;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`SWEEP_TRIAL_REUSE must be a whole number ≥ 1, got '${raw}'`);
  return value;
}
