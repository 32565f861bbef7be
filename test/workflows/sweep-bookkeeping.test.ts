/** The sweep's bookkeeping rules, table by table, without a Temporal server. */
import { describe, expect, it } from 'vitest';
import type { TrialOutcome } from '../../src/contracts';
import type { TrialSpec } from '../../src/sweep/trial';
import {
  acceptPage,
  acceptRequeued,
  beginCancel,
  carryOver,
  countReport,
  finalStatus,
  isReady,
  openBook,
  PAGE_SIZE,
  pageRequest,
  progressOf,
  reconcileAfterMs,
  settleCancel,
  shouldContinueAsNew,
  startBatch,
  stepAfterWait,
  takeRequeued,
  TRIALS_PER_RUN,
  type ReportEffect,
  type Step,
  type SweepBook,
} from '../../src/workflows/sweep-bookkeeping';
import type { CarriedState, SweepWorkflowInput } from '../../src/workflows/types';

const WORKFLOW_ID = 'sweep-t-abc';

function trial(index: number): TrialSpec {
  return { key: `k${index}`, family: 'noop', codeVersion: 'v', params: {}, seed: 0, index };
}
const trials = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => trial(from + i));

function input(overrides: Partial<SweepWorkflowInput> = {}): SweepWorkflowInput {
  return {
    sweepId: 'sweep-t',
    name: 't',
    family: 'noop',
    execution: {
      taskQueue: 'cpu',
      concurrency: 3,
      retry: { maximumAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000 },
      timeouts: { trialMs: 3_600_000, heartbeatMs: 60_000 },
    },
    total: 10,
    skipped: 2,
    ...overrides,
  };
}

function book(overrides: Partial<SweepBook> = {}, options: { rerunCancelled?: boolean; tuning?: SweepWorkflowInput['tuning'] } = {}): SweepBook {
  const opened = openBook(input({ tuning: options.tuning }), { nowMs: 1000, rerunCancelled: options.rerunCancelled ?? false });
  return Object.assign(opened, overrides);
}

/** A book with the given trial indices in flight under their plain child ids. */
function withInFlight(indices: number[], overrides: Partial<SweepBook> = {}, options: Parameters<typeof book>[1] = {}): SweepBook {
  const b = book(overrides, options);
  for (const i of indices) b.inFlight.set(`${WORKFLOW_ID}/trial-${i}`, { childId: `${WORKFLOW_ID}/trial-${i}`, key: `k${i}`, index: i });
  return b;
}

const queued = (from: number, to: number, rerun = false) => trials(from, to).map((t) => ({ trial: t, rerun }));

describe('openBook', () => {
  it('starts a first run from nothing: cursor before the first trial, counters from the submission', () => {
    const b = openBook(input(), { nowMs: 1234, rerunCancelled: false });
    expect(b).toMatchObject({ cursor: -1, exhausted: false, paused: false, cancelling: false, startedThisRun: 0, startedAtMs: 1234 });
    expect(b.counters).toEqual({ total: 10, skipped: 2, done: 0, failed: 0, errored: 0 });
    expect(b).toMatchObject({ window: 3, trialsPerRun: TRIALS_PER_RUN, pageSize: PAGE_SIZE });
    expect(b.inFlight.size).toBe(0);
  });

  it.each([
    { tuning: undefined, trialsPerRun: 400, pageSize: 200 },
    { tuning: { trialsPerRun: 3 }, trialsPerRun: 3, pageSize: 200 },
    { tuning: { pageSize: 4 }, trialsPerRun: 400, pageSize: 4 },
  ])('takes test tuning $tuning', ({ tuning, trialsPerRun, pageSize }) => {
    expect(openBook(input({ tuning }), { nowMs: 0, rerunCancelled: false })).toMatchObject({ trialsPerRun, pageSize });
  });

  const carried: CarriedState = {
    cursor: 7,
    exhausted: true,
    inFlight: [{ childId: `${WORKFLOW_ID}/trial-7`, key: 'k7', index: 7 }],
    requeued: [3, 5],
    counters: { total: 10, skipped: 2, done: 4, failed: 1, errored: 0 },
    paused: true,
    startedAtMs: 55,
  };

  it.each([
    { rule: 'today (the patch): carried legacy reruns are errors', rerunCancelled: false, requeued: [], errored: 2 },
    { rule: 'legacy: they are run again', rerunCancelled: true, requeued: [3, 5], errored: 0 },
  ])('resumes a carried state; $rule', ({ rerunCancelled, requeued, errored }) => {
    const b = openBook(input({ carried }), { nowMs: 9999, rerunCancelled });
    expect(b).toMatchObject({ cursor: 7, exhausted: true, paused: true, startedAtMs: 55, startedThisRun: 0, requeued });
    expect(b.counters).toEqual({ ...carried.counters, errored });
    expect([...b.inFlight.keys()]).toEqual([`${WORKFLOW_ID}/trial-7`]);
    // The carried state is copied, not shared.
    expect(b.counters).not.toBe(carried.counters);
  });
});

