/**
 * The multi-host run (infra/multihost/): Temporal and Postgres in one network
 * namespace, three workers in three others reaching them by address over
 * virtual links; a sweep of 18 trials; every host finishes trials; one host's
 * link goes down mid-sweep and the sweep still completes with exactly one
 * result per trial, its trials finished by the other hosts on a later attempt.
 * The same scenario as `npx tsx infra/multihost/run.ts`, whose checks these are.
 *
 * Needs root and iproute2; skipped, saying why, without them.
 */
import { describe, expect, it } from 'vitest';
import { MULTIHOST_STEPS, MULTIHOST_TRIALS, runMultiHost } from '../../infra/multihost/multihost';
import { netnsUnavailable } from '../../infra/multihost/netns';
import { multiHostChecks } from '../../infra/multihost/run';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`multi-host: skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('a sweep across three simulated hosts', () => {
  it('runs trials on every host, and completes with one result per trial after one host is cut off', async () => {
    // Its own prefix and subnet: the script's (sl16-mh-, 10.216.1.0/24) may run beside it.
    const report = await runMultiHost({ prefix: 'sl16-it-', subnet: '10.216.3', log: (line) => console.log(`multi-host: ${line}`) });
    console.log(`multi-host: done per host ${JSON.stringify(report.doneByHost)} (before the cut ${JSON.stringify(report.doneByHostBeforeCut)}), ` +
      `cut host ${report.cutHost}, seconds ${JSON.stringify(report.seconds)}`);

    // Every host finished trials, as the results database records them (Trial.host).
    expect(report.hosts).toEqual(['w1', 'w2', 'w3']);
    for (const host of report.hosts) expect(report.doneByHostBeforeCut[host], host).toBeGreaterThan(0);

    expect(report.sweepStatus).toBe('completed');
    expect(report.trials).toHaveLength(MULTIHOST_TRIALS);
    for (const rows of [report.trials, report.trialsAfterRestore]) {
      for (const trial of rows) {
        expect(trial.status, trial.key).toBe('done');
        // Exactly one result: one row per (metric, step), as one attempt writes them.
        expect(trial.metricRows, trial.key).toBe(2 * MULTIHOST_STEPS);
        expect(trial.distinctMetricPoints, trial.key).toBe(2 * MULTIHOST_STEPS);
      }
    }
    expect(Object.values(report.doneByHost).reduce((a, b) => a + b, 0)).toBe(MULTIHOST_TRIALS);

    // What the cut host was running was finished by the others, on a later attempt.
    expect(report.runningOnCutHost.length).toBeGreaterThan(0);
    for (const key of report.runningOnCutHost) {
      const trial = report.trials.find((t) => t.key === key)!;
      expect(trial.host).not.toBe(report.cutHost);
      expect(trial.attempts).toBeGreaterThanOrEqual(2);
    }
    // Its link back, nothing changed: no late write landed.
    expect(report.trialsAfterRestore.map((t) => [t.key, t.host, t.attempts])).toEqual(report.trials.map((t) => [t.key, t.host, t.attempts]));
    expect(multiHostChecks(report).filter((c) => !c.ok)).toEqual([]);
  }, 300_000);
});
