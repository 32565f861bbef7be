/** One line of sweep progress: a bar, the counts and the ETA. */
import type { TimedProgress } from '../client/progress-clock';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressLine(p: TimedProgress, width = 30): string {
  const finished = p.skipped + p.done + p.failed + p.errored;
  const fraction = p.total === 0 ? 1 : finished / p.total;
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const parts = [
    `[${bar}] ${finished}/${p.total}`,
    `done ${p.done}`,
    p.skipped > 0 ? `skipped ${p.skipped}` : null,
    `failed ${p.failed + p.errored}`,
    `running ${p.running}`,
    `queued ${p.queued}`,
    `elapsed ${formatDuration(p.elapsedMs)}`,
    p.etaMs === null ? 'eta —' : `eta ${formatDuration(p.etaMs)}`,
    p.paused ? 'PAUSED' : null,
  ];
  return parts.filter((part) => part !== null).join('  ');
}

/** Redraws in place on a terminal; prints a line per change otherwise (logs, CI). */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update(p: TimedProgress): void; end(): void } {
  let last = '';
  let lastCounts = '';
  return {
    update(p) {
      const line = progressLine(p);
      if (stream.isTTY) {
        if (line !== last) stream.write(`\r\x1b[2K${line}`);
      } else {
        // In a log, a line per change of the counts, not per tick of the clock.
        const counts = [p.done, p.skipped, p.failed, p.errored, p.running, p.queued, p.paused].join();
        if (counts !== lastCounts) stream.write(`${line}\n`);
        lastCounts = counts;
      }
      last = line;
    },
    end() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}