describe('countReport: what a child’s report means', () => {
  const rows: { outcome: TrialOutcome; cancelling: boolean; rerunCancelled: boolean; effect: ReportEffect }[] = [
    { outcome: 'done', cancelling: false, rerunCancelled: false, effect: 'done' },
    { outcome: 'failed', cancelling: false, rerunCancelled: false, effect: 'failed' },
    { outcome: 'error', cancelling: false, rerunCancelled: false, effect: 'errored' },
    // Cancelled by hand while the sweep runs on: an error, rerun by the next submission.
    { outcome: 'cancelled', cancelling: false, rerunCancelled: false, effect: 'errored' },
    // Cancelled by its sweep's cancellation.
    { outcome: 'cancelled', cancelling: true, rerunCancelled: false, effect: 'errored' },
    // Runs begun before the patch: a hand-cancelled child is run again, one cancelled with its sweep is not.
    { outcome: 'cancelled', cancelling: false, rerunCancelled: true, effect: 'requeued' },
    { outcome: 'cancelled', cancelling: true, rerunCancelled: true, effect: 'errored' },
    { outcome: 'done', cancelling: true, rerunCancelled: true, effect: 'done' },
    { outcome: 'error', cancelling: false, rerunCancelled: true, effect: 'errored' },
  ];

  it.each(rows)('$outcome (cancelling: $cancelling, legacy rerun: $rerunCancelled) → $effect', ({ outcome, cancelling, rerunCancelled, effect }) => {
    const b = withInFlight([4, 5], { cancelling }, { rerunCancelled });
    expect(countReport(b, `${WORKFLOW_ID}/trial-4`, outcome)).toBe(effect);
    expect([...b.inFlight.keys()]).toEqual([`${WORKFLOW_ID}/trial-5`]);
    const { done, failed, errored } = b.counters;
    expect({ done, failed, errored }).toEqual({
      done: effect === 'done' ? 1 : 0,
      failed: effect === 'failed' ? 1 : 0,
      errored: effect === 'errored' ? 1 : 0,
    });
    expect(b.requeued).toEqual(effect === 'requeued' ? [4] : []);
  });

  it('counts a child once: a second report, or one from a child not in flight, is ignored', () => {
    const b = withInFlight([4]);
    expect(countReport(b, `${WORKFLOW_ID}/trial-4`, 'done')).toBe('done');
    expect(countReport(b, `${WORKFLOW_ID}/trial-4`, 'done')).toBe('ignored');
    expect(countReport(b, `${WORKFLOW_ID}/trial-9`, 'failed')).toBe('ignored');
    expect(b.counters).toMatchObject({ done: 1, failed: 0, errored: 0 });
  });
});

