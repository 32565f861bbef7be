/**
 * Failures of the trial itself on the real stack: a math failure (recorded, not
 * retried) and a crashing trial process (retried, then recorded as an error).
 * Faults of the infrastructure under a sweep are in test/faults.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/workers';
import { useTestStack } from '../support/stack';

const stack = useTestStack();

describe('trial failures', () => {
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
