/**
 * Picks the tfjs backend of a trial process: native TensorFlow with CUDA, then
 * native TensorFlow on the CPU, then WebAssembly (XNNPACK), then pure JS. The
 * name returned is recorded on the trial, because results (and speed) can
 * differ between backends.
 *
 * SWEEP_TFJS_BACKEND=gpu|node|wasm|cpu forces one and fails loudly if it is
 * unavailable, so a worker meant to use the GPU never silently trains on wasm.
 *
 * The native packages are optional dependencies, built offline against the
 * TensorFlow C library of PyPI's wheels by infra/native-tensorflow.mjs; where
 * that was not done they are missing (or present without their binding), and
 * importing them throws a catchable error. They are imported by a computed
 * specifier so that TypeScript and bundlers do not require them.
 *
 * tfjs-node-gpu on a host where TensorFlow finds no CUDA device still runs, on
 * its CPU kernels: chosen automatically it is kept and says so in the log (it is
 * native TensorFlow all the same, recorded as 'tensorflow' on device CPU);
 * forced with SWEEP_TFJS_BACKEND=gpu it is refused.
 *
 * Every backend registers into the one engine of '@tensorflow/tfjs' imported
 * here; a package that brings its own tfjs-core copy is detected and refused.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { registerWasmConv2DBackpropFilter } from './kernels/conv2d-backprop-filter';

export type BackendChoice = 'gpu' | 'node' | 'wasm' | 'cpu';

/** Order of preference when nothing is forced. */
export const BACKEND_PREFERENCE: readonly BackendChoice[] = ['gpu', 'node', 'wasm', 'cpu'];

