/**
 * The `regions` trial. Papers:
 *
 * - Kumar, Serra, Ramalingam, "Equivalent and Approximate Transformations of
 *   Deep Neural Networks" (arXiv 1905.11428): ReLUs that are stably inactive
 *   or stably active over every valid input can be removed or folded into the
 *   next layer without changing the function; l1 regularisation and
 *   adversarial training make many units stable, so ReLU networks can be
 *   trained for lossless compression.
 * - Serra, Tjandraatmadja, Ramalingam, "Bounding and Counting Linear Regions of
 *   Deep Neural Networks" (ICML 2018): linear regions counted by a MILP with
 *   one binary per unit, enumerating activation patterns with no-good cuts.
 *
 * One trial: train a ReLU MLP with an l1 penalty (and optionally FGSM
 * adversarial training); bound every pre-activation over the input box
 * [0, 1]ⁿ, by intervals and then exactly by MILP (milp-bounds.ts, HiGHS);
 * remove or fold the stable units (compress.ts) and check, on the test set and
 * on random inputs in the box, that the smaller network is the same function;
 * count linear regions exactly by MILP enumeration within a budget
 * (region-count.ts), and the distinct activation patterns that the test set
 * and random inputs visit (patterns.ts, through the model builder's
 * pre-activation hook).
 *
 * Ours, where the papers leave it open: the l1 penalty covers every kernel
 * (not biases); adversarial training weights clean and FGSM loss equally;
 * "valid inputs" are the whole box [0, 1]ⁿ, not just the data.
 */
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../data/load';
import type { FamilyRunner, TrialContext, TrialSummary } from '../family';
import { buildModelForDataset } from '../models/for-dataset';
import { parameterCount } from '../models/model';
import { deriveSeed, Rng } from '../rng';
import { epochCurves, train } from '../training';
import { compressNetwork } from './compress';
import { maxLogitDifference } from './equivalence';
import { fgsmExamples } from './fgsm';
import { reluNetworkOf } from './from-model';
import { stableUnits, tightenBounds } from './milp-bounds';
import type { RegionsParams } from './params';
import { countDistinctPatterns } from './patterns';
import { countLinearRegions } from './region-count';
import { unitBox, type ReluNetwork } from './relu-network';

/** Clean and adversarial loss weigh the same in an FGSM update (Goodfellow et al.'s α = 0.5). */
const ADVERSARIAL_WEIGHT = 0.5;

function parametersOf(net: ReluNetwork): number {
  return [...net.hidden, net.output].reduce((total, layer) => total + layer.weights.length + layer.bias.length, 0);
}

function uniformInputs(count: number, features: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const values = new Float32Array(count * features);
  for (let i = 0; i < values.length; i++) values[i] = rng.next();
  return values;
}

