import { z } from 'zod';

/**
 * `train`: a plain supervised training run. Useful on its own (learning-rate and
 * width sweeps) and the substrate the paper studies build on.
 */
export const trainParams = z
  .object({
    dataset: z.enum(['mnist', 'fashion']).default('mnist'),
    arch: z.enum(['mlp', 'cnn', 'lstm']).default('mlp'),
    optimizer: z.enum(['sgd', 'momentum', 'adam', 'rmsprop']).default('adam'),
    learningRate: z.number().positive().max(10).default(1e-3),
    /** Hidden units (MLP, LSTM) or channels of the first conv layer (CNN). */
    width: z.number().int().min(1).max(4096).default(128),
    /** Hidden layers of the MLP; ignored by the CNN and LSTM. */
    depth: z.number().int().min(1).max(8).default(2),
    epochs: z.number().int().min(1).max(1000).default(3),
    batchSize: z.number().int().min(1).max(4096).default(64),
    /** Training examples drawn (seeded) from the data set's training split. */
    trainSize: z.number().int().min(10).max(60_000).default(2000),
    /** Test examples drawn (seeded) from the test split. */
    testSize: z.number().int().min(10).max(10_000).default(1000),
  })
  .strict();

export type TrainParams = z.output<typeof trainParams>;
