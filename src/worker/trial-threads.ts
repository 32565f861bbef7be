/**
 * How many CPU threads each trial process may use. A worker with S slots on a
 * host of C cores runs up to S trials at once; native TensorFlow would give each
 * of them a pool of C intra-op threads, S·C threads fighting over C cores. Each
 * trial instead gets about C/S (at least one), through TensorFlow's own
 * settings, read when its first op runs: TF_NUM_INTRAOP_THREADS (the pool that
 * runs one op's kernel, Eigen and oneDNN alike) and TF_NUM_INTEROP_THREADS
 * (ops run side by side). The wasm backend is single-threaded under Node anyway.
 *
 * A value already set in the worker's environment wins: an operator who tunes
 * threads by hand keeps that setting.
 */
export const THREAD_ENV_VARS = ['TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', 'OMP_NUM_THREADS'] as const;

/** floor(cores / slots), at least 1. */
export function threadsPerTrial(cores: number, slots: number): number {
  if (!(Number.isInteger(cores) && cores >= 1)) throw new RangeError(`cores must be a positive integer, got ${cores}`);
  if (!(Number.isInteger(slots) && slots >= 1)) throw new RangeError(`slots must be a positive integer, got ${slots}`);
  return Math.max(1, Math.floor(cores / slots));
}

/** The environment a trial process gets, leaving any variable the worker already has. */
export function trialThreadEnv(threads: number, inherited: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of THREAD_ENV_VARS) if (!inherited[name]) env[name] = String(threads);
  return env;
}
