/**
 * The sweep and trial workflows end to end in one process: a real Temporal dev
 * server (our built CLI), a Worker running the real workflow code, and stubbed
 * control and trial activities (test/workflows/harness.ts) in place of Postgres
 * and trial processes. Fast enough to cover the workflow logic case by case;
 * test/integration/sweep-lifecycle.test.ts runs the same paths on the real stack.
 */
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepSearchAttributes } from '../../src/client/sweep-start-options';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { pauseSignal, progressQuery, resumeSignal, SweepStatusAttribute } from '../../src/workflows/definitions';
import type { SweepCounters, SweepTuning } from '../../src/workflows/types';
import { runChain, startHarness, stubExecution, until, type Harness, type StubBehaviour } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);
beforeEach(() => {
  h.world.maxRunning = 0;
});

let sweeps = 0;
/** Registers a stub sweep and starts its workflow; `skipped` trials count as finished before this submission. */
async function startSweep(
  behaviours: readonly StubBehaviour[],
  options: { concurrency?: number; tuning?: SweepTuning; delayMs?: number; sweepId?: string; skipped?: number } = {},
) {
  const sweepId = options.sweepId ?? `sweep-test-${++sweeps}`;
  if (!options.sweepId) h.world.addSweep(sweepId, behaviours, { delayMs: options.delayMs ?? 20 });
  const input = {
    sweepId,
    name: sweepId,
    family: 'noop',
    execution: stubExecution(h.taskQueue, options.concurrency ?? 3),
    total: behaviours.length,
    skipped: options.skipped ?? 0,
    ...(options.tuning ? { tuning: options.tuning } : {}),
  };
  const handle = await h.client.workflow.start('sweepWorkflow', { taskQueue: h.taskQueue, workflowId: sweepId, args: [input] });
  return { sweepId, handle, result: () => handle.result() as Promise<SweepCounters> };
}

const childStatus = async (childId: string) => (await h.client.workflow.getHandle(childId).describe()).status.name;

describe('a sweep through its window', () => {
  it('runs every trial, never more than the window at once, and closes completed', async () => {
    const { sweepId, result } = await startSweep(Array<StubBehaviour>(12).fill('done'), { concurrency: 3, delayMs: 100 });
    expect(await result()).toEqual({ total: 12, skipped: 0, done: 12, failed: 0, errored: 0 });
    expect(h.world.statuses(sweepId).every((s) => s === 'done')).toBe(true);
    expect(h.world.maxRunning).toBeLessThanOrEqual(3);
    expect(h.world.maxRunning).toBeGreaterThan(1);
    expect(h.world.sweepStatuses.get(sweepId)).toEqual(['running', 'completed']);
  });

  it('counts a math failure as failed (one attempt) and a crash as errored (after its retries), and closes failed', async () => {
    const { sweepId, result } = await startSweep(['done', 'math', 'crash']);
    expect(await result()).toEqual({ total: 3, skipped: 0, done: 1, failed: 1, errored: 1 });
    expect(h.world.statuses(sweepId)).toEqual(['done', 'failed', 'error']);
    expect(h.world.trial(sweepId, 1).runs).toBe(1);
    expect(h.world.trial(sweepId, 2).runs).toBe(2); // maximumAttempts: 2
    expect(h.world.sweepStatuses.get(sweepId)).toEqual(['running', 'failed']);
  });

  it('continues as new across several runs, carrying children in flight and the counters', async () => {
    const behaviours: StubBehaviour[] = ['done', 'math', 'done', 'done', 'crash', 'done', 'done', 'done', 'done', 'done'];
    const { sweepId, handle, result } = await startSweep(behaviours, { concurrency: 2, tuning: { trialsPerRun: 3, pageSize: 4 } });
    expect(await result()).toEqual({ total: 10, skipped: 0, done: 8, failed: 1, errored: 1 });
    const runs = await runChain(h.client, sweepId, handle.firstExecutionRunId);
    expect(runs.length).toBeGreaterThanOrEqual(4); // 10 trials, 3 per run
    // The sweep is marked running once, by its first run, and closed once, by its last.
    expect(h.world.sweepStatuses.get(sweepId)).toEqual(['running', 'failed']);
    expect(h.world.maxRunning).toBeLessThanOrEqual(2);
  });
});

