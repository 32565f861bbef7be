/**
 * `infoflow` trial: train the noisy MLP (noisy-model.ts) on the SZT task (szt.ts)
 * with train() — noise in every training pass and in its per-epoch evaluation,
 * the network studied being the noisy one — and at log-spaced checkpoint epochs
 * measure every hidden layer T_ℓ, ℓ = 1..L (ℓ = 1 is `dense0`, nearest the input),
 * over the estimation inputs (all 4,096 patterns by default, uniform):
 *
 *   mi.ℓ, miStderr.ℓ      SP estimate of I(X; T_ℓ) in nats and its Monte Carlo
 *                         standard error (sp-estimator.ts), ≤ ln(inputs) = ln 4096
 *   h.ℓ, hCond.ℓ          its two terms ĥ(T_ℓ), ĥ(T_ℓ | X) (hCond.1 exact)
 *   binH.ℓ.<size>         H(Bin(T_ℓ)) of the noise-free network (β = 0, same
 *                         weights), per bin size (binning.ts)
 *   sameClassClose.ℓ      fraction of same-class pairs of the noise-free network's
 *                         representations closer than 2β (clustering.ts)
 *   clusterRatio.ℓ        mean within-class over mean between-class distance, likewise
 *
 * plus `epoch` (so that a table can put checkpoints in its columns), train()'s
 * loss, accuracy, testLoss, testAccuracy (noisy network), cleanAccuracy and
 * cleanTestAccuracy (the noise-free network on the training and test patterns),
 * `estimatorSeconds` (the SP estimates of all layers at that checkpoint, replica
 * propagation included) and `measureSeconds` (everything measured there).
 * Reported at step = epoch, only at checkpoints.
 *
 * Sampling for the SP estimate: each estimation input is propagated `replicas`
 * times through the noisy network (noise from a stream of its own per
 * checkpoint, so the training noise is unaffected); S_1 is deterministic, so
 * layer 1 uses one replica per input and the exact h(T_1 | X); each layer gets
 * `mcSamples` Monte Carlo points.
 *
 * Orthonormality (`orthonormal`): after every minibatch update (train()'s
 * afterStep), each hidden kernel W ← W − α(W Wᵀ W − W), as in the authors' code.
 *
 * The summary: the last checkpoint's values; per layer miPeak.ℓ (the largest
 * mi.ℓ over the checkpoints), miPeakEpoch.ℓ and compression.ℓ = miPeak.ℓ − the
 * last mi.ℓ (how far I(X; T_ℓ) fell after its peak); trainSeconds (train()'s wall
 * time without the measurements), estimatorSeconds and measureSeconds summed over
 * checkpoints, parameters.
 *
 * Seed streams: 'split' (train/test patterns), 'init' (weights), 'noise'
 * (training noise), 'batches', 'estimate-inputs' (a subset, when fewer than
 * 4,096), ('estimate', epoch) (replicas and Monte Carlo points).
 */
import * as tf from '@tensorflow/tfjs';
import { assertFinite, TrialInputError } from '../errors';
import type { FamilyRunner, TrialContext, TrialSummary } from '../family';
import { buildModel } from '../models/build';
import { parameterCount } from '../models/model';
import { deriveSeed, Rng, sampleIndices } from '../rng';
import { evaluate, train } from '../training';
import { binnedEntropy } from './binning';
import { clusterMeasures } from './clustering';
import { noisyModel, orthonormalStep, type NoisyModel } from './noisy-model';
import { parseBinSizes, parseWidths, type InfoflowParams } from './params';
import { spEstimate } from './sp-estimator';
import { SZT_INPUTS, SZT_PATTERNS, sztAll, sztSplit } from './szt';

/** `count` log-spaced epochs from 1 to `epochs`, rounded, distinct, ascending. */
export function logSpacedEpochs(epochs: number, count: number): number[] {
  if (count <= 1 || epochs === 1) return [epochs];
  const chosen = new Set<number>();
  for (let k = 0; k < count; k++) chosen.add(Math.round(Math.exp((Math.log(epochs) * k) / (count - 1))));
  return [...chosen].sort((a, b) => a - b);
}

