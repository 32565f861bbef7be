/**
 * Fault: the same sweep submitted twice at the same moment, from two processes.
 * One sweep row, one workflow run, each trial done once.
 */
import { describe, expect, it } from 'vitest';
import { cleanCounts, faultCounts, installResultAudit } from '../support/fault-counts';
import { useTestStack } from '../support/stack';
import { runCli } from '../support/workers';

const stack = useTestStack({ workers: [['--slots', '2']] });
const SWEEP = 'fault-double-submit';

describe('two submissions of one sweep at the same moment', () => {
  it('start one sweep', async () => {
    await installResultAudit(stack.databaseUrl);
    const [a, b] = await Promise.all([1, 2].map(() => runCli(['submit', 'test/fixtures/faults/double-submit.ts', '--json'], stack.env)));
    expect(a!.code, a!.stderr).toBe(0);
    expect(b!.code, b!.stderr).toBe(0);
    const [first, second] = [a!, b!].map((r) => JSON.parse(r.stdout) as { sweepId: string; workflowId: string; started: boolean });
    expect(second!.sweepId).toBe(first!.sweepId);
    // Exactly one of them started the workflow; the other found it running.
    expect([first!.started, second!.started].sort()).toEqual([false, true]);
    expect(await stack.prisma.sweep.count({ where: { name: SWEEP } })).toBe(1);
    expect(await stack.prisma.sweepTrial.count({ where: { sweepId: first!.sweepId } })).toBe(6);

    await stack.client.workflow.getHandle(first!.workflowId).result();
    // One execution of the sweep's workflow id: the one run (continue-as-new aside, which 6 trials never reach).
    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${first!.workflowId}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
    expect(await faultCounts(stack, 'two submissions at the same moment', SWEEP, 6)).toEqual(cleanCounts(6));
  }, 180_000);
});
