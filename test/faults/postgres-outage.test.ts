/**
 * Fault: Postgres stopped mid-sweep for longer than all of a trial's retries
 * would last, then started again. Bookkeeping writes wait for it inside their
 * attempt (src/activities/until-database-answers.ts), so no trial spends an
 * attempt on the outage and none ends in `error`; a trial that finished while
 * the database was down keeps its result and writes it exactly once.
 */
import { describe, expect, it } from 'vitest';
import { cleanCounts, faultCounts, installResultAudit, resultWrites } from '../support/fault-counts';
import { useTestStack } from '../support/stack';
import { runCli } from '../support/workers';

const stack = useTestStack({ workers: [['--slots', '2'], ['--slots', '2']] });
const SWEEP = 'fault-postgres-outage';
/** Two attempts 200 ms apart (the fixture's retry policy) would be spent in well under a second. */
const OUTAGE_MS = 15_000;

describe('Postgres stopped mid-sweep, then restarted', () => {
  it('ends with every trial done on its first attempt, and results finished during the outage written once', async () => {
    await installResultAudit(stack.databaseUrl);
    const submit = await runCli(['submit', 'test/fixtures/faults/postgres-outage.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    const { sweepId, workflowId } = JSON.parse(submit.stdout) as { sweepId: string; workflowId: string };
    await stack.until('two trials to finish and four to run', async () => {
      const { trials } = await stack.trialsOf(SWEEP);
      return trials.filter((t) => t.status === 'done').length >= 2 && trials.filter((t) => t.status === 'running').length === 4;
    }, 90_000);

    await stack.postgres.pause();
    const downAt = new Date();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await stack.postgres.resume();
    const upAt = new Date();

    await stack.client.workflow.getHandle(workflowId).result();
    expect(await faultCounts(stack, `Postgres stopped for ${((upAt.getTime() - downAt.getTime()) / 1000).toFixed(1)} s`, SWEEP, 12)).toEqual(cleanCounts(12));
    const { trials } = await stack.trialsOf(SWEEP);
    expect(trials.filter((t) => t.status === 'error')).toEqual([]);
    // No attempt was spent on the outage.
    expect(trials.map((t) => t.attempts)).toEqual(trials.map(() => 1));
    // The trials in flight when it stopped finished while it was down (3 s each, in a 15 s outage)
    // and wrote their results once it was back.
    const writes = await resultWrites(stack.databaseUrl, sweepId);
    const finishedWhileDown = writes.filter((w) => w.finishedAt !== null && w.finishedAt > downAt && w.finishedAt < upAt && w.writtenAt >= upAt);
    console.log(`[fault] Postgres outage: ${finishedWhileDown.length} trial(s) finished while it was down and wrote their result after it came back`);
    expect(finishedWhileDown.length).toBeGreaterThan(0);
    const output = stack.workers.map((w) => w.output()).join('\n');
    expect(output).toMatch(/the database is unreachable .*retrying until it answers/);
    for (const trial of trials) expect(trial.metrics).toHaveLength(12);
  }, 240_000);
});
