/**
 * Metric rows per second into Postgres, side by side in one run:
 * `npx tsx bench/metrics-ingest.ts [trials] [points] [writers]` (default 200 × 500, 10 at once).
 *
 * Each trial's result is written as a worker writes it (recordTrialResult: one
 * transaction that locks the trial row, the points, the summary), by `writers`
 * concurrent writers, first with the points as Prisma's createMany (what the
 * code did before, three bind parameters per row) and then as sweeplab writes
 * them now (one INSERT … SELECT FROM unnest of three arrays). A private
 * Postgres in a temp dir; prints, asserts nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrisma, type PrismaClient } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { registerSweep } from '../src/db/sweeps';
import { markTrialStarted, recordTrialResult, type MetricPoint } from '../src/db/trials';
import { ensurePostgres, stopPostgres } from '../src/stack/postgres';
import { freePort } from '../src/stack/processes';
import type { TrialSpec } from '../src/sweep/trial';

const [trialCount, pointCount, writers] = [Number(process.argv[2] ?? 200), Number(process.argv[3] ?? 500), Number(process.argv[4] ?? 10)];
const dir = mkdtempSync(join(tmpdir(), 'sweeplab-ingest-'));
const postgres = await ensurePostgres({ dataDir: join(dir, 'postgres'), port: await freePort(), logFile: join(dir, 'postgres.log') });
await migrateDatabase(postgres.url);
const prisma = createPrisma(postgres.url);

function trials(tag: string): TrialSpec[] {
  return Array.from({ length: trialCount }, (_, index) => {
    const params = { tag, index };
    const key = createHash('sha256').update(JSON.stringify(params)).digest('hex');
    return { key, family: 'noop', codeVersion: 'noop@1', params, seed: 0, index };
  });
}

/** A curve of `pointCount` points over five metric names, as a trial reporting per step would send. */
function curve(): MetricPoint[] {
  const names = ['loss', 'accuracy', 'testLoss', 'testAccuracy', 'lr'];
  return Array.from({ length: pointCount }, (_, i) => ({ name: names[i % names.length]!, step: Math.floor(i / names.length), value: Math.sin(i) }));
}

/** The old write: the same transaction, the points through createMany. */
async function recordWithCreateMany(db: PrismaClient, key: string, points: MetricPoint[]): Promise<void> {
  await db.$transaction(async (tx) => {
    const [trial] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "Trial" WHERE key = ${key} FOR UPDATE`;
    for (let i = 0; i < points.length; i += 5000) {
      await tx.metric.createMany({ data: points.slice(i, i + 5000).map((p) => ({ trialId: trial!.id, ...p })), skipDuplicates: true });
    }
    await tx.trial.update({ where: { id: trial!.id }, data: { status: 'done', summary: { value: 1 } } });
  });
}

async function ingest(label: string, write: (key: string, points: MetricPoint[]) => Promise<unknown>): Promise<number> {
  const specs = trials(label);
  await registerSweep(prisma, { id: `ingest-${label}`, name: `ingest-${label}`, family: 'noop', preset: null, spec: {}, specHash: label, workflowId: `ingest-${label}`, trials: specs });
  for (const t of specs) await markTrialStarted(prisma, { key: t.key, attempt: 1, host: 'bench', codeRevision: null });
  const points = curve();
  const queue = [...specs];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await write(next.key, points);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rows = await prisma.metric.count({ where: { trial: { key: { in: specs.map((t) => t.key) } } } });
  if (rows !== trialCount * pointCount) throw new Error(`${label}: ${rows} rows, expected ${trialCount * pointCount}`);
  return rows / seconds;
}

try {
  console.log(
    `metrics ingest: ${availableParallelism()} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; ` +
      `${trialCount} trials × ${pointCount} points, ${writers} writers at once, each trial one transaction`,
  );
  const now = new Date();
  const createMany = await ingest('createmany', (key, points) => recordWithCreateMany(prisma, key, points));
  const unnest = await ingest('unnest', (key, points) =>
    recordTrialResult(prisma, { key, backend: 'none', backendVersion: null, device: null, summary: { value: 1 }, points, startedAt: now, finishedAt: now, host: 'bench', attempt: 1 }),
  );
  console.log(`createMany (before):          ${createMany.toFixed(0).padStart(8)} rows/s`);
  console.log(`INSERT … unnest (sweeplab):   ${unnest.toFixed(0).padStart(8)} rows/s   (${(unnest / createMany).toFixed(2)}×)`);
} finally {
  await prisma.$disconnect();
  await stopPostgres(join(dir, 'postgres'));
  rmSync(dir, { recursive: true, force: true });
}
