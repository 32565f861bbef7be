/**
 * Orchestration at scale on the real stack: 1,000 inline trials through the
 * sweep's bounded window, across several continue-as-new runs.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/workers';
import { useTestStack } from '../support/stack';

const stack = useTestStack();

describe('orchestration at scale', () => {
  it('runs 1,000 trials through a bounded window across several continue-as-new runs', async () => {
    const started = Date.now();
    const result = await runCli(['submit', 'test/fixtures/noop-many.ts', '--wait', '--json'], stack.env);
    expect(result.code, result.stderr).toBe(0);
    const { trials } = await stack.trialsOf('it-noop-many');
    expect(trials).toHaveLength(1000);
    expect(trials.filter((t) => t.status === 'done')).toHaveLength(1000);
    const metricRows = await stack.prisma.metric.count({ where: { trialId: { in: trials.map((t) => t.id) } } });
    expect(metricRows).toBe(2000); // progress and value, one point each
    console.log(`1,000 inline noop trials: ${((Date.now() - started) / 1000).toFixed(1)} s end to end`);
  }, 600_000);
});
