/**
 * `npx tsx scripts/migrate.ts`: applies prisma/migrations to DATABASE_URL (or the
 * local stack's database) without Prisma's native schema engine.
 */
import { databaseUrl } from '../src/config';
import { migrateDatabase } from '../src/db/migrate';

try {
  const { applied } = await migrateDatabase(databaseUrl());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (e) {
  console.error(`migrate: ${(e as Error).message}`);
  process.exit(1);
}