describe('what the sweep does next', () => {
  // `ready` is the condition the sweep waits on; `step` is what it does once woken (for a state that is
  // not ready, the step only matters if it woke anyway: `start` with no room starts nothing).
  const rows: { state: string; book: () => SweepBook; suggested?: boolean; ready: boolean; step: Step; newRunFirst?: boolean }[] = [
    { state: 'a first run: nothing fetched yet', book: () => book(), ready: true, step: 'fetch-page' },
    { state: 'paused with nothing fetched: pages are still fetched', book: () => book({ paused: true }), ready: true, step: 'fetch-page' },
    { state: 'trials buffered, room in the window', book: () => withInFlight([0, 1], { buffer: queued(2, 4) }), ready: true, step: 'start' },
    { state: 'trials buffered, window full', book: () => withInFlight([0, 1, 2], { buffer: queued(3, 4) }), ready: false, step: 'start' },
    { state: 'trials buffered, paused', book: () => book({ buffer: queued(0, 4), paused: true }), ready: false, step: 'start' },
    { state: 'pages exhausted, children still running', book: () => withInFlight([8, 9], { exhausted: true }), ready: false, step: 'start' },
    { state: 'pages exhausted, nothing in flight', book: () => book({ exhausted: true }), ready: true, step: 'finish' },
    { state: 'legacy requeued trials', book: () => book({ requeued: [3], buffer: queued(4, 5) }), ready: true, step: 'fetch-requeued' },
    { state: 'legacy requeued trials keep a finished sweep open', book: () => book({ requeued: [3], exhausted: true }), ready: true, step: 'fetch-requeued' },
    {
      state: 'one short of this run’s share',
      book: () => book({ startedThisRun: TRIALS_PER_RUN - 1, buffer: queued(0, 0) }),
      ready: true,
      step: 'start',
      newRunFirst: false,
    },
    { state: 'this run started its share', book: () => withInFlight([0], { startedThisRun: TRIALS_PER_RUN }), ready: true, step: 'continue-as-new', newRunFirst: true },
    { state: 'the server suggests a new run', book: () => withInFlight([0]), suggested: true, ready: true, step: 'continue-as-new', newRunFirst: true },
    // Checked before waiting, a full share continues as new even if everything finished; after a wait, finishing wins.
    { state: 'share started and all finished', book: () => book({ startedThisRun: TRIALS_PER_RUN, exhausted: true }), ready: true, step: 'finish', newRunFirst: true },
  ];

  it.each(rows)('$state → ready: $ready, step: $step', ({ book: make, suggested = false, ready, step, newRunFirst = false }) => {
    const b = make();
    expect(isReady(b, suggested)).toBe(ready);
    expect(stepAfterWait(b, suggested)).toBe(step);
    expect(shouldContinueAsNew(b, suggested)).toBe(newRunFirst);
  });

  it('a pause that lands after the wait ended (same workflow task) takes effect from the next batch', () => {
    const b = withInFlight([0, 1], { buffer: queued(3, 6) });
    expect(isReady(b, false)).toBe(true);
    b.paused = true;
    expect(stepAfterWait(b, false)).toBe('start');
    expect(startBatch(b, WORKFLOW_ID, () => 'x').map((l) => l.trial.index)).toEqual([3]);
    expect(isReady(b, false)).toBe(false);
  });
});

describe('fetching pages', () => {
  it('asks for the page after the cursor', () => {
    expect(pageRequest(book({ cursor: 41 }))).toEqual({ sweepId: 'sweep-t', afterIndex: 41, limit: PAGE_SIZE });
  });

  it.each([
    { page: 200, exhausted: false },
    { page: 199, exhausted: true },
    { page: 0, exhausted: true },
  ])('a page of $page (of 200) → exhausted: $exhausted', ({ page, exhausted }) => {
    const b = book({ buffer: queued(0, 0) });
    acceptPage(b, trials(1, page));
    expect(b.exhausted).toBe(exhausted);
    expect(b.buffer.map((q) => q.trial.index)).toEqual([0, ...trials(1, page).map((t) => t.index)]);
    expect(b.buffer.every((q) => !q.rerun)).toBe(true);
  });
});

