/**
 * Links into the Temporal web UI (TEMPORAL_UI_URL, else the local stack's):
 * a workflow's page, and workflow lists filtered by a visibility query, such
 * as a sweep's trials (its SweepId, trial workflows only).
 */
import { temporalNamespace, temporalUiUrl } from '../config';

function namespaceUrl(): string {
  return `${temporalUiUrl()}/namespaces/${encodeURIComponent(temporalNamespace())}`;
}

export function workflowUiUrl(workflowId: string): string {
  return `${namespaceUrl()}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The workflow list filtered by a visibility query (the web UI's query box, as a URL). */
export function workflowListUiUrl(query: string): string {
  return `${namespaceUrl()}/workflows?query=${encodeURIComponent(query)}`;
}

/** A keyword in a visibility query: double-quoted, quotes and backslashes escaped. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The trial workflows of one submission, across all its runs. */
export function sweepTrialsQuery(sweepId: string): string {
  return `SweepId=${quoted(sweepId)} AND WorkflowType="trialWorkflow"`;
}

/** Every submission of a sweep name, and their trials. */
export function sweepNameQuery(name: string): string {
  return `SweepName=${quoted(name)}`;
}

export interface SweepUiLinks {
  /** The sweep workflow. */
  readonly sweep: string;
  /** The list of its trial workflows. */
  readonly trials: string;
}

export function sweepUiLinks(sweep: { sweepId: string; workflowId: string }): SweepUiLinks {
  return { sweep: workflowUiUrl(sweep.workflowId), trials: workflowListUiUrl(sweepTrialsQuery(sweep.sweepId)) };
}
