/**
 * A multi-host run on one machine (root, Linux, iproute2):
 *
 *   npx tsx infra/multihost/run.ts [--json]
 *
 * Temporal and Postgres in network namespace sl16-mh-svc, three workers in
 * sl16-mh-w1..3, joined by virtual links (infra/multihost/netns.ts); a sweep of
 * 18 noop trials submitted from the root namespace; the results database shows
 * which host finished each trial; then w2's link goes down mid-sweep, and the
 * sweep still completes with exactly one result per trial. Prints trials per
 * host and the checks, exits 1 if one fails. Everything it made (processes,
 * namespaces, links, data) is gone when it exits, also after a failure; a run
 * killed outright is cleaned up by the next one.
 */
import { netnsUnavailable } from './netns';
import { MULTIHOST_STEPS, runMultiHost, type MultiHostReport } from './multihost';

export function multiHostChecks(report: MultiHostReport): { name: string; ok: boolean; detail: string }[] {
  const perTrial = 2 * MULTIHOST_STEPS;
  const check = (name: string, ok: boolean, detail: string) => ({ name, ok, detail });
  const allDone = (rows: MultiHostReport['trials']) => rows.length === report.expected && rows.every((t) => t.status === 'done');
  const oneResult = (rows: MultiHostReport['trials']) => rows.every((t) => t.metricRows === perTrial && t.distinctMetricPoints === perTrial);
  const retried = report.trials.filter((t) => report.runningOnCutHost.includes(t.key));
  return [
    check('every host finished trials before the cut', report.hosts.every((h) => (report.doneByHostBeforeCut[h] ?? 0) > 0), JSON.stringify(report.doneByHostBeforeCut)),
    check('the sweep completed', report.sweepStatus === 'completed', report.sweepStatus),
    check(`all ${report.expected} trials done`, allDone(report.trials), `${report.trials.filter((t) => t.status === 'done').length} done`),
    check(`exactly one result per trial (${perTrial} metric rows each)`, oneResult(report.trials), report.trials.map((t) => t.metricRows).join(',')),
    check(
      `the cut host's trials finished elsewhere, on a later attempt`,
      retried.length > 0 && retried.every((t) => t.host !== report.cutHost && t.attempts >= 2),
      retried.map((t) => `${t.key.slice(0, 8)}: ${t.host} attempt ${t.attempts}`).join('; '),
    ),
    check(
      'still one result per trial after the cut host came back',
      allDone(report.trialsAfterRestore) && oneResult(report.trialsAfterRestore) &&
        report.trialsAfterRestore.every((t, i) => t.host === report.trials[i]?.host && t.attempts === report.trials[i]?.attempts),
      `stale write refused: ${report.staleWriteRefused}`,
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const unavailable = netnsUnavailable();
  if (unavailable) {
    console.error(`multihost: ${unavailable}`);
    process.exit(2);
  }
  const json = process.argv.includes('--json');
  const report = await runMultiHost({ log: (line) => console.error(`multihost: ${line}`) });
  const checks = multiHostChecks(report);
  if (json) console.log(JSON.stringify({ report, checks }, null, 2));
  else {
    console.log(`trials done per host (by the attempt that wrote the result):`);
    for (const host of report.hosts) console.log(`  ${host}  before the cut ${String(report.doneByHostBeforeCut[host] ?? 0).padStart(2)}  at the end ${String(report.doneByHost[host] ?? 0).padStart(2)}${host === report.cutHost ? '  (link cut mid-sweep)' : ''}`);
    for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    console.log(`seconds: setup ${report.seconds.setup.toFixed(1)}, submit to cut ${report.seconds.toCut.toFixed(1)}, cut to done ${report.seconds.cutToDone.toFixed(1)}, total ${report.seconds.total.toFixed(1)}`);
  }
  process.exit(checks.every((c) => c.ok) ? 0 : 1);
}