describe('startBatch: what batch to start', () => {
  const rows = [
    { state: 'an empty window', window: 3, inFlight: [], buffered: 5, startedThisRun: 0, trialsPerRun: 400, starts: [0, 1, 2] },
    { state: 'a window with one running', window: 3, inFlight: [9], buffered: 5, startedThisRun: 0, trialsPerRun: 400, starts: [0, 1] },
    { state: 'fewer buffered than room', window: 10, inFlight: [], buffered: 2, startedThisRun: 0, trialsPerRun: 400, starts: [0, 1] },
    { state: 'the run’s share nearly started', window: 10, inFlight: [], buffered: 5, startedThisRun: 398, trialsPerRun: 400, starts: [0, 1] },
    { state: 'a full window', window: 2, inFlight: [8, 9], buffered: 5, startedThisRun: 0, trialsPerRun: 400, starts: [] },
  ];

  it.each(rows)('$state → starts $starts', ({ window, inFlight, buffered, startedThisRun, trialsPerRun, starts }) => {
    const b = withInFlight(inFlight, { window, startedThisRun, trialsPerRun, buffer: queued(0, buffered - 1) } as Partial<SweepBook>);
    const launches = startBatch(b, WORKFLOW_ID, () => 'x');
    expect(launches.map((l) => l.trial.index)).toEqual(starts);
    expect(launches.map((l) => l.childId)).toEqual(starts.map((i) => `${WORKFLOW_ID}/trial-${i}`));
    expect(b.inFlight.size).toBe(inFlight.length + starts.length);
    expect(b.startedThisRun).toBe(startedThisRun + starts.length);
    expect(b.buffer).toHaveLength(buffered - starts.length);
    expect(b.cursor).toBe(starts.length > 0 ? Math.max(...starts) : -1);
  });

  it('reaching the run’s share means continuing as new before anything else', () => {
    const b = book({ startedThisRun: TRIALS_PER_RUN - 2, buffer: queued(0, 4), window: 10 } as Partial<SweepBook>);
    expect(startBatch(b, WORKFLOW_ID, () => 'x')).toHaveLength(2);
    expect(shouldContinueAsNew(b, false)).toBe(true);
  });

  it('legacy reruns get a fresh child id and leave the cursor alone', () => {
    const b = book({ cursor: 20, buffer: [...queued(3, 3, true), ...queued(21, 21)] });
    let n = 0;
    const launches = startBatch(b, WORKFLOW_ID, () => `u${++n}`);
    expect(launches.map((l) => l.childId)).toEqual([`${WORKFLOW_ID}/trial-3.u1`, `${WORKFLOW_ID}/trial-21`]);
    expect(b.cursor).toBe(21);
    expect(b.inFlight.get(`${WORKFLOW_ID}/trial-3.u1`)).toEqual({ childId: `${WORKFLOW_ID}/trial-3.u1`, key: 'k3', index: 3 });
  });
});

describe('legacy requeue (runs begun before the patch)', () => {
  it('looks up every requeued trial at once, counts those that finished meanwhile, and runs the rest first', () => {
    const b = book({ requeued: [3, 5, 6], buffer: queued(8, 9) }, { rerunCancelled: true });
    expect(takeRequeued(b)).toEqual({ sweepId: 'sweep-t', indices: [3, 5, 6] });
    expect(b.requeued).toEqual([]);
    acceptRequeued(b, { pending: [trial(5)], finished: [{ index: 3, outcome: 'done' }, { index: 6, outcome: 'failed' }] });
    expect(b.counters).toMatchObject({ done: 1, failed: 1 });
    expect(b.buffer.map((q) => [q.trial.index, q.rerun])).toEqual([[5, true], [8, false], [9, false]]);
  });

  it('requeued trials left when the sweep is cancelled are errors', () => {
    const b = withInFlight([1], {}, { rerunCancelled: true });
    expect(countReport(b, `${WORKFLOW_ID}/trial-1`, 'cancelled')).toBe('requeued');
    beginCancel(b);
    settleCancel(b);
    expect(b.requeued).toEqual([]);
    expect(b.counters.errored).toBe(1);
  });
});

