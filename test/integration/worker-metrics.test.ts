/**
 * A worker's metrics endpoint (`sweep worker --metrics-port N`, src/worker/metrics.ts),
 * scraped over HTTP while a small sweep runs on it: sweeplab's trial counters and
 * duration histogram move as trials run, finish and fail, and the Temporal SDK's
 * own metrics come on the same port. And its graceful shutdown, as a Kubernetes
 * pod's SIGTERM asks for it: a running trial finishes within SWEEP_SHUTDOWN_GRACE.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/stack/processes';
import { useTestStack } from '../support/stack';
import { runCli, startTestWorker } from '../support/workers';

const stack = useTestStack({ workers: [] });
let metricsUrl = '';

/** The value of one sample, `name{labels} value`, with the labels given (all others free); undefined if absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

beforeAll(async () => {
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const worker = startTestWorker(stack.env, ['--slots', '2', '--metrics-port', String(port)]);
  stack.workers.push(worker);
  await stack.until('the worker to serve its metrics', async () => worker.output().includes(`metrics at ${metricsUrl}`), 90_000);
}, 120_000);

describe('worker metrics', () => {
  it('counts trials running, done and failed, times them, and carries the SDK metrics', async () => {
    const before = await scrape();
    expect(sample(before, 'sweep_trials_running', { queue: 'cpu' })).toBe(0);
    expect(sample(before, 'sweep_trials_done_total', { queue: 'cpu' })).toBe(0);
    expect(sample(before, 'sweep_worker_process_resident_memory_bytes')).toBeGreaterThan(0);

    const submit = runCli(['submit', 'test/fixtures/noop-metrics.ts', '--wait', '--json'], stack.env);
    // Seen running from outside, mid-sweep.
    const running = await stack.until('a scrape showing trials running', async () => {
      const value = sample(await scrape(), 'sweep_trials_running', { queue: 'cpu' });
      return value !== undefined && value > 0 ? value : null;
    }, 90_000);
    expect(running).toBeLessThanOrEqual(2);
    const result = await submit;
    expect(result.code, result.stderr).toBe(1); // the math failures make --wait exit 1

    const after = await scrape();
    expect(sample(after, 'sweep_trials_running', { queue: 'cpu' })).toBe(0);
    expect(sample(after, 'sweep_trials_done_total', { queue: 'cpu' })).toBe(3);
    expect(sample(after, 'sweep_trials_failed_total', { queue: 'cpu', kind: 'math' })).toBe(3);
    expect(sample(after, 'sweep_trial_duration_seconds_count', { queue: 'cpu', outcome: 'done' })).toBe(3);
    expect(sample(after, 'sweep_trial_duration_seconds_count', { queue: 'cpu', outcome: 'failed' })).toBe(3);
    // Each finished trial took its 1.5 s at least.
    expect(sample(after, 'sweep_trial_duration_seconds_sum', { queue: 'cpu', outcome: 'done' })).toBeGreaterThanOrEqual(4.5);
    expect(sample(after, 'sweep_trial_duration_seconds_bucket', { queue: 'cpu', outcome: 'done', le: '+Inf' })).toBe(3);

    // The Temporal SDK's, from its core's exporter, on the same port.
    const sdk = after.split('\n').filter((line) => line.startsWith('temporal_'));
    console.log(`worker metrics: ${new Set(sdk.map((l) => l.split(/[{ ]/)[0])).size} SDK metric names, e.g. ${[...new Set(sdk.map((l) => l.split(/[{ ]/)[0]))].slice(0, 6).join(', ')}`);
    expect(sdk.length).toBeGreaterThan(0);
    expect(sample(after, 'temporal_worker_task_slots_available', { worker_type: 'ActivityWorker', task_queue: 'cpu' })).toBe(2);
    expect(sample(after, 'temporal_activity_execution_latency_count', { task_queue: 'cpu' })).toBeGreaterThanOrEqual(6);

    // Anything but /metrics is not found.
    expect((await fetch(metricsUrl.replace('/metrics', '/'))).status).toBe(404);
  }, 180_000);

  it('lets a running trial finish and write its result on SIGTERM, within SWEEP_SHUTDOWN_GRACE', async () => {
    // This worker alone: the metrics one goes.
    await Promise.all(stack.workers.splice(0).map((w) => w.stop()));
    const worker = startTestWorker({ ...stack.env, SWEEP_SHUTDOWN_GRACE: '30' }, ['--slots', '1']);
    stack.workers.push(worker);
    const submit = await runCli(['submit', 'test/fixtures/noop-slow.ts', '--json'], stack.env);
    expect(submit.code, submit.stderr).toBe(0);
    await stack.until('the trial to run', async () => (await stack.trialsOf('it-noop-slow')).trials[0]?.status === 'running', 90_000);
    const signalledAt = Date.now();
    worker.process.kill('SIGTERM');
    await new Promise((resolve) => worker.process.once('exit', resolve));
    const { trials } = await stack.trialsOf('it-noop-slow');
    // Finished here, on its first attempt, before the worker exited: not cancelled and handed back.
    expect(trials[0]).toMatchObject({ status: 'done', attempts: 1 });
    expect(trials[0]!.host).toBe(`${worker.pid}@${trials[0]!.host!.split('@')[1]}`);
    expect(trials[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(trials[0]!.metrics).toHaveLength(24);
    console.log(`worker metrics: SIGTERM to exit ${((Date.now() - signalledAt) / 1000).toFixed(1)} s, the 6 s trial done on attempt 1`);
  }, 180_000);
});
