/**
 * Orchestration throughput of the local stack, side by side in one run:
 * `npx tsx bench/orchestration.ts [trials]`.
 *
 * Starts a private stack (Temporal dev server, Postgres, one worker with the
 * default slots: one per core) and runs two noop sweeps of instant trials:
 * one with a trial process per trial (what every real trial pays), one inline
 * in the worker (the orchestrator alone: child workflow, activity, two
 * database writes, completion signal). Prints trials per minute for each and
 * their ratio. Prints, asserts nothing.
 */
import { availableParallelism } from 'node:os';
import { submitSweep } from '../src/client/submit-sweep';
import { watchSweep } from '../src/client/watch-sweep';
import { resolveSweep } from '../src/sweep/resolve';
import { familyCatalogue } from '../src/experiments/registry';
import { startPrivateStack } from './support/private-stack';

const trials = Number(process.argv[2] ?? 200);
const slots = availableParallelism();
const stack = await startPrivateStack({ slots });
const { prisma, client } = stack;

async function trialsPerMinute(isolation: 'process' | 'inline', count: number, concurrency: number, seed = 0): Promise<number> {
  const loaded = resolveSweep(
    {
      name: `bench-noop-${isolation}-${seed}`,
      family: 'noop',
      parameters: { value: { kind: 'range', start: 1, stop: count, step: 1 }, isolation },
      seeds: [seed],
      concurrency,
    },
    { file: 'bench/orchestration.ts', catalogue: familyCatalogue },
  );
  const started = Date.now();
  const submitted = await submitSweep(prisma, client, loaded);
  const end = await watchSweep(client, submitted.workflowId, () => undefined, { intervalMs: 250 });
  if (end.status !== 'COMPLETED' || end.counters?.done !== count) throw new Error(`bench sweep ended ${end.status}: ${JSON.stringify(end.counters)}`);
  return (count / (Date.now() - started)) * 60_000;
}

try {
  // Warm-up: the worker bundles workflows and opens its pools on first use.
  // (its own seed: identical trials would be skipped later as already done)
  await trialsPerMinute('inline', 20, 20, 1);
  const processCount = Math.max(slots * 10, Math.round(trials / 4));
  const perProcess = await trialsPerMinute('process', processCount, slots);
  const perInline = await trialsPerMinute('inline', trials, 100);
  console.log(`local stack, ${slots} worker slot(s), Node ${process.version}, 2 cores shared by server, database and worker`);
  console.log(`noop, a trial process each (window ${slots}):   ${perProcess.toFixed(0)} trials/min  (${processCount} trials)`);
  console.log(`noop, inline in the worker (window 100):  ${perInline.toFixed(0)} trials/min  (${trials} trials)`);
  console.log(`inline / process = ${(perInline / perProcess).toFixed(2)}×`);
} finally {
  await stack.stop();
}
