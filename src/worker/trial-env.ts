/**
 * The environment a trial process gets: what training needs (the search path,
 * home and temp dirs, locale, TensorFlow's and CUDA's settings, sweeplab's own
 * SWEEP_* settings, the data sets' folders, the database for the artifact
 * store), and nothing else the worker holds: no Temporal API key or TLS
 * settings, no cloud or CI tokens. Trials run experiment code; they have no
 * business with the worker's credentials.
 *
 * The trial activities start a trial process with `{ ...process.env, ...env }`
 * (src/activities/trial-process*.ts), so the worker's extra environment names
 * every variable to leave out with the value `undefined`, which Node's spawn
 * leaves out of the child's environment.
 */

/** Variables trials may see, by name. */
const ALLOWED = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TERM',
  'TMPDIR', 'TMP', 'TEMP', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR',
  // Native TensorFlow and the GPU: the shared libraries, the devices.
  'LD_LIBRARY_PATH', 'CUDA_VISIBLE_DEVICES',
  // Node itself.
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS',
  // The results database, for the artifact store (a trial reads and writes artifacts there), and the data sets.
  'DATABASE_URL', 'FASHION_MNIST_DIR',
]);

/** Variables trials may see, by prefix: locale, TensorFlow/XLA, threading libraries, CUDA, libpq-style PG* (database defaults), sweeplab. */
const ALLOWED_PREFIXES = ['LC_', 'TF_', 'TFJS_', 'XLA_', 'OMP_', 'KMP_', 'MKL_', 'OPENBLAS_', 'CUDA_', 'NVIDIA_', 'PG', 'SWEEP_'];

export function allowedInTrials(name: string): boolean {
  return ALLOWED.has(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * The worker's extra environment for its trial processes: `extra` (threads per
 * trial, …) and, as `undefined`, every inherited variable trials may not see.
 */
export function trialProcessEnv(
  extra: Readonly<Record<string, string>>,
  inherited: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of Object.keys(inherited)) if (!allowedInTrials(name)) env[name] = undefined;
  return { ...env, ...extra };
}