/** The name recorded on trials for each choice. */
export const RECORDED_BACKEND_NAME: Readonly<Record<BackendChoice, string>> = {
  gpu: 'tensorflow-gpu',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** The name tfjs's engine knows each backend by. */
const ENGINE_NAME: Readonly<Record<BackendChoice, string>> = {
  gpu: 'tensorflow',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

const NATIVE_PACKAGE: Partial<Record<BackendChoice, string>> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

export const BACKEND_ENV_VAR = 'SWEEP_TFJS_BACKEND';

/** The forced backend from the environment, or undefined for automatic choice. */
export function forcedBackend(env: NodeJS.ProcessEnv = process.env): BackendChoice | undefined {
  const raw = env[BACKEND_ENV_VAR]?.trim().toLowerCase();
  if (!raw || raw === 'auto') return undefined;
  if ((BACKEND_PREFERENCE as readonly string[]).includes(raw)) return raw as BackendChoice;
  throw new Error(
    `${BACKEND_ENV_VAR}='${env[BACKEND_ENV_VAR]}' is not a backend: use one of ${BACKEND_PREFERENCE.join(', ')} (or leave it unset for automatic choice)`,
  );
}

type Attempt = { ok: true; note?: string } | { ok: false; reason: string };

/** What a trial ran on, recorded with its result. */
export interface BackendInfo {
  /** 'tensorflow-gpu', 'tensorflow', 'wasm' or 'cpu' (RECORDED_BACKEND_NAME). */
  readonly name: string;
  /** TensorFlow's version for the native backends ('2.16.2'), tfjs's for wasm and cpu ('tfjs 4.22.0'). */
  readonly version: string;
  /** Where the kernels run: 'GPU 0', 'CPU, 2 threads'. */
  readonly device: string;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

async function activateNative(choice: 'gpu' | 'node'): Promise<Attempt> {
  const specifier = NATIVE_PACKAGE[choice]!;
  // TensorFlow's oneDNN and CPU-feature banners would fill every trial's log; an explicit setting wins.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  try {
    await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
  } catch (err) {
    return { ok: false, reason: `${specifier} could not be loaded: ${errorText(err)}` };
  }
  if (!tf.engine().registryFactory['tensorflow']) {
    return {
      ok: false,
      reason: `${specifier} loaded but registered no 'tensorflow' backend in this process's tfjs engine: it uses another @tensorflow/tfjs-core copy (pin every @tensorflow package to ${tf.version.tfjs})`,
    };
  }
  if (!(await tf.setBackend('tensorflow'))) return { ok: false, reason: `${specifier} loaded but its backend failed to initialise` };
  if (choice === 'gpu' && !nativeBackend().isUsingGpuDevice) {
    const why = `${specifier} loaded, but TensorFlow found no CUDA GPU (no driver, or CUDA_VISIBLE_DEVICES hides every device)`;
    if (forcedBackend() === 'gpu') return { ok: false, reason: why };
    return { ok: true, note: `${why}: running on TensorFlow's CPU kernels` };
  }
  return { ok: true };
}

/** The parts of tfjs-node's backend object read here (not in tfjs-core's types). */
interface NativeBackend {
  readonly isUsingGpuDevice?: boolean;
  readonly binding?: { readonly TF_Version?: string };
}

function nativeBackend(): NativeBackend {
  return tf.backend() as unknown as NativeBackend;
}

/** Absolute paths of the wasm binaries in node_modules, so no bundler or cwd can lose them. */
function wasmBinaryPaths(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const names = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  return Object.fromEntries(
    names.map((name) => [name, require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${name}`)]),
  );
}

async function activateWasm(): Promise<Attempt> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Paths can only be set before the backend initialises (a no-op on a second call).
    if (!('wasm' in tf.engine().registry)) wasm.setWasmPaths(wasmBinaryPaths());
  } catch (err) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm could not be loaded: ${errorText(err)}` };
  }
  // Before the first training step: wasm lacks this gradient kernel.
  registerWasmConv2DBackpropFilter();
  return (await tf.setBackend('wasm'))
    ? { ok: true }
    : { ok: false, reason: 'the wasm backend failed to initialise (see the warning above)' };
}

async function activateCpu(): Promise<Attempt> {
  return (await tf.setBackend('cpu')) ? { ok: true } : { ok: false, reason: 'the cpu backend failed to initialise' };
}

function activate(choice: BackendChoice): Promise<Attempt> {
  switch (choice) {
    case 'gpu':
    case 'node':
      return activateNative(choice);
    case 'wasm':
      return activateWasm();
    case 'cpu':
      return activateCpu();
  }
}

/** Choices that succeeded in this process: later calls only re-select them. */
const activated = new Set<BackendChoice>();
/** What automatic choice settled on, so a second call does not re-probe. */
let automaticChoice: BackendChoice | undefined;

export interface InitBackendOptions {
  /** Receives one line per backend that was tried and skipped, with the reason. */
  log?: (message: string) => void;
}

async function ensure(choice: BackendChoice): Promise<Attempt> {
  if (activated.has(choice)) {
    // Already initialised once; switch back to it if something else was selected since.
    if (tf.getBackend() !== ENGINE_NAME[choice]) await tf.setBackend(ENGINE_NAME[choice]);
    return { ok: true };
  }
  const attempt = await activate(choice);
  if (attempt.ok) activated.add(choice);
  return attempt;
}

/** The gpu package on a host without a GPU is native TensorFlow on the CPU: recorded as such. */
function recordedName(choice: BackendChoice): string {
  return choice === 'gpu' ? backendInfo().name : RECORDED_BACKEND_NAME[choice];
}

/**
 * Intra-op threads a native backend uses: TF_NUM_INTRAOP_THREADS, which the
 * worker sets for each trial process (src/worker/trial-threads.ts), else
 * TensorFlow's default, one per core.
 */
export function nativeThreads(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.TF_NUM_INTRAOP_THREADS);
  return Number.isInteger(configured) && configured > 0 ? configured : availableParallelism();
}

/** Version and device of the backend selected now (call after initBackend). */
export function backendInfo(): BackendInfo {
  const engineName = tf.getBackend();
  if (engineName === 'tensorflow') {
    const native = nativeBackend();
    const onGpu = native.isUsingGpuDevice === true;
    const threads = nativeThreads();
    return {
      name: onGpu ? RECORDED_BACKEND_NAME.gpu : RECORDED_BACKEND_NAME.node,
      version: native.binding?.TF_Version ?? 'unknown',
      device: onGpu ? `GPU ${process.env.CUDA_VISIBLE_DEVICES?.split(',')[0] || '0'}` : `CPU, ${threads} thread${threads === 1 ? '' : 's'}`,
    };
  }
  if (engineName === 'wasm') return { name: 'wasm', version: `tfjs ${tf.version.tfjs}`, device: 'CPU, 1 thread (SIMD)' };
  return { name: engineName, version: `tfjs ${tf.version.tfjs}`, device: 'CPU, pure JavaScript' };
}

/**
 * Initialises the backend and returns the name to record on the trial
 * ('tensorflow-gpu', 'tensorflow', 'wasm' or 'cpu'). Idempotent: a second
 * call with the same environment returns the same name without re-probing.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<string> {
  const forced = forcedBackend();
  if (forced) {
    const attempt = await ensure(forced);
    if (!attempt.ok) {
      throw new Error(`${BACKEND_ENV_VAR}=${forced} but that backend is unavailable: ${attempt.reason}`);
    }
    return RECORDED_BACKEND_NAME[forced];
  }
  if (automaticChoice) {
    const attempt = await ensure(automaticChoice);
    if (attempt.ok) return recordedName(automaticChoice);
  }
  const reasons: string[] = [];
  for (const choice of BACKEND_PREFERENCE) {
    const attempt = await ensure(choice);
    if (attempt.ok) {
      automaticChoice = choice;
      if (attempt.note) options.log?.(`tfjs backend ${choice}: ${attempt.note}`);
      return recordedName(choice);
    }
    reasons.push(`${choice}: ${attempt.reason}`);
    options.log?.(`tfjs backend ${choice} skipped: ${attempt.reason}`);
  }
  throw new Error(`no tfjs backend could be initialised:\n  ${reasons.join('\n  ')}`);
}
