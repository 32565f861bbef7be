/**
 * A sweep's progress as the web UI's "Current Details" shows it (markdown, two
 * short lines: the UI gives it a small frame). Pure: the sweep workflow sets it
 * (setCurrentDetails, which issues no command, so it needs no patch) whenever
 * its counters change.
 */
import type { SweepProgress } from './definitions';

export function progressDetails(p: SweepProgress, state: 'running' | 'cancelling' | 'finished' = 'running'): string {
  const finished = p.skipped + p.done + p.failed + p.errored;
  const flag = state === 'cancelling' ? ' · cancelling' : p.paused && state === 'running' ? ' · paused: no new trials start' : '';
  const counts = [
    `done ${p.done}`,
    `failed ${p.failed}`,
    `errored ${p.errored}`,
    ...(state === 'finished' ? [] : [`running ${p.running}`, `queued ${p.queued}`]),
    ...(p.skipped > 0 ? [`${p.skipped} finished before this submission`] : []),
  ];
  return `**${finished} of ${p.total} trials finished**${flag}\n\n${counts.join(' · ')}`;
}
