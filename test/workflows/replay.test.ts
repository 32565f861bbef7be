/**
 * Replays recorded workflow histories against today's workflow code. Temporal
 * replays a workflow's history whenever a worker picks up a run it does not
 * have cached (a restart, a deploy, cache eviction), so a change that makes the
 * code issue different commands for a recorded history would wedge the sweeps
 * running when it is deployed. Such a change fails here first; version it with
 * patched() (README, "How it works") instead of re-recording the fixtures.
 *
 * The fixtures (test/workflows/histories/*.json) come from
 * test/workflows/record-histories.ts: a sweep that continued as new across four
 * runs (with a math failure, a crash, a pause and a resume), a sweep cancelled
 * while trials ran, a child cancelled by hand, each trial outcome, and runs
 * recorded by older workflow code, which the patches keep working:
 * `pre-patch.*` (before `cancelled-child-is-error`: one that reran a
 * hand-cancelled child, one paused mid-run), `pre-status.*` (before
 * `sweep-status-attribute`: the same scenarios as today's, from sweeps
 * submitted without SweepStatus), and `pre-status.submitted-with-status.*`
 * (the old workflow code running sweeps that today's `sweep submit` started
 * with SweepStatus, as during a deploy: paused and resumed, and cancelled).
 *
 * SWEEP_REPLAY_HISTORIES=DIR also replays every *.json in DIR: histories
 * downloaded from a real cluster (web UI, or `temporal workflow show --output
 * json`), to check a change against the sweeps running there before deploying it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { installQuietRuntime, WORKFLOWS_PATH } from './harness';
import { readHistory } from './history-json';

const HISTORIES = new URL('./histories/', import.meta.url).pathname;
const ALTERED_WORKFLOWS = new URL('./altered-workflows.ts', import.meta.url).pathname;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Histories do not name their workflow id, and the sweep's child ids are built
 * from it: a sweep's id is its sweepId (src/client/submit-sweep.ts), a trial
 * child's is `<sweep id>/trial-<index>`.
 */
function workflowIdOf(history: History): string {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  if (!started || !payload) throw new Error('history does not start with a WorkflowExecutionStarted event with input');
  const input = defaultPayloadConverter.fromPayload<{ sweepId: string; trial?: { index: number } }>(payload);
  return started.workflowType?.name === 'trialWorkflow' ? `${input.sweepId}/trial-${input.trial!.index}` : input.sweepId;
}

function replay(bundle: WorkflowBundleWithSourceMap, file: string): Promise<void> {
  const history = readHistory(file);
  return Worker.runReplayHistory({ workflowBundle: bundle, replayName: file.split('/').at(-1) }, history, workflowIdOf(history));
}

const fixtures = jsonFiles(HISTORIES);
const extra = process.env.SWEEP_REPLAY_HISTORIES ? jsonFiles(process.env.SWEEP_REPLAY_HISTORIES) : [];

let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  installQuietRuntime();
  bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
}, 120_000);

describe('recorded histories replay against today’s workflow code', () => {
  it('has the fixtures: a sweep continued as new across at least three runs, and every trial outcome', () => {
    const names = fixtures.map((f) => f.split('/').at(-1));
    expect(names.filter((n) => /^sweep-continued\.run-\d+\.json$/.test(n!)).length).toBeGreaterThanOrEqual(3);
    expect(names.filter((n) => /^pre-status\.sweep-continued\.run-\d+\.json$/.test(n!)).length).toBeGreaterThanOrEqual(3);
    const expected = ['trial-done.json', 'trial-failed.json', 'trial-error.json', 'trial-cancelled.json', 'sweep-cancelled.json', 'sweep-cancelled-child.json'];
    const older = [
      'pre-patch.sweep-cancelled-child.json',
      'pre-patch.sweep-paused.json',
      ...expected.map((name) => `pre-status.${name}`),
      'pre-status.submitted-with-status.sweep-paused.json',
      'pre-status.submitted-with-status.sweep-cancelled.json',
    ];
    for (const name of [...expected, ...older]) expect(names).toContain(name);
  });

  it('has runs on both sides of the `sweep-status-attribute` patch, all submitted with SweepStatus', () => {
    const statusUpserts = (file: string) => {
      const history = readHistory(join(HISTORIES, file));
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      expect(started?.searchAttributes?.indexedFields?.SweepStatus, file).toBeDefined();
      return (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.SweepStatus).length;
    };
    // Today's code sets it on pause, resume and the end; the code from before the patch never did (replay must not expect it to).
    const continued = fixtures.map((f) => f.split('/').at(-1)!).filter((n) => /^sweep-continued\.run-\d+\.json$/.test(n));
    expect(continued.reduce((sum, name) => sum + statusUpserts(name), 0)).toBeGreaterThanOrEqual(3);
    expect(statusUpserts('sweep-cancelled.json')).toBe(1);
    expect(statusUpserts('pre-status.submitted-with-status.sweep-paused.json')).toBe(0);
    expect(statusUpserts('pre-status.submitted-with-status.sweep-cancelled.json')).toBe(0);
  });

  it.each([...fixtures, ...extra].map((file) => [file.split('/').at(-1), file]))('%s', async (_name, file) => {
    await replay(bundle, file!);
  });
});

describe('the replay test catches a non-deterministic change', () => {
  // altered-workflows.ts is today's code with one extra command at the start of the sweep: what
  // an unversioned change looks like. If this stops failing, the replays above prove nothing.
  it('replaying against workflow code that issues different commands fails with a determinism violation', async () => {
    const altered = await bundleWorkflowCode({ workflowsPath: ALTERED_WORKFLOWS, logger: new DefaultLogger('WARN') });
    const error = await replay(altered, join(HISTORIES, 'sweep-continued.run-2.json')).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(DeterminismViolationError);
  }, 120_000);
});
