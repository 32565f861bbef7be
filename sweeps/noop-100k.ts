/**
 * 100,000 trials that do nothing: the orchestration load test at scale (issue
 * 14; bench/sweep-100k.ts runs it on a private stack and samples memory,
 * history size and query latency throughout).
 *
 *   sweep submit sweeps/noop-100k.ts                  # 10,000 values × 10 seeds = 100,000 trials
 *   sweep submit sweeps/noop-100k.ts --preset smoke   # 1,000 trials
 */
import { defineSweep, range } from '../src/sweep';

export default defineSweep({
  name: 'noop-100k',
  family: 'noop',
  description: 'Orchestration benchmark: 100,000 instant trials',
  parameters: {
    value: range(0, 9_999),
    durationMs: 0,
    mode: 'sleep',
    // In the worker, not a process per trial: this sweep measures the orchestrator alone.
    isolation: 'inline',
  },
  seeds: 10,
  concurrency: 100,
  timeouts: { trial: '1m', heartbeat: '30s' },
  presets: {
    smoke: { parameters: { value: range(0, 99) } },
    paper: {},
  },
});