async function run(params: RegionsParams, ctx: TrialContext): Promise<TrialSummary> {
  const trainSet = loadDataset(params.dataset, 'train', params.trainSize, deriveSeed(ctx.seed, 'train-subset'));
  const testSet = loadDataset(params.dataset, 'test', params.testSize, deriveSeed(ctx.seed, 'test-subset'));
  const model = buildModelForDataset('mlp', params.dataset, { width: params.width, depth: params.depth, seed: deriveSeed(ctx.seed, 'init') });
  try {
    ctx.log(
      `regions: mlp ${model.inputSize}-${Array(params.depth).fill(params.width).join('-')}-10 on ${trainSet.count} ${params.dataset}, ` +
        `l1 ${params.l1}, adversarial ${params.adversarial}, backend ${ctx.backend}`,
    );
    const kernels = model.params.filter((p) => p.name.endsWith('/kernel')).map((p) => p.variable);
    const started = performance.now();
    const history = await train(model, trainSet, testSet, {
      optimizer: params.optimizer,
      learningRate: params.learningRate,
      epochs: params.epochs,
      batchSize: params.batchSize,
      seed: deriveSeed(ctx.seed, 'batches'),
      regularizer: params.l1 > 0 ? () => tf.mul(params.l1, tf.addN(kernels.map((k) => tf.sum(tf.abs(k))))) : undefined,
      adversarial: params.adversarial === 'fgsm' ? { examples: fgsmExamples(model, params.epsilon), weight: ADVERSARIAL_WEIGHT } : undefined,
      onEpoch: (m) => ctx.report(m.epoch, epochCurves(m)),
    });
    const trainSeconds = (performance.now() - started) / 1000;
    const last = history[history.length - 1]!;

    const net = await reluNetworkOf(model);
    const box = unitBox(net.inputSize);
    // Units that intervals already prove stable need no MILP: stable units get no binary, so their bounds are never big-M constants.
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: params.boundTimeLimit, skipStable: true });
    const stable = stableUnits(bounds);
    const compression = compressNetwork(net, stable);
    const units = params.depth * params.width;
    const removed = compression.removedInactive.reduce((a, b) => a + b, 0) + compression.foldedActive.reduce((a, b) => a + b, 0);
    ctx.log(
      `regions: bounds in ${bounds.seconds.toFixed(1)} s (${bounds.solves} MILP solves, ${bounds.timeLimitHits} at the time limit); ` +
        `stable inactive ${stable.map((s) => s.inactive.length).join('/')}, active ${stable.map((s) => s.active.length).join('/')}; ` +
        `kept ${compression.kept.join('/')} of ${params.width} per layer`,
    );

    const random = uniformInputs(params.randomInputs, net.inputSize, deriveSeed(ctx.seed, 'random-inputs'));
    const diffTest = maxLogitDifference(net, compression.network, testSet.images, testSet.count);
    const diffRandom = maxLogitDifference(net, compression.network, random, params.randomInputs);
    const patternsOf = async (values: Float32Array, count: number): Promise<number> => {
      if (count === 0) return 0;
      const x = tf.tensor2d(values, [count, net.inputSize]);
      try {
        return await countDistinctPatterns(model, x);
      } finally {
        x.dispose();
      }
    };
    const patternsTest = await patternsOf(testSet.images, testSet.count);
    const patternsRandom = await patternsOf(random, params.randomInputs);

    const perLayer: TrialSummary = {};
    stable.forEach((s, l) => {
      perLayer[`inactive.${l + 1}`] = s.inactive.length;
      perLayer[`active.${l + 1}`] = s.active.length;
      perLayer[`removed.${l + 1}`] = compression.removedInactive[l]! + compression.foldedActive[l]!;
    });
    const summary: TrialSummary = {
      testAccuracy: last.testAccuracy,
      testLoss: last.testLoss,
      accuracy: last.accuracy,
      ...perLayer,
      removed,
      compression: (100 * removed) / units,
      parameters: parameterCount(model),
      compressedParameters: parametersOf(compression.network),
      maxDiffTest: diffTest,
      maxDiffRandom: diffRandom,
      patternsTest,
      patternsRandom,
      boundSeconds: bounds.seconds,
      boundSolves: bounds.solves,
      boundTimeLimitHits: bounds.timeLimitHits,
      boundFallbacks: bounds.fallbacks,
      trainSeconds,
    };
    if (params.regionTimeLimit > 0) {
      // The regions the test set and the random inputs visit are counted without a solve; the MILP finds the rest.
      const seeds = new Float32Array(testSet.images.length + random.length);
      seeds.set(testSet.images);
      seeds.set(random, testSet.images.length);
      const regions = await countLinearRegions(net, box, bounds, {
        timeLimitSeconds: params.regionTimeLimit,
        maxRegions: params.maxRegions,
        seedPoints: { values: seeds, count: testSet.count + params.randomInputs },
      });
      ctx.log(
        `regions: ${regions.exact ? 'all' : 'at least'} ${regions.count} linear regions (with a margin δ: see region-count.ts) ` +
          `in ${regions.seconds.toFixed(1)} s, ${regions.solves} MILP solves (${regions.stoppedBy})`,
      );
      Object.assign(summary, { regions: regions.count, regionsExact: regions.exact ? 1 : 0, regionSeconds: regions.seconds, regionSolves: regions.solves });
    }
    return summary;
  } finally {
    model.dispose();
  }
}

const regionsRunner: FamilyRunner<RegionsParams> = { usesTensorflow: true, run };
export default regionsRunner;
