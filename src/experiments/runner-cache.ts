/**
 * A family's runner module, imported once per process. A pooled trial process
 * runs hundreds of trials, and each `import()` of a module already loaded still
 * makes a round trip to the TypeScript loader's thread (about half a trial
 * process's CPU for an instant trial, profiled): so the promise is kept.
 */
import type { FamilyDefinition } from './family';

type RunnerModule = Awaited<ReturnType<FamilyDefinition['load']>>;

const runners = new Map<string, Promise<RunnerModule>>();

export function loadRunner(family: Pick<FamilyDefinition, 'name' | 'load'>): Promise<RunnerModule> {
  let runner = runners.get(family.name);
  if (!runner) {
    runner = family.load();
    runners.set(family.name, runner);
    // A failed import is not kept: the next trial tries again (and reports its own error).
    runner.catch(() => runners.delete(family.name));
  }
  return runner;
}

/** The same for any module imported lazily on a trial's path (the tfjs backend, tfjs itself). */
export function importOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let module: Promise<T> | null = null;
  return () => {
    module ??= load().catch((err: unknown) => {
      module = null;
      throw err;
    });
    return module;
  };
}
