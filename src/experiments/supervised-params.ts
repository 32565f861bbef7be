/**
 * The parameters every supervised family shares, as one zod fragment: data set,
 * architecture, optimizer, learning rate, width, epochs and batch size. Each
 * family spreads it into its own `.strict()` object with its own defaults and
 * limits (a transfer trial trains on a few hundred labels, a train trial on
 * thousands), so the names, types and documentation exist once.
 */
import { z } from 'zod';
import { DATASET_NAMES } from './data/dataset-names';
import { ARCHS } from './models/arch';
import { OPTIMIZER_NAMES } from './optimizer-names';

export interface SupervisedDefaults {
  readonly width: number;
  readonly widthMax: number;
  readonly epochs: number;
  readonly epochsMax: number;
  readonly batchSize: number;
  readonly batchSizeMax: number;
}

export function supervisedFields(d: SupervisedDefaults) {
  return {
    dataset: z.enum(DATASET_NAMES).default('mnist'),
    arch: z.enum(ARCHS).default('mlp'),
    optimizer: z.enum(OPTIMIZER_NAMES).default('adam'),
    learningRate: z.number().positive().max(10).default(1e-3),
    /** Hidden units (MLP, LSTM) or channels of the first conv layer (CNN). */
    width: z.number().int().min(1).max(d.widthMax).default(d.width),
    epochs: z.number().int().min(1).max(d.epochsMax).default(d.epochs),
    batchSize: z.number().int().min(1).max(d.batchSizeMax).default(d.batchSize),
  };
}
