/**
 * `transfer` trial: obtain the pair's source network (cached, see source.ts),
 * build the target network for the strategy (strategy.ts, network.ts; the PTU
 * reconstruction is stated in ptu.ts), train it on `targetSize` labelled target
 * examples, and report target test accuracy, the loss curves, and for a PTU
 * the mean gates g and r per layer (g → 1 share, g → 0 & r → 1 fine-tune,
 * g → 0 & r → 0 scratch).
 *
 * Randomness: the source depends only on (source settings, seed), so every
 * strategy, pair and target size of a seed shares one source network; the
 * target subset and the fresh weights have their own streams, so strategies of
 * a seed see the same target examples and the same fresh initial weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArtifactStore } from '../artifacts/store';
import type { FamilyRunner, TrialContext, TrialSummary } from '../family';
import { parameterCount } from '../models/model';
import { deriveSeed } from '../rng';
import { train } from '../training';
import { DOMAINS, loadDomain, numClassesOf, PAIRS } from './domains';
import { buildTransferNet, type TransferNet } from './network';
import type { TransferParams } from './params';
import { obtainSource, type SourceNetwork } from './source';
import { layerModes, needsSource } from './strategy';

/** Test examples the gates are averaged over after each epoch (a fixed prefix of the test subset). */
const GATE_PROBE_SIZE = 200;

async function gateMetrics(net: TransferNet, probe: tf.Tensor2D): Promise<Record<string, number>> {
  const metrics: Record<string, number> = {};
  for (const { layer, g, r } of await net.gateMeans(probe)) {
    metrics[`gateG${layer + 1}`] = g;
    metrics[`gateR${layer + 1}`] = r;
  }
  return metrics;
}

/** The trial with an explicit artifact store (tests pass a tampered or in-memory one; run() passes the context's). */
export async function runTransfer(params: TransferParams, ctx: TrialContext, store: ArtifactStore): Promise<TrialSummary> {
  const pair = PAIRS[params.pair];
  const target = DOMAINS[pair.target];
  const trainSet = loadDomain(target, 'train', 'target', params.targetSize, deriveSeed(ctx.seed, 'target-subset'));
  const testSet = loadDomain(target, 'test', 'target', params.testSize, deriveSeed(ctx.seed, 'target-test'));

  let source: SourceNetwork | null = null;
  if (needsSource(params.strategy)) {
    source = await obtainSource(
      store,
      {
        domain: pair.source,
        arch: params.arch,
        width: params.width,
        trainSize: params.sourceSize,
        epochs: params.sourceEpochs,
        learningRate: params.sourceLearningRate,
        seed: ctx.seed,
      },
      ctx.log,
    );
  }

  const net = buildTransferNet({
    arch: params.arch,
    width: params.width,
    numClasses: numClassesOf(target),
    seed: deriveSeed(ctx.seed, 'target-init'),
    modes: layerModes(params.strategy, params.k),
    source: source?.weights,
  });
  const probeSize = Math.min(GATE_PROBE_SIZE, testSet.count);
  const probe = tf.tensor2d(testSet.images.subarray(0, probeSize * testSet.features), [probeSize, testSet.features]);
  try {
    ctx.log(
      `transfer ${params.pair} ${params.arch} ${params.strategy}: ${trainSet.count} target examples, ` +
        `modes ${net.modes.join('/')}, backend ${ctx.backend}`,
    );
    let gates: Record<string, number> = {};
    const started = performance.now();
    const history = await train(net, trainSet, testSet, {
      optimizer: params.optimizer,
      learningRate: params.learningRate,
      epochs: params.epochs,
      batchSize: params.batchSize,
      seed: deriveSeed(ctx.seed, 'target-batches'),
      trainable: net.trainable,
      onEpoch: async ({ epoch, loss, accuracy, testLoss, testAccuracy }) => {
        gates = await gateMetrics(net, probe);
        ctx.report(epoch, { loss, accuracy, testLoss, testAccuracy, ...gates });
      },
    });
    const last = history[history.length - 1]!;
    const summary: TrialSummary = {
      testAccuracy: last.testAccuracy,
      testLoss: last.testLoss,
      loss: last.loss,
      accuracy: last.accuracy,
      trainSeconds: (performance.now() - started) / 1000,
      parameters: parameterCount(net),
      trainableParameters: net.trainable.reduce((n, v) => n + v.size, 0),
      ...gates,
    };
    if (source) {
      summary.sourceReused = source.reused ? 1 : 0;
      summary.sourceTestAccuracy = source.testAccuracy;
      summary.sourceSeconds = source.seconds;
    }
    return summary;
  } finally {
    probe.dispose();
    net.dispose();
  }
}

async function run(params: TransferParams, ctx: TrialContext): Promise<TrialSummary> {
  return runTransfer(params, ctx, ctx.artifacts);
}

const transferRunner: FamilyRunner<TransferParams> = { usesTensorflow: true, run };
export default transferRunner;
