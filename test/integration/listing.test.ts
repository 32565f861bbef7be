/**
 * `sweep ls`, `sweep trials` and what a sweep shows in the Temporal web UI, on
 * the real stack: a sweep with one trial of each outcome (done, a math failure,
 * a crash retried then errored), listed from Postgres and read back from Temporal.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { SweepStatusAttribute } from '../../src/workflows/definitions';
import { useTestStack } from '../support/stack';
import { runCli } from '../support/workers';

const stack = useTestStack({ workers: [['--slots', '2']] });

let sweepId: string;
beforeAll(async () => {
  const submitted = await runCli(['submit', 'test/fixtures/noop-failures.ts', '--wait', '--json'], stack.env);
  expect(submitted.code, submitted.stderr).toBe(1); // a trial failed
  sweepId = JSON.parse(submitted.stdout.split('\n')[0]!).sweepId;
}, 120_000);

describe('sweep ls', () => {
  it('lists the sweep with its status, progress and duration (--json)', async () => {
    const { code, stdout, stderr } = await runCli(['ls', '--json'], stack.env);
    expect(code, stderr).toBe(0);
    const [listed, ...rest] = JSON.parse(stdout);
    expect(rest).toEqual([]);
    expect(listed).toMatchObject({ id: sweepId, name: 'it-noop-failures', family: 'noop', preset: null, status: 'failed', total: 3, done: 1, failed: 1, error: 1, running: 0, pending: 0 });
    expect(listed.durationMs).toBeGreaterThan(0);
    expect(Date.parse(listed.startedAt)).toBeLessThanOrEqual(Date.parse(listed.finishedAt));
  });

  it('prints a table, newest first, and filters by name', async () => {
    const { code, stdout } = await runCli(['ls'], stack.env);
    expect(code).toBe(0);
    const [header, row] = stdout.trim().split('\n');
    expect(header).toMatch(/^NAME\s+FAMILY\s+PRESET\s+STATUS\s+DONE\s+FAILED\s+ERRORED\s+TOTAL\s+STARTED\s+DURATION\s+ID$/);
    expect(row).toMatch(new RegExp(`^it-noop-failures\\s+noop\\s+—\\s+failed\\s+1\\s+1\\s+1\\s+3\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\S+\\s+${sweepId}$`));
    expect((await runCli(['ls', 'no-such-sweep'], stack.env)).stdout).toContain("no sweep named 'no-such-sweep'");
  });

  it('sweep ls and sweep trials have --help', async () => {
    for (const command of ['ls', 'trials']) {
      const { code, stdout } = await runCli([command, '--help'], stack.env);
      expect(code, command).toBe(0);
      expect(stdout, command).toMatch(new RegExp(`^Usage: sweep ${command}`));
    }
  });

  it('refuses a bad --limit with exit code 2', async () => {
    const { code, stderr } = await runCli(['ls', '--limit', '0'], stack.env);
    expect(code).toBe(2);
    expect(stderr).toContain('--limit must be a positive integer');
  });
});

describe('sweep trials', () => {
  it('prints one line per trial: index, key, status, attempts, what varies, seed, duration, backend, error', async () => {
    const { code, stdout, stderr } = await runCli(['trials', 'it-noop-failures'], stack.env);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^#\s+KEY\s+STATUS\s+ATTEMPTS\s+PARAMETERS\s+SEED\s+DURATION\s+BACKEND\s+ERROR$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^0\s+[0-9a-f]{12}\s+done\s+1\s+none · value=1\s+0\s+\d+\.\ds\s+none$/);
    expect(lines[2]).toMatch(/^1\s+[0-9a-f]{12}\s+failed\s+1\s+math · value=2\s+0\s+.*\S+\s+.*math/i);
    expect(lines[3]).toMatch(/^2\s+[0-9a-f]{12}\s+error\s+2\s+crash · value=3\s+0\s+/);
  });

  it('filters by --status, with the whole first line of the error in --json', async () => {
    const { code, stdout } = await runCli(['trials', sweepId, '--status', 'failed', '--json'], stack.env);
    expect(code).toBe(0);
    const trials = JSON.parse(stdout);
    expect(trials).toHaveLength(1);
    expect(trials[0]).toMatchObject({ index: 1, status: 'failed', attempts: 1, seed: 0, params: { fail: 'math', value: 2 } });
    expect(trials[0].error).toMatch(/\S/);
    expect(trials[0].error).not.toContain('\n');
    expect(JSON.parse((await runCli(['trials', sweepId, '--status', 'pending', '--json'], stack.env)).stdout)).toEqual([]);
  });

  it('exits 2 on an unknown status (naming the valid ones) or sweep', async () => {
    const badStatus = await runCli(['trials', sweepId, '--status', 'crashed'], stack.env);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('--status must be one of pending, running, done, failed, error');
    const badSweep = await runCli(['trials', 'no-such-sweep'], stack.env);
    expect(badSweep.code).toBe(2);
    expect(badSweep.stderr).toContain("no sweep with id or name 'no-such-sweep'");
  });
});

describe('the sweep in the Temporal web UI', () => {
  it('sweep status prints links to the sweep and to its trials', async () => {
    const { code, stdout } = await runCli(['status', 'it-noop-failures'], stack.env);
    expect(code).toBe(0);
    expect(stdout).toContain(`web UI   ${stack.temporalUiUrl}/namespaces/default/workflows/${sweepId}\n`);
    expect(stdout).toContain(`${stack.temporalUiUrl}/namespaces/default/workflows?query=${encodeURIComponent(`SweepId="${sweepId}" AND WorkflowType="trialWorkflow"`)}  (its trials)`);
  });

  it('the sweep workflow carries its status, memo and summary; each trial its summary and details', async () => {
    const sweep = await stack.client.workflow.getHandle(sweepId).describe();
    expect(sweep.typedSearchAttributes.get(SweepStatusAttribute)).toBe('failed');
    expect(sweep.memo).toEqual({
      family: 'noop',
      preset: null,
      total: 3,
      seeds: 1,
      axes: { fail: 'none, math, crash', value: '1, 2, 3' },
    });
    expect(await sweep.staticSummary()).toBe('it-noop-failures · noop · 3 trials: fail × value × 1 seed');

    const child = stack.client.workflow.getHandle(`${sweepId}/trial-1`);
    const trial = await child.describe();
    expect(await trial.staticSummary()).toBe('noop · math · value=2 · seed 0');
    expect(await trial.staticDetails()).toMatch(/- key: `[0-9a-f]{64}`/);
    const scheduled = (await child.fetchHistory()).events?.find((e) => e.activityTaskScheduledEventAttributes);
    expect(defaultPayloadConverter.fromPayload(scheduled!.userMetadata!.summary!)).toBe('noop · math · value=2 · seed 0');

    // What the trials link lists: the three trial workflows of this submission.
    const listed = [];
    for await (const execution of stack.client.workflow.list({ query: `SweepId="${sweepId}" AND WorkflowType="trialWorkflow"` })) listed.push(execution.workflowId);
    expect(listed.sort()).toEqual([0, 1, 2].map((i) => `${sweepId}/trial-${i}`));
  });
});
