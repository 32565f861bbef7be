/**
 * Warm trial processes, reused: starting one costs about a second and a half
 * on 2 cores (Node, compiling our TypeScript, loading TensorFlow, the family's
 * modules), which was most of a small trial and a fixed tax on every sweep.
 * A pooled process runs up to `reuse` trials one after another, and is never
 * handed a trial again after a failure, a crash, a cancellation (it is
 * killed), or a trial that left tensors behind (it exits itself:
 * experiments/trial-main.ts). A trial is a pure function of its spec and seed,
 * so a warm process gives the same numbers as a fresh one (tested).
 *
 * Processes are kept apart by their environment (threads, CUDA device,
 * backend): a process only ever runs trials that asked for its environment,
 * and one that last ran the same family is preferred, since its modules are loaded.
 * Idle processes exit after `idleMs`, and all of them when the worker stops.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ReadyMessage, TrialMessage } from '../experiments/trial-protocol';
import type { TrialSpec } from '../sweep/trial';
import { TS_EXEC_ARGV } from '../ts-runtime';
import { settleTrialMessages, TRIAL_MAIN, type TrialProcessOptions, type TrialProcessResult } from './trial-process';

export interface TrialProcessPoolOptions {
  /**
   * Trials one process may run before it is replaced.
   * @default 50
   */
  readonly reuse?: number;
  /**
   * How long an idle process is kept, in ms.
   * @default 60_000
   */
  readonly idleMs?: number;
}

/** Checks the options once, where they are documented. */
export function validatePoolOptions(options: TrialProcessPoolOptions): Required<TrialProcessPoolOptions> {
  const reuse = options.reuse ?? 50;
  const idleMs = options.idleMs ?? 60_000;
  if (!Number.isInteger(reuse) || reuse < 1) throw new Error(`trial process reuse must be a whole number ≥ 1, got ${reuse}`);
  if (!(idleMs >= 0)) throw new Error(`trial process idle time must be ≥ 0 ms, got ${idleMs}`);
  return { reuse, idleMs };
}

interface PooledProcess {
  readonly child: ChildProcess;
  readonly envKey: string;
  family: string | null;
  idleTimer: NodeJS.Timeout | null;
  /** Set while it runs a trial: where its messages go. */
  onMessage: ((message: TrialMessage | ReadyMessage) => void) | null;
  exited: boolean;
}

export class TrialProcessPool {
  private readonly settings: Required<TrialProcessPoolOptions>;
  private readonly idle: PooledProcess[] = [];
  private readonly all = new Set<PooledProcess>();
  private closed = false;
  /** Processes started, for tests and the worker's log. */
  started = 0;

  constructor(options: TrialProcessPoolOptions = {}) {
    this.settings = validatePoolOptions(options);
  }

  get idleCount(): number {
    return this.idle.length;
  }

  async run(trial: TrialSpec, options: TrialProcessOptions = {}): Promise<TrialProcessResult> {
    if (this.closed) throw new Error('the trial process pool is closed');
    const envKey = JSON.stringify(Object.entries(options.env ?? {}).sort());
    const proc = this.take(envKey, trial.family) ?? this.spawn(envKey, options.env);
    proc.family = trial.family;
    return new Promise<TrialProcessResult>((resolve) => {
      const settle = settleTrialMessages(options);
      let result: TrialProcessResult | null = null;
      const onAbort = () => proc.child.kill('SIGKILL');
      const finish = (outcome: TrialProcessResult) => {
        options.signal?.removeEventListener('abort', onAbort);
        proc.child.off('close', onClose);
        proc.child.off('error', onError);
        proc.onMessage = null;
        resolve(outcome);
      };
      // The process exited: after its result (it chose not to take another) or before it (a
      // crash or a kill); by 'close' every message it sent has been handled.
      const onClose = (code: number | null, signal: NodeJS.Signals | null) => finish(result ?? settle.closed(code, signal));
      const onError = (err: Error) => {
        proc.child.kill('SIGKILL');
        finish({ ok: false, backend: null, kind: 'infra', message: `trial process failed: ${err.message}` });
      };
      proc.onMessage = (message) => {
        if (message.type !== 'ready') {
          result = settle.message(message) ?? result;
          return;
        }
        // Clean and idle: the trial is over and the process goes back to the pool. Waiting for
        // this word (a few ms after the result) keeps the pool at one process per running trial.
        if (!result) return finish(settle.closed(null, null));
        finish(result);
        this.release(proc);
      };
      proc.child.once('close', onClose);
      proc.child.once('error', onError);
      if (options.signal?.aborted) onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      proc.child.send({ type: 'start', family: trial.family, params: trial.params, seed: trial.seed });
    });
  }

  /** Stops every process (idle ones at once; busy ones are killed). */
  async close(): Promise<void> {
    this.closed = true;
    const exits = [...this.all].map((proc) => new Promise<void>((resolve) => (proc.exited ? resolve() : proc.child.once('exit', () => resolve()))));
    for (const proc of this.all) proc.child.kill('SIGTERM');
    await Promise.all(exits);
  }

  private take(envKey: string, family: string): PooledProcess | undefined {
    const candidates = this.idle.filter((p) => p.envKey === envKey);
    const chosen = candidates.find((p) => p.family === family) ?? candidates[0];
    if (!chosen) return undefined;
    this.idle.splice(this.idle.indexOf(chosen), 1);
    if (chosen.idleTimer) clearTimeout(chosen.idleTimer);
    chosen.idleTimer = null;
    return chosen;
  }

  private spawn(envKey: string, env: Readonly<Record<string, string>> | undefined): PooledProcess {
    const child = fork(TRIAL_MAIN, ['--reuse', String(this.settings.reuse)], {
      execArgv: [...TS_EXEC_ARGV],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.started++;
    const proc: PooledProcess = { child, envKey, family: null, idleTimer: null, onMessage: null, exited: false };
    this.all.add(proc);
    child.on('message', (message: TrialMessage | ReadyMessage) => proc.onMessage?.(message));
    child.once('exit', () => {
      proc.exited = true;
      this.all.delete(proc);
      const at = this.idle.indexOf(proc);
      if (at >= 0) this.idle.splice(at, 1);
      if (proc.idleTimer) clearTimeout(proc.idleTimer);
    });
    return proc;
  }

  private release(proc: PooledProcess): void {
    proc.onMessage = null;
    if (this.closed || proc.exited) return;
    proc.idleTimer = setTimeout(() => proc.child.kill('SIGTERM'), this.settings.idleMs);
    proc.idleTimer.unref();
    this.idle.push(proc);
  }
}
