/**
 * Failure kinds a trial can end with. The worker retries infrastructure faults
 * (a crashed process, a lost database connection) with backoff, but a trial
 * whose math failed would fail the same way again, so it is recorded as failed
 * with its reason and never retried.
 */

/** NaN or infinite loss, divergence, shape mismatches: deterministic, not retried. */
export class TrialMathError extends Error {
  override readonly name = 'TrialMathError';
}

/** Parameters the family cannot run with (e.g. a data set that is not installed). Not retried. */
export class TrialInputError extends Error {
  override readonly name = 'TrialInputError';
}

export type TrialFailureKind = 'math' | 'input' | 'infra';

export function failureKindOf(error: unknown): TrialFailureKind {
  if (error instanceof TrialMathError) return 'math';
  if (error instanceof TrialInputError) return 'input';
  return 'infra';
}

/** Throws TrialMathError unless every value is a finite number. */
export function assertFinite(values: Record<string, number>, where: string): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isFinite(value)) throw new TrialMathError(`${where}: ${name} is ${value}`);
  }
}
