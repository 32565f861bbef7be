/**
 * Today's workflows with one unversioned change, for replay.test.ts's negative
 * control: the sweep sleeps a moment before doing anything, so it issues a
 * timer command no recorded history has. Workflow code: bundled, never run.
 */
import { sleep } from '@temporalio/workflow';
import { sweepWorkflow as todaysSweepWorkflow } from '../../src/workflows/sweep-workflow';
import type { SweepWorkflowInput } from '../../src/workflows/types';

export { trialWorkflow } from '../../src/workflows/trial-workflow';

export async function sweepWorkflow(input: SweepWorkflowInput) {
  await sleep(1);
  return todaysSweepWorkflow(input);
}
