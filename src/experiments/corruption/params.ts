import { z } from 'zod';
import { supervisedFields } from '../supervised-params';

/**
 * `corruption`: parameter corruption (Sun, Zhang, Ren, Luo, Li, AAAI 2021). One
 * trial trains (or reuses) one model, then measures, for every ε of its list,
 * the loss increase under the gradient-based, random and multi-step (PGD)
 * corruption of norm ε in the trial's norm.
 *
 * Parameters are scalars so that trial keys stay simple: the ε list is a
 * comma-separated string ('1e-3,1e-2,1e-1') checked here, and the metric
 * step of each ε is its index in that list.
 */

/** The ε values of an `epsilons` string, in order; throws a readable Error on bad input. */
export function parseEpsilons(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const values = parts.map(Number);
  parts.forEach((part, i) => {
    const value = values[i]!;
    if (part === '' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`'${part}' is not a positive number (epsilons is a comma-separated list such as '1e-3,1e-2,1e-1')`);
    }
  });
  if (new Set(values).size !== values.length) throw new Error(`epsilons '${text}' lists a value twice`);
  return values;
}

const epsilonList = z.string().superRefine((text, ctx) => {
  try {
    const values = parseEpsilons(text);
    if (values.length > 64) ctx.addIssue({ code: 'custom', message: `at most 64 values, got ${values.length}` });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

export const corruptionParams = z
  .object({
    ...supervisedFields({ width: 128, widthMax: 4096, epochs: 3, epochsMax: 1000, batchSize: 64, batchSizeMax: 4096 }),
    /** Hidden layers of the MLP; ignored by the CNN and LSTM. */
    depth: z.number().int().min(1).max(8).default(2),
    trainSize: z.number().int().min(10).max(60_000).default(2000),
    /** Examples of the test split on which the gradient is taken and every loss is measured. */
    testSize: z.number().int().min(10).max(10_000).default(1000),
    /** 'resistant': each update uses the gradient at w + a*(w), a* the gradient-based corruption of norm resistEps. */
    training: z.enum(['normal', 'resistant']).default('normal'),
    /** Budget of corruption-resistant training, in the trial's norm over all parameters. */
    resistEps: z.number().positive().max(1e3).default(0.1),
    /** Norm of every corruption of the trial (and of resistant training). */
    norm: z.enum(['L2', 'Linf']).default('L2'),
    /** The budgets ε measured, comma-separated; the metric step of each is its index. */
    epsilons: epsilonList.default('0.01,0.03,0.1,0.3,1'),
    /** What is corrupted: 'all' parameters, a layer ('dense0': its kernel and bias) or one parameter ('dense0/kernel'). */
    target: z
      .string()
      .regex(/^(all|[a-z][a-z0-9]*(\/[a-z]+)?)$/, "'all', a layer name such as 'dense0', or a parameter name such as 'dense0/kernel'")
      .default('all'),
    /** Random corruptions per ε (antithetic pairs ±r, so an even number). */
    draws: z.number().int().min(2).max(10_000).refine((n) => n % 2 === 0, 'draws must be even (antithetic pairs)').default(100),
    /** Steps of projected gradient ascent (the multi-step corruption); 0 skips it. */
    pgdSteps: z.number().int().min(0).max(1000).default(5),
  })
  .strict();

export type CorruptionParams = z.output<typeof corruptionParams>;
