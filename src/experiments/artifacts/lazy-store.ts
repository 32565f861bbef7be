/**
 * An ArtifactStore that connects on first use: most trials never touch one (noop,
 * target-only transfer), and they should not open a database connection for nothing.
 */
import type { ArtifactStore } from './store';

export function lazyArtifactStore(connect: () => Promise<ArtifactStore>): ArtifactStore {
  let opened: Promise<ArtifactStore> | null = null;
  const store = () => (opened ??= connect());
  return {
    get: async (key) => (await store()).get(key),
    put: async (artifact) => (await store()).put(artifact),
    withLock: async (key, fn) => (await store()).withLock(key, fn),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}
