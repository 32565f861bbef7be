/**
 * A worker's Prometheus metrics, on one port (`sweep worker --metrics-port N`,
 * or SWEEP_METRICS_PORT; bound to SWEEP_METRICS_HOST, 127.0.0.1 unless set,
 * e.g. 0.0.0.0 in a pod), under GET /metrics:
 *
 * - sweeplab's own, from this process (prom-client):
 *     sweep_trials_running{queue}                     trial attempts running now
 *     sweep_trials_done_total{queue}                  attempts that finished with a result (or found one)
 *     sweep_trials_failed_total{queue,kind}           attempts that ended otherwise: kind math | input
 *                                                     (final), infra (a crash: retried), cancelled,
 *                                                     recorded (a final failure found already recorded)
 *     sweep_trial_duration_seconds{queue,outcome}     histogram of attempts' wall time, outcome done | failed
 *   and Node's process metrics (sweep_worker_process_*, sweep_worker_nodejs_*);
 * - the Temporal SDK's (temporal_*: task slots, pollers, schedule-to-start and
 *   execution latencies, request failures…), from its Rust core's Prometheus
 *   exporter, which listens on a loopback port of its own and is appended here,
 *   so one scrape target has both.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { Runtime } from '@temporalio/worker';
import client from 'prom-client';
import { TRIAL_CRASHED, TRIAL_INPUT_ERROR, TRIAL_MATH_ERROR, type TrialActivities } from '../contracts';

export interface MetricsSettings {
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** --metrics-port, else SWEEP_METRICS_PORT; null: no metrics endpoint. */
export function metricsSettings(flag: number | undefined, env: NodeJS.ProcessEnv = process.env): MetricsSettings | null {
  const fromEnv = env.SWEEP_METRICS_PORT?.trim();
  const port = flag ?? (fromEnv ? Number(fromEnv) : undefined);
  if (port === undefined) return null;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`SWEEP_METRICS_PORT must be a port number (1-65535), not '${fromEnv}'`);
  return { port, host: env.SWEEP_METRICS_HOST?.trim() || '127.0.0.1' };
}

/** Trial durations from a second to a day. */
const DURATION_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

export class WorkerMetrics {
  readonly registry = new client.Registry();
  private readonly running: client.Gauge<'queue'>;
  private readonly done: client.Counter<'queue'>;
  private readonly failed: client.Counter<'queue' | 'kind'>;
  private readonly duration: client.Histogram<'queue' | 'outcome'>;

  constructor(private readonly queue: string) {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'sweep_worker_' });
    this.running = new client.Gauge({ name: 'sweep_trials_running', help: 'Trial attempts running in this worker now', labelNames: ['queue'], registers: [this.registry] });
    this.done = new client.Counter({ name: 'sweep_trials_done_total', help: 'Trial attempts that ended with a result', labelNames: ['queue'], registers: [this.registry] });
    this.failed = new client.Counter({
      name: 'sweep_trials_failed_total',
      help: 'Trial attempts that ended without a result, by kind: math, input (final), infra (retried), cancelled',
      labelNames: ['queue', 'kind'],
      registers: [this.registry],
    });
    this.duration = new client.Histogram({
      name: 'sweep_trial_duration_seconds',
      help: 'Wall time of trial attempts, by outcome (done, failed)',
      labelNames: ['queue', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    // Present at 0 from the start, so a scrape before the first trial shows the series.
    this.running.set({ queue }, 0);
    this.done.inc({ queue }, 0);
  }

  /** The trial activities, counted: what each attempt ended as, and how long it took. */
  instrument(activities: TrialActivities): TrialActivities {
    const { queue } = this;
    return {
      runTrial: async (trial) => {
        this.running.inc({ queue });
        const stop = this.duration.startTimer({ queue });
        try {
          const outcome = await activities.runTrial(trial);
          if (outcome === 'done') this.done.inc({ queue });
          // 'failed': an earlier attempt (or another sweep) recorded a final failure for this trial.
          else this.failed.inc({ queue, kind: 'recorded' });
          stop({ outcome: outcome === 'done' ? 'done' : 'failed' });
          return outcome;
        } catch (err) {
          this.failed.inc({ queue, kind: failureKind(err) });
          stop({ outcome: 'failed' });
          throw err;
        } finally {
          this.running.dec({ queue });
        }
      },
    };
  }
}

function failureKind(err: unknown): string {
  if (err instanceof CancelledFailure) return 'cancelled';
  if (err instanceof ApplicationFailure) {
    if (err.type === TRIAL_MATH_ERROR) return 'math';
    if (err.type === TRIAL_INPUT_ERROR) return 'input';
    if (err.type === TRIAL_CRASHED) return 'infra';
  }
  return 'infra';
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Installs the Temporal runtime with its Prometheus exporter on a loopback port (before any
 * connection or Worker exists: the runtime is made once per process), and returns that port.
 */
export async function installSdkMetrics(): Promise<number> {
  const port = await freeLoopbackPort();
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } } });
  return port;
}

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves GET /metrics: sweeplab's registry, then the SDK exporter's text (omitted, with a comment, if it does not answer). */
export async function serveMetrics(settings: MetricsSettings, metrics: WorkerMetrics, sdkPort: number | null): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    void (async () => {
      try {
        let text = await metrics.registry.metrics();
        if (sdkPort !== null) {
          try {
            const sdk = await fetch(`http://127.0.0.1:${sdkPort}/metrics`, { signal: AbortSignal.timeout(5000) });
            text += `\n${await sdk.text()}`;
          } catch (err) {
            text += `\n# the Temporal SDK's metrics did not answer: ${(err as Error).message}\n`;
          }
        }
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
      }
    })();
  });
  const host = settings.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`metrics: cannot listen on ${host}:${settings.port}: ${err.message}`)));
    server.listen(settings.port, host, () => resolve());
  });
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${settings.port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