describe('pause and resume', () => {
  it('starts nothing while paused, and the rest after resume', async () => {
    const { sweepId, handle, result } = await startSweep(Array<StubBehaviour>(6).fill('hold'), { concurrency: 2 });
    await until('two trials to hold', () => h.world.held().length === 2);
    await handle.signal(pauseSignal);
    await until('the pause to land', async () => (await handle.query(progressQuery)).paused);
    h.world.releaseAll();
    await until('the running trials to finish', async () => (await handle.query(progressQuery)).done === 2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.world.held()).toEqual([]);
    expect(h.world.statuses(sweepId).filter((s) => s === 'pending')).toHaveLength(4);
    expect(await handle.query(progressQuery)).toMatchObject({ sweepId, total: 6, done: 2, running: 0, queued: 4, paused: true });

    await handle.signal(resumeSignal);
    const done = result();
    await until('every trial to be released', () => {
      h.world.releaseAll();
      return h.world.statuses(sweepId).every((s) => s === 'done');
    });
    expect(await done).toMatchObject({ done: 6, errored: 0 });
    expect(h.world.maxRunning).toBeLessThanOrEqual(2);
  });
});

describe('children that end on their own', () => {
  it('a child cancelled by hand counts as an error and is not run again; the next submission runs it', async () => {
    const { sweepId, result } = await startSweep(['hold-once', 'done', 'done']);
    await until('trial 0 to hold', () => h.world.held().includes(`${sweepId}:0`));
    await h.client.workflow.getHandle(`${sweepId}/trial-0`).cancel();
    expect(await result()).toEqual({ total: 3, skipped: 0, done: 2, failed: 0, errored: 1 });
    expect(h.world.trial(sweepId, 0)).toMatchObject({ status: 'error', error: 'cancelled', runs: 1 });
    expect(await childStatus(`${sweepId}/trial-0`)).toBe('CANCELLED');
    expect(h.world.sweepStatuses.get(sweepId)).toEqual(['running', 'failed']);

    // Resubmitted (same workflow id, two trials already finished): only trial 0 runs, as `hold-once` it now succeeds.
    const again = await startSweep(['hold-once', 'done', 'done'], { sweepId, skipped: 2 });
    expect(await again.result()).toEqual({ total: 3, skipped: 2, done: 1, failed: 0, errored: 0 });
    expect(h.world.statuses(sweepId)).toEqual(['done', 'done', 'done']);
    expect(h.world.trial(sweepId, 0).runs).toBe(2);
  });

  it('a child terminated by hand (it cannot report) is found by reconciliation and counted from its row', async () => {
    const { sweepId, result } = await startSweep(['hold', 'done'], { tuning: { reconcileAfterMs: 1000 } });
    await until('trial 0 to hold', () => h.world.held().includes(`${sweepId}:0`));
    await h.client.workflow.getHandle(`${sweepId}/trial-0`).terminate('test: a child that never reports');
    expect(await result()).toEqual({ total: 2, skipped: 0, done: 1, failed: 0, errored: 1 });
    expect(h.world.trial(sweepId, 0).error).toMatch(/terminated/);
  });

  it('a resubmission waits for a child still running from a terminated earlier run instead of starting it twice', async () => {
    const first = await startSweep(['hold', 'done']);
    const { sweepId } = first;
    await until('trial 0 to hold and trial 1 to finish', () => h.world.held().includes(`${sweepId}:0`) && h.world.statuses(sweepId)[1] === 'done');
    await first.handle.terminate('test: the sweep dies, its child runs on');
    expect(await childStatus(`${sweepId}/trial-0`)).toBe('RUNNING');

    const again = await startSweep(['hold', 'done'], { sweepId, skipped: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.world.trial(sweepId, 0).runs).toBe(1);
    h.world.release(`${sweepId}:0`);
    // The old child reports to the sweep's workflow id: the new run counts it.
    expect(await again.result()).toEqual({ total: 2, skipped: 1, done: 1, failed: 0, errored: 0 });
    expect(h.world.trial(sweepId, 0).runs).toBe(1);
  });
});

describe('cancelling a sweep', () => {
  it('cancels its running children, waits for them to stop, and starts nothing more', async () => {
    const { sweepId, handle, result } = await startSweep(['hold', 'hold', 'done'], { concurrency: 2 });
    await until('both trials to hold', () => h.world.held().length === 2);
    await handle.cancel();
    const error = await result().then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    // By the time the sweep closed, its children had stopped and recorded why.
    expect(h.world.statuses(sweepId)).toEqual(['error', 'error', 'pending']);
    expect(h.world.trial(sweepId, 0).error).toBe('cancelled');
    expect(await childStatus(`${sweepId}/trial-0`)).toBe('CANCELLED');
    expect(await childStatus(`${sweepId}/trial-1`)).toBe('CANCELLED');
    expect(h.world.sweepStatuses.get(sweepId)).toEqual(['running', 'cancelled']);
  });
});

describe('what the web UI shows', () => {
  /** As `sweep submit` starts a sweep: with its search attributes (SweepStatus `running`) and its varying parameters. */
  async function startSubmittedSweep(behaviours: readonly StubBehaviour[], options: { concurrency?: number; tuning?: SweepTuning } = {}) {
    const sweepId = `sweep-ui-${++sweeps}`;
    h.world.addSweep(sweepId, behaviours, { delayMs: 20 });
    const identity = { sweepId, name: sweepId, family: 'noop' };
    const input = {
      ...identity,
      execution: stubExecution(h.taskQueue, options.concurrency ?? 3),
      total: behaviours.length,
      skipped: 0,
      varying: ['stub'],
      ...(options.tuning ? { tuning: options.tuning } : {}),
    };
    const handle = await h.client.workflow.start('sweepWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: sweepId,
      args: [input],
      typedSearchAttributes: sweepSearchAttributes(identity),
    });
    return { sweepId, handle, result: () => handle.result() as Promise<SweepCounters> };
  }
  const statusOf = async (handle: WorkflowHandle) => (await handle.describe()).typedSearchAttributes.get(SweepStatusAttribute);
  /** Upserts of SweepStatus (a patch upserts TemporalChangeVersion too). */
  const statusUpserts = (history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>) =>
    (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.SweepStatus).length;

  it('keeps SweepStatus current: running, paused, running again, completed', async () => {
    const { handle, result } = await startSubmittedSweep(['hold', 'done', 'done'], { concurrency: 1 });
    await until('trial 0 to hold', () => h.world.held().length === 1);
    expect(await statusOf(handle)).toBe('running');
    await handle.signal(pauseSignal);
    await until('SweepStatus paused', async () => (await statusOf(handle)) === 'paused');
    // The web UI's "Current Details" (what its metadata query returns): the progress, and that it is paused.
    const { currentDetails } = await handle.query<{ currentDetails?: string }>(workflowMetadataQuery.name);
    expect(currentDetails).toBe('**0 of 3 trials finished** · paused: no new trials start\n\ndone 0 · failed 0 · errored 0 · running 1 · queued 2');
    await handle.signal(resumeSignal);
    await until('SweepStatus running', async () => (await statusOf(handle)) === 'running');
    h.world.releaseAll();
    await result();
    expect(await statusOf(handle)).toBe('completed');
    expect((await handle.query<{ currentDetails?: string }>(workflowMetadataQuery.name)).currentDetails).toBe('**3 of 3 trials finished**\n\ndone 3 · failed 0 · errored 0');
    // Once per change: paused, running, completed (the start needs none, submit set `running`).
    expect(statusUpserts(await handle.fetchHistory())).toBe(3);
  });

  it('carries SweepStatus into every run after continue-as-new, and closes failed when a trial errored', async () => {
    const { sweepId, handle, result } = await startSubmittedSweep(['done', 'done', 'crash', 'done', 'done'], { tuning: { trialsPerRun: 2 } });
    await result();
    expect(await statusOf(handle)).toBe('failed');
    const runs = await runChain(h.client, sweepId, handle.firstExecutionRunId);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const { history } of runs) {
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      expect(started?.searchAttributes?.indexedFields?.SweepStatus).toBeDefined();
    }
  });

  it('sets SweepStatus cancelled when the sweep is cancelled', async () => {
    const { handle, result } = await startSubmittedSweep(['hold', 'done'], { concurrency: 1 });
    await until('trial 0 to hold', () => h.world.held().length === 1);
    await handle.cancel();
    await result().catch(() => undefined);
    expect(await statusOf(handle)).toBe('cancelled');
  });

  it('gives each trial workflow a summary of what varies and its seed, details with its key, and its activity the summary', async () => {
    const { sweepId, result } = await startSubmittedSweep(['done', 'math']);
    await result();
    const child = h.client.workflow.getHandle(`${sweepId}/trial-1`);
    const description = await child.describe();
    expect(await description.staticSummary()).toBe('noop · math · seed 0');
    expect(await description.staticDetails()).toContain(`- key: \`${sweepId}:1\``);
    const scheduled = (await child.fetchHistory()).events?.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runTrial');
    const summary = scheduled?.userMetadata?.summary;
    expect(summary && defaultPayloadConverter.fromPayload(summary)).toBe('noop · math · seed 0');
  });

  it('a sweep started without SweepStatus (submitted before it existed) never sets it', async () => {
    const { handle, result } = await startSweep(['done', 'math']);
    await result();
    expect(await statusOf(handle)).toBeUndefined();
    expect(statusUpserts(await handle.fetchHistory())).toBe(0);
  });
});
