/**
 * How a sweep's trials are executed: the part of a sweep definition that the
 * workflow needs. Durations are milliseconds here; sweep files may write '30s'.
 */
export interface RetrySettings {
  /** Attempts per trial, counting the first; infrastructure faults only. */
  readonly maximumAttempts: number;
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maximumIntervalMs: number;
}

export interface TimeoutSettings {
  /** Upper bound on one attempt of one trial. */
  readonly trialMs: number;
  /** A trial process that reports nothing for this long is presumed lost and retried elsewhere. */
  readonly heartbeatMs: number;
}

export interface ExecutionSettings {
  /** Temporal task queue of the trial workers: 'cpu', 'gpu', or a custom one. */
  readonly taskQueue: string;
  /** Trials in flight at once; capped at 500. */
  readonly concurrency: number;
  readonly retry: RetrySettings;
  readonly timeouts: TimeoutSettings;
}
