import { z } from 'zod';
import { OPTIMIZER_NAMES } from '../optimizer-names';

/**
 * `infoflow`: information flow in noisy DNNs (Goldfeld, van den Berg, Greenewald,
 * Melnyk, Nguyen, Kingsbury, Polyanskiy, "Estimating Information Flow in Deep
 * Neural Networks", ICML 2019). One trial trains one noisy MLP on the SZT task,
 * every hidden layer T_ℓ = f(W_ℓ T_{ℓ−1} + b_ℓ) + Z_ℓ with Z_ℓ ~ N(0, β² I), and
 * measures each hidden layer at log-spaced epochs: the sample-propagation estimate
 * of I(X; T_ℓ), the binned entropy of the noise-free network, clustering (run.ts).
 *
 * `alpha` only matters with `orthonormal` on: a sweep should hold it fixed (or zip
 * it with `orthonormal`), or its cells repeat the plain trials under other keys.
 */

/** The data sets: the SZT task (szt.ts). */
export const INFOFLOW_DATASETS = ['szt'] as const;
export const INFOFLOW_ACTIVATIONS = ['tanh', 'relu'] as const;

/** Positive numbers, comma-separated: '10,7,5,4,3', '0.001,0.01'. */
function numberList(text: string): number[] {
  return text.split(',').map((part) => Number(part.trim()));
}

/** The hidden widths of a `widths` parameter, input side first. */
export function parseWidths(text: string): number[] {
  return numberList(text);
}

/** The bin sizes of a `binSizes` parameter, as given. */
export function parseBinSizes(text: string): number[] {
  return numberList(text);
}

export const infoflowParams = z
  .object({
    dataset: z.enum(INFOFLOW_DATASETS).default('szt'),
    /** β: the standard deviation of each hidden unit's Gaussian noise, in training and in the estimates. */
    beta: z.number().positive().max(1).default(0.01),
    /** The hidden layers' nonlinearity f (the head is linear). */
    activation: z.enum(INFOFLOW_ACTIVATIONS).default('tanh'),
    /** Hidden widths, input side first, comma-separated; the input (12) and the head (2) come from the data set: 12-10-7-5-4-3-2. */
    widths: z
      .string()
      .default('10,7,5,4,3')
      .refine((text) => {
        const widths = parseWidths(text);
        return widths.length >= 1 && widths.length <= 8 && widths.every((w) => Number.isInteger(w) && w >= 1 && w <= 64);
      }, 'widths must be 1 to 8 comma-separated integers in 1..64, e.g. "10,7,5,4,3"'),
    /** After every minibatch update, each hidden kernel W ← W − α(W Wᵀ W − W) (the head's is left alone). */
    orthonormal: z.boolean().default(false),
    /** α of the orthonormality step; only used with `orthonormal`. */
    alpha: z.number().positive().max(0.1).default(3e-4),
    optimizer: z.enum(OPTIMIZER_NAMES).default('adam'),
    learningRate: z.number().positive().max(10).default(4e-4),
    epochs: z.number().int().min(1).max(100_000).default(1000),
    batchSize: z.number().int().min(1).max(4096).default(256),
    /** Fraction of the 4,096 patterns trained on (a seeded draw); the rest is the test set. */
    trainFraction: z.number().min(0.05).max(0.95).default(0.8),
    /** Checkpoints: this many log-spaced epochs from 1 to `epochs` (fewer when they round to the same epoch). */
    checkpoints: z.number().int().min(1).max(200).default(30),
    /** Inputs the measures are taken over: all 4,096 patterns, or a seeded subset of that size (then ln n bounds the estimates). */
    estimateInputs: z.number().int().min(64).max(4096).default(4096),
    /** Noisy replicas of each input propagated to sample S_ℓ | X = x (layers after the first; the first's S is deterministic). */
    replicas: z.number().int().min(1).max(256).default(16),
    /** Monte Carlo points per layer of the SP estimate. */
    mcSamples: z.number().int().min(16).max(65_536).default(4096),
    /** Bin sizes of the binned entropy H(Bin(T_ℓ)) of the noise-free network, comma-separated. */
    binSizes: z
      .string()
      .default('0.001,0.01,0.1')
      .refine((text) => {
        const sizes = parseBinSizes(text);
        return sizes.length >= 1 && sizes.length <= 8 && sizes.every((b) => Number.isFinite(b) && b > 0 && b <= 10);
      }, 'binSizes must be 1 to 8 comma-separated positive numbers, e.g. "0.001,0.01,0.1"'),
  })
  .strict();

export type InfoflowParams = z.output<typeof infoflowParams>;
