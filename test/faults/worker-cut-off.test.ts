/**
 * Fault: a worker host cut off from the server and the database for longer
 * than the heartbeat timeout, then restored.
 *
 * Temporal and Postgres run in network namespace sl16-co-svc, two workers in
 * sl16-co-w1 and sl16-co-w2, each reaching them over its own virtual link
 * (infra/multihost/netns.ts). Three 15 s trials start; 2.5 s before their end
 * the link of a host running some goes down (nothing gets through, nothing is
 * reset). Its trials run on to their end there and try to write their results
 * into the void. Temporal gives up on those attempts at the 5 s heartbeat
 * timeout and the other host runs them again; the link comes back after that,
 * while the retries still run, so the late writes reach the database, which
 * refuses them as stale (src/db/trials.ts), and the worker says so. The sweep
 * then completes with one result per trial, each from the surviving attempt.
 *
 * Measured on the way (Temporal TS SDK 1.24): a worker whose heartbeats have
 * not reached the server for the heartbeat timeout cancels the attempt itself
 * (cancellation details timedOut), which kills its trial process: a trial cut
 * off early in its run leaves no late write at all. And a retry may first be
 * handed to a poll the cut-off worker had open when its link went down, and is
 * lost there for one more heartbeat timeout before another worker gets it.
 *
 * Needs root and iproute2; skipped, saying why, without them.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopology, netnsUnavailable, removeTopology, setHostLink, type HostProcess, type Topology } from '../../infra/multihost/netns';
import { runCliFromRoot, startServices, startWorkerOn, type ClusterServices } from '../../infra/multihost/services';
import { cleanCounts, faultCounts, installResultAudit } from '../support/fault-counts';
import pg from 'pg';

/** A worker's output without the lines of its workflow bundle's build. */
function logOf(worker: HostProcess): string {
  return worker.output().split('\n').filter((line) => !/^\s|modules|webpack|asset workflow-bundle/.test(line)).join('\n');
}

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`worker-cut-off: skipped: ${unavailable}`);

const SWEEP = 'it-noop-cut-off';
const TRIAL_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const STEPS = 30;
/** How long before its trials end the host is cut off: less than the SDK takes to give up on them. */
const CUT_BEFORE_END_MS = 2_500;

