/** An ArtifactStore in one process's memory: unit tests, and trials with no database. */
import type { ArtifactStore, StoredArtifact } from './store';

export class MemoryArtifactStore implements ArtifactStore {
  private readonly artifacts = new Map<string, StoredArtifact>();
  /** Tail of each key's lock queue. */
  private readonly locks = new Map<string, Promise<void>>();

  async get(key: string): Promise<StoredArtifact | null> {
    return this.artifacts.get(key) ?? null;
  }

  async put(artifact: StoredArtifact): Promise<void> {
    if (!this.artifacts.has(artifact.key)) this.artifacts.set(artifact.key, { ...artifact, bytes: artifact.bytes.slice() });
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.locks.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  get size(): number {
    return this.artifacts.size;
  }

  async close(): Promise<void> {}
}
