/**
 * The measurement of one trial: for every ε of the list, the loss increase
 * L(w + a) − L(w) and the accuracy at w + a, for
 *
 * - the gradient-based corruption a = ε·d (d from directions.ts), next to its
 *   first-order estimate Δ̂ = ε‖g‖_dual;
 * - `draws` random corruptions (mean and std): drawn as antithetic pairs ±ε·u,
 *   which keeps each draw's distribution (u and −u are equally likely) but
 *   cancels the first-order term from the mean, so that the mean random
 *   increase, a second-order quantity, is not drowned by the sampling noise of
 *   gᵀu; draw k uses the same u at every ε (common random numbers);
 * - the multi-step corruption (pgd.ts) when pgdSteps > 0.
 *
 * g is the gradient of the loss on the probe's data, the same data every loss
 * is measured on. The probe's variables are restored to w before returning.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../rng';
import { Corrupter } from './corrupter';
import { gradientDirection, randomDirection } from './directions';
import { scaleAll, type NormName } from './norms';
import { projectedGradientAscent } from './pgd';
import type { Evaluation, LossProbe } from './probe';

export interface MeasureOptions {
  readonly norm: NormName;
  readonly epsilons: readonly number[];
  /** Random corruptions per ε, an even number (antithetic pairs). */
  readonly draws: number;
  /** 0: no multi-step corruption. */
  readonly pgdSteps: number;
  /** Seed of the random directions. */
  readonly seed: number;
  /** Called once per ε, in order, as soon as its measurements are complete. */
  readonly onEpsilon?: (result: EpsilonResult, index: number) => void | Promise<void>;
}

export interface EpsilonResult {
  readonly eps: number;
  /** First-order estimate Δ̂ = ε‖g‖_dual. */
  readonly estimate: number;
  readonly gradient: Evaluation & { readonly lossIncrease: number };
  readonly random: {
    readonly lossIncreaseMean: number;
    readonly lossIncreaseStd: number;
    readonly accuracyMean: number;
    readonly accuracyStd: number;
  };
  readonly pgd?: Evaluation & { readonly lossIncrease: number };
}

export interface Measurement {
  readonly clean: Evaluation;
  /** ‖g‖ in the dual norm of the corruption's norm. */
  readonly gradientDualNorm: number;
  readonly results: EpsilonResult[];
}

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

export async function measureCorruption(probe: LossProbe, options: MeasureOptions): Promise<Measurement> {
  const { norm, epsilons, draws, pgdSteps, seed } = options;
  if (draws < 2 || draws % 2 !== 0) throw new RangeError(`draws must be an even number ≥ 2, got ${draws}`);
  const corrupter = new Corrupter(probe.variables);
  const shapes = probe.variables.map((v) => v.shape);
  try {
    const clean = await probe.evaluate();
    const gradient = probe.gradient();
    const { direction, dualNorm } = gradientDirection(gradient, norm);
    tf.dispose(gradient);
    const results: EpsilonResult[] = [];
    try {
      for (const [index, eps] of epsilons.entries()) {
        const oneStep = scaleAll(direction, eps);
        corrupter.apply(oneStep);
        const atGradient = await probe.evaluate();

        const increases: number[] = [];
        const accuracies: number[] = [];
        for (let pair = 0; pair < draws / 2; pair++) {
          const unit = randomDirection(new Rng(deriveSeed(seed, 'random-corruption', pair)), shapes, norm);
          for (const sign of [1, -1]) {
            const a = scaleAll(unit, sign * eps);
            corrupter.apply(a);
            tf.dispose(a);
            const evaluation = await probe.evaluate();
            increases.push(evaluation.loss - clean.loss);
            accuracies.push(evaluation.accuracy);
          }
          tf.dispose(unit);
        }

        let pgd: EpsilonResult['pgd'];
        if (pgdSteps > 0) {
          const best = await projectedGradientAscent(probe, corrupter, oneStep, atGradient, { norm, eps, steps: pgdSteps });
          tf.dispose(best.corruption);
          pgd = { loss: best.loss, accuracy: best.accuracy, lossIncrease: best.loss - clean.loss };
        }
        tf.dispose(oneStep);
        corrupter.restore();

        const loss = meanStd(increases);
        const accuracy = meanStd(accuracies);
        const result: EpsilonResult = {
          eps,
          estimate: eps * dualNorm,
          gradient: { ...atGradient, lossIncrease: atGradient.loss - clean.loss },
          random: { lossIncreaseMean: loss.mean, lossIncreaseStd: loss.std, accuracyMean: accuracy.mean, accuracyStd: accuracy.std },
          ...(pgd ? { pgd } : {}),
        };
        results.push(result);
        await options.onEpsilon?.(result, index);
      }
    } finally {
      tf.dispose(direction);
    }
    return { clean, gradientDualNorm: dualNorm, results };
  } finally {
    corrupter.dispose();
  }
}
