/**
 * In-process harness for the workflow tests and the history recorder: a real
 * Temporal dev server (our built CLI, via test/support/temporal.ts), one Worker
 * in this process running the real workflow code, and stubbed control and trial
 * activities backed by an in-memory table of trials instead of Postgres.
 *
 * A stub trial's behaviour is its `stub` parameter:
 *   done      succeeds (after `delayMs`, default 0)
 *   math      fails for good with TrialMathError (recorded `failed`)
 *   crash     throws TrialCrashed on every attempt (retried, then recorded `error`)
 *   hold      runs, heartbeating, until released (`release`) or cancelled
 *   hold-once holds on its first run, succeeds on any later one
 */
import { fileURLToPath } from 'node:url';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { TrialSpec } from '../../src/sweep/trial';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../src/workflows/index.ts', import.meta.url));

export type StubBehaviour = 'done' | 'math' | 'crash' | 'hold' | 'hold-once';
type Status = 'pending' | 'running' | 'done' | 'failed' | 'error';

interface StubTrial {
  readonly spec: TrialSpec;
  status: Status;
  error: string | null;
  runs: number;
}

/** The stubs' view of the world: trials by sweep, their states, and what the workflows asked for. */
export class StubWorld {
  private readonly sweeps = new Map<string, StubTrial[]>();
  private readonly byKey = new Map<string, StubTrial>();
  private readonly releases = new Map<string, () => void>();
  readonly sweepStatuses = new Map<string, string[]>();
  /** Trial activities running now, and the most seen at once. */
  running = 0;
  maxRunning = 0;

  /** Registers a sweep of trials with the given behaviours; returns its trial specs. */
  addSweep(sweepId: string, behaviours: readonly StubBehaviour[], extra: Record<string, string | number> = {}): TrialSpec[] {
    const trials = behaviours.map((stub, index) => ({
      spec: { key: `${sweepId}:${index}`, family: 'noop', codeVersion: 'stub', params: { stub, ...extra }, seed: 0, index },
      status: 'pending' as Status,
      error: null,
      runs: 0,
    }));
    this.sweeps.set(sweepId, trials);
    for (const trial of trials) this.byKey.set(trial.spec.key, trial);
    return trials.map((t) => t.spec);
  }

  statuses(sweepId: string): Status[] {
    return (this.sweeps.get(sweepId) ?? []).map((t) => t.status);
  }

  trial(sweepId: string, index: number): StubTrial {
    const trial = this.sweeps.get(sweepId)?.[index];
    if (!trial) throw new Error(`no stub trial ${sweepId}[${index}]`);
    return trial;
  }

  /** Lets a held trial finish (done). */
  release(key: string): void {
    this.releases.get(key)?.();
  }

  releaseAll(): void {
    for (const release of [...this.releases.values()]) release();
  }

  held(): string[] {
    return [...this.releases.keys()];
  }

  private get(key: string): StubTrial {
    const trial = this.byKey.get(key);
    if (!trial) throw ApplicationFailure.nonRetryable(`no trial with key ${key}`, 'MissingRecordError');
    return trial;
  }

  private recordFailure(key: string, kind: string, message: string): void {
    const trial = this.get(key);
    const infra = kind === 'infra';
    if (trial.status === 'done' || (infra && trial.status === 'failed')) return;
    trial.status = infra ? 'error' : 'failed';
    trial.error = message;
  }

  /** Control activities, as src/activities/control.ts implements them over Postgres. */
  controlActivities(client: Client) {
    const finished = (t: StubTrial) => t.status === 'done' || t.status === 'failed';
    return {
      nextPendingTrials: async (page: { sweepId: string; afterIndex: number; limit: number }): Promise<TrialSpec[]> =>
        (this.sweeps.get(page.sweepId) ?? [])
          .filter((t) => t.spec.index > page.afterIndex && !finished(t))
          .slice(0, page.limit)
          .map((t) => t.spec),
      trialsAt: async (at: { sweepId: string; indices: number[] }) => {
        const wanted = (this.sweeps.get(at.sweepId) ?? []).filter((t) => at.indices.includes(t.spec.index));
        return {
          pending: wanted.filter((t) => !finished(t)).map((t) => t.spec),
          finished: wanted.filter(finished).map((t) => ({ index: t.spec.index, outcome: t.status as 'done' | 'failed' })),
        };
      },
      setSweepStatus: async (sweepId: string, status: string): Promise<void> => {
        this.sweepStatuses.set(sweepId, [...(this.sweepStatuses.get(sweepId) ?? []), status]);
      },
      recordTrialFailure: async (failure: { key: string; kind: string; message: string }): Promise<void> => {
        this.recordFailure(failure.key, failure.kind, failure.message);
      },
      reconcileClosedTrials: async (children: { childId: string; key: string; index: number }[]) => {
        const closed: { childId: string; outcome: 'done' | 'failed' | 'error' | 'cancelled' }[] = [];
        for (const { childId, key } of children) {
          let status: string;
          try {
            status = (await client.workflow.getHandle(childId).describe()).status.name;
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            status = 'NOT_FOUND';
          }
          if (status === 'RUNNING') continue;
          const trial = this.get(key);
          const cancelled = status === 'CANCELLED';
          if (trial.status === 'pending' || trial.status === 'running') {
            trial.status = 'error';
            trial.error = cancelled ? 'cancelled' : `trial workflow ${childId} ended (${status.toLowerCase()}) without reporting to its sweep`;
          }
          const outcome = finished(trial) ? (trial.status as 'done' | 'failed') : 'error';
          closed.push({ childId, outcome: cancelled && outcome === 'error' ? 'cancelled' : outcome });
        }
        return closed;
      },
    };
  }

