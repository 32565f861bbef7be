/**
 * Follows a running sweep: its progress query, polled, until the workflow closes.
 * Resolves to the workflow's final status and the last progress seen. While the
 * Temporal server is down or restarting it waits, saying so (temporal-outage.ts).
 */
import type { Client } from '@temporalio/client';
import { progressQuery } from '../workflows/definitions';
import { timeProgress, type TimedProgress } from './progress-clock';
import { whileTemporalIsDown, type OutageOptions } from './temporal-outage';
import type { SweepCounters } from '../workflows/types';

export interface SweepEnd {
  readonly status: string;
  readonly progress: TimedProgress | null;
  /** The workflow's result, when it completed. */
  readonly counters: SweepCounters | null;
}

/** Longest a single look at the sweep may take before it counts as the server being unavailable. */
const CALL_DEADLINE_MS = 5_000;

export interface WatchOptions {
  /** Between two looks at the sweep. @default 1000 */
  readonly intervalMs?: number;
  /** How to wait out an unavailable Temporal server (by default without a limit, on stderr). */
  readonly outage?: OutageOptions;
}

export async function watchSweep(
  client: Client,
  workflowId: string,
  onProgress: (progress: TimedProgress) => void,
  options: WatchOptions = {},
): Promise<SweepEnd> {
  const { intervalMs = 1000, outage = { where: 'the configured address' } } = options;
  const handle = client.workflow.getHandle(workflowId);
  // The client retries an unavailable server by itself, silently and for a long while: with a
  // deadline per call, an outage surfaces in seconds and the user is told what we wait for.
  const call = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + CALL_DEADLINE_MS, fn);
  let last: TimedProgress | null = null;
  for (;;) {
    const { status } = await whileTemporalIsDown('following the sweep', () => call(() => handle.describe()), outage);
    if (status.name !== 'RUNNING') {
      // Closed: its result is there at once, no long poll.
      const counters = status.name === 'COMPLETED' ? ((await whileTemporalIsDown('reading the sweep’s result', () => call(() => handle.result()), outage)) as SweepCounters) : null;
      return { status: status.name, progress: last, counters };
    }
    try {
      last = timeProgress(await call(() => handle.query(progressQuery)));
      onProgress(last);
    } catch {
      // Between runs (continue-as-new) or closing: ask again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