export interface MeasureOptions {
  readonly beta: number;
  readonly replicas: number;
  readonly mcSamples: number;
  readonly binSizes: readonly number[];
  /** Stream of the replicas' noise and the Monte Carlo points. */
  readonly rng: Rng;
}

/** The measures of one checkpoint, named as the trial reports them, and the times taken. */
export async function measureLayers(
  model: NoisyModel,
  inputs: tf.Tensor2D,
  labels: Int32Array,
  options: MeasureOptions,
): Promise<{ metrics: Record<string, number>; estimatorSeconds: number }> {
  const { beta, replicas, mcSamples, binSizes, rng } = options;
  const n = inputs.shape[0];
  const metrics: Record<string, number> = {};

  // The noise-free network: binned entropies and clustering.
  const clean = tf.tidy(() => model.deterministic(inputs).hidden.map((h) => tf.keep(h)));
  try {
    for (const [i, layer] of clean.entries()) {
      const values = await layer.data();
      for (const size of binSizes) metrics[`binH.${i + 1}.${size}`] = binnedEntropy(values, n, size);
      const clusters = await clusterMeasures(layer, labels, 2 * beta);
      metrics[`sameClassClose.${i + 1}`] = clusters.sameClassClose;
      metrics[`clusterRatio.${i + 1}`] = clusters.clusterRatio;
    }
  } finally {
    tf.dispose(clean);
  }

  // The noisy network: `replicas` passes of every input, input-major.
  const started = performance.now();
  const samples = tf.tidy(() => {
    const repeated = tf.reshape(tf.tile(tf.expandDims(inputs, 1), [1, replicas, 1]), [n * replicas, inputs.shape[1]]) as tf.Tensor2D;
    return model.sample(repeated, rng).clean.map((s, i) =>
      // S_1 is a function of x: one replica per input.
      tf.keep(i === 0 && replicas > 1 ? (tf.reshape(tf.slice(tf.reshape(s, [n, replicas, -1]), [0, 0, 0], [n, 1, -1]), [n, -1]) as tf.Tensor2D) : s),
    );
  });
  try {
    for (const [i, centres] of samples.entries()) {
      const estimate = await spEstimate(centres, n, i === 0 ? 1 : replicas, { beta, samples: mcSamples, rng });
      metrics[`mi.${i + 1}`] = estimate.mi;
      metrics[`miStderr.${i + 1}`] = estimate.miStderr;
      metrics[`h.${i + 1}`] = estimate.h;
      metrics[`hCond.${i + 1}`] = estimate.hCond;
    }
  } finally {
    tf.dispose(samples);
  }
  return { metrics, estimatorSeconds: (performance.now() - started) / 1000 };
}

