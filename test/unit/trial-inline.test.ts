import { describe, expect, it } from 'vitest';
import { runTrialInline } from '../../src/activities/trial-process';
import type { TrialParams, TrialSpec } from '../../src/sweep/trial';

function noopTrial(params: TrialParams): TrialSpec {
  return { key: 'k', family: 'noop', codeVersion: 'noop@1', params, seed: 1, index: 0 };
}

describe('runTrialInline', () => {
  it('runs a noop trial in this process and collects its progress points', async () => {
    const result = await runTrialInline(noopTrial({ durationMs: 20, steps: 2, value: 3 }));
    expect(result).toMatchObject({ ok: true, backend: 'none', summary: { value: 3 } });
    if (result.ok) expect(result.points.filter((p) => p.name === 'progress').map((p) => p.value)).toEqual([0.5, 1]);
  });

  it('settles as cancelled as soon as its signal aborts, and reports nothing after', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const running = runTrialInline(noopTrial({ durationMs: 10_000, steps: 100 }), {
      signal: controller.signal,
      onProgress: (step) => progress.push(step),
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
    controller.abort();
    const stepsAtAbort = progress.length;
    // Settles without waiting for the 10 s trial.
    await expect(running).resolves.toMatchObject({ ok: false, kind: 'infra', message: 'trial cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(progress.length).toBe(stepsAtAbort);
    expect(stepsAtAbort).toBeGreaterThan(0);
  });

  it('does not start a trial whose signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const progress: number[] = [];
    const result = await runTrialInline(noopTrial({ durationMs: 50, steps: 5 }), { signal: controller.signal, onProgress: (s) => progress.push(s) });
    expect(result).toMatchObject({ ok: false, kind: 'infra' });
    expect(progress).toEqual([]);
  });
});
