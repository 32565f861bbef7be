/**
 * Fetch an artifact, or build and store it exactly once: look (no lock on the
 * common path), else take the key's lock, look again (another process may
 * have built it while we waited), and only then build.
 */
import type { ArtifactStore, StoredArtifact } from './store';

export interface Built {
  readonly bytes: Uint8Array;
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface Obtained {
  readonly artifact: StoredArtifact;
  /** True when it came from the store; false when this call built it. */
  readonly reused: boolean;
}

export async function getOrCreate(store: ArtifactStore, key: string, kind: string, build: () => Promise<Built>): Promise<Obtained> {
  const found = await store.get(key);
  if (found) return { artifact: found, reused: true };
  return store.withLock(key, async () => {
    const again = await store.get(key);
    if (again) return { artifact: again, reused: true };
    const built = await build();
    const artifact: StoredArtifact = { key, kind, bytes: built.bytes, meta: built.meta };
    await store.put(artifact);
    return { artifact, reused: false };
  });
}
