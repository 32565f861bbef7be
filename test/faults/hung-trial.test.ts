/**
 * Fault: a trial process that hangs, alive and silent (its event loop blocked).
 * The worker's heartbeats would keep the attempt alive forever, so the worker
 * itself kills a trial process that has said nothing for the heartbeat timeout
 * (src/activities/silence-watchdog.ts); the attempt fails and is retried.
 */
import { describe, expect, it } from 'vitest';
import { cleanCounts, faultCounts, installResultAudit } from '../support/fault-counts';
import { useTestStack } from '../support/stack';
import { runCli } from '../support/workers';

const stack = useTestStack({ workers: [['--slots', '2']] });
const SWEEP = 'fault-hung-trial';

describe('a trial process that hangs', () => {
  it('is killed at the heartbeat timeout and its trial retried', async () => {
    await installResultAudit(stack.databaseUrl);
    const started = Date.now();
    const result = await runCli(['submit', 'test/fixtures/faults/hung-trial.ts', '--wait', '--json'], stack.env);
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    expect(await faultCounts(stack, 'trial processes hung on their first attempt', SWEEP, 2)).toEqual(cleanCounts(2));
    const { trials } = await stack.trialsOf(SWEEP);
    // The first attempt hung and was killed; the second ran through.
    expect(trials.map((t) => t.attempts)).toEqual([2, 2]);
    const output = stack.workers[0]!.output();
    expect(output).toMatch(/injected hang/);
    expect(output.match(/trial process hung: silent for \d+\.\d s, past the heartbeat timeout, and killed/g)).toHaveLength(2);
    console.log(`[fault] hung trials: the sweep took ${seconds.toFixed(1)} s with a 4 s heartbeat timeout`);
  }, 180_000);
});
