/**
 * Where an orchestrated trial's time goes, per trial, on a private local stack:
 * `npx tsx bench/trial-cost.ts [trials] [--concurrency C] [--duration MS]`.
 *
 * Runs noop sweeps of instant trials, inline in the worker (the orchestrator
 * alone) and in trial processes (what every real trial pays), and reports per
 * trial: Temporal history events (the sweep's runs and the trial workflows),
 * workflow tasks, activity tasks, SQL statements and transactions in Postgres
 * (pg_stat_statements, pg_stat_database), and CPU milliseconds of the Temporal
 * server, the worker (with its trial processes) and Postgres, read from /proc.
 * Prints, asserts nothing. The table goes into bench/README.md: it is what
 * justifies the orchestration design.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import pg from 'pg';
import { connectTemporal } from '../src/client/connect';
import { submitSweep } from '../src/client/submit-sweep';
import { watchSweep } from '../src/client/watch-sweep';
import { createPrisma } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { familyCatalogue } from '../src/experiments/registry';
import { ensurePostgres, stopPostgres } from '../src/stack/postgres';
import { freePort } from '../src/stack/processes';
import { ensureTemporalServer, stopTemporalServer } from '../src/stack/temporal-server';
import { resolveSweep } from '../src/sweep/resolve';
import { startTestWorker } from '../test/support/workers';
import { treeCpuSeconds } from './support/process-tree';

const args = process.argv.slice(2);
const trials = Number(args.find((a) => /^\d+$/.test(a)) ?? 200);
const concurrencyAt = args.indexOf('--concurrency');
const concurrency = concurrencyAt >= 0 ? Number(args[concurrencyAt + 1]) : 20;
const durationAt = args.indexOf('--duration');
/** Each noop trial's own time (ms): 0 measures the orchestrator alone; 1000 is issue 14's workload (a). */
const durationMs = durationAt >= 0 ? Number(args[durationAt + 1]) : 0;
const slots = availableParallelism();
const dir = mkdtempSync(join(tmpdir(), 'sweeplab-cost-'));

// ---------------------------------------------------------------- the stack

const postgresDir = join(dir, 'postgres');
const temporalPort = await freePort();
const [temporal, firstStart] = await Promise.all([
  ensureTemporalServer({ dbFile: join(dir, 'temporal.db'), port: temporalPort, uiPort: await freePort(), pidFile: join(dir, 'temporal.pid'), logFile: join(dir, 'temporal.log') }),
  ensurePostgres({ dataDir: postgresDir, port: await freePort(), logFile: join(dir, 'postgres.log') }),
]);
// pg_stat_statements counts every statement: it must be preloaded, so restart once with it.
{
  const admin = new pg.Client({ connectionString: firstStart.url });
  await admin.connect();
  await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await admin.end();
}
await stopPostgres(postgresDir);
const postgres = await ensurePostgres({ dataDir: postgresDir, port: Number(new URL(firstStart.url).port), logFile: join(dir, 'postgres.log') });
await migrateDatabase(postgres.url);
const stats = new pg.Client({ connectionString: postgres.url });
await stats.connect();
await stats.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');

const env = { TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: postgres.url, SWEEP_STATE_DIR: dir };
Object.assign(process.env, env);
const worker = startTestWorker(env, ['--slots', String(concurrency)]);
const prisma = createPrisma(postgres.url);
const client: Client = await connectTemporal();

async function databaseCounters(): Promise<{ statements: number; transactions: number }> {
  const calls = await stats.query<{ calls: string }>('SELECT COALESCE(SUM(calls), 0) AS calls FROM pg_stat_statements');
  const xacts = await stats.query<{ xacts: string }>('SELECT SUM(xact_commit + xact_rollback) AS xacts FROM pg_stat_database');
  return { statements: Number(calls.rows[0]!.calls), transactions: Number(xacts.rows[0]!.xacts) };
}

