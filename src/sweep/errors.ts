/**
 * A sweep file the orchestrator refuses. Raised before anything is submitted;
 * the message names the file, the field path and the reason, e.g.
 * `sweeps/train.ts: parameters.learningRate: Too big: expected number to be <=10`,
 * or, when the file did not even load, the line and column to look at, as
 * editors and compilers write them: `sweeps/train.ts:7:18: syntax error: …`.
 */
export interface SourceLocation {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export class SweepInputError extends Error {
  override readonly name = 'SweepInputError';
  /** Where in the file, for a file that failed to load; null for a refused definition. */
  readonly location: SourceLocation | null;

  constructor(
    /** The sweep file as the user named it. */
    readonly file: string,
    /** Dotted path of the offending field ('' when the file as a whole is at fault). */
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown; location?: SourceLocation },
  ) {
    const where = options?.location ? `${file}:${options.location.line}:${options.location.column}` : file;
    super(path ? `${where}: ${path}: ${reason}` : `${where}: ${reason}`, options);
    this.location = options?.location ?? null;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * ['presets', 'smoke', 'retry', 'maximumAttempts'] → 'presets.smoke.retry.maximumAttempts'; indices as [i],
 * keys that are not identifiers quoted as the file would write them: presets['smoke test'].
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && !IDENTIFIER.test(part)) out += `['${part}']`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
