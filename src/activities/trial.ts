/**
 * The trial activity: marks the trial started, runs it in its own process while
 * heartbeating its progress to Temporal, and writes the result with an
 * idempotent upsert keyed by the trial's content key — so a retried or
 * duplicated attempt can never write a result twice.
 *
 * Its bookkeeping writes wait out a database outage inside the attempt
 * (until-database-answers.ts), heartbeating meanwhile, so an outage costs a
 * trial time, not attempts; only an outage that outlasts the attempt's
 * start-to-close timeout (the sweep's trial timeout) ends the attempt.
 */
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { TRIAL_CRASHED, TRIAL_INPUT_ERROR, TRIAL_MATH_ERROR, type TrialActivities } from '../contracts';
import type { PrismaClient } from '../db/client';
import { getFamily } from '../experiments/registry';
import { markTrialStarted, recordTrialFailure, recordTrialResult } from '../db/trials';
import type { DeviceSlots } from './device-slots';
import type { TrialSpec } from '../sweep/trial';
import { runTrialInline, runTrialProcess, type TrialProcessOptions } from './trial-process';
import type { TrialProcessPool } from './trial-process-pool';
import { untilDatabaseAnswers } from './until-database-answers';

/** Stop waiting for the database this long before the attempt's start-to-close deadline, so its failure still reaches Temporal. */
const DEADLINE_MARGIN_MS = 2_000;

export interface TrialActivityDeps {
  readonly prisma: PrismaClient;
  /** Worker identity recorded on each trial (host and pid). */
  readonly host: string;
  readonly codeRevision: string;
  /** GPU workers hand each trial process its own device; CPU workers pass null. */
  readonly devices: DeviceSlots | null;
  /** Extra environment of every trial process (its share of the CPU threads: src/worker/trial-threads.ts). */
  readonly trialEnv?: Readonly<Record<string, string>>;
  /** Warm trial processes to reuse; without one, every trial gets a fresh process. */
  readonly processes?: TrialProcessPool | null;
}

export function createTrialActivities(deps: TrialActivityDeps): TrialActivities {
  return {
    async runTrial(trial) {
      const ctx = Context.current();
      const { attempt, startToCloseTimeoutMs, heartbeatTimeoutMs } = ctx.info;
      const deadline = Date.now() + startToCloseTimeoutMs - DEADLINE_MARGIN_MS;
      const log = (message: string) => ctx.log.warn(`trial ${trial.key.slice(0, 12)}, attempt ${attempt}: ${message}`, { trial: trial.key, attempt });
      let latest: { step: number; metrics: Record<string, number> } | null = null;
      const heartbeat = () => ctx.heartbeat(latest);
      // Heartbeat on a timer as well as on progress, from the first write on: a long epoch, or a
      // wait for the database to come back, must not look like a lost worker.
      const timer = setInterval(heartbeat, 1000);
      let device: string | null = null;
      try {
        const { alreadyFinished } = await untilDatabaseAnswers(
          'marking the trial started',
          () => markTrialStarted(deps.prisma, { key: trial.key, attempt, host: deps.host, codeRevision: deps.codeRevision }),
          // Cancelled while waiting (its sweep was): nothing ran, nothing to keep.
          { deadline, signal: ctx.cancellationSignal, log },
        );
        // Another sweep (or an attempt whose completion was lost) already finished it.
        if (alreadyFinished) return alreadyFinished;

        const startedAt = new Date();
        device = deps.devices ? await deps.devices.acquire() : null;
        /** Math and input failures recur on every attempt: recorded as final and not retried. */
        const failFinally = async (kind: 'math' | 'input', message: string): Promise<never> => {
          await untilDatabaseAnswers(
            'recording the failure',
            () => recordTrialFailure(deps.prisma, { key: trial.key, kind, message, attempt, host: deps.host }),
            { deadline, log },
          );
          throw ApplicationFailure.nonRetryable(firstLine(message), kind === 'math' ? TRIAL_MATH_ERROR : TRIAL_INPUT_ERROR);
        };
        const family = getFamily(trial.family);
        const parsed = family.params.safeParse(trial.params);
        if (!parsed.success) return await failFinally('input', `invalid ${trial.family} parameters: ${parsed.error.message}`);
        const inline = family.runsInline?.(parsed.data) ?? false;
        const inProcess = deps.processes ? (spec: TrialSpec, o: TrialProcessOptions) => deps.processes!.run(spec, o) : runTrialProcess;
        const result = await (inline ? runTrialInline : inProcess)(trial, {
          env: { ...deps.trialEnv, ...(device === null ? {} : { CUDA_VISIBLE_DEVICES: device }) },
          attempt,
          // A process silent for the heartbeat timeout is hung: Temporal would give up on this
          // attempt then, but our timer's heartbeats keep it alive, so the worker kills it itself.
          silenceLimitMs: heartbeatTimeoutMs || undefined,
          signal: ctx.cancellationSignal,
          onProgress: (step, metrics) => {
            latest = { step, metrics };
            heartbeat();
          },
          onLog: (message) => ctx.log.info(message, { trial: trial.key }),
        });
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure('trial cancelled');
        if (result.ok) {
          // When it finished, not when the database took the result (which may be after an outage).
          const finishedAt = new Date();
          // Not given up on cancellation: a finished result is kept if the database takes it. One
          // whose attempt Temporal already gave up on (this worker was cut off past its heartbeat
          // timeout, and a newer attempt runs) is refused there as stale.
          const written = await untilDatabaseAnswers(
            'writing the result',
            () =>
              recordTrialResult(deps.prisma, {
                key: trial.key,
                backend: result.backend,
                backendVersion: result.backendVersion,
                device: result.device,
                summary: result.summary,
                points: result.points,
                startedAt,
                finishedAt,
                host: deps.host,
                attempt,
              }),
            { deadline, log },
          );
          if (written.stale) log(`result refused as stale: a newer attempt at this trial has started (this one was given up on), and only that one may write`);
          return 'done';
        }
        if (result.kind === 'infra') {
          throw ApplicationFailure.retryable(result.message, TRIAL_CRASHED);
        }
        return await failFinally(result.kind, result.message);
      } finally {
        clearInterval(timer);
        if (device !== null) deps.devices?.release(device);
      }
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
