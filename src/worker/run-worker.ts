/**
 * A sweeplab worker process: a trial worker polling one task queue ('cpu' or
 * 'gpu') with a fixed number of slots, and, unless told otherwise, a control
 * worker that runs the sweep workflows and their bookkeeping activities.
 */
import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createControlActivities } from '../activities/control';
import { DeviceSlots } from '../activities/device-slots';
import { createTrialActivities } from '../activities/trial';
import { TrialProcessPool } from '../activities/trial-process-pool';
import { CONTROL_TASK_QUEUE, trialProcessPrewarm, trialProcessReuse } from '../config';
import { temporalConnectionSettings } from '../connection/temporal-options';
import { createPrisma } from '../db/client';
import { codeRevision } from './code-revision';
import { installSdkMetrics, serveMetrics, WorkerMetrics, type MetricsServer, type MetricsSettings } from './metrics';
import { connectControlClient, connectWorkerTemporal } from './temporal-connection';
import { trialProcessEnv } from './trial-env';
import { threadsPerTrial, trialThreadEnv } from './trial-threads';

export interface WorkerSettings {
  readonly queue: string;
  readonly slots: number;
  /** Also run workflows and bookkeeping (every single-machine setup wants this). */
  readonly control: boolean;
  /** For GPU queues: device ids handed out one per trial; defaults to 0..slots-1. */
  readonly devices?: readonly string[];
  /** Resolves when the worker should shut down (default: SIGINT/SIGTERM, handled by the SDK). */
  readonly until?: Promise<unknown>;
  /** Serve Prometheus metrics (sweeplab's and the Temporal SDK's) here: src/worker/metrics.ts. */
  readonly metrics?: MetricsSettings | null;
}

/** SWEEP_SHUTDOWN_GRACE: seconds running trials may take to finish once the worker is told to stop. @default 0 */
export function shutdownGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SWEEP_SHUTDOWN_GRACE?.trim();
  if (!raw) return 0;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`SWEEP_SHUTDOWN_GRACE must be a number of seconds (0 or more), not '${raw}'`);
  return Math.round(seconds * 1000);
}

const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function runWorker(settings: WorkerSettings): Promise<void> {
  // The SDK's exporter is part of its runtime, which must be installed before the first connection.
  const metrics = settings.metrics ? new WorkerMetrics(settings.queue) : null;
  const sdkMetricsPort = settings.metrics ? await installSdkMetrics() : null;
  const temporal = temporalConnectionSettings();
  const connection = await connectWorkerTemporal(temporal);
  const prisma = createPrisma();
  const identity = `${process.pid}@${hostname()}`;
  const isGpu = settings.queue === 'gpu' || settings.devices !== undefined;
  const deviceIds = settings.devices ?? Array.from({ length: settings.slots }, (_, i) => String(i));
  const devices = isGpu ? new DeviceSlots(deviceIds) : null;
  const shared: Pick<WorkerOptions, 'connection' | 'namespace' | 'identity' | 'maxHeartbeatThrottleInterval' | 'shutdownGraceTime'> = {
    connection,
    namespace: temporal.namespace,
    identity,
    // On SIGTERM/SIGINT: running trials get this long to finish and write their results; then they
    // are cancelled (their processes killed) and fail back to Temporal, which retries them elsewhere.
    shutdownGraceTime: shutdownGraceMs(),
    // Cancellation reaches an activity only with a heartbeat's reply: by default heartbeats are
    // throttled to 0.8 x the heartbeat timeout (48 s of a 60 s one), so a cancelled trial would run on that long.
    maxHeartbeatThrottleInterval: '2 seconds',
  };

  // Warm trial processes, reused for up to N trials each (1: a fresh process per trial).
  const reuse = trialProcessReuse();
  const processes = reuse > 1 ? new TrialProcessPool({ reuse }) : null;
  // Only what trials need: no Temporal credentials, no tokens (trial-env.ts). Its `undefined`
  // values are variables Node's spawn leaves out; the activities' type has no room for them.
  const trialEnv = trialProcessEnv(trialThreadEnv(threadsPerTrial(availableParallelism(), settings.slots))) as Record<string, string>;
  // One warm process per slot (each ~100 MB before its first trial), in the environment each
  // slot's trials ask for: GPU slots have a device each.
  if (processes) {
    const prewarm = Math.min(settings.slots, trialProcessPrewarm());
    if (devices) for (const device of deviceIds.slice(0, prewarm)) processes.prewarm(1, { ...trialEnv, CUDA_VISIBLE_DEVICES: device });
    else processes.prewarm(prewarm, trialEnv);
  }

  const workers: Worker[] = [
    await Worker.create({
      ...shared,
      taskQueue: settings.queue,
      activities: ((activities) => metrics?.instrument(activities) ?? activities)(
        createTrialActivities({
          prisma,
          host: identity,
          codeRevision: codeRevision(),
          devices,
          trialEnv,
          processes,
        }),
      ),
      maxConcurrentActivityTaskExecutions: settings.slots,
    }),
  ];
  // Control activities look up trial children (do they still run?) through a client of their own.
  const clientConnection = settings.control ? await connectControlClient(temporal) : null;
  if (clientConnection) {
    const client = new Client({ connection: clientConnection, namespace: temporal.namespace });
    workers.push(
      await Worker.create({
        ...shared,
        taskQueue: CONTROL_TASK_QUEUE,
        workflowsPath: WORKFLOWS_PATH,
        activities: createControlActivities(prisma, client),
        maxConcurrentActivityTaskExecutions: 20,
      }),
    );
  }

  let metricsServer: MetricsServer | null = null;
  try {
    if (metrics && settings.metrics) {
      metricsServer = await serveMetrics(settings.metrics, metrics, sdkMetricsPort);
      console.log(`sweep worker: metrics at ${metricsServer.url}`);
    }
    const runs = Promise.all(workers.map((worker) => worker.run()));
    if (settings.until) {
      await settings.until;
      for (const worker of workers) worker.shutdown();
    }
    await runs;
  } finally {
    await metricsServer?.close();
    await processes?.close();
    await prisma.$disconnect();
    await clientConnection?.close();
    await connection.close();
  }
}
