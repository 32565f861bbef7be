/**
 * A sweep file the orchestrator refuses. Raised before anything is submitted;
 * the message names the file, the field path and the reason, e.g.
 * `sweeps/train.ts: parameters.learningRate: Too big: expected number to be <=10`.
 */
export class SweepInputError extends Error {
  override readonly name = 'SweepInputError';

  constructor(
    /** The sweep file as the user named it. */
    readonly file: string,
    /** Dotted path of the offending field ('' when the file as a whole is at fault). */
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(path ? `${file}: ${path}: ${reason}` : `${file}: ${reason}`, options);
  }
}

/** ['presets', 'smoke', 'retry', 'maximumAttempts'] → 'presets.smoke.retry.maximumAttempts'; indices as [i]. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
