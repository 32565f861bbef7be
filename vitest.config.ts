import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Files run side by side, each integration file with its own Temporal server and Postgres
    // (test/support/stack.ts). Those mostly wait (heartbeat timeouts, retries, timers), so one
    // worker more than the cores keeps the CPU busy; SWEEP_TEST_WORKERS overrides.
    fileParallelism: true,
    maxWorkers: Number(process.env.SWEEP_TEST_WORKERS) || availableParallelism() + 1,
    sequence: { sequencer: SlowFirstSequencer },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