  /** The trial activity: behaves as its `stub` parameter says. */
  trialActivities() {
    return {
      runTrial: async (spec: TrialSpec): Promise<'done' | 'failed'> => {
        const trial = this.get(spec.key);
        if (trial.status === 'done' || trial.status === 'failed') return trial.status;
        trial.status = 'running';
        trial.runs++;
        this.running++;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        try {
          const stub = spec.params.stub as StubBehaviour;
          if (stub === 'hold' || (stub === 'hold-once' && trial.runs === 1)) await this.hold(spec.key);
          else if (typeof spec.params.delayMs === 'number') await abortableSleep(spec.params.delayMs);
          if (stub === 'math') {
            this.recordFailure(spec.key, 'math', 'stub: injected math failure');
            throw ApplicationFailure.nonRetryable('stub: injected math failure', 'TrialMathError');
          }
          if (stub === 'crash') throw ApplicationFailure.retryable('stub: injected crash', 'TrialCrashed');
          trial.status = 'done';
          return 'done';
        } finally {
          this.running--;
        }
      },
    };
  }

  /** Heartbeats until released (then returns) or cancelled (then throws CancelledFailure). */
  private async hold(key: string): Promise<void> {
    const ctx = Context.current();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.releases.set(key, release);
    const timer = setInterval(() => ctx.heartbeat(), 200);
    try {
      await Promise.race([released, ctx.cancelled]);
    } catch (err) {
      throw err instanceof CancelledFailure ? err : new CancelledFailure('stub: cancelled');
    } finally {
      clearInterval(timer);
      this.releases.delete(key);
    }
  }
}

function abortableSleep(ms: number): Promise<void> {
  const ctx = Context.current();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    ctx.cancelled.catch((err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export interface Harness {
  readonly temporal: TestTemporal;
  readonly client: Client;
  readonly world: StubWorld;
  readonly taskQueue: string;
  readonly bundle: WorkflowBundleWithSourceMap;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** The SDK's runtime, once per process, logging errors only: it logs every failed activity attempt at WARN, and the stubs fail some on purpose. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}

/** Starts a dev server and one worker running the workflows with stubbed activities, all on `taskQueue`. */
export async function startHarness(taskQueue = 'workflow-tests'): Promise<Harness> {
  installQuietRuntime();
  const [temporal, bundle] = await Promise.all([startTestTemporal(), bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') })]);
  const connection = await NativeConnection.connect({ address: temporal.address });
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  const world = new StubWorld();
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: bundle,
    activities: { ...world.controlActivities(client), ...world.trialActivities() },
    // Cancellation reaches a held stub trial within a heartbeat, as on a real worker (src/worker/run-worker.ts).
    maxHeartbeatThrottleInterval: '200 milliseconds',
  });
  const running = worker.run();
  return {
    temporal,
    client,
    world,
    taskQueue,
    bundle,
    async stop() {
      world.releaseAll();
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await client.connection.close();
      await temporal.stop();
    },
  };
}

/** Execution settings of a stubbed sweep: its trials run on the harness's own task queue, fast retries. */
export function stubExecution(taskQueue: string, concurrency: number) {
  return {
    taskQueue,
    concurrency,
    retry: { maximumAttempts: 2, initialIntervalMs: 50, backoffCoefficient: 1, maximumIntervalMs: 50 },
    timeouts: { trialMs: 60_000, heartbeatMs: 2_000 },
  };
}

/** Run ids of a workflow's runs, first to last, following its continue-as-new chain. */
export async function runChain(client: Client, workflowId: string, firstRunId: string) {
  const runs: { runId: string; history: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>> }[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history });
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

export async function until<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