describe.skipIf(unavailable !== null)('a worker host cut off from the server and the database', () => {
  let topology: Topology | undefined;
  let services: ClusterServices | undefined;
  let client: Client | undefined;
  const workers: HostProcess[] = [];

  beforeAll(async () => {
    topology = await createTopology({ prefix: 'sl16-co-', subnet: '10.216.2', hosts: 2 });
    services = await startServices(topology);
    for (const host of topology.hosts) workers.push(startWorkerOn(host, services, ['--slots', '3'], { SWEEP_TRIAL_PREWARM: '3' }));
    client = new Client({ connection: await Connection.connect({ address: services.temporalAddress }) });
  }, 180_000);

  afterAll(async () => {
    if (topology) for (const host of topology.hosts) setHostLink(topology, host, true);
    await client?.connection.close();
    await Promise.all(workers.map((w) => w.stop(15_000)));
    await services?.stop();
    if (topology) await removeTopology(topology);
  }, 120_000);

  it('reruns its trials elsewhere, refuses its late write, and ends with one result per trial', async () => {
    const db = new pg.Client({ connectionString: services!.databaseUrl });
    await db.connect();
    const trials = async () =>
      (await db.query<{ key: string; status: string; attempts: number; host: string | null; startedAt: Date | null }>(
        `SELECT t.key, t.status, t.attempts, t.host, t."startedAt" FROM "Trial" t JOIN "SweepTrial" st ON st."trialId" = t.id
         JOIN "Sweep" s ON s.id = st."sweepId" WHERE s.name = $1 ORDER BY st.index`,
        [SWEEP],
      )).rows;
    const until = async <T>(what: string, probe: () => Promise<T | null | false | undefined>, timeoutMs: number): Promise<T> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${workers.map((w) => `--- ${w.host.name}\n${logOf(w).slice(-3000)}`).join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      await installResultAudit(services!.databaseUrl);
      const submit = await runCliFromRoot(['submit', 'test/fixtures/noop-cut-off.ts', '--json'], services!.env);
      expect(submit.code, submit.stderr).toBe(0);
      const running = await until('all three trials to run', async () => {
        const rows = await trials();
        return rows.length === 3 && rows.every((t) => t.status === 'running') ? rows : null;
      }, 90_000);

      // The host running the most trials is cut off; the other has a free slot for each of them.
      const hostOf = (identity: string | null) => workers.find((w) => identity?.startsWith(`${w.pid}@`));
      const perWorker = workers.map((w) => running.filter((t) => hostOf(t.host) === w).length);
      const victim = workers[perWorker[0]! >= perWorker[1]! ? 0 : 1]!;
      const survivor = workers.find((w) => w !== victim)!;
      const victimTrials = running.filter((t) => hostOf(t.host) === victim);
      expect(victimTrials.length).toBeGreaterThan(0);

      // Near the end of its trials: they finish while cut off, and their result writes hang on the
      // dead link. (Cut off earlier, the SDK gives up on them itself once their heartbeats have not
      // reached the server for the heartbeat timeout, cancels them and kills their processes, and
      // there is no late write to refuse.)
      const latestStart = Math.max(...victimTrials.map((t) => t.startedAt!.getTime()));
      await new Promise((r) => setTimeout(r, Math.max(0, latestStart + TRIAL_MS - CUT_BEFORE_END_MS - Date.now())));
      const runningAtCut = (await trials()).filter((t) => t.status === 'running' && hostOf(t.host) === victim);
      setHostLink(topology!, victim.host, false);
      const cutAt = Date.now();

      // Temporal gives up on the cut-off attempts at the heartbeat timeout and the survivor runs
      // them again. (A retry can first go to a poll the cut host had open when its link went down,
      // and be lost there for another heartbeat timeout.) One that had its result written in the
      // moment before the cut is not cut off.
      const afterCut = await until('the cut-off trials to start again on the other host', async () => {
        const rows = await trials();
        const settled = runningAtCut.every((v) =>
          rows.some((t) => t.key === v.key && ((t.attempts >= 2 && hostOf(t.host) === survivor) || (t.status === 'done' && t.attempts === 1 && hostOf(t.host) === victim))),
        );
        return settled ? rows : null;
      }, 90_000);
      const cutOff = runningAtCut.filter((v) => afterCut.some((t) => t.key === v.key && t.attempts >= 2));
      expect(cutOff.length).toBeGreaterThan(0);
      const retriedAfterMs = Date.now() - cutAt;
      expect(retriedAfterMs).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);

      // The link back, well past the heartbeat timeout and while the retries run.
      await new Promise((r) => setTimeout(r, Math.max(0, cutAt + 1.5 * HEARTBEAT_TIMEOUT_MS - Date.now())));
      const cutForMs = Date.now() - cutAt;
      setHostLink(topology!, victim.host, true);
      expect(cutForMs).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);

      // Its late write reaches the database and is refused: a newer attempt runs.
      await until('the cut host to report its late write refused', async () => victim.output().includes('result refused as stale'), 60_000);

      const sweep = await until('the sweep to complete', async () => {
        const found = await db.query<{ status: string }>('SELECT status FROM "Sweep" WHERE name = $1', [SWEEP]);
        const status = found.rows[0]?.status;
        return status === 'completed' || status === 'failed' || status === 'cancelled' ? status : null;
      }, 90_000);
      expect(sweep).toBe('completed');

      const final = await trials();
      for (const v of cutOff) {
        const row = final.find((t) => t.key === v.key)!;
        // The surviving attempt's result: its host, its attempt number; not the cut host's.
        expect(row).toMatchObject({ status: 'done' });
        expect(row.attempts).toBeGreaterThanOrEqual(2);
        expect(hostOf(row.host)).toBe(survivor);
      }

      const counts = await faultCounts({ databaseUrl: services!.databaseUrl, client: client! }, 'worker host cut off past the heartbeat timeout', SWEEP, 3, {
        pointsPerResult: 2 * STEPS,
      });
      console.log(
        `worker cut off: ${cutOff.length} trial(s) on ${victim.host.name}, link down ${(cutForMs / 1000).toFixed(1)} s ` +
          `(from ${((latestStart + TRIAL_MS - cutAt) / 1000).toFixed(1)} s before their end), retried on ${survivor.host.name} ${(retriedAfterMs / 1000).toFixed(1)} s after the cut`,
      );
      expect(counts).toEqual(cleanCounts(3));
    } finally {
      await db.end();
    }
  }, 240_000);
});
