import { describe, expect, it } from 'vitest';
import { timeProgress } from '../../src/client/progress-clock';
import type { SweepProgress } from '../../src/workflows/definitions';

const base: SweepProgress = {
  sweepId: 's',
  total: 110,
  skipped: 10,
  done: 20,
  failed: 3,
  errored: 2,
  running: 5,
  queued: 70,
  paused: false,
  startedAtMs: 1_000_000,
};

describe('timeProgress', () => {
  it('takes elapsed time from the caller clock and extrapolates the rate of this submission', () => {
    // 25 finished in 50 s: 2 s each; 75 to go (110 − 10 skipped − 25).
    const timed = timeProgress(base, 1_050_000);
    expect(timed.elapsedMs).toBe(50_000);
    expect(timed.etaMs).toBe(150_000);
  });

  it('has no ETA before the first trial finishes, and never a negative elapsed time', () => {
    const timed = timeProgress({ ...base, done: 0, failed: 0, errored: 0 }, 999_000);
    expect(timed.elapsedMs).toBe(0);
    expect(timed.etaMs).toBeNull();
  });
});
