/**
 * Content-addressed artifacts a trial can reuse instead of recomputing (a
 * trained source network, say), behind a small interface: Postgres in
 * production (the Artifact table), memory in unit tests.
 *
 * `withLock` serialises work on one key across every process that shares the
 * store, so that concurrent trials needing the same artifact build it once.
 */

export interface StoredArtifact {
  readonly key: string;
  readonly kind: string;
  readonly bytes: Uint8Array;
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface ArtifactStore {
  get(key: string): Promise<StoredArtifact | null>;
  /** Stores it unless the key exists already (the first writer wins; contents are equal by construction). */
  put(artifact: StoredArtifact): Promise<void>;
  /** Runs `fn` while holding an exclusive lock on `key`, across processes for a shared store. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
