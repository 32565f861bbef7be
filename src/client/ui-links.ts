/**
 * Links into the Temporal web UI (TEMPORAL_UI_URL, else the local stack's):
 * a workflow's page, and workflow lists filtered by a visibility query, such
 * as every run of a sweep (its SweepId). A sweep's trials are activities of
 * its runs, each listed with its summary in its run's history (User Metadata);
 * sweeps submitted before that ran them as child workflows, which the same
 * query lists too.
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

/** Every run of one submission (continue-as-new makes several), and the trial workflows of older ones. */
export function sweepRunsQuery(sweepId: string): string {
  return `SweepId=${quoted(sweepId)}`;
}

/** Every submission of a sweep name, and their trials. */
export function sweepNameQuery(name: string): string {
  return `SweepName=${quoted(name)}`;
}

export interface SweepUiLinks {
  /** The sweep workflow (its latest run): its trials in its history, their summaries under User Metadata. */
  readonly sweep: string;
  /** The list of all its runs. */
  readonly runs: string;
}

export function sweepUiLinks(sweep: { sweepId: string; workflowId: string }): SweepUiLinks {
  return { sweep: workflowUiUrl(sweep.workflowId), runs: workflowListUiUrl(sweepRunsQuery(sweep.sweepId)) };
}
