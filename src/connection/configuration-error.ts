/**
 * A setting in the environment that sweeplab cannot use: the message names the
 * variable (and a file it names), never a secret value. The CLI exits 2 on it,
 * as on any bad input.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}
