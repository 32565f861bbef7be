/**
 * Follows a running sweep: its progress query, polled, until the workflow closes.
 * Resolves to the workflow's final status and the last progress seen.
 */
import type { Client } from '@temporalio/client';
import { progressQuery } from '../workflows/definitions';
import { timeProgress, type TimedProgress } from './progress-clock';
import type { SweepCounters } from '../workflows/types';

export interface SweepEnd {
  readonly status: string;
  readonly progress: TimedProgress | null;
  /** The workflow's result, when it completed. */
  readonly counters: SweepCounters | null;
}

export async function watchSweep(
  client: Client,
  workflowId: string,
  onProgress: (progress: TimedProgress) => void,
  intervalMs = 1000,
): Promise<SweepEnd> {
  const handle = client.workflow.getHandle(workflowId);
  let last: TimedProgress | null = null;
  for (;;) {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') {
      const counters = status.name === 'COMPLETED' ? ((await handle.result()) as SweepCounters) : null;
      return { status: status.name, progress: last, counters };
    }
    try {
      last = timeProgress(await handle.query(progressQuery));
      onProgress(last);
    } catch {
      // Between runs (continue-as-new) or closing: ask again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
