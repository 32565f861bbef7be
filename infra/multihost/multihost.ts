/**
 * The multi-host run: Temporal and Postgres on one simulated host, three
 * workers on three others (./netns.ts, ./services.ts), a sweep submitted from
 * the root namespace, the results database showing trials finished on every
 * host, then one host's link taken down mid-sweep: its trials time out on
 * their heartbeat, are retried on the other two, and the sweep completes with
 * exactly one result per trial. The link comes back before the end, so the cut
 * host's late writes meet the database too (and are refused: src/db/trials.ts).
 *
 * What it measures comes back as a report of raw rows and counts; the checks
 * are the caller's (infra/multihost/run.ts prints and checks them,
 * test/integration/multi-host.test.ts asserts them).
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTopology, removeTopology, setHostLink, type HostProcess, type SimulatedHost, type Topology } from './netns';
import { runCliFromRoot, startServices, startWorkerOn, type ClusterServices } from './services';

export const MULTIHOST_SWEEP = fileURLToPath(new URL('./sweep.ts', import.meta.url));
/** The sweep's steps: a noop trial reports `progress` and `value` at each, so one result is 2 × steps metric rows. */
export const MULTIHOST_STEPS = 8;
export const MULTIHOST_TRIALS = 18;

export interface MultiHostOptions {
  /** @default 'sl16-mh-' */
  readonly prefix?: string;
  /** @default '10.216.1' */
  readonly subnet?: string;
  /** Slots per worker. @default 2 */
  readonly slots?: number;
  readonly log?: (line: string) => void;
}

export interface TrialRow {
  readonly key: string;
  readonly status: string;
  readonly attempts: number;
  /** The simulated host of the attempt that wrote the result ('w1', …), from the worker identity pid@hostname. */
  readonly host: string | null;
  readonly metricRows: number;
  readonly distinctMetricPoints: number;
}

