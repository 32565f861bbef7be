/**
 * `corruption` trial (Sun et al., AAAI 2021): train a model normally or with
 * corruption-resistant training (or reuse one trained with the same settings,
 * trained-model.ts), then for every ε of the list measure the loss increase and
 * the accuracy under the gradient-based, random and multi-step corruption of
 * the targeted parameters (measure.ts), on the trial's test subset.
 *
 * Metrics: one step per ε (step = its index in `epsilons`), each step
 * carrying `eps` itself, so that a table can put ε in its columns:
 *   eps, lossIncrease.{estimate, gradient, random.mean, random.std, pgd},
 *   accuracy.{gradient, random.mean, random.std, pgd}
 * plus the training curves at step = epoch: train.{loss, accuracy, testLoss, testAccuracy}.
 * Summary: clean loss/accuracy, the gradient's dual norm, sizes and timings.
 *
 * Seeds follow the `train` family (same subsets, initial weights and batch
 * order for the same seed), so a normal-training trial's model is the one a
 * `train` trial with the same settings trains.
 */
import { loadDataset } from '../data/load';
import type { FamilyRunner, TrialContext, TrialSummary } from '../family';
import { buildModelForDataset } from '../models/for-dataset';
import { parameterCount, type Model } from '../models/model';
import { deriveSeed } from '../rng';
import { train } from '../training';
import { measureCorruption, type EpsilonResult } from './measure';
import { obtainTrainedModel, trainedModelKey, type TrainingRecord } from './trained-model';
import { modelProbe } from './model-probe';
import { parseEpsilons, type CorruptionParams } from './params';
import { resistantPerturb } from './resistant';
import { targetParams } from './targets';

/** The metrics of one ε, in the naming a `sweep table … --cols eps` reads. */
export function epsilonMetrics(result: EpsilonResult): Record<string, number> {
  return {
    eps: result.eps,
    'lossIncrease.estimate': result.estimate,
    'lossIncrease.gradient': result.gradient.lossIncrease,
    'lossIncrease.random.mean': result.random.lossIncreaseMean,
    'lossIncrease.random.std': result.random.lossIncreaseStd,
    'accuracy.gradient': result.gradient.accuracy,
    'accuracy.random.mean': result.random.accuracyMean,
    'accuracy.random.std': result.random.accuracyStd,
    ...(result.pgd ? { 'lossIncrease.pgd': result.pgd.lossIncrease, 'accuracy.pgd': result.pgd.accuracy } : {}),
  };
}

async function trainedModel(params: CorruptionParams, ctx: TrialContext, model: Model): Promise<TrainingRecord & { reused: boolean }> {
  const trainSet = loadDataset(params.dataset, 'train', params.trainSize, deriveSeed(ctx.seed, 'train-subset'));
  const testSet = loadDataset(params.dataset, 'test', params.testSize, deriveSeed(ctx.seed, 'test-subset'));
  const { dataset, arch, width, depth, optimizer, learningRate, epochs, batchSize, trainSize, testSize, training } = params;
  const key = trainedModelKey({
    dataset, arch, width, depth, optimizer, learningRate, epochs, batchSize, trainSize, testSize, training,
    ...(training === 'resistant' ? { resistEps: params.resistEps, norm: params.norm } : {}),
    seed: ctx.seed,
    backend: ctx.backend,
  });
  const obtained = await obtainTrainedModel(ctx.artifacts, key, model, async () => {
    ctx.log(`corruption: training the ${arch} ${key.slice(0, 12)} (no stored model with these settings)`);
    const started = performance.now();
    const history = await train(model, trainSet, testSet, {
      optimizer,
      learningRate,
      epochs,
      batchSize,
      seed: deriveSeed(ctx.seed, 'batches'),
      ...(training === 'resistant' ? { perturb: resistantPerturb(model.params.map((p) => p.variable), params.norm, params.resistEps) } : {}),
    });
    return { history, trainSeconds: (performance.now() - started) / 1000 };
  });
  if (obtained.reused) ctx.log(`corruption: reusing the trained ${arch} ${key.slice(0, 12)}`);
  return obtained;
}

async function run(params: CorruptionParams, ctx: TrialContext): Promise<TrialSummary> {
  const epsilons = parseEpsilons(params.epsilons);
  const model = buildModelForDataset(params.arch, params.dataset, { width: params.width, depth: params.depth, seed: deriveSeed(ctx.seed, 'init') });
  try {
    const targeted = targetParams(model, params.target);
    ctx.log(
      `corruption: ${params.arch} (${parameterCount(model)} parameters), ${params.training} training, ` +
        `target ${params.target} (${targeted.map((p) => p.name).join(', ')}), ${params.norm}, ε ∈ {${epsilons.join(', ')}}, backend ${ctx.backend}`,
    );
    const trained = await trainedModel(params, ctx, model);
    for (const m of trained.history) {
      ctx.report(m.epoch, { 'train.loss': m.loss, 'train.accuracy': m.accuracy, 'train.testLoss': m.testLoss, 'train.testAccuracy': m.testAccuracy });
    }

    const evalSet = loadDataset(params.dataset, 'test', params.testSize, deriveSeed(ctx.seed, 'test-subset'));
    const probe = modelProbe(model, evalSet, targeted.map((p) => p.variable));
    const started = performance.now();
    try {
      const measurement = await measureCorruption(probe, {
        norm: params.norm,
        epsilons,
        draws: params.draws,
        pgdSteps: params.pgdSteps,
        seed: deriveSeed(ctx.seed, 'corruption'),
        onEpsilon: (result, index) => ctx.report(index, epsilonMetrics(result)),
      });
      const last = trained.history[trained.history.length - 1]!;
      return {
        loss: measurement.clean.loss,
        accuracy: measurement.clean.accuracy,
        trainLoss: last.loss,
        trainAccuracy: last.accuracy,
        gradientDualNorm: measurement.gradientDualNorm,
        parameters: parameterCount(model),
        targetParameters: targeted.reduce((n, p) => n + p.variable.size, 0),
        trainSeconds: trained.trainSeconds,
        measureSeconds: (performance.now() - started) / 1000,
        reusedModel: trained.reused ? 1 : 0,
      };
    } finally {
      probe.dispose();
    }
  } finally {
    model.dispose();
  }
}

const corruptionRunner: FamilyRunner<CorruptionParams> = { usesTensorflow: true, run };
export default corruptionRunner;
