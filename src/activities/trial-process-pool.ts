/**
 * Warm trial processes, reused: starting one costs about a second and a half
 * on 2 cores (Node, compiling our TypeScript, loading TensorFlow, the family's
 * modules), which was most of a small trial and a fixed tax on every sweep.
 * A pooled process runs up to `reuse` trials one after another, and is never
 * handed a trial again after a failure, a crash, a cancellation (it is
 * killed), a trial that fell silent for its heartbeat timeout (hung: it is
 * killed, trial-process.ts), or a trial that left tensors behind (it exits itself:
 * experiments/trial-main.ts). A trial is a pure function of its spec and seed,
 * so a warm process gives the same numbers as a fresh one (tested).
 *
 * Processes are kept apart by their environment (threads, CUDA device,
 * backend): a process only ever runs trials that asked for its environment,
 * and one that last ran the same family is preferred, since its modules are loaded.
 * A worker prewarms one per slot when it starts, a retired process is replaced
 * at once (in the background, while the other slots run), idle processes exit
 * after `idleMs`, and all of them when the worker stops.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { AliveMessage, ReadyMessage, TrialMessage } from '../experiments/trial-protocol';
import type { TrialSpec } from '../sweep/trial';
import { TS_EXEC_ARGV } from '../ts-runtime';
import { killWhenSilent, settleTrialMessages, startMessage, TRIAL_MAIN, type TrialProcessOptions, type TrialProcessResult } from './trial-process';

export interface TrialProcessPoolOptions {
  /**
   * Trials one process may run before it is replaced.
   * @default 200
   */
  readonly reuse?: number;
  /**
   * How long an idle process is kept, in ms.
   * @default 300_000
   */
  readonly idleMs?: number;
}

/** Checks the options once, where they are documented. */
export function validatePoolOptions(options: TrialProcessPoolOptions): Required<TrialProcessPoolOptions> {
  const reuse = options.reuse ?? 200;
  const idleMs = options.idleMs ?? 300_000;
  if (!Number.isInteger(reuse) || reuse < 1) throw new Error(`trial process reuse must be a whole number ≥ 1, got ${reuse}`);
  if (!(idleMs >= 0)) throw new Error(`trial process idle time must be ≥ 0 ms, got ${idleMs}`);
  return { reuse, idleMs };
}

interface PooledProcess {
  readonly child: ChildProcess;
  readonly envKey: string;
  readonly env: Readonly<Record<string, string>> | undefined;
  /** Starting (not yet said `warm`), waiting for a trial, or running one. */
  state: 'warming' | 'idle' | 'busy';
  /** The family of its last trial: its modules are loaded. */
  family: string | null;
  /** Trials it was given. */
  served: number;
  idleTimer: NodeJS.Timeout | null;
  /** Set while it runs a trial: where its messages go. */
  onMessage: ((message: TrialMessage | AliveMessage | ReadyMessage) => void) | null;
  exited: boolean;
  /** Stopped for being idle too long: not replaced. */
  idledOut?: boolean;
}

export class TrialProcessPool {
  private readonly settings: Required<TrialProcessPoolOptions>;
  private readonly all = new Set<PooledProcess>();
  private closed = false;
  /** Processes started, for tests and the worker's log. */
  started = 0;

  constructor(options: TrialProcessPoolOptions = {}) {
    this.settings = validatePoolOptions(options);
  }

  get idleCount(): number {
    return [...this.all].filter((p) => p.state === 'idle').length;
  }

  /**
   * Starts processes for `env` until it has `count` (a worker: one per slot), so
   * the first trials find them warm instead of paying a start each; they are
   * kept like any idle process (`idleMs`).
   */
  prewarm(count: number, env?: Readonly<Record<string, string>>): void {
    const envKey = keyOf(env);
    const have = [...this.all].filter((p) => p.envKey === envKey).length;
    for (let i = have; i < count && !this.closed; i++) this.spawn(envKey, env);
  }

  /** Resolves once every process started so far is warm or gone (for tests and benches). */
  async warmed(): Promise<void> {
    while ([...this.all].some((p) => p.state === 'warming')) await new Promise((r) => setTimeout(r, 50));
  }

  async run(trial: TrialSpec, options: TrialProcessOptions = {}): Promise<TrialProcessResult> {
    if (this.closed) throw new Error('the trial process pool is closed');
    const envKey = keyOf(options.env);
    const proc = this.take(envKey, trial.family) ?? this.spawn(envKey, options.env);
    // One still starting gets the first-word grace before its silence counts as a hang.
    const starting = proc.state === 'warming';
    proc.state = 'busy';
    proc.family = trial.family;
    proc.served++;
    return new Promise<TrialProcessResult>((resolve) => {
      const settle = settleTrialMessages(options);
      const watchdog = killWhenSilent(proc.child, settle, options, starting);
      let result: TrialProcessResult | null = null;
      const onAbort = () => proc.child.kill('SIGKILL');
      const finish = (outcome: TrialProcessResult) => {
        watchdog.stop();
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
        watchdog.heard();
        if (message.type === 'warm') return; // it was handed this trial while still starting
        if (message.type !== 'ready') {
          result = settle.message(message as TrialMessage) ?? result;
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
      proc.child.send(startMessage(trial, options));
    });
  }

  /** Stops every process (idle ones at once; busy ones are killed). */
  async close(): Promise<void> {
    this.closed = true;
    const exits = [...this.all].map((proc) => new Promise<void>((resolve) => (proc.exited ? resolve() : proc.child.once('exit', () => resolve()))));
    for (const proc of this.all) proc.child.kill('SIGTERM');
    await Promise.all(exits);
  }

  /** An idle process of this environment (one that last ran this family first), else one still starting. */
  private take(envKey: string, family: string): PooledProcess | undefined {
    const candidates = [...this.all].filter((p) => p.envKey === envKey && !p.exited);
    const idle = candidates.filter((p) => p.state === 'idle');
    const chosen = idle.find((p) => p.family === family) ?? idle[0] ?? candidates.find((p) => p.state === 'warming');
    if (chosen?.idleTimer) clearTimeout(chosen.idleTimer);
    if (chosen) chosen.idleTimer = null;
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
    const proc: PooledProcess = { child, envKey, env, state: 'warming', family: null, served: 0, idleTimer: null, onMessage: null, exited: false };
    this.all.add(proc);
    child.on('message', (message: TrialMessage | AliveMessage | ReadyMessage) => {
      if (message.type === 'warm' && proc.state === 'warming') return this.release(proc);
      proc.onMessage?.(message);
    });
    child.once('exit', () => {
      proc.exited = true;
      this.all.delete(proc);
      if (proc.idleTimer) clearTimeout(proc.idleTimer);
      // It served its share (or failed a trial): a fresh one takes its place now, so the
      // next trial does not wait for a start. One that idled out, or never got a trial
      // (broken from the start), is not replaced.
      if (!this.closed && proc.served > 0 && !proc.idledOut) this.spawn(envKey, env);
    });
    return proc;
  }

  private release(proc: PooledProcess): void {
    proc.onMessage = null;
    if (this.closed || proc.exited) return;
    proc.state = 'idle';
    proc.idleTimer = setTimeout(() => {
      proc.idledOut = true;
      proc.child.kill('SIGTERM');
    }, this.settings.idleMs);
    proc.idleTimer.unref();
  }
}

function keyOf(env: Readonly<Record<string, string>> | undefined): string {
  return JSON.stringify(Object.entries(env ?? {}).sort());
}
