#!/usr/bin/env node
/**
 * `prisma generate`, offline. The Prisma 7 CLI downloads a native schema-engine
 * at start even though generate never uses it; pointing
 * PRISMA_SCHEMA_ENGINE_BINARY at any executable skips the download. The
 * generated client (src/db/generated) needs no native binary at run time.
 *
 * Runs as package.json's postinstall, so it stays quiet when there is no schema
 * (e.g. a partial checkout) and fails loudly when generation itself fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(root, 'prisma', 'schema.prisma');
if (!existsSync(schema)) process.exit(0);

let cli;
try {
  cli = join(dirname(createRequire(join(root, 'package.json')).resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  console.error('prisma-generate: the `prisma` package is not installed; run `npm install` first');
  process.exit(1);
}

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || '/bin/true',
  CHECKPOINT_DISABLE: '1', // no telemetry / version check requests
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  PRISMA_GENERATE_SKIP_AUTOINSTALL: '1', // never try to `npm install @prisma/client` itself
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
};

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
if (result.error || result.status !== 0) {
  console.error(`prisma-generate: \`prisma generate\` failed (exit ${result.status ?? result.error?.message})`);
  if (output) console.error(output);
  process.exit(1);
}
if (!existsSync(join(root, 'src', 'db', 'generated', 'client.ts'))) {
  console.error('prisma-generate: `prisma generate` succeeded but src/db/generated/client.ts is missing');
  if (output) console.error(output);
  process.exit(1);
}
console.log('prisma-generate: Prisma client generated in src/db/generated');
