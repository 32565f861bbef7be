/**
 * Cancellation on the real stack: a cancelled sweep stops its running trials
 * before `sweep cancel` returns; a trial child cancelled or terminated on its
 * own is counted as an error, not waited for, and rerun by the next submission.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/workers';
import { useTestStack } from '../support/stack';

const stack = useTestStack();

async function workflowStatus(workflowId: string): Promise<string> {
  return (await stack.client.workflow.getHandle(workflowId).describe()).status.name;
}

describe('cancellation', () => {
  it('cancelling a sweep stops its running trials before it returns, and a resubmit right after runs them afresh', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-cancel.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    const workflowId = await stack.whenAllRunning('it-noop-cancel');

    const cancel = await runCli(['cancel', 'it-noop-cancel'], stack.env);
    expect(cancel.code, cancel.stderr).toBe(0);
    // `sweep cancel` returns once the children have stopped: no polling needed.
    const { sweep, trials } = await stack.trialsOf('it-noop-cancel');
    expect(sweep.status).toBe('cancelled');
    expect(trials.map((t) => [t.status, t.error])).toEqual([['error', 'cancelled'], ['error', 'cancelled']]);
    expect(await workflowStatus(`${workflowId}/trial-0`)).toBe('CANCELLED');
    expect(await workflowStatus(`${workflowId}/trial-1`)).toBe('CANCELLED');

    const again = await runCli(['submit', 'test/fixtures/noop-cancel.ts', '--json'], stack.env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 2, alreadyFinished: 0, started: true });
    await stack.whenAllRunning('it-noop-cancel');
    expect((await runCli(['cancel', 'it-noop-cancel'], stack.env)).code).toBe(0);
  }, 120_000);

  it('a trial child cancelled on its own (not by its sweep) counts as an error, and the next submission runs it', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-requeue.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    const workflowId = await stack.whenAllRunning('it-noop-requeue');
    await stack.client.workflow.getHandle(`${workflowId}/trial-0`).cancel();

    // As a terminated child: the sweep runs on, counts it as an error, and closes failed.
    const watch = await runCli(['watch', 'it-noop-requeue'], stack.env);
    expect(watch.code, watch.stdout + watch.stderr).toBe(1);
    const { sweep, trials } = await stack.trialsOf('it-noop-requeue');
    expect(sweep.status).toBe('failed');
    expect(trials.map((t) => [t.status, t.error])).toEqual([['error', 'cancelled'], ['done', null]]);
    expect(trials[0]!.attempts).toBe(1);
    expect(await stack.client.workflow.getHandle(workflowId).result()).toMatchObject({ done: 1, failed: 0, errored: 1 });

    // The next submission runs it (and only it) again.
    const again = await runCli(['submit', 'test/fixtures/noop-requeue.ts', '--wait', '--json'], stack.env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.split('\n')[0]!)).toMatchObject({ total: 2, alreadyFinished: 1, started: true });
    const rerun = await stack.trialsOf('it-noop-requeue');
    expect(rerun.sweep.status).toBe('completed');
    expect(rerun.trials.map((t) => t.status)).toEqual(['done', 'done']);
    expect(rerun.trials[1]!.startedAt).toEqual(trials[1]!.startedAt);
    expect(await stack.client.workflow.getHandle(workflowId).result()).toMatchObject({ skipped: 1, done: 1, failed: 0, errored: 0 });
  }, 180_000);

  it('a trial child that ends without reporting (terminated) is found and counted, not waited for forever', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-lost.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    const workflowId = await stack.whenAllRunning('it-noop-lost');
    await stack.client.workflow.getHandle(`${workflowId}/trial-0`).terminate('test: a child that never reports');

    const watch = await runCli(['watch', 'it-noop-lost'], stack.env);
    expect(watch.code, watch.stdout + watch.stderr).toBe(1); // an errored trial fails the sweep
    const { sweep, trials } = await stack.trialsOf('it-noop-lost');
    expect(sweep.status).toBe('failed');
    expect(trials[0]).toMatchObject({ status: 'error', failureKind: 'infra' });
    expect(trials[0]!.error).toMatch(/terminated/);
    expect(trials[1]!.status).toBe('done');
    expect(await stack.client.workflow.getHandle(workflowId).result()).toMatchObject({ done: 1, errored: 1 });
  }, 120_000);
});
