import { z } from 'zod';
import { supervisedFields } from '../supervised-params';

/**
 * `orthonormal`: approximated orthonormal normalisation (Zhang, Niwa, Kleijn,
 * arXiv 1911.09445) against orthonormal regularisation, spectral normalisation
 * and plain training. One trial trains one MLP or CNN with one method; the
 * reconstruction of the paper's h(W) is stated in aon.ts.
 *
 * Parameters a method does not use (`lambda` outside orth-reg, `order` outside
 * aon, `powerIterations` under none and orth-reg) are accepted and ignored, so a
 * sweep should hold them fixed for those methods (sweeps/aon.ts zips them with
 * the method) or its cells repeat the same trial under different keys.
 */

export const ORTHONORMAL_METHODS = ['none', 'orth-reg', 'spectral', 'aon'] as const;
export type OrthonormalMethod = (typeof ORTHONORMAL_METHODS)[number];

/** The data sets of the paper's experiments that we have: MNIST and Fashion-MNIST. */
export const ORTHONORMAL_DATASETS = ['mnist', 'fashion'] as const;
/** Architectures whose weights are matrices (dense) or reshape into them (conv). */
export const ORTHONORMAL_ARCHS = ['mlp', 'cnn'] as const;

export const orthonormalParams = z
  .object({
    ...supervisedFields({ width: 64, widthMax: 1024, epochs: 3, epochsMax: 500, batchSize: 64, batchSizeMax: 4096 }),
    dataset: z.enum(ORTHONORMAL_DATASETS).default('mnist'),
    arch: z
      .enum(ORTHONORMAL_ARCHS, {
        error: (issue) =>
          issue.input === 'lstm'
            ? "the orthonormal family normalises dense and conv weight matrices; an LSTM's stacked gate matrices are not supported (use mlp or cnn)"
            : `arch must be one of ${ORTHONORMAL_ARCHS.join(', ')}`,
      })
      .default('mlp'),
    /** Hidden layers of the MLP; ignored by the CNN (two conv layers). */
    depth: z.number().int().min(1).max(8).default(2),
    /**
     * 'none': plain training; 'orth-reg': the penalty λ Σ‖W Wᵀ − I‖²_F added to the
     * objective; 'spectral': each layer uses W / σ_max(W); 'aon': each layer uses h(W) (aon.ts).
     */
    method: z.enum(ORTHONORMAL_METHODS).default('aon'),
    /** λ of orth-reg's penalty λ Σ_layers ‖W Wᵀ − I‖²_F (smaller side's Gram matrix). Only orth-reg uses it. */
    lambda: z.number().min(0).max(10).default(1e-3),
    /** K, the order of the series P_K = Σ_{k=0..K} C(2k,k)/4^k · E^k; K = 1 is one Newton–Schulz step, K = 0 is spectral normalisation. Only aon uses it. */
    order: z.number().int().min(0).max(16).default(1),
    /** Power iterations per σ_max estimate (each forward pass, from a fixed seeded start; spectral-norm.ts). spectral and aon use it. */
    powerIterations: z.number().int().min(1).max(1024).default(32),
    /** Whether the output layer is normalised (penalised under orth-reg) too; by default only the hidden layers are. */
    includeHead: z.boolean().default(false),
    /** Training examples drawn (seeded) from the data set's training split. */
    trainSize: z.number().int().min(10).max(60_000).default(2000),
    /** Validation examples drawn (seeded) from the test split: the per-epoch validation curves. */
    testSize: z.number().int().min(10).max(10_000).default(1000),
  })
  .strict();

export type OrthonormalParams = z.output<typeof orthonormalParams>;
