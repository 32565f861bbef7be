/**
 * The peer bench's three workloads, the same on every system, and the least
 * time each could take.
 */
export type WorkloadName = 'sleep' | 'instant' | 'process';

export interface Workload {
  readonly name: WorkloadName;
  /** Printed in the table, e.g. "(a) 600 × 1 s sleep". */
  readonly label: string;
  readonly trials: number;
  /** Seconds each trial sleeps (0: returns at once). */
  readonly seconds: number;
  /** Trials in flight at once. */
  readonly concurrency: number;
  /** Whether each trial runs in a process other than the scheduler's (a warm, recycled one). */
  readonly isolated: boolean;
}

export interface WorkloadSizes {
  readonly trials: number;
  readonly seconds: number;
  readonly concurrency: number;
  readonly instant: number;
}

export function workloads(sizes: WorkloadSizes): Record<WorkloadName, Workload> {
  const { trials, seconds, concurrency, instant } = sizes;
  return {
    sleep: { name: 'sleep', label: `(a) ${trials} × ${seconds} s sleep`, trials, seconds, concurrency, isolated: false },
    instant: { name: 'instant', label: `(b) ${instant} instant, inline`, trials: instant, seconds: 0, concurrency, isolated: false },
    process: { name: 'process', label: `(c) ${instant} instant, in processes`, trials: instant, seconds: 0, concurrency, isolated: true },
  };
}

/** Perfect scheduling: full waves of `concurrency` trials, nothing between them. */
export function minimumSeconds(workload: Workload): number {
  return Math.ceil(workload.trials / workload.concurrency) * workload.seconds;
}
