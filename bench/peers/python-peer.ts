/**
 * A workload on Optuna or Ray Tune: one run of bench/peers_driver.py in the
 * peers venv, which times the workload itself and reports its wall time,
 * trials completed and the CPU seconds of its process tree (JSON, last line).
 *
 * The driver stops its own run at the cap (Optuna's `timeout`, Ray's
 * `time_budget_s`); should it hang anyway (Ray starting its cluster, say), it
 * is killed with all its descendants `HARD_KILL_GRACE_S` later. Ray's
 * processes put themselves in process groups of their own, so the bench
 * notes every descendant while the driver runs and, once it has exited,
 * kills by pid any that are still running, and says so.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendants, stillRunning, type ProcessId } from '../support/process-tree';
import type { Measurement, SystemName } from './measurement';
import type { Workload } from './workloads';

export const DRIVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers_driver.py');

/** Past the cap: time for Ray to start and shut down its cluster, and for trials in flight to end. */
const HARD_KILL_GRACE_S = 180;
/** How often the driver's descendants are noted (a Ray worker lives for seconds at least). */
const WATCH_MS = 500;

/** Processes that outlive the driver and are still exiting on their own (a pool's resource tracker, Ray's agents) get this long. */
const LEFTOVER_GRACE_MS = 10_000;

/** SIGKILL, unless it has exited meanwhile. */
function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Waits for the driver's former descendants to exit; kills by pid those that do not, and returns them. */
async function stopLeftovers(seen: readonly ProcessId[]): Promise<ProcessId[]> {
  const deadline = Date.now() + LEFTOVER_GRACE_MS;
  while (seen.some(stillRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const left = seen.filter(stillRunning);
  for (const id of left) killQuietly(id.pid);
  return left;
}

export interface PythonPeerOptions {
  readonly python: string;
  readonly capSeconds: number;
  /** Trials a pool process runs before it is replaced (Optuna's 'process' workload). */
  readonly reuse: number;
  /** Optuna's storage (SQLAlchemy URL). */
  readonly storage: string;
  /** Unique per run: the Optuna study's name, Ray's experiment name. */
  readonly study: string;
  /** A fresh folder for Ray's session files and results (Ray only). */
  readonly rayDir?: string;
  readonly log: (line: string) => void;
}

interface DriverResult {
  version: string;
  python: string;
  wall_s: number;
  completed: number;
  cpu_s: Record<string, number>;
}

export async function runOnPython(system: Exclude<SystemName, 'sweeplab'>, workload: Workload, options: PythonPeerOptions): Promise<Measurement> {
  const args = [
    DRIVER,
    system,
    '--workload', workload.name,
    '--trials', String(workload.trials),
    '--seconds', String(workload.seconds),
    '--concurrency', String(workload.concurrency),
    '--cap', String(options.capSeconds),
    '--reuse', String(options.reuse),
    '--storage', options.storage,
    '--study', options.study,
    ...(options.rayDir ? ['--ray-dir', options.rayDir] : []),
  ];
  // Ray: no usage report (nothing outside may be reached).
  const env = { ...process.env, RAY_USAGE_STATS_ENABLED: '0', PYTHONUNBUFFERED: '1' };
  const child = spawn(options.python, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const seen = new Map<string, ProcessId>();
  const watch = setInterval(() => {
    for (const id of descendants(child.pid!)) seen.set(`${id.pid}@${id.startTicks}`, id);
  }, WATCH_MS);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const line of String(chunk).split('\n')) if (line.startsWith('[peers')) options.log(line);
  });
  let hardKilled = false;
  const hardKill = setTimeout(() => {
    hardKilled = true;
    for (const id of descendants(child.pid!)) seen.set(`${id.pid}@${id.startTicks}`, id);
    killQuietly(-child.pid!); // its process group
  }, (options.capSeconds + HARD_KILL_GRACE_S) * 1000);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Its output is complete at 'close', which a leftover process holding the pipe would delay: wait a little, not for that.
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
  clearTimeout(hardKill);
  clearInterval(watch);

  const leftBehind = await stopLeftovers([...seen.values()]);
  const leftNote = leftBehind.length
    ? `; killed ${leftBehind.length} process(es) still running ${LEFTOVER_GRACE_MS / 1000} s after it exited: ${leftBehind.map((id) => `${id.pid} ${id.command}`).join(', ')}`
    : '';
  if (leftBehind.length) options.log(`${system} ${workload.name}: ${leftNote.slice(2)}`);

  if (hardKilled) {
    return { system, workload: workload.name, wallSeconds: options.capSeconds + HARD_KILL_GRACE_S, completed: 0, finished: false, cpuSeconds: {}, note: `still running ${HARD_KILL_GRACE_S} s past the cap: killed${leftNote}` };
  }
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !lastLine.startsWith('{')) {
    const tail = stderr.trim().split('\n').slice(-6).join('\n    ');
    throw new Error(`${system} driver exited ${code}${leftNote}:\n    ${tail}`);
  }
  const result = JSON.parse(lastLine) as DriverResult;
  return {
    system,
    workload: workload.name,
    wallSeconds: result.wall_s,
    completed: result.completed,
    finished: result.completed === workload.trials,
    cpuSeconds: result.cpu_s,
    version: `${result.version} (Python ${result.python})`,
    note: leftNote ? leftNote.slice(2) : undefined,
  };
}