async function run(params: InfoflowParams, ctx: TrialContext): Promise<TrialSummary> {
  if (params.dataset !== 'szt') throw new TrialInputError(`infoflow: unknown data set '${String(params.dataset)}' (known: szt)`);
  const widths = parseWidths(params.widths);
  const binSizes = parseBinSizes(params.binSizes);
  const { beta } = params;
  const { train: trainSet, test: testSet } = sztSplit(params.trainFraction, deriveSeed(ctx.seed, 'split'));
  const all = sztAll();
  const chosen =
    params.estimateInputs >= SZT_PATTERNS
      ? Int32Array.from({ length: SZT_PATTERNS }, (_, k) => k)
      : sampleIndices(SZT_PATTERNS, params.estimateInputs, new Rng(deriveSeed(ctx.seed, 'estimate-inputs')));
  const labels = Int32Array.from(chosen, (k) => all.labels[k]!);
  const inner = buildModel('mlp', {
    width: widths[0]!,
    widths,
    seed: deriveSeed(ctx.seed, 'init'),
    activation: params.activation,
    height: 1,
    imageWidth: SZT_INPUTS,
    numClasses: 2,
  });
  const model = noisyModel(inner, { beta, seed: deriveSeed(ctx.seed, 'noise') });
  const inputs = tf.tidy(() => tf.gather(tf.tensor2d(all.images, [all.count, SZT_INPUTS]), tf.tensor1d(chosen, 'int32')) as tf.Tensor2D);
  try {
    const parameters = parameterCount(model);
    const checkpoints = new Set(logSpacedEpochs(params.epochs, params.checkpoints));
    ctx.log(
      `infoflow: 12-${widths.join('-')}-2 ${params.activation}, β=${beta}${params.orthonormal ? `, orthonormal α=${params.alpha}` : ''}, ` +
        `${trainSet.count} training patterns, ${checkpoints.size} checkpoints over ${params.epochs} epochs, ` +
        `estimates over ${chosen.length} inputs × ${params.replicas} replicas, ${params.mcSamples} Monte Carlo points, backend ${ctx.backend}`,
    );
    const kernels = model.hiddenKernels();
    const afterStep = params.orthonormal ? () => orthonormalStep(kernels, params.alpha) : undefined;
    let measureMs = 0;
    let estimatorSeconds = 0;
    let last: Record<string, number> = {};
    const peaks = widths.map(() => ({ mi: -Infinity, epoch: 0 }));
    const started = performance.now();
    await train(model, trainSet, testSet, {
      optimizer: params.optimizer,
      learningRate: params.learningRate,
      epochs: params.epochs,
      batchSize: params.batchSize,
      seed: deriveSeed(ctx.seed, 'batches'),
      afterStep,
      onEpoch: async ({ epoch, loss, accuracy, testLoss, testAccuracy }) => {
        if (!checkpoints.has(epoch)) return;
        const measureStarted = performance.now();
        const measured = await measureLayers(model, inputs, labels, {
          beta,
          replicas: params.replicas,
          mcSamples: params.mcSamples,
          binSizes,
          rng: new Rng(deriveSeed(ctx.seed, 'estimate', epoch)),
        });
        const cleanTrain = await evaluate(model.inner, trainSet);
        const cleanTest = await evaluate(model.inner, testSet);
        const measureSeconds = (performance.now() - measureStarted) / 1000;
        last = {
          epoch,
          loss,
          accuracy,
          testLoss,
          testAccuracy,
          cleanAccuracy: cleanTrain.accuracy,
          cleanTestAccuracy: cleanTest.accuracy,
          ...measured.metrics,
          estimatorSeconds: measured.estimatorSeconds,
          measureSeconds,
        };
        assertFinite(last, `epoch ${epoch}`);
        widths.forEach((_, i) => {
          const mi = last[`mi.${i + 1}`]!;
          if (mi > peaks[i]!.mi) peaks[i] = { mi, epoch };
        });
        ctx.report(epoch, last);
        ctx.log(`epoch ${epoch}: I(X;T) ${widths.map((_, i) => last[`mi.${i + 1}`]!.toFixed(3)).join(' ')} nats, ${measured.estimatorSeconds.toFixed(1)} s`);
        estimatorSeconds += measured.estimatorSeconds;
        measureMs += performance.now() - measureStarted;
      },
    });
    const trainSeconds = (performance.now() - started - measureMs) / 1000;
    const summary: Record<string, number> = { ...last };
    peaks.forEach((peak, i) => {
      summary[`miPeak.${i + 1}`] = peak.mi;
      summary[`miPeakEpoch.${i + 1}`] = peak.epoch;
      summary[`compression.${i + 1}`] = peak.mi - last[`mi.${i + 1}`]!;
    });
    return { ...summary, trainSeconds, estimatorSeconds, measureSeconds: measureMs / 1000, parameters };
  } finally {
    inputs.dispose();
    model.dispose();
  }
}

const infoflowRunner: FamilyRunner<InfoflowParams> = { usesTensorflow: true, run };
export default infoflowRunner;
