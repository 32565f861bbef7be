/**
 * A model whose targeted layers use a transform of their weights, h(W), in
 * place of W: a wrapper over a model of models/build.ts with the same
 * parameters, whose `apply` and `forward` run the inner model's forward pass
 * with a weight hook (models/hooks.ts). The hook is inside the graph, so
 * training (training.ts, which calls `apply`) differentiates through h and
 * updates the raw W, and evaluation sees h(W), with neither knowing.
 *
 * Every pass recomputes h(W) (nothing is cached between passes), from the
 * current variables and a fixed start vector per layer for its power
 * iterations (spectral-norm.ts); the wrapper owns those vectors and frees
 * them, with the inner model, on `dispose`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ForwardHooks } from '../models/hooks';
import { hookedModel } from '../models/hooked-model';
import type { Model } from '../models/model';
import { deriveSeed } from '../rng';
import { smallerSide, startVector } from './spectral-norm';
import { asMatrix, fromMatrix, targetWeights, type TargetWeight } from './weight-matrix';

/** h of one layer's matrix [fan-in, units], given that layer's power-iteration start vector. */
export type MatrixTransform = (matrix: tf.Tensor2D, start: tf.Tensor2D) => tf.Tensor2D;

export interface NormalisedModelOptions {
  /** The weight transform; none: the layers use W (the wrapper then adds nothing to a pass). */
  readonly transform?: MatrixTransform;
  /** Whether the head is a target too (weight-matrix.ts). */
  readonly includeHead: boolean;
  /** Seed of the start vectors (one stream per layer, by parameter name). */
  readonly seed: number;
}

export interface NormalisedModel extends Model {
  readonly inner: Model;
  /** The targeted kernels, input side first. */
  readonly targets: readonly TargetWeight[];
  /**
   * The matrices [fan-in, units] the targets' layers use now: h(W), or W without
   * a transform. Call inside tf.tidy and never dispose them by hand: a dense
   * kernel's W is the variable itself.
   */
  effectiveMatrices(): tf.Tensor2D[];
  /** The targets' own matrices W (the variables, reshaped); the same care as effectiveMatrices. */
  rawMatrices(): tf.Tensor2D[];
}

export function normalisedModel(inner: Model, options: NormalisedModelOptions): NormalisedModel {
  const { transform, includeHead, seed } = options;
  const targets = targetWeights(inner, includeHead);
  const starts = new Map<string, tf.Tensor2D>(
    transform ? targets.map((t) => [t.param, startVector(smallerSide(t.matrixShape), deriveSeed(seed, 'power-start', t.param))]) : [],
  );
  const effective = (target: TargetWeight, value: tf.Tensor): tf.Tensor2D =>
    transform ? transform(asMatrix(value), starts.get(target.param)!) : asMatrix(value);
  const byParam = new Map(targets.map((t) => [t.param, t]));

  const weight: NonNullable<ForwardHooks['weight']> = (_layer, param, value) => {
    const target = byParam.get(param);
    return target && transform ? fromMatrix(effective(target, value), value.shape) : value;
  };

  return {
    ...hookedModel(inner, transform ? { weight } : {}),
    inner,
    targets,
    effectiveMatrices: () => targets.map((t) => effective(t, t.variable)),
    rawMatrices: () => targets.map((t) => asMatrix(t.variable)),
    dispose: () => {
      for (const start of starts.values()) start.dispose();
      starts.clear();
      inner.dispose();
    },
  };
}
