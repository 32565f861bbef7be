/**
 * Faults on the real stack: a worker killed mid-trial (its trial finishes on the
 * other worker with exactly one result), a math failure (recorded, not retried)
 * and a crashing trial process (retried, then recorded as an error).
 */
import { describe, expect, it } from 'vitest';
import { runCli, startTestWorker } from '../support/workers';
import { useTestStack } from '../support/stack';

const stack = useTestStack();

describe('fault tolerance', () => {
  it('finishes a trial on another worker when its worker is killed mid-trial, with exactly one result', async () => {
    const submit = await runCli(['submit', 'test/fixtures/noop-slow.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    const running = await stack.until('the trial to start', async () => {
      const { trials } = await stack.trialsOf('it-noop-slow');
      return trials[0]?.status === 'running' ? trials[0] : null;
    });
    const victim = stack.workers.find((w) => running.host?.startsWith(`${w.pid}@`));
    expect(victim, `no test worker ran ${running.host}`).toBeDefined();
    // Let it get going, then kill the worker outright (no graceful shutdown).
    await new Promise((r) => setTimeout(r, 1500));
    victim!.process.kill('SIGKILL');

    const done = await stack.until(
      'the trial to finish on the other worker',
      async () => {
        const { trials } = await stack.trialsOf('it-noop-slow');
        return trials[0]?.status === 'done' ? trials[0] : null;
      },
      90_000,
    );
    expect(done.attempts).toBe(2);
    expect(done.host).not.toBe(running.host);
    // One result: 12 progress points of 2 curves, once each, plus nothing from the killed attempt.
    expect(done.metrics).toHaveLength(24);
    expect(new Set(done.metrics.map((m) => `${m.name}@${m.step}`)).size).toBe(24);

    // Replace the killed worker so later tests have two again.
    stack.workers.splice(stack.workers.indexOf(victim!), 1, startTestWorker(stack.env, ['--slots', '1']));
  }, 180_000);

  it('records a math failure without retrying it, and retries a crash until it gives up', async () => {
    const result = await runCli(['submit', 'test/fixtures/noop-failures.ts', '--wait', '--json'], stack.env);
    expect(result.code).toBe(1); // failed trials make --wait exit 1
    const { sweep, trials } = await stack.trialsOf('it-noop-failures');
    expect(sweep.status).toBe('failed');
    const byFail = Object.fromEntries(trials.map((t) => [(t.params as { fail: string }).fail, t]));
    expect(byFail.none).toMatchObject({ status: 'done', attempts: 1 });
    expect(byFail.math).toMatchObject({ status: 'failed', attempts: 1, failureKind: 'math' });
    expect(byFail.math!.error).toMatch(/TrialMathError|math/i);
    expect(byFail.crash).toMatchObject({ status: 'error', failureKind: 'infra' });
    expect(byFail.crash!.attempts).toBe(2);
  }, 180_000);
});
