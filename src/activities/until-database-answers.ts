/**
 * Runs a bookkeeping query, and while the database cannot be reached
 * (db/database-unreachable.ts) runs it again with backoff until it answers,
 * inside the activity. Failing the activity instead would let Temporal retry it,
 * and for a trial each retry is one of its attempts: a Postgres restart of a
 * minute used to turn every trial in flight into an `error`. Any other error
 * is thrown at once.
 *
 * The wait is bounded by `deadline`, the activity's start-to-close deadline:
 * past it Temporal has timed the attempt out anyway (and a trial's retry
 * counts as an attempt), so an outage longer than a trial's whole timeout does
 * cost it an attempt. While waiting the activity must keep heartbeating (its
 * caller's timer does, see trial.ts), or Temporal would time it out on its
 * heartbeat instead.
 */
import { isDatabaseUnreachable } from '../db/database-unreachable';

export interface DatabaseWaitOptions {
  /** Epoch ms after which the last error is thrown instead of waiting on. */
  readonly deadline: number;
  /**
   * Stops waiting when aborted, throwing the signal's reason (the activity's
   * CancelledFailure). Left out where a write must land even so: a finished
   * trial's result, whose fate the database decides (a stale attempt is refused).
   */
  readonly signal?: AbortSignal;
  /** Told when the wait starts and when the database answers again. */
  readonly log?: (message: string) => void;
  /** First pause between tries; it doubles up to 5 s. @default 250 */
  readonly initialDelayMs?: number;
}

const MAX_DELAY_MS = 5_000;

export async function untilDatabaseAnswers<T>(what: string, work: () => Promise<T>, options: DatabaseWaitOptions): Promise<T> {
  let delay = options.initialDelayMs ?? 250;
  let waitingSince: number | null = null;
  for (;;) {
    try {
      const result = await work();
      if (waitingSince !== null) options.log?.(`${what}: the database answers again after ${seconds(Date.now() - waitingSince)}`);
      return result;
    } catch (err) {
      if (!isDatabaseUnreachable(err) || Date.now() + delay > options.deadline) throw err;
      if (options.signal?.aborted) throw options.signal.reason;
      if (waitingSince === null) {
        waitingSince = Date.now();
        options.log?.(`${what}: the database is unreachable (${reasonOf(err)}); retrying until it answers`);
      }
      await pause(delay, options.signal);
      delay = Math.min(MAX_DELAY_MS, delay * 2);
    }
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Prisma's messages open with where the call was made; the reason is their last line. */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.trim().split('\n').filter(Boolean).at(-1) ?? message;
}
