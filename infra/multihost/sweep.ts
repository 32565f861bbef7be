// The multi-host run's sweep (infra/multihost/run.ts): 18 noop trials of 4 s, each heartbeating
// every half second, on 3 hosts × 2 slots: three waves, so every host finishes trials before one
// host's link is cut, and the cut host's trials are retried elsewhere 5 s (the heartbeat timeout) later.
import { defineSweep } from '../../src/sweep';

export default defineSweep({
  name: 'multihost-noop',
  family: 'noop',
  parameters: { durationMs: 4000, steps: 8, value: 16 },
  seeds: 18,
  concurrency: 6, // every slot of the three hosts (the default is the submitting machine's cores)
  retry: { maximumAttempts: 10, initialInterval: '500ms' }, // the cut host's open polls can swallow retries
  timeouts: { heartbeat: '5s', trial: '2m' },
});
