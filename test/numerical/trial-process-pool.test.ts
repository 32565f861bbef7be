/**
 * The worker's pool of warm trial processes (activities/trial-process-pool.ts):
 * real processes running real trials. A process is reused for clean successes
 * only, up to its limit, within its environment; a failure, a crash or a
 * cancellation retires it; and a trial gives the same numbers in a warm process
 * as in a fresh one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TrialProcessPool } from '../../src/activities/trial-process-pool';
import { runTrialProcess } from '../../src/activities/trial-process';
import type { TrialSpec } from '../../src/sweep/trial';

let pool: TrialProcessPool | undefined;

async function until(ready: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const noop = (params: TrialSpec['params'], seed = 0): TrialSpec => ({ key: `noop-${JSON.stringify(params)}-${seed}`, family: 'noop', codeVersion: '', params, seed, index: 0 });

// The integration fixture's trial (test/fixtures/train-tiny.ts): a real MLP on 300 MNIST digits.
const train: TrialSpec = {
  key: 'train-tiny',
  family: 'train',
  codeVersion: '',
  params: { dataset: 'mnist', arch: 'mlp', width: 32, depth: 1, epochs: 2, batchSize: 32, trainSize: 300, testSize: 200, learningRate: 0.01 },
  seed: 1,
  index: 0,
};

describe('the trial process pool', () => {
  it('runs trial after trial in one process, and replaces it after `reuse` trials', async () => {
    pool = new TrialProcessPool({ reuse: 3 });
    const values: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const result = await pool.run(noop({ value: i }));
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) values.push(result.summary.value!);
    }
    expect(values).toEqual([1, 2, 3, 4]);
    expect(pool.started).toBe(2);
  }, 60_000);

  it('retires a process after a math failure, a crash and a cancellation', async () => {
    pool = new TrialProcessPool();
    expect((await pool.run(noop({ value: 1 }))).ok).toBe(true);
    const math = await pool.run(noop({ fail: 'math', durationMs: 20 }));
    expect(math).toMatchObject({ ok: false, kind: 'math' });
    expect((await pool.run(noop({ value: 2 }))).ok).toBe(true);
    expect(pool.started).toBe(2);

    const crash = await pool.run(noop({ fail: 'crash', durationMs: 20 }));
    expect(crash).toMatchObject({ ok: false, kind: 'infra' });
    expect((await pool.run(noop({ value: 3 }))).ok).toBe(true);
    expect(pool.started).toBe(3);

    const abort = new AbortController();
    const running = pool.run(noop({ durationMs: 10_000, steps: 100 }), { signal: abort.signal, onProgress: () => abort.abort() });
    expect(await running).toMatchObject({ ok: false, kind: 'infra', message: expect.stringMatching(/cancelled/) });
    expect((await pool.run(noop({ value: 4 }))).ok).toBe(true);
    expect(pool.started).toBe(4);
  }, 60_000);

  it('keeps processes of different environments apart, and lets idle ones go', async () => {
    pool = new TrialProcessPool({ idleMs: 2500 });
    await pool.run(noop({ value: 1 }), { env: { TF_NUM_INTRAOP_THREADS: '1' } });
    await pool.run(noop({ value: 2 }), { env: { TF_NUM_INTRAOP_THREADS: '2' } });
    await pool.run(noop({ value: 3 }), { env: { TF_NUM_INTRAOP_THREADS: '1' } });
    expect(pool.started).toBe(2);
    expect(pool.idleCount).toBe(2);
    await new Promise((r) => setTimeout(r, 3500));
    expect(pool.idleCount).toBe(0);
  }, 60_000);

  it('prewarms processes that the first trials use, and replaces a retired one in the background', async () => {
    pool = new TrialProcessPool({ reuse: 2 });
    const env = { TF_NUM_INTRAOP_THREADS: '1' };
    pool.prewarm(2, env);
    await pool.warmed();
    expect([pool.started, pool.idleCount]).toEqual([2, 2]);
    const [a, b] = await Promise.all([pool.run(noop({ value: 1 }), { env }), pool.run(noop({ value: 2 }), { env })]);
    expect([a.ok, b.ok, pool.started]).toEqual([true, true, 2]);
    // Their second trials reach the limit: each is replaced at once, warm before it is needed.
    await Promise.all([pool.run(noop({ value: 3 }), { env }), pool.run(noop({ value: 4 }), { env })]);
    await until(() => pool!.started === 4);
    await pool.warmed();
    expect(pool.idleCount).toBe(2);
  }, 60_000);

  it('gives the same numbers in a warm process as in a fresh one', async () => {
    pool = new TrialProcessPool();
    const env = { TF_NUM_INTRAOP_THREADS: '1' };
    const first = await pool.run(train, { env });
    const second = await pool.run(train, { env });
    const fresh = await runTrialProcess(train, { env });
    expect(pool.started).toBe(1);
    for (const result of [first, second, fresh]) expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!first.ok || !second.ok || !fresh.ok) return;
    const { trainSeconds: _a, ...warm } = second.summary;
    const { trainSeconds: _b, ...cold } = fresh.summary;
    const { trainSeconds: _c, ...firstRun } = first.summary;
    expect(warm).toEqual(cold);
    expect(firstRun).toEqual(cold);
    expect(second.points.filter((p) => p.name !== 'trainSeconds')).toEqual(fresh.points.filter((p) => p.name !== 'trainSeconds'));
    expect(second.backend).toBe(fresh.backend);
  }, 120_000);
});
