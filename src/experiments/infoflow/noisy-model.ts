/**
 * The noisy DNN of Goldfeld et al.: every hidden layer
 *
 *   T_ℓ = S_ℓ + Z_ℓ,   S_ℓ = f(W_ℓ T_{ℓ−1} + b_ℓ),   Z_ℓ ~ N(0, β² I) independent,
 *
 * made by wrapping a model of models/build.ts with an `output` hook
 * (models/hooks.ts) that adds the noise. The head reads T_L and adds none.
 *
 * Noise comes from the project's seeded generator (rng.ts), drawn in JavaScript
 * and uploaded, so a seed gives the same noise on every backend: `apply` and
 * `forward` (what training and train()'s evaluation call) draw from the model's
 * own stream, one draw per value in call order; `sample` draws from a stream the
 * caller passes, so the estimates at a checkpoint neither consume nor shift the
 * training noise. The noise is a constant of the graph: gradients flow through S.
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardHooks } from '../models/hooks';
import { hookedModel } from '../models/hooked-model';
import type { Model } from '../models/model';
import { Rng } from '../rng';

/** `size` draws of β·N(0, 1) from `rng`, in order. */
export function gaussianValues(size: number, beta: number, rng: Rng): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = beta * rng.normal();
  return values;
}

/** A tensor of β·N(0, 1) draws of `shape`, from `rng` in order. */
export function gaussianNoise(shape: readonly number[], beta: number, rng: Rng): tf.Tensor {
  return tf.tensor(gaussianValues(shape.reduce((a, b) => a * b, 1), beta, rng), [...shape], 'float32');
}

export interface NoisySample {
  readonly logits: tf.Tensor2D;
  /** S_ℓ of each hidden layer: its noise-free image of the (noisy) layer below. */
  readonly clean: readonly tf.Tensor2D[];
  /** T_ℓ = S_ℓ + Z_ℓ. */
  readonly noisy: readonly tf.Tensor2D[];
}

export interface NoisyModel extends Model {
  readonly inner: Model;
  readonly beta: number;
  /** A pass of the noisy network with noise from `rng`: S_ℓ and T_ℓ of every hidden layer. Call inside tf.tidy. */
  sample(x: tf.Tensor2D, rng: Rng): NoisySample;
  /** The noise-free network (β = 0) with the same weights. Call inside tf.tidy. */
  deterministic(x: tf.Tensor2D): { logits: tf.Tensor2D; hidden: readonly tf.Tensor2D[] };
  /** The hidden layers' kernels [fan-in, units], input side first (the head's excluded). */
  hiddenKernels(): tf.Variable[];
}

export interface NoisyModelOptions {
  /** Noise standard deviation β (> 0). */
  readonly beta: number;
  /** Seed of the training-noise stream (`apply`, `forward`). */
  readonly seed: number;
}

export function noisyModel(inner: Model, options: NoisyModelOptions): NoisyModel {
  const { beta, seed } = options;
  if (!(beta > 0 && Number.isFinite(beta))) throw new RangeError(`the noise β must be positive, got ${beta}`);
  if (inner.arch !== 'mlp') throw new RangeError(`the noisy network is an mlp, not a ${inner.arch}`);
  const trainingNoise = new Rng(seed);
  const noiseHook = (rng: Rng): NonNullable<ForwardHooks['output']> => (_layer, h) => tf.add(h, gaussianNoise(h.shape, beta, rng));
  const ours = noiseHook(trainingNoise);
  const headKernel = `${inner.architecture.head.name}/kernel`;
  const kernels = inner.params.filter((p) => p.name.endsWith('/kernel') && p.name !== headKernel).map((p) => p.variable);

  return {
    ...hookedModel(inner, { output: ours }),
    inner,
    beta,
    sample: (x, rng) => {
      const clean: tf.Tensor2D[] = [];
      const add = noiseHook(rng);
      const { logits, hidden } = inner.forward(x, {
        output: (layer, h) => {
          clean.push(h as tf.Tensor2D);
          return add(layer, h);
        },
      });
      return { logits, clean, noisy: hidden as tf.Tensor2D[] };
    },
    deterministic: (x) => {
      const { logits, hidden } = inner.forward(x);
      return { logits, hidden: hidden as tf.Tensor2D[] };
    },
    hiddenKernels: () => kernels,
    dispose: () => inner.dispose(),
  };
}

/**
 * One orthonormality step on each kernel, W ← W − α(W Wᵀ W − W), the update of
 * the authors' code (applied there after every optimizer step, to every layer but
 * the last). For a kernel stored [fan-in, units] (Wᵀ of their [units, fan-in]) the
 * update has the same form, and it drives W's singular values towards 1. Assigns
 * the variables; call inside tf.tidy.
 */
export function orthonormalStep(kernels: readonly tf.Variable[], alpha: number): void {
  for (const w of kernels) {
    const matrix = w as unknown as tf.Tensor2D;
    // W (1 + α) − α W (Wᵀ W): the Gram matrix on the smaller (units) side for these kernels.
    const gram = tf.matMul(matrix, matrix, true, false);
    w.assign(tf.sub(tf.mul(matrix, 1 + alpha), tf.mul(tf.matMul(matrix, gram), alpha)));
  }
}