export interface MultiHostReport {
  readonly hosts: readonly string[];
  readonly sweepStatus: string;
  readonly expected: number;
  /** Done trials per host before the cut, and at the end (by the host whose attempt wrote the result). */
  readonly doneByHostBeforeCut: Readonly<Record<string, number>>;
  readonly doneByHost: Readonly<Record<string, number>>;
  /** The host whose link was taken down, and the trials it was running then. */
  readonly cutHost: string;
  readonly runningOnCutHost: readonly string[];
  readonly trials: readonly TrialRow[];
  /** The same trials read again after the link came back and the cut host's writes had their chance. */
  readonly trialsAfterRestore: readonly TrialRow[];
  /** The cut host's worker said a late write was refused as stale. */
  readonly staleWriteRefused: boolean;
  readonly seconds: { readonly setup: number; readonly toCut: number; readonly cutToDone: number; readonly total: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The trials of the newest sweep of that name, with the host each result came from. */
async function readTrials(db: pg.Client, sweepName: string, hostOfIdentity: (identity: string | null) => string | null): Promise<{ status: string | null; trials: TrialRow[] }> {
  const sweep = await db.query<{ id: string; status: string }>('SELECT id, status FROM "Sweep" WHERE name = $1 ORDER BY "createdAt" DESC LIMIT 1', [sweepName]);
  if (sweep.rowCount === 0) return { status: null, trials: [] };
  const rows = await db.query<{ key: string; status: string; attempts: number; host: string | null; metric_rows: number; distinct_points: number }>(
    `SELECT t.key, t.status, t.attempts, t.host,
            (SELECT count(*) FROM "Metric" m WHERE m."trialId" = t.id)::int AS metric_rows,
            (SELECT count(DISTINCT (m.name, m.step)) FROM "Metric" m WHERE m."trialId" = t.id)::int AS distinct_points
     FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
     WHERE st."sweepId" = $1 ORDER BY st.index`,
    [sweep.rows[0]!.id],
  );
  return {
    status: sweep.rows[0]!.status,
    trials: rows.rows.map((r) => ({ key: r.key, status: r.status, attempts: r.attempts, host: hostOfIdentity(r.host), metricRows: r.metric_rows, distinctMetricPoints: r.distinct_points })),
  };
}

function doneByHost(trials: readonly TrialRow[], hosts: readonly string[]): Record<string, number> {
  const counts = Object.fromEntries(hosts.map((h) => [h, 0]));
  for (const t of trials) if (t.status === 'done' && t.host) counts[t.host] = (counts[t.host] ?? 0) + 1;
  return counts;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, workers: readonly HostProcess[]): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const outputs = workers.map((w) => `--- ${w.host.name} (pid ${w.pid}) ---\n${w.output().slice(-1500)}`).join('\n');
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${outputs}`);
    }
    await sleep(250);
  }
}

export async function runMultiHost(options: MultiHostOptions = {}): Promise<MultiHostReport> {
  const log = options.log ?? (() => undefined);
  const t0 = Date.now();
  let topology: Topology | undefined;
  let services: ClusterServices | undefined;
  const workers: HostProcess[] = [];
  let db: pg.Client | undefined;
  try {
    topology = await createTopology({ prefix: options.prefix ?? 'sl16-mh-', subnet: options.subnet ?? '10.216.1', hosts: 3 });
    log(`namespaces: services ${topology.servicesNetns} (${topology.servicesAddress}), workers ${topology.hosts.map((h) => `${h.netns} (${h.address})`).join(', ')}`);
    services = await startServices(topology);
    log(`Temporal at ${services.temporalAddress}, Postgres at ${new URL(services.databaseUrl).host} (in ${topology.servicesNetns})`);
    const hosts = topology.hosts.map((h) => h.name);
    const byPid = new Map<number, SimulatedHost>();
    for (const host of topology.hosts) {
      const worker = startWorkerOn(host, services, ['--slots', String(options.slots ?? 2)], { SWEEP_TRIAL_PREWARM: String(options.slots ?? 2) });
      workers.push(worker);
      byPid.set(worker.pid, host);
    }
    // A worker's identity is pid@hostname, and each simulated host has its namespace's name as hostname.
    const hostOfIdentity = (identity: string | null) => {
      if (!identity) return null;
      const [pid, hostname] = identity.split('@');
      return byPid.get(Number(pid))?.name ?? topology!.hosts.find((h) => h.netns === hostname)?.name ?? identity;
    };
    db = new pg.Client({ connectionString: services.databaseUrl });
    await db.connect();
    const setupSeconds = (Date.now() - t0) / 1000;

    const submit = await runCliFromRoot(['submit', MULTIHOST_SWEEP, '--json'], services.env);
    if (submit.code !== 0) throw new Error(`sweep submit failed (exit ${submit.code}): ${submit.stderr || submit.stdout}`);
    log(`submitted ${MULTIHOST_TRIALS} trials from the root namespace`);
    const submittedAt = Date.now();

    // Every host has finished a trial, and the one to cut is in the middle of one.
    const cutHost = topology.hosts[1]!;
    const beforeCut = await until(
      `every host to finish a trial while ${cutHost.name} runs one`,
      async () => {
        const { trials } = await readTrials(db!, 'multihost-noop', hostOfIdentity);
        const done = doneByHost(trials, hosts);
        const running = trials.filter((t) => t.status === 'running' && t.host === cutHost.name);
        return hosts.every((h) => done[h]! > 0) && running.length > 0 ? { done, running: running.map((t) => t.key) } : null;
      },
      120_000,
      workers,
    );
    log(`done per host before the cut: ${JSON.stringify(beforeCut.done)}; ${cutHost.name} runs ${beforeCut.running.length} trial(s)`);
    setHostLink(topology, cutHost, false);
    const cutAt = Date.now();
    log(`link of ${cutHost.name} (${cutHost.address}) is down`);

    const finished = await until(
      'the sweep to complete without the cut host',
      async () => {
        const read = await readTrials(db!, 'multihost-noop', hostOfIdentity);
        return read.status === 'completed' || read.status === 'failed' || read.status === 'cancelled' ? read : null;
      },
      180_000,
      workers,
    );
    const doneAt = Date.now();
    log(`sweep ${finished.status} ${((doneAt - cutAt) / 1000).toFixed(1)} s after the cut`);

    // The link back: the cut host's trials, finished while it was cut off, try to write now.
    setHostLink(topology, cutHost, true);
    const cutWorker = workers[1]!;
    await until('the cut host to reach the database again', async () => cutWorker.output().includes('result refused as stale') || Date.now() - doneAt > 12_000, 20_000, workers);
    const afterRestore = await readTrials(db, 'multihost-noop', hostOfIdentity);

    return {
      hosts,
      sweepStatus: finished.status ?? 'missing',
      expected: MULTIHOST_TRIALS,
      doneByHostBeforeCut: beforeCut.done,
      doneByHost: doneByHost(finished.trials, hosts),
      cutHost: cutHost.name,
      runningOnCutHost: beforeCut.running,
      trials: finished.trials,
      trialsAfterRestore: afterRestore.trials,
      staleWriteRefused: cutWorker.output().includes('result refused as stale'),
      seconds: { setup: setupSeconds, toCut: (cutAt - submittedAt) / 1000, cutToDone: (doneAt - cutAt) / 1000, total: (Date.now() - t0) / 1000 },
    };
  } finally {
    if (topology) for (const host of topology.hosts) {
      try {
        setHostLink(topology, host, true);
      } catch {
        // the namespace may not exist (a failed setup)
      }
    }
    await db?.end().catch(() => undefined);
    await Promise.all(workers.map((w) => w.stop(15_000)));
    await services?.stop();
    if (topology) await removeTopology(topology);
  }
}