/** Milliseconds of an event's time. */
function eventMs(event: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

/**
 * Where a trial slot's time goes between two trials, from the sweep's history
 * event times: the activity waiting to be picked up (scheduled → started), its
 * run (started → completed, the trial's own duration included), and the sweep
 * reacting to the completion (completed → the next trial scheduled).
 */
interface SlotLatency {
  dispatchMs: number[];
  runMs: number[];
  turnaroundMs: number[];
}

interface HistoryCounts {
  workflows: number;
  events: number;
  workflowTasks: number;
  activityTasks: number;
}

/** Events, workflow tasks and activity tasks of every workflow run whose SweepId is this sweep's, or that is the sweep. */
async function historyCounts(sweepId: string, workflowId: string): Promise<{ sweep: HistoryCounts; trials: HistoryCounts; latency: SlotLatency }> {
  const empty = (): HistoryCounts => ({ workflows: 0, events: 0, workflowTasks: 0, activityTasks: 0 });
  const counts = { sweep: empty(), trials: empty(), latency: { dispatchMs: [], runMs: [], turnaroundMs: [] } as SlotLatency };
  const runs = client.workflow.list({ query: `SweepId = '${sweepId}' OR WorkflowId = '${workflowId}'` });
  for await (const run of runs) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const into = run.workflowId === workflowId ? counts.sweep : counts.trials;
    into.workflows++;
    const scheduledAt = new Map<string, number>();
    const startedAt = new Map<string, number>();
    const schedules: number[] = [];
    const completions: number[] = [];
    for (const event of history.events ?? []) {
      into.events++;
      if (event.workflowTaskCompletedEventAttributes) into.workflowTasks++;
      if (event.activityTaskCompletedEventAttributes || event.activityTaskFailedEventAttributes) into.activityTasks++;
      const id = String(event.eventId);
      if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'runTrial') {
        scheduledAt.set(id, eventMs(event));
        schedules.push(eventMs(event));
      }
      const started = event.activityTaskStartedEventAttributes;
      if (started && scheduledAt.has(String(started.scheduledEventId))) {
        startedAt.set(String(started.scheduledEventId), eventMs(event));
        counts.latency.dispatchMs.push(eventMs(event) - scheduledAt.get(String(started.scheduledEventId))!);
      }
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && startedAt.has(String(completed.scheduledEventId))) {
        counts.latency.runMs.push(eventMs(event) - startedAt.get(String(completed.scheduledEventId))!);
        completions.push(eventMs(event));
      }
    }
    // For each completion, the next trial scheduled after it (none once the pages ran out).
    for (const done of completions) {
      const next = schedules.find((at) => at >= done);
      if (next !== undefined) counts.latency.turnaroundMs.push(next - done);
    }
  }
  return counts;
}

interface Cost {
  label: string;
  trials: number;
  wallMs: number;
  history: { sweep: HistoryCounts; trials: HistoryCounts; latency: SlotLatency };
  statements: number;
  transactions: number;
  cpuMs: { server: number; worker: number; postgres: number };
}

let runSeed = 0;
async function measure(label: string, isolation: 'inline' | 'process', count: number): Promise<Cost> {
  const loaded = resolveSweep(
    {
      name: `cost-${isolation}`,
      family: 'noop',
      parameters: { value: { kind: 'range', start: 1, stop: count, step: 1 }, isolation, durationMs },
      seeds: [runSeed++],
      concurrency,
    },
    { file: 'bench/trial-cost.ts', catalogue: familyCatalogue },
  );
  const cpu = () => {
    const seconds = treeCpuSeconds({ server: temporal.pid, worker: worker.pid, postgres: postgres.pid });
    return { server: seconds.server! * 1000, worker: seconds.worker! * 1000, postgres: seconds.postgres! * 1000 };
  };
  const cpuBefore = cpu();
  const dbBefore = await databaseCounters();
  const started = Date.now();
  const submitted = await submitSweep(prisma, client, loaded);
  const end = await watchSweep(client, submitted.workflowId, () => undefined, { intervalMs: 250 });
  const wallMs = Date.now() - started;
  if (end.status !== 'COMPLETED' || end.counters?.done !== count) throw new Error(`${label}: sweep ended ${end.status}: ${JSON.stringify(end.counters)}`);
  const cpuAfter = cpu();
  const dbAfter = await databaseCounters();
  const history = await historyCounts(submitted.sweepId, submitted.workflowId);
  return {
    label,
    trials: count,
    wallMs,
    history,
    statements: dbAfter.statements - dbBefore.statements,
    transactions: dbAfter.transactions - dbBefore.transactions,
    cpuMs: { server: cpuAfter.server - cpuBefore.server, worker: cpuAfter.worker - cpuBefore.worker, postgres: cpuAfter.postgres - cpuBefore.postgres },
  };
}

