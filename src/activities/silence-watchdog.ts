/**
 * Notices a trial process that has fallen silent. A running trial process
 * speaks at least every ALIVE_EVERY_MS (experiments/trial-protocol.ts), from
 * its event loop; one silent for the attempt's heartbeat timeout is hung (a
 * blocked event loop, a deadlock, a stopped process). Temporal would give up on
 * the attempt at that point if the worker stopped heartbeating, but the
 * worker's own heartbeat timer keeps the attempt alive, so the worker has to
 * notice and kill the process itself: then the attempt fails as an
 * infrastructure fault, is retried, and no hung process is left behind.
 */

/** A fresh process starts Node, compiles our TypeScript and loads its modules before its first word. */
export const FIRST_WORD_GRACE_MS = 30_000;

const CHECK_EVERY_MS = 250;

export interface SilenceWatchdog {
  /** The process said something. */
  heard(): void;
  stop(): void;
}

/**
 * Calls `onSilent` once, with how long it has been silent, when `heard()` was
 * not called for `limitMs` (for `max(limitMs, firstWordGraceMs)` before the
 * first call). Without a limit it never fires.
 */
export function watchForSilence(limitMs: number | undefined, firstWordGraceMs: number, onSilent: (silentMs: number) => void): SilenceWatchdog {
  if (limitMs === undefined || !(limitMs > 0)) return { heard: () => undefined, stop: () => undefined };
  let last = Date.now();
  let allowed = Math.max(limitMs, firstWordGraceMs);
  const timer = setInterval(() => {
    const silent = Date.now() - last;
    if (silent < allowed) return;
    clearInterval(timer);
    onSilent(silent);
  }, Math.min(CHECK_EVERY_MS, limitMs));
  timer.unref();
  return {
    heard() {
      last = Date.now();
      allowed = limitMs;
    },
    stop: () => clearInterval(timer),
  };
}
