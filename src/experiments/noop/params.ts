import { z } from 'zod';

/**
 * `noop`: a trial that only spends time. It exercises the orchestrator (fan-out,
 * retries, cancellation, throughput) without any model in the way.
 */
export const noopParams = z
  .object({
    /** How long the trial takes. */
    durationMs: z.number().int().min(0).max(86_400_000).default(0),
    /** 'sleep' waits; 'burn' keeps a core busy, like a real trial would. */
    mode: z.enum(['sleep', 'burn']).default('sleep'),
    /** Progress points reported over the duration (each one is a heartbeat). */
    steps: z.number().int().min(1).max(10_000).default(1),
    /** Reported as the metric `value`, so tables over noop sweeps have something to show. */
    value: z.number().finite().default(0),
    /**
     * Failure injection: 'math' ends with a non-retryable math error; 'crash' kills the trial
     * process; 'hang' leaves it alive but silent, its event loop blocked, until it is killed.
     */
    fail: z.enum(['none', 'math', 'crash', 'hang']).default('none'),
    /**
     * Inject the failure only on the first N attempts at the trial, so a retry succeeds (unset:
     * on every attempt). Optional without a default: trial keys of sweeps that leave it out are
     * unchanged.
     */
    failAttempts: z.number().int().min(1).max(100).optional(),
    /**
     * 'process' runs the trial in its own process like every real trial; 'inline' runs it in
     * the worker (sleep mode only), for measuring the orchestrator alone.
     */
    isolation: z.enum(['process', 'inline']).default('process'),
  })
  .strict()
  .refine((p) => p.isolation === 'process' || (p.mode === 'sleep' && p.fail !== 'crash' && p.fail !== 'hang'), {
    message: "isolation 'inline' needs mode 'sleep' and no 'crash' or 'hang' (it runs inside the worker)",
    path: ['isolation'],
  });

export type NoopParams = z.output<typeof noopParams>;
