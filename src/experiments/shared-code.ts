/**
 * Versions of the code every supervised family shares. Bump one when a change
 * alters what trials compute (not for a refactor or a speed-up with the same
 * numbers): each family that lists it in `uses` then reruns on resubmission.
 *
 * Kept apart from the code itself so the registry stays light (no tfjs import).
 */
import type { SharedCode } from './family';

/**
 * training.ts (the loop, optimizers, metrics), models/ (builders and initialisers)
 * and data/ (loaders and subsets).
 * 1: as first versioned (December 2026).
 * 2: the native-backend loop: batches sliced from a per-chunk gather, a written-out
 *    cross-entropy and Adam (LeanAdamOptimizer), the two-kernel ReLU gradient, the
 *    CNN's bias and ReLU after pooling. Same mathematics; other float32 rounding.
 * 3: on the native backend, TensorFlow's fused training ops for the optimizers
 *    (kernels/native-optimizer.ts) and one kernel each for a dense layer and the
 *    cross-entropy (kernels/native-dense.ts). Same mathematics; other float32 rounding.
 */
export const TRAINING_CODE: SharedCode = { name: 'training', version: 3 };
