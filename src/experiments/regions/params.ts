import { z } from 'zod';
import { OPTIMIZER_NAMES } from '../optimizer-names';
import { supervisedFields } from '../supervised-params';

/**
 * `regions`: stable ReLUs, lossless compression and linear regions of a ReLU
 * MLP trained with an l1 weight penalty and, optionally, adversarial training
 * (Kumar, Serra, Ramalingam 2019; Serra, Tjandraatmadja, Ramalingam 2018: see run.ts).
 *
 * Defaults follow the paper's training: SGD with momentum 0.9, learning rate
 * 0.01, batch 128, FGSM with ε = 0.15 on inputs clipped to [0, 1].
 */
// Every supervised field but `arch`: the study is about ReLU MLPs.
const { arch: _arch, ...supervised } = supervisedFields({ width: 25, widthMax: 1024, epochs: 10, epochsMax: 500, batchSize: 128, batchSizeMax: 4096 });

export const regionsParams = z
  .object({
    ...supervised,
    optimizer: z.enum(OPTIMIZER_NAMES).default('momentum'),
    learningRate: z.number().positive().max(10).default(0.01),
    /** Hidden ReLU layers, each of `width` units. */
    depth: z.number().int().min(1).max(6).default(2),
    /** Weight of the l1 penalty λ·Σ|W| over every kernel (hidden and output layers; biases are not penalised). */
    l1: z.number().min(0).max(1).default(0),
    /** 'fgsm': each update is on half clean, half FGSM loss, (L(x) + L(x + ε·sign ∇ₓL, clipped to [0, 1])) / 2. */
    adversarial: z.enum(['none', 'fgsm']).default('none'),
    /** ε of the FGSM examples (inputs are in [0, 1]). */
    epsilon: z.number().positive().max(1).default(0.15),
    /** Training examples drawn (seeded) from the training split. */
    trainSize: z.number().int().min(10).max(60_000).default(8000),
    /** Test examples: accuracy, activation patterns, and the check that the compressed network is the same function. */
    testSize: z.number().int().min(10).max(10_000).default(2000),
    /** Seconds each bound-tightening MILP may take; a solve that hits it keeps the solver's proven (sound) bound. */
    boundTimeLimit: z.number().positive().max(3600).default(2),
    /** Seconds for counting linear regions exactly by MILP enumeration; 0 skips the count. */
    regionTimeLimit: z.number().min(0).max(86_400).default(60),
    /** Regions enumerated at most; the count is then a lower bound. */
    maxRegions: z.number().int().min(1).max(10_000_000).default(100_000),
    /** Uniform random inputs in [0, 1]ⁿ: distinct activation patterns, and the equivalence check off the data. */
    randomInputs: z.number().int().min(0).max(1_000_000).default(10_000),
  })
  .strict();

export type RegionsParams = z.output<typeof regionsParams>;
