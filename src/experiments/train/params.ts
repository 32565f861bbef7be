import { z } from 'zod';
import { supervisedFields } from '../supervised-params';

/**
 * `train`: a plain supervised training run. Useful on its own (learning-rate and
 * width sweeps) and the substrate the paper studies build on.
 */
export const trainParams = z
  .object({
    ...supervisedFields({ width: 128, widthMax: 4096, epochs: 3, epochsMax: 1000, batchSize: 64, batchSizeMax: 4096 }),
    /** Hidden layers of the MLP; ignored by the CNN and LSTM. */
    depth: z.number().int().min(1).max(8).default(2),
    /** Training examples drawn (seeded) from the data set's training split. */
    trainSize: z.number().int().min(10).max(60_000).default(2000),
    /** Test examples drawn (seeded) from the test split. */
    testSize: z.number().int().min(10).max(10_000).default(1000),
  })
  .strict();

export type TrainParams = z.output<typeof trainParams>;
