import { databaseUrl } from '../../config';
import { migrateDatabase } from '../../db/migrate';
import { parseCommandArgs, type Command } from '../command';
import { UsageError } from '../usage-error';

export const dbCommand: Command = {
  name: 'db',
  summary: 'the results database: apply its migrations (sweep db migrate)',
  help: `Usage: sweep db migrate

Applies the committed migrations (prisma/migrations) that DATABASE_URL's database lacks, in
Prisma's own bookkeeping (_prisma_migrations), without Prisma's native engine; safe to run
again and from several places at once (they wait on one lock). Run it once per release
before workers of that release start: the cluster chart's migration Job does.`,
  async run(argv) {
    const { positionals } = parseCommandArgs('db', argv, {}, 1);
    if (positionals[0] !== 'migrate') {
      throw new UsageError(positionals[0] ? `sweep db: unknown subcommand '${positionals[0]}' (known: migrate)` : 'sweep db: which? sweep db migrate');
    }
    const { applied } = await migrateDatabase(databaseUrl());
    console.log(applied.length ? `sweep db migrate: applied ${applied.join(', ')}` : 'sweep db migrate: the database is up to date');
    return 0;
  },
};
