/**
 * `sweep db migrate` (what the cluster chart's migration Job runs) against a real,
 * empty Postgres database: applies every committed migration, then finds nothing to do.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { runCli } from '../support/workers';

let postgres: TestPostgres | undefined;
let url = '';

beforeAll(async () => {
  postgres = await startTestPostgres();
  url = await postgres.database('db_migrate_cli');
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
}, 60_000);

describe('sweep db migrate', () => {
  it('applies the migrations to DATABASE_URL once, and then has nothing to do', async () => {
    const migrations = readdirSync('prisma/migrations', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const first = await runCli(['db', 'migrate'], { DATABASE_URL: url });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`applied ${migrations.join(', ')}`);
    const again = await runCli(['db', 'migrate'], { DATABASE_URL: url });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('the database is up to date');

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const rows = await db.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name');
      expect(rows.rows.map((r) => r.migration_name)).toEqual(migrations);
      expect((await db.query(`SELECT to_regclass('"Trial"') AS t`)).rows[0].t).toBe('"Trial"');
    } finally {
      await db.end();
    }
    expect((await runCli(['db', 'nonsense'], { DATABASE_URL: url })).code).toBe(2);
  }, 120_000);
});
