/**
 * Fault: a worker SIGKILLed mid-trial. Its trials are retried on the other
 * worker once their heartbeats stop, and each ends with exactly one result.
 */
import { describe, expect, it } from 'vitest';
import { cleanCounts, faultCounts, installResultAudit } from '../support/fault-counts';
import { useTestStack } from '../support/stack';
import { runCli, startTestWorker } from '../support/workers';

const stack = useTestStack({ workers: [['--slots', '2'], ['--slots', '2']] });
const SWEEP = 'fault-worker-killed';

describe('a worker killed mid-trial', () => {
  it('reruns its trials on the other worker, each with exactly one result', async () => {
    await installResultAudit(stack.databaseUrl);
    const submit = await runCli(['submit', 'test/fixtures/faults/worker-killed.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    const { workflowId } = JSON.parse(submit.stdout) as { workflowId: string };
    await stack.whenAllRunning(SWEEP);
    const { trials: running } = await stack.trialsOf(SWEEP);
    const victim = stack.workers.find((w) => running.some((t) => t.host?.startsWith(`${w.pid}@`)))!;
    expect(victim, 'no test worker ran the trials').toBeDefined();
    const victimHost = running.find((t) => t.host?.startsWith(`${victim.pid}@`))!.host;
    // Let its trials get going, then kill the worker outright (no graceful shutdown).
    await new Promise((r) => setTimeout(r, 1500));
    victim.process.kill('SIGKILL');
    // A replacement comes up, as a cluster would restart it; the survivor has taken the retries by then.
    stack.workers.splice(stack.workers.indexOf(victim), 1, startTestWorker(stack.env, ['--slots', '2']));

    await stack.client.workflow.getHandle(workflowId).result();
    expect(await faultCounts(stack, 'worker SIGKILLed mid-trial', SWEEP, 4)).toEqual(cleanCounts(4));
    const { trials } = await stack.trialsOf(SWEEP);
    const rerun = trials.filter((t) => t.attempts > 1);
    expect(rerun.length, 'the killed worker held at least one trial').toBeGreaterThan(0);
    for (const trial of rerun) expect(trial.host).not.toBe(victimHost);
    // One result each: 12 progress points of 2 curves, once; nothing from a killed attempt beside them.
    for (const trial of trials) {
      expect(trial.metrics).toHaveLength(24);
      expect(new Set(trial.metrics.map((m) => `${m.name}@${m.step}`)).size).toBe(24);
    }
  }, 180_000);
});
