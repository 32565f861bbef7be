/**
 * A 100,000-trial sweep on a private local stack, start to end:
 * `npx tsx bench/sweep-100k.ts [--preset smoke] [--every SECONDS]`.
 *
 * Submits sweeps/noop-100k.ts through the real CLI (validation, keys,
 * registration: timed), then samples every few seconds until it completes:
 * trials done, the worker's and the Temporal server's resident memory (the
 * sweep workflow's state lives in the worker), how long the progress query and
 * `sweep status`'s database counts take. At the end: history events per run
 * of the sweep (continue-as-new bounds them), database size per trial, and
 * the throughput. Prints, asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { sweepCounts } from '../src/db/sweeps';
import { progressQuery } from '../src/workflows/definitions';
import { runCli } from '../test/support/workers';
import { startPrivateStack } from './support/private-stack';

const args = process.argv.slice(2);
const preset = args.includes('--preset') ? args[args.indexOf('--preset') + 1] : undefined;
const everySeconds = args.includes('--every') ? Number(args[args.indexOf('--every') + 1]) : 30;
const SWEEP_FILE = 'sweeps/noop-100k.ts';

function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

const stack = await startPrivateStack({ slots: 100 });
const env = { TEMPORAL_ADDRESS: stack.temporal.address, DATABASE_URL: stack.postgres.url, SWEEP_STATE_DIR: stack.dir };
try {
  console.log(
    `sweep-100k: ${availableParallelism()} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; ` +
      `${SWEEP_FILE}${preset ? ` --preset ${preset}` : ''}, one worker with 100 slots, inline noop trials`,
  );
  const submitStarted = performance.now();
  const submit = await runCli(['submit', SWEEP_FILE, ...(preset ? ['--preset', preset] : []), '--json'], env, { bin: true });
  const submitMs = performance.now() - submitStarted;
  if (submit.code !== 0) throw new Error(`submit failed: ${submit.stderr}`);
  const submitted = JSON.parse(submit.stdout.split('\n')[0]!) as { sweepId: string; workflowId: string; total: number };
  console.log(`submit (the CLI: load, validate, expand, keys, register, start): ${(submitMs / 1000).toFixed(1)} s for ${submitted.total.toLocaleString('en-US')} trials`);

  const handle = stack.client.workflow.getHandle(submitted.workflowId);
  const started = Date.now();
  console.log('\n  elapsed   done      worker RSS  server RSS  progress query  status counts');
  for (;;) {
    const description = await handle.describe();
    const [counts, countsMs] = await timed(() => sweepCounts(stack.prisma, submitted.sweepId));
    let queryMs = NaN;
    if (description.status.name === 'RUNNING') {
      try {
        [, queryMs] = await timed(() => handle.query(progressQuery));
      } catch {
        // between two runs (continue-as-new)
      }
    }
    const elapsed = Math.round((Date.now() - started) / 1000);
    console.log(
      `  ${String(elapsed).padStart(5)} s  ${String(counts.done).padStart(7)}  ${rssMb(stack.worker.pid).toFixed(0).padStart(7)} MB  ${rssMb(stack.temporal.pid).toFixed(0).padStart(7)} MB  ` +
        `${Number.isNaN(queryMs) ? '      —' : `${queryMs.toFixed(0).padStart(7)} ms`}        ${countsMs.toFixed(0).padStart(5)} ms`,
    );
    if (description.status.name !== 'RUNNING') {
      if (description.status.name !== 'COMPLETED') throw new Error(`the sweep ended ${description.status.name}`);
      break;
    }
    await new Promise((r) => setTimeout(r, everySeconds * 1000));
  }
  const seconds = (Date.now() - started) / 1000;

  const runs: number[] = [];
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${submitted.workflowId}'` })) {
    runs.push((await stack.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events?.length ?? 0);
  }
  const db = new pg.Client({ connectionString: stack.postgres.url });
  await db.connect();
  const size = await db.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  const tables = await db.query<{ name: string; bytes: string }>(
    `SELECT relname AS name, pg_total_relation_size(relid) AS bytes FROM pg_catalog.pg_statio_user_tables ORDER BY 2 DESC LIMIT 5`,
  );
  await db.end();
  const bytes = Number(size.rows[0]!.bytes);
  console.log(`\n${submitted.total.toLocaleString('en-US')} trials in ${seconds.toFixed(0)} s: ${((submitted.total / seconds) * 60).toFixed(0)} trials/min`);
  console.log(`runs of the sweep workflow: ${runs.length}; history events per run: max ${Math.max(...runs)}, mean ${(runs.reduce((a, b) => a + b, 0) / runs.length).toFixed(0)}`);
  console.log(`database: ${(bytes / 1e6).toFixed(0)} MB, ${(bytes / submitted.total).toFixed(0)} bytes per trial (${tables.rows.map((t) => `${t.name} ${(Number(t.bytes) / 1e6).toFixed(0)} MB`).join(', ')})`);
} finally {
  await stack.stop();
}
