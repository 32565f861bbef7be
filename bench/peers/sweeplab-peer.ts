/**
 * A workload on sweeplab: a noop sweep submitted to the bench's private stack,
 * timed from submit to the workflow's completion, with the CPU seconds the
 * Temporal server, the worker (with its trial processes), Postgres and the
 * bench's own client used meanwhile.
 */
import { submitSweep } from '../../src/client/submit-sweep';
import { watchSweep } from '../../src/client/watch-sweep';
import { familyCatalogue } from '../../src/experiments/registry';
import { resolveSweep } from '../../src/sweep/resolve';
import type { PrivateStack } from '../support/private-stack';
import { treeCpuSeconds } from '../support/process-tree';
import type { Measurement } from './measurement';
import type { Workload } from './workloads';

/** How often the bench asks the sweep for its status: the wall time is known to this much. */
const POLL_MS = 250;
/** After a cancel at the cap, how long to wait for the sweep to close before going on. */
const CANCEL_GRACE_MS = 60_000;

function clientCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function stackCpuSeconds(stack: PrivateStack): Record<string, number> {
  return {
    ...treeCpuSeconds({ temporal: stack.temporal.pid, worker: stack.worker.pid, postgres: stack.postgres.pid }),
    client: clientCpuSeconds(),
  };
}

/** Each call needs its own `seed`: a trial (family, parameters, seed) that already ran would be reused, not run. */
function noopSweep(workload: Workload, seed: number) {
  return resolveSweep(
    {
      name: `peers-${workload.name}-${seed}`,
      family: 'noop',
      parameters: {
        value: { kind: 'range', start: 1, stop: workload.trials, step: 1 },
        durationMs: Math.round(workload.seconds * 1000),
        isolation: workload.isolated ? 'process' : 'inline',
      },
      seeds: [seed],
      concurrency: workload.concurrency,
    },
    { file: 'bench/peers.ts', catalogue: familyCatalogue },
  );
}

export async function runOnSweeplab(stack: PrivateStack, workload: Workload, options: { capSeconds: number; seed: number }): Promise<Measurement> {
  const loaded = noopSweep(workload, options.seed);
  const cpuBefore = stackCpuSeconds(stack);
  const started = performance.now();
  const submitted = await submitSweep(stack.prisma, stack.client, loaded);
  let doneSoFar = 0;
  const watched = watchSweep(stack.client, submitted.workflowId, (progress) => (doneSoFar = progress.done), { intervalMs: POLL_MS });
  let capTimer: NodeJS.Timeout | undefined;
  const cap = new Promise<'cap'>((resolve) => (capTimer = setTimeout(() => resolve('cap'), options.capSeconds * 1000)));
  const end = await Promise.race([watched, cap]);
  clearTimeout(capTimer);
  const wallSeconds = (performance.now() - started) / 1000;
  const cpuAfter = stackCpuSeconds(stack);
  const cpuSeconds = Object.fromEntries(Object.entries(cpuAfter).map(([name, after]) => [name, after - (cpuBefore[name] ?? 0)]));
  const measured = { system: 'sweeplab', workload: workload.name, wallSeconds, cpuSeconds } as const;
  if (end === 'cap') {
    // Stop it, so the next measurement has the machine to itself.
    await stack.client.workflow.getHandle(submitted.workflowId).cancel();
    await Promise.race([watched, new Promise((resolve) => setTimeout(resolve, CANCEL_GRACE_MS))]);
    return { ...measured, completed: doneSoFar, finished: false };
  }
  if (end.status !== 'COMPLETED') throw new Error(`sweep ${submitted.workflowId} ended ${end.status}: ${JSON.stringify(end.counters)}`);
  const completed = end.counters?.done ?? 0;
  return { ...measured, completed, finished: completed === workload.trials };
}
