/** How long something took or has taken so far, as the listings print it. */
import { formatDuration } from './progress-bar';

/** finished − started; while it runs, now − started; null before it started. */
export function elapsedMs(startedAt: Date | null, finishedAt: Date | null, now: Date): number | null {
  if (!startedAt) return null;
  return Math.max(0, (finishedAt ?? now).getTime() - startedAt.getTime());
}

/** '0.4s', '12s', '3m05s', '2h10m'; '—' when unknown. A trial of a second or less is common, so tenths below 10 s. */
export function formatElapsed(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms);
}

/** Local date and time to the minute: `2026-12-06 18:15`. */
export function formatStarted(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
