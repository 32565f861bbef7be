/**
 * Picks the tfjs backend of a trial process: native TensorFlow with CUDA, then
 * native TensorFlow on the CPU, then WebAssembly (XNNPACK), then pure JS. The
 * name returned is recorded on the trial, because results (and speed) can
 * differ between backends.
 *
 * SWEEP_TFJS_BACKEND=gpu|node|wasm|cpu forces one and fails loudly if it is
 * unavailable, so a worker meant to use the GPU never silently trains on wasm.
 *
 * The native packages are optional dependencies whose install downloads
 * libtensorflow; where that failed they are missing (or present without their
 * binding), and importing them throws a catchable error. They are imported by
 * a computed specifier so that TypeScript and bundlers do not require them.
 *
 * Every backend registers into the one engine of '@tensorflow/tfjs' imported
 * here; a package that brings its own tfjs-core copy is detected and refused.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
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

type Attempt = { ok: true } | { ok: false; reason: string };

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

async function activateNative(choice: 'gpu' | 'node'): Promise<Attempt> {
  const specifier = NATIVE_PACKAGE[choice]!;
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
  return (await tf.setBackend('tensorflow'))
    ? { ok: true }
    : { ok: false, reason: `${specifier} loaded but its backend failed to initialise` };
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
    if (attempt.ok) return RECORDED_BACKEND_NAME[automaticChoice];
  }
  const reasons: string[] = [];
  for (const choice of BACKEND_PREFERENCE) {
    const attempt = await ensure(choice);
    if (attempt.ok) {
      automaticChoice = choice;
      return RECORDED_BACKEND_NAME[choice];
    }
    reasons.push(`${choice}: ${attempt.reason}`);
    options.log?.(`tfjs backend ${choice} skipped: ${attempt.reason}`);
  }
  throw new Error(`no tfjs backend could be initialised:\n  ${reasons.join('\n  ')}`);
}
