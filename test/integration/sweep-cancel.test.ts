/**
 * Cancellation on the real stack: a cancelled sweep stops its running trials
 * (their processes killed) before `sweep cancel` returns, and a resubmission
 * right after runs them afresh; a sweep terminated by hand leaves no trial
 * running on, and its resubmission runs what it left unfinished, once.
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
    expect(await workflowStatus(workflowId)).toBe('CANCELLED');

    const again = await runCli(['submit', 'test/fixtures/noop-cancel.ts', '--json'], stack.env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 2, alreadyFinished: 0, started: true });
    await stack.whenAllRunning('it-noop-cancel');
    expect((await runCli(['cancel', 'it-noop-cancel'], stack.env)).code).toBe(0);
  }, 120_000);

  it('a sweep terminated by hand leaves no trial running, and its resubmission runs the unfinished ones once', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-requeue.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    const workflowId = await stack.whenAllRunning('it-noop-requeue');
    await stack.client.workflow.getHandle(workflowId).terminate('test: the sweep dies mid-trial');
    // Its trials were activities of the terminated run: their next heartbeat finds it gone and their
    // processes are killed. Left running they would finish (6 s) and write `done` well within this wait.
    await new Promise((r) => setTimeout(r, 9000));
    const left = (await stack.trialsOf('it-noop-requeue')).trials;
    expect(left.map((t) => t.status)).toEqual(['running', 'running']);

    const again = await runCli(['submit', 'test/fixtures/noop-requeue.ts', '--wait', '--json'], stack.env);
    expect(again.code, again.stderr).toBe(0);
    const rerun = await stack.trialsOf('it-noop-requeue');
    expect(rerun.sweep.status).toBe('completed');
    expect(rerun.trials.map((t) => t.status)).toEqual(['done', 'done']);
    // One result each: the noop reports its points once, from the attempt that finished.
    for (const trial of rerun.trials) expect(new Set(trial.metrics.map((m) => `${m.name}@${m.step}`)).size).toBe(trial.metrics.length);
  }, 180_000);
});
