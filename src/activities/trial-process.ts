/**
 * Runs one trial in a child process and turns what it says into a promise.
 * The worker's event loop stays free (heartbeats keep flowing during training),
 * a crash ends one trial, cancellation is a SIGKILL, and so is falling silent
 * for the attempt's heartbeat timeout (silence-watchdog.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrialFailureKind } from '../experiments/errors';
import type { TrialSummary } from '../experiments/family';
import { executeTrial } from '../experiments/execute-trial';
import type { AliveMessage, StartMessage, TrialMessage } from '../experiments/trial-protocol';
import type { TrialSpec } from '../sweep/trial';
import { TS_EXEC_ARGV } from '../ts-runtime';
import { FIRST_WORD_GRACE_MS, watchForSilence, type SilenceWatchdog } from './silence-watchdog';

export interface MetricPoint {
  readonly name: string;
  readonly step: number;
  readonly value: number;
}

export type TrialProcessResult =
  | {
      readonly ok: true;
      readonly backend: string;
      readonly backendVersion: string | null;
      readonly device: string | null;
      readonly summary: TrialSummary;
      readonly points: MetricPoint[];
    }
  | { readonly ok: false; readonly backend: string | null; readonly kind: TrialFailureKind; readonly message: string };

export interface TrialProcessOptions {
  /** Extra environment for the trial (e.g. CUDA_VISIBLE_DEVICES). */
  readonly env?: Record<string, string>;
  readonly onProgress?: (step: number, metrics: Record<string, number>) => void;
  readonly onLog?: (message: string) => void;
  /** Aborting kills the trial process. */
  readonly signal?: AbortSignal;
  /** Which attempt at the trial this is (1 = the first), told to the trial: only failure injection reads it. */
  readonly attempt?: number;
  /**
   * Kill the process once it has said nothing (no progress, log or `alive`) for this long: it
   * is hung or stopped. The worker passes the attempt's heartbeat timeout. Unset: never.
   */
  readonly silenceLimitMs?: number;
}

export const TRIAL_MAIN = fileURLToPath(new URL('../experiments/trial-main.ts', import.meta.url));

/**
 * Turns one trial's messages into its result: progress points collected and
 * forwarded, and the outcome once `done` or `failed` arrives (`message`
 * returns it), or, for a process that ended without one, an infrastructure
 * failure saying how it ended (`closed`; `silenced` first when the worker
 * killed it for its silence).
 */
export function settleTrialMessages(options: TrialProcessOptions): {
  message(message: TrialMessage | AliveMessage): TrialProcessResult | null;
  silenced(silentMs: number): void;
  closed(code: number | null, signal: NodeJS.Signals | null): TrialProcessResult;
} {
  const points: MetricPoint[] = [];
  let silentMs: number | null = null;
  return {
    message(message) {
      switch (message.type) {
        case 'alive':
          return null;
        case 'progress':
          for (const [name, value] of Object.entries(message.metrics)) points.push({ name, step: message.step, value });
          options.onProgress?.(message.step, message.metrics);
          return null;
        case 'log':
          options.onLog?.(message.message);
          return null;
        case 'done':
          return { ok: true, backend: message.backend, backendVersion: message.backendVersion, device: message.device, summary: message.summary, points };
        case 'failed':
          return { ok: false, backend: message.backend, kind: message.kind, message: message.message };
      }
    },
    silenced(ms) {
      silentMs = ms;
    },
    closed(code, signal) {
      const how = signal ? `killed by ${signal}` : code === null ? 'stopped' : `exited with code ${code}`;
      const message = options.signal?.aborted
        ? `trial process cancelled (${how})`
        : silentMs !== null
          ? `trial process hung: silent for ${(silentMs / 1000).toFixed(1)} s, past the heartbeat timeout, and killed (${how})`
          : `trial process ${how} before reporting a result`;
      return { ok: false, backend: null, kind: 'infra', message };
    },
  };
}

/** Kills `child` when it falls silent (options.silenceLimitMs), noting why for `settle`; `fresh`: it has yet to start up. */
export function killWhenSilent(
  child: { kill(signal: NodeJS.Signals): boolean },
  settle: ReturnType<typeof settleTrialMessages>,
  options: TrialProcessOptions,
  fresh: boolean,
): SilenceWatchdog {
  return watchForSilence(options.silenceLimitMs, fresh ? FIRST_WORD_GRACE_MS : 0, (silentMs) => {
    settle.silenced(silentMs);
    child.kill('SIGKILL');
  });
}

export function startMessage(trial: TrialSpec, options: TrialProcessOptions): StartMessage {
  return { type: 'start', family: trial.family, params: trial.params, seed: trial.seed, attempt: options.attempt ?? 1 };
}

/** Runs one trial in a fresh process of its own, which exits after it. */
export function runTrialProcess(trial: TrialSpec, options: TrialProcessOptions = {}): Promise<TrialProcessResult> {
  return new Promise((resolve, reject) => {
    const child = fork(TRIAL_MAIN, [], {
      execArgv: [...TS_EXEC_ARGV],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const settle = settleTrialMessages(options);
    const watchdog = killWhenSilent(child, settle, options, true);
    let settled: TrialProcessResult | null = null;

    const onAbort = () => child.kill('SIGKILL');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('message', (message: TrialMessage | AliveMessage) => {
      watchdog.heard();
      settled = settle.message(message) ?? settled;
    });
    child.once('error', (err) => {
      watchdog.stop();
      options.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    // 'close', not 'exit': by then every IPC message the child sent has been handled.
    child.once('close', (code, signal) => {
      watchdog.stop();
      options.signal?.removeEventListener('abort', onAbort);
      resolve(settled ?? settle.closed(code, signal));
    });
    child.send(startMessage(trial, options));
  });
}

/**
 * Runs a trial that only waits (see FamilyDefinition.runsInline) in this process:
 * same protocol, no fork. Cancellation settles the trial at once and stops it at
 * its next progress point (there is no process to kill).
 */
export async function runTrialInline(trial: TrialSpec, options: TrialProcessOptions = {}): Promise<TrialProcessResult> {
  const points: MetricPoint[] = [];
  const { signal } = options;
  const cancelled = (): TrialProcessResult => ({ ok: false, backend: null, kind: 'infra', message: 'trial cancelled' });
  if (signal?.aborted) return cancelled();
  let onAbort = () => {};
  const aborted = new Promise<TrialProcessResult>((resolve) => {
    onAbort = () => resolve(cancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const run = executeTrial(startMessage(trial, options), (message) => {
    // Throwing here ends the abandoned run at its next report; its outcome is ignored.
    if (signal?.aborted) throw new Error('trial cancelled');
    if (message.type === 'progress') {
      for (const [name, value] of Object.entries(message.metrics)) points.push({ name, step: message.step, value });
      options.onProgress?.(message.step, message.metrics);
    } else if (message.type === 'log') {
      options.onLog?.(message.message);
    }
  }).then((end): TrialProcessResult =>
    end.type === 'done'
      ? { ok: true, backend: end.backend, backendVersion: end.backendVersion, device: end.device, summary: end.summary, points }
      : { ok: false, backend: end.backend, kind: end.kind, message: end.message },
  );
  try {
    return await Promise.race([run, aborted]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
