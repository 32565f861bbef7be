/**
 * Elapsed time and ETA of a sweep, computed by the client from the progress
 * query: the workflow's clock stands still while it answers a query, so only
 * the caller knows what time it is now.
 */
import type { SweepProgress } from '../workflows/definitions';

export interface TimedProgress extends SweepProgress {
  readonly elapsedMs: number;
  /** Estimated milliseconds to go, from this submission's completion rate; null before its first completion. */
  readonly etaMs: number | null;
}

export function timeProgress(progress: SweepProgress, nowMs: number = Date.now()): TimedProgress {
  const finished = progress.done + progress.failed + progress.errored;
  const remaining = Math.max(0, progress.total - progress.skipped - finished);
  const elapsedMs = Math.max(0, nowMs - progress.startedAtMs);
  const etaMs = finished > 0 ? Math.round((elapsedMs / finished) * remaining) : null;
  return { ...progress, elapsedMs, etaMs };
}
