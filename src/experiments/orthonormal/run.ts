/**
 * `orthonormal` trial: train an MLP or a CNN with one method (methods.ts) and
 * report, every epoch, the training loss and accuracy, the validation loss and
 * accuracy (`testLoss`, `testAccuracy`: the seeded subset of the test split),
 * and the orthogonality error ‖h(W) h(W)ᵀ − I‖_F of each targeted layer's
 * matrix as it is used (`orthError.<layer>`, e.g. `orthError.dense0`; h(W) = W
 * under none and orth-reg; orthogonality.ts) with their mean over the targeted
 * layers (`orthError`).
 *
 * The summary is the last epoch's values plus `trainSeconds` (the training
 * loop's wall time, its per-epoch validation pass included, the orthogonality
 * read-out excluded), `secondsPerStep` (that over the number of minibatch
 * updates) and `parameters`. Seed streams as in the train family ('train-subset',
 * 'test-subset', 'init', 'batches'), plus 'power-start' for the power-iteration
 * start vectors, so every method starts from the same weights on the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../data/load';
import { assertFinite, TrialInputError } from '../errors';
import type { FamilyRunner, TrialContext, TrialSummary } from '../family';
import { buildModelForDataset } from '../models/for-dataset';
import { parameterCount } from '../models/model';
import { deriveSeed } from '../rng';
import { train } from '../training';
import { methodTransform } from './methods';
import { normalisedModel, type NormalisedModel } from './normalised-model';
import { orthogonalityError, orthogonalityPenalty } from './orthogonality';
import type { OrthonormalParams } from './params';

/** `orthError.<layer>` of every target and their mean `orthError`, read at once. */
export async function orthogonalityErrors(model: NormalisedModel): Promise<Record<string, number>> {
  const stacked = tf.tidy(() => tf.stack(model.effectiveMatrices().map(orthogonalityError)));
  const values = await stacked.data();
  stacked.dispose();
  const errors: Record<string, number> = {};
  let total = 0;
  model.targets.forEach((target, i) => {
    errors[`orthError.${target.layer}`] = values[i]!;
    total += values[i]!;
  });
  return { orthError: total / model.targets.length, ...errors };
}

async function run(params: OrthonormalParams, ctx: TrialContext): Promise<TrialSummary> {
  if ((params.arch as string) === 'lstm') throw new TrialInputError('the orthonormal family normalises dense and conv layers: use mlp or cnn');
  const trainSet = loadDataset(params.dataset, 'train', params.trainSize, deriveSeed(ctx.seed, 'train-subset'));
  const testSet = loadDataset(params.dataset, 'test', params.testSize, deriveSeed(ctx.seed, 'test-subset'));
  const inner = buildModelForDataset(params.arch, params.dataset, { width: params.width, depth: params.depth, seed: deriveSeed(ctx.seed, 'init') });
  let model: NormalisedModel;
  try {
    model = normalisedModel(inner, { transform: methodTransform(params), includeHead: params.includeHead, seed: deriveSeed(ctx.seed, 'power-start') });
  } catch (err) {
    inner.dispose();
    throw err;
  }
  try {
    const parameters = parameterCount(model);
    const detail = params.method === 'orth-reg' ? ` λ=${params.lambda}` : params.method === 'aon' ? ` K=${params.order}` : '';
    ctx.log(
      `orthonormal: ${params.method}${detail} on ${model.targets.map((t) => t.layer).join(', ')} of a ${params.arch} (${parameters} parameters), ` +
        `${trainSet.count} ${params.dataset} examples, backend ${ctx.backend}`,
    );
    const { lambda } = params;
    const regularizer =
      params.method === 'orth-reg' && lambda > 0 ? () => tf.mul(orthogonalityPenalty(model.rawMatrices()), lambda) as tf.Scalar : undefined;
    let readoutMs = 0;
    let last: Record<string, number> = {};
    const started = performance.now();
    await train(model, trainSet, testSet, {
      optimizer: params.optimizer,
      learningRate: params.learningRate,
      epochs: params.epochs,
      batchSize: params.batchSize,
      seed: deriveSeed(ctx.seed, 'batches'),
      regularizer,
      onEpoch: async ({ epoch, loss, accuracy, testLoss, testAccuracy }) => {
        const readStarted = performance.now();
        const errors = await orthogonalityErrors(model);
        assertFinite(errors, `epoch ${epoch}`);
        last = { loss, accuracy, testLoss, testAccuracy, ...errors };
        ctx.report(epoch, last);
        readoutMs += performance.now() - readStarted;
      },
    });
    const trainSeconds = (performance.now() - started - readoutMs) / 1000;
    const steps = params.epochs * Math.ceil(trainSet.count / params.batchSize);
    return { ...last, trainSeconds, secondsPerStep: trainSeconds / steps, parameters };
  } finally {
    model.dispose();
  }
}

const orthonormalRunner: FamilyRunner<OrthonormalParams> = { usesTensorflow: true, run };
export default orthonormalRunner;
