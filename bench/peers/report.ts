/**
 * The peer bench's table: per workload and system, the wall time, the least
 * time the workload could take, the overhead over it, throughput, the ratio
 * of each peer's time to sweeplab's, and the CPU seconds used, with a line
 * per row saying which processes used them.
 */
import type { Measurement, Outcome, SystemName } from './measurement';
import { minimumSeconds, type Workload, type WorkloadName } from './workloads';

const fixed = (n: number, digits: number): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const isMeasurement = (o: Outcome | undefined): o is Measurement => o !== undefined && 'wallSeconds' in o;
const cpuTotal = (m: Measurement): number => Object.values(m.cpuSeconds).reduce((a, b) => a + b, 0);

/** "61.2", or "> 600.0" for a run stopped at the cap (its true time is longer). */
function wall(m: Measurement): string {
  return `${m.finished ? '' : '> '}${fixed(m.wallSeconds, 1)}`;
}

function overhead(m: Measurement, minimum: number): string {
  if (minimum <= 0) return '—';
  return `${m.finished ? '' : '> '}+${fixed((100 * (m.wallSeconds - minimum)) / minimum, 0)} %`;
}

/** A peer's time over sweeplab's: above 1, sweeplab is that many times faster. */
function ratio(m: Measurement, sweeplab: Outcome | undefined): string {
  if (m.system === 'sweeplab') return '1.00×';
  if (!isMeasurement(sweeplab) || !sweeplab.finished) return '—';
  return `${m.finished ? '' : '> '}${fixed(m.wallSeconds / sweeplab.wallSeconds, 2)}×`;
}

export function printTable(
  workloads: readonly Workload[],
  systems: readonly SystemName[],
  outcomes: ReadonlyMap<string, Outcome>,
  notes: ReadonlyMap<string, string>,
): void {
  const columns = ['workload', 'system', 'trials done', 'wall s', 'min s', 'over min', 'trials/s', '× sweeplab', 'CPU s', 'CPU ms/trial'];
  const rows: string[][] = [];
  const details: string[] = [];
  for (const workload of workloads) {
    const minimum = minimumSeconds(workload);
    const sweeplab = outcomes.get(`sweeplab/${workload.name}`);
    for (const system of systems) {
      const outcome = outcomes.get(`${system}/${workload.name}`);
      if (!outcome) continue;
      if (!isMeasurement(outcome)) {
        rows.push([workload.label, system, '—', '—', fixed(minimum, 1), '—', '—', '—', '—', '—']);
        details.push(`${workload.label}, ${system}: failed: ${outcome.failed}`);
        continue;
      }
      const cpu = cpuTotal(outcome);
      const hasCpu = Object.keys(outcome.cpuSeconds).length > 0;
      rows.push([
        workload.label,
        system,
        `${outcome.completed}/${workload.trials}`,
        wall(outcome),
        fixed(minimum, 1),
        overhead(outcome, minimum),
        fixed(outcome.completed / outcome.wallSeconds, 1),
        ratio(outcome, sweeplab),
        hasCpu ? fixed(cpu, 1) : '—',
        hasCpu && outcome.completed ? fixed((1000 * cpu) / outcome.completed, 1) : '—',
      ]);
      const parts = Object.entries(outcome.cpuSeconds).map(([name, seconds]) => `${name} ${fixed(seconds, 1)}`);
      const note = [notes.get(`${system}/${workload.name}`), outcome.note, outcome.finished ? '' : `not finished after ${fixed(outcome.wallSeconds, 0)} s`]
        .filter(Boolean)
        .join('; ');
      details.push(`${workload.label}, ${system}: CPU s ${parts.join(' + ') || '—'}${note ? `; ${note}` : ''}`);
    }
  }
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(columns));
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const detail of details) console.log(`  ${detail}`);
}