describe('carryOver: what continue-as-new carries', () => {
  it('round-trips through the next run’s input (as JSON, as Temporal sends it)', () => {
    const b = withInFlight([5, 6], { cursor: 6, paused: true, startedThisRun: 400, buffer: queued(7, 9) });
    b.counters.done = 3;
    b.counters.failed = 1;
    const carried = JSON.parse(JSON.stringify(carryOver(b))) as CarriedState;
    // Buffered trials not started are fetched again after the cursor, not carried.
    expect(carried).toEqual({
      cursor: 6,
      exhausted: false,
      inFlight: [...b.inFlight.values()],
      requeued: [],
      counters: { total: 10, skipped: 2, done: 3, failed: 1, errored: 0 },
      paused: true,
      startedAtMs: 1000,
    });
    const next = openBook(input({ carried }), { nowMs: 5000, rerunCancelled: false });
    expect(next).toMatchObject({ cursor: 6, exhausted: false, paused: true, startedAtMs: 1000, startedThisRun: 0, buffer: [] });
    expect(next.counters).toEqual(b.counters);
    expect(next.inFlight).toEqual(b.inFlight);
    expect(pageRequest(next).afterIndex).toBe(6);
  });

  it.each([
    { state: 'exhausted, nothing buffered', exhausted: true, buffer: [], carriedExhausted: true },
    { state: 'exhausted, trials buffered (refetched)', exhausted: true, buffer: queued(7, 8), carriedExhausted: false },
    { state: 'exhausted, only legacy reruns buffered (carried)', exhausted: true, buffer: queued(2, 2, true), carriedExhausted: true },
    { state: 'not exhausted', exhausted: false, buffer: [], carriedExhausted: false },
  ])('$state → carried exhausted: $carriedExhausted', ({ exhausted, buffer, carriedExhausted }) => {
    expect(carryOver(book({ exhausted, buffer, cursor: 6 })).exhausted).toBe(carriedExhausted);
  });

  it('carries legacy reruns by index, after the requeued ones', () => {
    const b = book({ requeued: [1], buffer: [...queued(2, 2, true), ...queued(7, 7)] }, { rerunCancelled: true });
    expect(carryOver(b).requeued).toEqual([1, 2]);
  });
});

describe('progress and the closing status', () => {
  it.each([
    { counters: { done: 0, failed: 0, errored: 0 }, running: 0, queued: 8 },
    { counters: { done: 3, failed: 1, errored: 1 }, running: 2, queued: 1 },
    { counters: { done: 8, failed: 0, errored: 0 }, running: 0, queued: 0 },
    // Never negative, whatever a miscount would say.
    { counters: { done: 8, failed: 0, errored: 1 }, running: 1, queued: 0 },
  ])('total 10, skipped 2, $counters, $running running → $queued queued', ({ counters, running, queued: expected }) => {
    const b = withInFlight(Array.from({ length: running }, (_, i) => i), { paused: true });
    Object.assign(b.counters, counters);
    expect(progressOf(b)).toEqual({ sweepId: 'sweep-t', total: 10, skipped: 2, ...counters, running, queued: expected, paused: true, startedAtMs: 1000 });
  });

  it.each([
    { errored: 0, failed: 0, status: 'completed' },
    { errored: 0, failed: 3, status: 'completed' },
    { errored: 1, failed: 0, status: 'failed' },
  ])('errored $errored, failed $failed → $status', ({ errored, failed, status }) => {
    const b = book();
    Object.assign(b.counters, { errored, failed });
    expect(finalStatus(b)).toBe(status);
  });
});

describe('reconcileAfterMs', () => {
  it.each([
    { heartbeatMs: 2_000, tuning: undefined, ms: 10_000 },
    { heartbeatMs: 60_000, tuning: undefined, ms: 60_000 },
    { heartbeatMs: 600_000, tuning: undefined, ms: 120_000 },
    { heartbeatMs: 60_000, tuning: { reconcileAfterMs: 500 }, ms: 500 },
  ])('heartbeat $heartbeatMs ms, tuning $tuning → $ms ms', ({ heartbeatMs, tuning, ms }) => {
    const base = input();
    expect(reconcileAfterMs({ execution: { ...base.execution, timeouts: { ...base.execution.timeouts, heartbeatMs } }, tuning })).toBe(ms);
  });
});
