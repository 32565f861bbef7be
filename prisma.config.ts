// Prisma 7 reads the connection URL from here, not from schema.prisma. Only the
// CLI's migrate/introspect commands need it; `prisma generate` runs without one,
// so a missing DATABASE_URL is not an error here (the app uses src/config.ts).
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url ? { datasource: { url } } : {}),
});
