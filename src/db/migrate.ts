/**
 * Applies the committed migrations (prisma/migrations/<name>/migration.sql)
 * without Prisma's native schema engine, which `prisma migrate deploy` needs and
 * which cannot be downloaded offline.
 *
 * The bookkeeping is Prisma's own: the same `_prisma_migrations` table, rows and
 * checksums (sha256 hex of migration.sql), and the same advisory lock key, so the
 * stock `prisma migrate deploy|status` sees these migrations as applied and
 * waits for us (and we for it) when both run at once.
 *
 * Unlike Prisma, each migration runs in one transaction together with its
 * bookkeeping row, so a failed migration leaves nothing behind. (A migration
 * that cannot run in a transaction, e.g. CREATE INDEX CONCURRENTLY, is not
 * supported here.)
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The key Prisma's schema engine passes to pg_advisory_lock while migrating. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** Prisma's DDL for its bookkeeping table (schema-engine, postgres flavour). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  /** Defaults to SWEEP_MIGRATIONS_DIR, else the repository's prisma/migrations. */
  migrationsDir?: string;
}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

export function defaultMigrationsDir(): string {
  if (process.env.SWEEP_MIGRATIONS_DIR) return resolve(process.env.SWEEP_MIGRATIONS_DIR);
  const candidates: string[] = [];
  try {
    // src/db/migrate.ts -> <repo>/prisma/migrations (tsx, vitest).
    candidates.push(fileURLToPath(new URL('../../prisma/migrations', import.meta.url)));
  } catch {
    // Bundled: import.meta.url may not be a file URL.
  }
  candidates.push(resolve('prisma/migrations'));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[candidates.length - 1]!;
}

/** Migration folders in the order Prisma applies them (by folder name). */
export function readMigrations(dir: string): LocalMigration[] {
  if (!existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  const lock = join(dir, 'migration_lock.toml');
  if (existsSync(lock)) {
    const provider = /provider\s*=\s*"([^"]+)"/.exec(readFileSync(lock, 'utf8'))?.[1];
    if (provider && provider !== 'postgresql') {
      throw new Error(`${lock} says provider = "${provider}"; these migrations are not for PostgreSQL`);
    }
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Brings the database at `url` up to date. Idempotent: a second call applies
 * nothing. Refuses (throws) if an applied migration's file has changed since,
 * or if Prisma recorded a migration as failed and nobody resolved it.
 */
export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    // Session-level lock: held across the per-migration transactions below.
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    // Rows rolled back with `prisma migrate resolve --rolled-back` do not count.
    const live = rows.filter((r) => r.rolled_back_at === null);

    for (const m of migrations) {
      const recorded = live.filter((r) => r.migration_name === m.name);
      if (recorded.some((r) => r.finished_at === null)) {
        throw new Error(
          `migration ${m.name} failed earlier and is recorded as unfinished in _prisma_migrations; ` +
            'fix the database, then run `prisma migrate resolve --rolled-back ' + m.name + '` (or --applied)',
        );
      }
      const done = recorded.find((r) => r.finished_at !== null);
      if (done) {
        if (done.checksum !== m.checksum) {
          throw new Error(
            `migration ${m.name} was modified after it was applied (checksum in database ${done.checksum}, ` +
              `file ${m.checksum}); restore the original migration.sql and add a new migration instead`,
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        const id = randomUUID();
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, m.checksum, m.name],
        );
        await client.query(m.sql); // simple protocol: many statements in one go
        await client.query(
          'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`migration ${m.name} failed and was rolled back: ${(e as Error).message}`, { cause: e });
      }
      applied.push(m.name);
    }
    // Migrations in the database but not in this checkout (a newer release ran
    // them) are left alone, so an older worker can still start.
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return { applied };
}
