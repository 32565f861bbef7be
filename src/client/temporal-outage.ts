/**
 * Riding out a Temporal server that is down or restarting, for the commands
 * that follow a sweep (`submit --wait`, `watch`, `status`). The sweep itself
 * does not need them: its workflow resumes when the server is back, and the
 * workers reconnect by themselves. So a command that waits on a sweep keeps
 * waiting, and says so, instead of dying with "Failed to describe workflow"
 * (issue 15). Anything but unavailability (a wrong namespace, refused
 * credentials, a workflow that does not exist) is thrown at once.
 */

/** gRPC codes of a server that could not be reached or did not answer in time: UNAVAILABLE, DEADLINE_EXCEEDED. */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([14, 4]);

/** Messages of connection attempts that fail before any gRPC status exists. */
const UNREACHABLE_MESSAGES = [/ECONNREFUSED/, /ECONNRESET/, /Failed to connect before the deadline/, /No connection established/, /connection (was )?(closed|refused)/i];

/** Whether `error` (or a cause of it, a few levels deep) says the server could not be reached. */
export function isTemporalUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export interface OutageOptions {
  /** Where the server is, for the messages (never a secret: temporal-options.ts describes it). */
  readonly where: string;
  /** Told once when the wait starts, and once when the server answers again. @default stderr */
  readonly say?: (line: string) => void;
  /** Give up (throwing the last error) after waiting this long. @default no limit */
  readonly giveUpAfterMs?: number;
  /** First pause between tries; doubles up to `maxDelayMs`. @default 500 */
  readonly initialDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
}

/**
 * Calls `work` until it succeeds, waiting with backoff while Temporal is
 * unavailable. Meant for idempotent reads (describe, query, result) and for
 * connecting.
 */
export async function whileTemporalIsDown<T>(what: string, work: () => Promise<T>, options: OutageOptions): Promise<T> {
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxDelay = options.maxDelayMs ?? 5_000;
  let delay = options.initialDelayMs ?? 500;
  let since: number | null = null;
  for (;;) {
    try {
      const value = await work();
      if (since !== null) say(`Temporal at ${options.where} answers again, after ${seconds(Date.now() - since)}`);
      return value;
    } catch (err) {
      if (!isTemporalUnavailable(err)) throw err;
      if (since === null) {
        since = Date.now();
        const limit = options.giveUpAfterMs === undefined ? 'Ctrl-C to stop; the sweep itself goes on' : `for up to ${seconds(options.giveUpAfterMs)}`;
        say(`Temporal at ${options.where} is unavailable while ${what}: waiting for it to come back (${limit})`);
      } else if (options.giveUpAfterMs !== undefined && Date.now() - since >= options.giveUpAfterMs) {
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(maxDelay, delay * 2);
    }
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
