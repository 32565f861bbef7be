/**
 * 10,000 trials that do nothing: the orchestration load test (fan-out in
 * batches, resume, dedupe, throughput). Each trial reports its `value` back,
 * so tables over it have something to aggregate.
 *
 *   sweep submit sweeps/noop-10k.ts --preset smoke   # 100 trials
 *   sweep submit sweeps/noop-10k.ts                  # 1,000 values × 10 seeds = 10,000 trials
 */
import { defineSweep, range } from '../src/sweep';

export default defineSweep({
  name: 'noop-10k',
  family: 'noop',
  description: 'Orchestration benchmark: 10,000 instant trials',
  parameters: {
    value: range(0, 999),
    durationMs: 0,
    mode: 'sleep',
    // In the worker, not a process per trial: this sweep measures the orchestrator alone.
    isolation: 'inline',
  },
  seeds: 10,
  timeouts: { trial: '1m', heartbeat: '30s' },
  presets: {
    smoke: {
      parameters: { value: range(0, 9) },
    },
    // The full sweep under its conventional name, so scripts can run `--preset paper` everywhere.
    paper: {},
  },
});
