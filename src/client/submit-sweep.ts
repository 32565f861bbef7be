/**
 * Submitting a loaded sweep: record it and its trials in the database, then
 * start its workflow. The workflow id is the sweep id (name + spec hash), so
 * submitting the same sweep twice while it runs is a no-op, and resubmitting it
 * later runs only the trials without a finished result.
 */
import { availableParallelism } from 'node:os';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { CONTROL_TASK_QUEUE, readLocalStack } from '../config';
import type { PrismaClient } from '../db/client';
import { registerSweep, type ReusedResults } from '../db/sweeps';
import { ensureSearchAttributes } from './search-attributes';
import { sweepStartOptions } from './sweep-start-options';
import { sweepUiLinks, type SweepUiLinks } from './ui-links';
import type { LoadedSweep } from '../sweep/load';
import { varyingParameters } from '../sweep/sweep-axes';
import type { SweepWorkflowInput } from '../workflows/types';
import { MAX_IN_FLIGHT } from '../contracts';

export interface SubmittedSweep {
  readonly sweepId: string;
  readonly workflowId: string;
  readonly total: number;
  readonly alreadyFinished: number;
  /** The finished results reused (alreadyFinished of them), by the code revision that computed them. */
  readonly reused: readonly ReusedResults[];
  /** False when the same sweep was already running: nothing new was started. */
  readonly started: boolean;
  /** The sweep's page in the Temporal web UI. */
  readonly uiUrl: string;
  /** Its page and the list of its trial workflows. */
  readonly links: SweepUiLinks;
}

export function sweepIdOf(loaded: Pick<LoadedSweep, 'name' | 'specHash'>): string {
  return `sweep-${loaded.name}-${loaded.specHash.slice(0, 12)}`;
}

/** The in-flight window: the sweep's own setting, else the local workers' slots, else one per core. */
export function resolveConcurrency(requested: number | null | undefined): number {
  const fallback = readLocalStack() as { slots?: number };
  const concurrency = requested ?? fallback.slots ?? availableParallelism();
  return Math.max(1, Math.min(MAX_IN_FLIGHT, concurrency));
}

export async function submitSweep(
  prisma: PrismaClient,
  client: Client,
  loaded: LoadedSweep,
  overrides: { concurrency?: number } = {},
): Promise<SubmittedSweep> {
  const sweepId = sweepIdOf(loaded);
  const workflowId = sweepId;
  const { total, alreadyFinished, reused } = await registerSweep(prisma, {
    id: sweepId,
    name: loaded.name,
    family: loaded.family,
    preset: loaded.preset,
    spec: loaded.definition,
    specHash: loaded.specHash,
    workflowId,
    trials: loaded.trials,
  });
  const input: SweepWorkflowInput = {
    sweepId,
    name: loaded.name,
    family: loaded.family,
    execution: { ...loaded.execution, concurrency: resolveConcurrency(overrides.concurrency ?? loaded.execution.concurrency) },
    total,
    skipped: alreadyFinished,
    varying: varyingParameters(loaded.definition),
  };
  // A cluster other than the dev server may lack them, and the start would fail. Where this
  // user may not list or add them (a locked-down cluster), they may still exist: try the start anyway.
  const attributesProblem = await ensureSearchAttributes(client.connection, client.options.namespace).then(
    () => null,
    (err: Error) => err,
  );
  let started = true;
  try {
    await client.workflow.start('sweepWorkflow', {
      taskQueue: CONTROL_TASK_QUEUE,
      workflowId,
      args: [input],
      ...sweepStartOptions(input, loaded, total),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      if (attributesProblem) throw new Error(`${(err as Error).message}\n${attributesProblem.message}`, { cause: err });
      throw err;
    }
    started = false;
  }
  const links = sweepUiLinks({ sweepId, workflowId });
  return { sweepId, workflowId, total, alreadyFinished, reused, started, uiUrl: links.sweep, links };
}
