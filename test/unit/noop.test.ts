import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryArtifactStore } from '../../src/experiments/artifacts/memory-store';
import { TrialMathError } from '../../src/experiments/errors';
import type { TrialContext } from '../../src/experiments/family';
import noop, { CRASH_EXIT_CODE } from '../../src/experiments/noop/run';
import { noopParams } from '../../src/experiments/noop/params';

interface Point {
  step: number;
  metrics: Record<string, number>;
  at: number;
}

function recordingContext(): { ctx: TrialContext; points: Point[]; logs: string[] } {
  const points: Point[] = [];
  const logs: string[] = [];
  const start = performance.now();
  const ctx: TrialContext = {
    seed: 1,
    attempt: 1,
    backend: 'none',
    report: (step, metrics) => points.push({ step, metrics, at: performance.now() - start }),
    log: (message) => logs.push(message),
    artifacts: new MemoryArtifactStore(),
  };
  return { ctx, points, logs };
}

afterEach(() => vi.restoreAllMocks());

describe('noop family', () => {
  it('does not need tfjs', () => {
    expect(noop.usesTensorflow).toBe(false);
  });

  it('sleeps for durationMs, reporting evenly spaced progress, and returns value', async () => {
    const { ctx, points } = recordingContext();
    const params = noopParams.parse({ durationMs: 200, steps: 4, value: 2.5 });
    const summary = await noop.run(params, ctx);
    expect(points.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(points.map((p) => p.metrics)).toEqual([0.25, 0.5, 0.75, 1].map((progress) => ({ progress, value: 2.5 })));
    // Each point arrives at (or just after) its share of the duration.
    points.forEach((p, i) => expect(p.at).toBeGreaterThanOrEqual(50 * (i + 1)));
    expect(summary.value).toBe(2.5);
    expect(summary.durationMs).toBeGreaterThanOrEqual(200);
    console.log(`noop: durationMs 200 took ${summary.durationMs} ms`);
  });

  it('burn mode keeps the CPU busy for the duration', async () => {
    const cpuMsOf = async (mode: 'sleep' | 'burn') => {
      const { ctx, points } = recordingContext();
      const cpuBefore = process.cpuUsage();
      const summary = await noop.run(noopParams.parse({ durationMs: 300, mode, steps: 3 }), ctx);
      const cpu = process.cpuUsage(cpuBefore);
      expect(points).toHaveLength(3);
      expect(summary.durationMs).toBeGreaterThanOrEqual(299);
      return (cpu.user + cpu.system) / 1000;
    };
    // What a plain busy loop gets of the CPU in 300 ms right now: all of it on an idle core,
    // a share when test files run side by side. Burning is judged against it, not the clock.
    const spinCpuMs = () => {
      const cpuBefore = process.cpuUsage();
      const until = performance.now() + 300;
      while (performance.now() < until);
      const cpu = process.cpuUsage(cpuBefore);
      return (cpu.user + cpu.system) / 1000;
    };
    const spinning = spinCpuMs();
    const [sleeping, burning] = [await cpuMsOf('sleep'), await cpuMsOf('burn')];
    console.log(`noop: 300 ms asleep used ${sleeping.toFixed(0)} CPU-ms, burning ${burning.toFixed(0)}, a plain busy loop ${spinning.toFixed(0)}`);
    expect(burning).toBeGreaterThan(0.5 * spinning);
    expect(burning).toBeGreaterThan(3 * sleeping);
  });

  it('durationMs 0 reports one point (its time is printed)', async () => {
    const { ctx, points } = recordingContext();
    const summary = await noop.run(noopParams.parse({}), ctx);
    expect(points).toHaveLength(1);
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    console.log(`noop: durationMs 0 took ${summary.durationMs} ms`);
  });

  it("fail 'math' throws a TrialMathError halfway, after reporting progress", async () => {
    const { ctx, points } = recordingContext();
    const run = noop.run(noopParams.parse({ durationMs: 40, steps: 4, fail: 'math' }), ctx);
    await expect(run).rejects.toBeInstanceOf(TrialMathError);
    await expect(run).rejects.toThrow(/injected math failure at step 2 of 4/);
    expect(points.map((p) => p.step)).toEqual([1, 2]);
  });

  it("fail 'crash' exits the process with code 70 halfway", async () => {
    const { ctx, points, logs } = recordingContext();
    class Exit extends Error {}
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Exit(`exit ${code}`);
    });
    await expect(noop.run(noopParams.parse({ durationMs: 30, steps: 3, fail: 'crash' }), ctx)).rejects.toBeInstanceOf(Exit);
    expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE);
    expect(CRASH_EXIT_CODE).toBe(70);
    expect(points.map((p) => p.step)).toEqual([1, 2]);
    expect(logs[0]).toMatch(/injected crash at step 2 of 3/);
  });
});
