/**
 * Everything a sweep report shows, gathered before any HTML is written: the
 * CLI collects it (db/report-query.ts, the tables, the plots) and
 * render-report.ts turns it into one self-contained page.
 */
import type { TrialParams } from '../../sweep/trial';

export interface ReportSweep {
  id: string;
  name: string;
  family: string;
  preset: string | null;
  status: string;
  total: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The resolved sweep definition as submitted (the Sweep row's spec). */
  spec: unknown;
}

/** Trials per status. */
export type StatusCounts = Readonly<Record<'total' | 'pending' | 'running' | 'done' | 'failed' | 'error', number>>;

/** One results table, already rendered: a title and an HTML `<table>` (or any block of HTML). */
export interface ReportTable {
  title: string;
  html: string;
}

export interface ReportPlot {
  /** The plot kind's name and its one-line description. */
  name: string;
  description: string;
  svg: string;
}

export interface CodeRevisionCount {
  codeRevision: string | null;
  /** The family's and shared code's versions, e.g. 'train@1 training@2'. */
  codeVersion: string | null;
  trials: number;
}

export interface BackendCount {
  backend: string | null;
  backendVersion: string | null;
  device: string | null;
  trials: number;
}

export interface HostCount {
  host: string | null;
  trials: number;
}

export interface TrialDurations {
  /** Finished trials with a recorded duration. */
  trials: number;
  totalMs: number;
  medianMs: number | null;
  maxMs: number | null;
}

/** Which code, backends and hosts computed a sweep's trials, and how long they took. */
export interface TrialProvenance {
  codeRevisions: CodeRevisionCount[];
  backends: BackendCount[];
  hosts: HostCount[];
  durations: TrialDurations;
}

/** Where the report itself was made: Node and the installed versions of the packages results depend on. */
export interface ReportEnvironment {
  node: string;
  /** The checkout's code revision, as a worker would record it. */
  codeRevision: string;
  packages: { name: string; version: string | null }[];
}

export interface FailedTrial {
  /** The trial's place in the sweep's expansion order. */
  index: number;
  seed: number;
  params: TrialParams;
  /** failed (math or input: final) or error (infrastructure, after retries). */
  status: string;
  failureKind: string | null;
  attempts: number;
  host: string | null;
  /** The start of the recorded message (a stack trace can be long). */
  error: string | null;
}

export interface ReportInput {
  sweep: ReportSweep;
  counts: StatusCounts;
  /** Parameters that take more than one value in the sweep (what names a trial). */
  varying: readonly string[];
  tables: readonly ReportTable[];
  plots: readonly ReportPlot[];
  /** Plot kinds left out, and why (no finished trial reports their metrics). */
  missingPlots: readonly { name: string; reason: string }[];
  provenance: TrialProvenance;
  environment: ReportEnvironment;
  failures: { trials: readonly FailedTrial[]; total: number };
  generatedAt: Date;
}
