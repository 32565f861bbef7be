/**
 * `train` trial: draw seeded subsets of a data set, build a seeded model, train
 * it, report every epoch. The summary is the last epoch's metrics plus the
 * training time and the parameter count.
 *
 * Every random choice derives from the trial's seed through its own stream
 * (training subset, test subset, initial weights, batch order), so changing
 * e.g. the test size does not change the weights the model starts from.
 */
import { loadDataset } from '../data/load';
import type { FamilyRunner, TrialContext, TrialSummary } from '../family';
import { buildModelForDataset } from '../models/for-dataset';
import { parameterCount } from '../models/model';
import { deriveSeed } from '../rng';
import { epochCurves, train } from '../training';
import type { TrainParams } from './params';

async function run(params: TrainParams, ctx: TrialContext): Promise<TrialSummary> {
  const trainSet = loadDataset(params.dataset, 'train', params.trainSize, deriveSeed(ctx.seed, 'train-subset'));
  const testSet = loadDataset(params.dataset, 'test', params.testSize, deriveSeed(ctx.seed, 'test-subset'));
  const model = buildModelForDataset(params.arch, params.dataset, { width: params.width, depth: params.depth, seed: deriveSeed(ctx.seed, 'init') });
  try {
    const parameters = parameterCount(model);
    ctx.log(`train: ${params.arch} (${parameters} parameters) on ${trainSet.count} ${params.dataset} examples, backend ${ctx.backend}`);
    const started = performance.now();
    const history = await train(model, trainSet, testSet, {
      optimizer: params.optimizer,
      learningRate: params.learningRate,
      epochs: params.epochs,
      batchSize: params.batchSize,
      seed: deriveSeed(ctx.seed, 'batches'),
      onEpoch: (m) => ctx.report(m.epoch, epochCurves(m)),
    });
    const trainSeconds = (performance.now() - started) / 1000;
    const last = history[history.length - 1]!;
    return {
      loss: last.loss,
      accuracy: last.accuracy,
      testLoss: last.testLoss,
      testAccuracy: last.testAccuracy,
      trainSeconds,
      parameters,
    };
  } finally {
    model.dispose();
  }
}

const trainRunner: FamilyRunner<TrainParams> = { usesTensorflow: true, run };
export default trainRunner;
