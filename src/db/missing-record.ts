/**
 * A sweep or trial row that is not there. Retrying cannot make it appear, so
 * activities turn this into a non-retryable failure instead of retrying forever.
 */
export class MissingRecordError extends Error {
  override readonly name = 'MissingRecordError';
}
