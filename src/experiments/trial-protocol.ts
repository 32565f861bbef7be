/**
 * Messages between a worker and the trial process it forks (over Node's IPC
 * channel). The worker sends one `start`; the trial answers with progress
 * points and exactly one `done` or `failed`, and says `alive` every
 * ALIVE_EVERY_MS while the trial runs, from its event loop: a process silent
 * for the attempt's heartbeat timeout is hung (or stopped) and the worker kills
 * it. A process started for reuse (trial-main.ts `--reuse N`) then says
 * `ready` when it can take another `start`, or exits.
 */
import type { TrialFailureKind } from './errors';
import type { TrialSummary } from './family';
import type { TrialParams } from '../sweep/trial';

export interface StartMessage {
  readonly type: 'start';
  readonly family: string;
  readonly params: TrialParams;
  readonly seed: number;
  /** Which attempt at the trial this is (1 = the first); only failure injection reads it. */
  readonly attempt?: number;
}

export interface ProgressMessage {
  readonly type: 'progress';
  readonly step: number;
  readonly metrics: Record<string, number>;
}

export interface LogMessage {
  readonly type: 'log';
  readonly message: string;
}

export interface DoneMessage {
  readonly type: 'done';
  readonly backend: string;
  /** TensorFlow's (or tfjs's) version; null for families that use no tfjs backend. */
  readonly backendVersion: string | null;
  /** Where the kernels ran ('GPU 0', 'CPU, 2 threads'); null without a tfjs backend. */
  readonly device: string | null;
  readonly summary: TrialSummary;
}

export interface FailedMessage {
  readonly type: 'failed';
  readonly backend: string | null;
  readonly kind: TrialFailureKind;
  readonly message: string;
}

/**
 * How often a running trial process says it is alive. Heartbeat timeouts well
 * above it (seconds, not hundreds of ms) leave room for a busy event loop.
 */
export const ALIVE_EVERY_MS = 500;

/** The trial process's event loop still turns: sent every ALIVE_EVERY_MS while a trial runs. */
export interface AliveMessage {
  readonly type: 'alive';
}

/**
 * A reusable trial process is clean and idle: it may be sent the next `start`
 * (`ready`, after a trial), or it has started and loaded what every trial needs
 * (`warm`, once, before any).
 */
export interface ReadyMessage {
  readonly type: 'ready' | 'warm';
}

export type TrialMessage = ProgressMessage | LogMessage | DoneMessage | FailedMessage;
export type TrialProcessMessage = TrialMessage | AliveMessage | ReadyMessage;
