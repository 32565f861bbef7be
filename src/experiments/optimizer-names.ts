/** The optimizers of the training loop (training.ts: makeOptimizer). Light: no tfjs import, so parameter schemas can use it. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;

export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
