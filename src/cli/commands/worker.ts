import { availableParallelism } from 'node:os';
import { detectGpuDevices, type GpuProbe } from '../../worker/gpu-devices';
import { parseCommandArgs, positiveInt, type Command } from '../command';
import { UsageError } from '../usage-error';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run trials from a task queue (and, by default, the sweep workflows)',
  help: `Usage: sweep worker [--queue cpu|gpu|NAME] [--slots N] [--gpus 0,1,...] [--no-control] [--metrics-port N]

Polls the task queue for trials and runs each in its own process, N at a time.
Start one on every machine that should run trials; each needs TEMPORAL_ADDRESS
and DATABASE_URL pointing at the shared Temporal server and Postgres.

  --queue Q      task queue: 'cpu' (default) or 'gpu', as the sweep's taskQueue says
  --slots N      trials at once (default: one per core; on 'gpu', one per device, and at most that)
  --gpus LIST    device ids to hand out, one per trial process via CUDA_VISIBLE_DEVICES
                 (default on 'gpu': those CUDA_VISIBLE_DEVICES names, else those \`nvidia-smi -L\` lists)
  --no-control   do not run sweep workflows here (when dedicated control workers exist)
  --metrics-port N
                 serve Prometheus metrics on this port at /metrics: trials running, done, failed,
                 their durations, and the Temporal SDK's (default: SWEEP_METRICS_PORT, else none);
                 bound to SWEEP_METRICS_HOST (default 127.0.0.1; 0.0.0.0 in a pod)

On SIGTERM or SIGINT the worker stops taking trials, lets the running ones go on for up to
SWEEP_SHUTDOWN_GRACE seconds (default 0) so that those finishing in time write their results,
then cancels the rest (their processes are killed) and hands them back: Temporal retries those
attempts on other workers at once. Kubernetes: terminationGracePeriodSeconds above the grace.`,
  async run(argv) {
    const { values } = parseCommandArgs('worker', argv, {
      queue: { type: 'string' },
      slots: { type: 'string' },
      gpus: { type: 'string' },
      'no-control': { type: 'boolean' },
      'metrics-port': { type: 'string' },
    }, 0);
    const queue = values.queue ?? 'cpu';
    const requestedSlots = positiveInt('worker', 'slots', values.slots);
    const devices = queue === 'gpu' ? gpuDevices(values.gpus, requestedSlots) : parseGpuList(values.gpus);
    const slots = requestedSlots ?? devices?.length ?? availableParallelism();
    console.log(`sweep worker: queue '${queue}', ${slots} slot(s)${devices ? `, devices ${devices.join(',')}` : ''}, pid ${process.pid}`);
    // Loaded here, not at start-up: `--help` and usage errors need no Temporal worker.
    const { runWorker } = await import('../../worker/run-worker');
    const { metricsSettings } = await import('../../worker/metrics');
    const metrics = metricsSettings(positiveInt('worker', 'metrics-port', values['metrics-port']));
    await runWorker({ queue, slots, control: !values['no-control'], devices, metrics });
    return 0;
  },
};

function parseGpuList(gpus: string | undefined): string[] | undefined {
  return gpus?.split(',').map((d) => d.trim()).filter(Boolean);
}

/** The devices of a 'gpu' worker: --gpus, else detected. More slots than devices would only take trials that then wait for a device. */
export function gpuDevices(gpus: string | undefined, slots: number | undefined, probe?: GpuProbe): string[] {
  const devices = parseGpuList(gpus) ?? detectGpuDevices(probe).devices;
  if (devices.length === 0) {
    throw new UsageError(
      gpus === undefined
        ? "sweep worker: no GPUs found for queue 'gpu' (neither CUDA_VISIBLE_DEVICES nor `nvidia-smi -L` names any); pass --gpus 0,1,... to name them"
        : `sweep worker: --gpus '${gpus}' names no device; pass --gpus 0,1,...`,
    );
  }
  if (slots !== undefined && slots > devices.length) {
    throw new UsageError(
      `sweep worker: --slots ${slots} exceeds the ${devices.length} GPU(s) of queue 'gpu' (${devices.join(',')}): each trial needs its own device; ` +
        'use at most that many slots, or name more devices with --gpus',
    );
  }
  return devices;
}
