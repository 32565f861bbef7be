/**
 * Every tfjs backend present in this process, initialised, for numerical tests
 * that compare them: pure-JS cpu (the reference) first, then wasm, then native
 * TensorFlow (the GPU package only where it finds a GPU, since forced gpu refuses
 * a CPU-only host; else the CPU one). Restores SWEEP_TFJS_BACKEND afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend, type BackendChoice } from '../../src/experiments/backend';

export interface PresentBackend {
  readonly choice: BackendChoice;
  /** The name tf.setBackend takes. */
  readonly engine: string;
  /** 'tensorflow 2.16.2 (CPU, 2 threads)'. */
  readonly label: string;
}

export async function initPresentBackends(): Promise<PresentBackend[]> {
  const saved = process.env.SWEEP_TFJS_BACKEND;
  const present: PresentBackend[] = [];
  try {
    for (const choice of ['cpu', 'wasm', 'gpu', 'node'] as const) {
      if (present.some((p) => p.engine === 'tensorflow')) continue;
      process.env.SWEEP_TFJS_BACKEND = choice;
      try {
        await initBackend();
      } catch {
        continue; // not installed here
      }
      const info = backendInfo();
      present.push({ choice, engine: tf.getBackend(), label: `${info.name} ${info.version} (${info.device})` });
    }
  } finally {
    if (saved === undefined) delete process.env.SWEEP_TFJS_BACKEND;
    else process.env.SWEEP_TFJS_BACKEND = saved;
  }
  return present;
}
