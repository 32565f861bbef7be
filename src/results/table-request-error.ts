/**
 * A table that cannot be made as asked (an unknown key, a --where that selects
 * nothing, an unknown preset): bad input, not a failure. The message names the
 * flag or field; the CLI turns it into a usage error (exit code 2).
 */
export class TableRequestError extends Error {
  override readonly name = 'TableRequestError';
}
