/** What one system did on one workload, as the peer bench reports it. */
import type { WorkloadName } from './workloads';

export type SystemName = 'sweeplab' | 'optuna' | 'ray';
export const SYSTEMS: readonly SystemName[] = ['sweeplab', 'optuna', 'ray'];

export interface Measurement {
  readonly system: SystemName;
  readonly workload: WorkloadName;
  /** Submit (or study / tuner start) to the last trial's completion, or to the cap. */
  readonly wallSeconds: number;
  readonly completed: number;
  /** False when it was stopped at the cap before every trial completed. */
  readonly finished: boolean;
  /** CPU seconds by component (e.g. temporal, worker, postgres, client) over the same interval. */
  readonly cpuSeconds: Readonly<Record<string, number>>;
  /** e.g. "Optuna 5.1.0". */
  readonly version?: string;
  /** Said under the table, e.g. how the trials were isolated. */
  readonly note?: string;
}

/** A system that could not run a workload, and why. */
export interface Failure {
  readonly system: SystemName;
  readonly workload: WorkloadName;
  readonly failed: string;
}

export type Outcome = Measurement | Failure;