function report(costs: Cost[]): void {
  const per = (value: number, c: Cost) => (value / c.trials).toFixed(1);
  const rows: [string, (c: Cost) => string][] = [
    ['wall ms per trial (at C in flight)', (c) => per(c.wallMs, c)],
    ['trials/min', (c) => ((c.trials / c.wallMs) * 60_000).toFixed(0)],
    ['history events: sweep workflow', (c) => per(c.history.sweep.events, c)],
    ['history events: trial workflows', (c) => per(c.history.trials.events, c)],
    ['workflow tasks (sweep + trials)', (c) => per(c.history.sweep.workflowTasks + c.history.trials.workflowTasks, c)],
    ['activity tasks (sweep + trials)', (c) => per(c.history.sweep.activityTasks + c.history.trials.activityTasks, c)],
    ['SQL statements', (c) => per(c.statements, c)],
    ['SQL transactions', (c) => per(c.transactions, c)],
    ['CPU ms: Temporal server', (c) => per(c.cpuMs.server, c)],
    ['CPU ms: worker (+ trial processes)', (c) => per(c.cpuMs.worker, c)],
    ['CPU ms: Postgres', (c) => per(c.cpuMs.postgres, c)],
    ['CPU ms: all', (c) => per(c.cpuMs.server + c.cpuMs.worker + c.cpuMs.postgres, c)],
    ['slot: scheduled → started, median / p90 ms', (c) => `${quantile(c.history.latency.dispatchMs, 0.5).toFixed(0)} / ${quantile(c.history.latency.dispatchMs, 0.9).toFixed(0)}`],
    ['slot: started → completed, median / p90 ms', (c) => `${quantile(c.history.latency.runMs, 0.5).toFixed(0)} / ${quantile(c.history.latency.runMs, 0.9).toFixed(0)}`],
    ['slot: completed → next scheduled, median / p90', (c) => `${quantile(c.history.latency.turnaroundMs, 0.5).toFixed(0)} / ${quantile(c.history.latency.turnaroundMs, 0.9).toFixed(0)}`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\nper trial            ${' '.repeat(Math.max(0, width - 20))}${costs.map((c) => c.label.padStart(16)).join('')}`);
  for (const [name, value] of rows) console.log(`${name.padEnd(width)} ${costs.map((c) => value(c).padStart(16)).join('')}`);
  console.log(`\n(${costs.map((c) => `${c.label}: ${c.trials} trials, ${c.history.sweep.workflows} sweep run(s), ${c.history.trials.workflows} trial workflows`).join('; ')})`);
}

try {
  console.log(
    `sweeplab per-trial cost: ${slots} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; ` +
      `one worker with ${concurrency} slots, noop sweeps of ${durationMs ? `${durationMs} ms` : 'instant'} trials at ${concurrency} in flight`,
  );
  await measure('warm-up', 'inline', 20);
  await measure('warm-up', 'process', Math.min(20, concurrency));
  const costs = [await measure('inline', 'inline', trials), await measure('process', 'process', trials)];
  report(costs);
} finally {
  await worker.stop();
  await prisma.$disconnect();
  await stats.end();
  await client.connection.close();
  await stopTemporalServer(join(dir, 'temporal.pid'));
  await stopPostgres(postgresDir);
  rmSync(dir, { recursive: true, force: true });
}
