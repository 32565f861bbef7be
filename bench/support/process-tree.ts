/**
 * Processes and their CPU time, read from Linux's /proc: a process's
 * descendants, and the CPU seconds a process tree has used.
 *
 * A child's CPU time moves into its parent's cutime/cstime when the parent
 * reaps it, so "own + reaped children" summed over the live tree only grows,
 * whatever starts and exits in between, as long as every parent in the tree
 * waits for its children. Node, Postgres's postmaster and the Temporal server
 * do; a parent that ignores SIGCHLD (Ray's raylet) does not, and the time of
 * its exited children is lost (bench/peers_driver.py samples those instead).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** Clock ticks since boot at which it started: with the pid, names one process even after the pid is reused. */
  readonly startTicks: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  readonly cpuTicks: number;
}

const CLOCK_TICKS = ((): number => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(out.stdout?.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
})();

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime 14..17, starttime 22.
  const at = (field: number): number => Number(fields[field - 3]);
  return { pid, ppid: at(4), startTicks: at(22), cpuTicks: at(14) + at(15) + at(16) + at(17) };
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
}

/** `root` and every live process below it. */
function tree(root: number, stats: readonly ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const self = stats.find((stat) => stat.pid === root);
  if (!self) return [];
  const found: ProcStat[] = [];
  for (const queue = [self]; queue.length > 0; ) {
    const next = queue.pop()!;
    found.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return found;
}

/** CPU seconds used so far by each root's tree (0 for a root that is gone): compare two readings for an interval. */
export function treeCpuSeconds(roots: Record<string, number>): Record<string, number> {
  const stats = allStats();
  return Object.fromEntries(
    Object.entries(roots).map(([name, pid]) => [name, tree(pid, stats).reduce((sum, s) => sum + s.cpuTicks, 0) / CLOCK_TICKS]),
  );
}

/** A process, named so that a reused pid is not mistaken for it. */
export interface ProcessId {
  readonly pid: number;
  readonly startTicks: number;
  /** Its command line when it was seen, shortened: for saying what was left running. */
  readonly command: string;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 80);
  } catch {
    return '';
  }
}

/** The live descendants of `root` (not `root` itself). */
export function descendants(root: number): ProcessId[] {
  return tree(root, allStats())
    .filter((stat) => stat.pid !== root)
    .map(({ pid, startTicks }) => ({ pid, startTicks, command: commandLine(pid) }));
}

/** Whether that very process still runs (its pid is live and started at the same tick). */
export function stillRunning(id: ProcessId): boolean {
  return readStat(id.pid)?.startTicks === id.startTicks;
}
