/**
 * The supervised training loop every study reuses: seeded minibatch order,
 * softmax cross-entropy, one of four optimizers, a test evaluation after each
 * epoch. Loss and accuracy are summed on the backend and read once per epoch,
 * so a GPU backend is not stalled by a read after every batch.
 *
 * The reported training loss/accuracy are the running means over the epoch's
 * minibatches (computed with the weights as they were at each batch, as
 * Keras reports them), not a second pass over the training set.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './data/dataset';
import { assertFinite, TrialInputError, TrialMathError } from './errors';
import { variablesOf, type Model } from './models/model';
import { permutation, Rng } from './rng';

export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'rmsprop';

/** Momentum coefficient of the 'momentum' optimizer (the usual 0.9). */
export const MOMENTUM = 0.9;

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, MOMENTUM);
    case 'adam':
      return tf.train.adam(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    default:
      throw new TrialInputError(`unknown optimizer '${String(name)}' (known: sgd, momentum, adam, rmsprop)`);
  }
}

export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
}

export interface TrainOptions {
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Seed of the minibatch order (a fresh seeded permutation each epoch). */
  seed: number;
  /** Called after every epoch, after the test evaluation; awaited. */
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  /** Added to the objective but not to the reported loss (weight penalties, orthonormality…). */
  regularizer?: () => tf.Scalar;
  /** Variables to update; default all of the model's (pass a subset to freeze layers). */
  trainable?: tf.Variable[];
  /**
   * Mean training loss above which the run has diverged (TrialMathError).
   * Default 10·ln(numClasses), ten times the loss of guessing uniformly.
   */
  divergenceLoss?: number;
  /** Batch size of the test evaluation, default 1000 (memory only; results do not depend on it). */
  evalBatchSize?: number;
  /**
   * Called before each minibatch update with that batch's loss at the current
   * weights. It may move the variables (w → w + a) and return how to move them
   * back; the update's gradient is then taken at the moved point and the move is
   * undone after the update, so w ← w + step(∇L(w + a)): corruption-resistant
   * training. Exact for these optimizers, whose step does not depend on w. The
   * reported training loss is then the loss at the moved point.
   */
  perturb?: (batchLoss: () => tf.Scalar) => (() => void) | void;
}

interface TensorData {
  readonly x: tf.Tensor2D;
  /** One-hot, float32. */
  readonly y: tf.Tensor2D;
  readonly labels: tf.Tensor1D;
  readonly count: number;
}

function checkShape(model: Model, data: Dataset): void {
  if (data.features !== model.inputSize || data.numClasses !== model.numClasses) {
    throw new TrialInputError(
      `${data.name} ${data.split} has ${data.features} features and ${data.numClasses} classes, ` +
        `but the ${model.arch} expects ${model.inputSize} and ${model.numClasses}`,
    );
  }
}

function toTensors(data: Dataset): TensorData {
  return tf.tidy(() => {
    const labels = tf.tensor1d(data.labels, 'int32');
    return {
      x: tf.tensor2d(data.images, [data.count, data.features]),
      y: tf.cast(tf.oneHot(labels, data.numClasses), 'float32') as tf.Tensor2D,
      labels,
      count: data.count,
    };
  });
}

function disposeData(data: TensorData): void {
  tf.dispose([data.x, data.y, data.labels]);
}

function countCorrect(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
}

/** Mean loss and accuracy over all of `data`, in batches; one read at the end. */
async function evaluateTensors(model: Model, data: TensorData, batchSize: number): Promise<{ loss: number; accuracy: number }> {
  let lossSum = tf.scalar(0);
  let correctSum = tf.scalar(0);
  for (let start = 0; start < data.count; start += batchSize) {
    const size = Math.min(batchSize, data.count - start);
    const [nextLoss, nextCorrect] = tf.tidy(() => {
      const x = tf.slice(data.x, [start, 0], [size, -1]);
      const y = tf.slice(data.y, [start, 0], [size, -1]);
      const labels = tf.slice(data.labels, [start], [size]);
      const logits = model.apply(x);
      const batchLoss = tf.mul(tf.losses.softmaxCrossEntropy(y, logits), size);
      return [tf.add(lossSum, batchLoss), tf.add(correctSum, countCorrect(logits, labels))];
    });
    tf.dispose([lossSum, correctSum]);
    lossSum = nextLoss as tf.Scalar;
    correctSum = nextCorrect as tf.Scalar;
  }
  const [loss, correct] = await Promise.all([lossSum.data(), correctSum.data()]);
  tf.dispose([lossSum, correctSum]);
  return { loss: loss[0]! / data.count, accuracy: correct[0]! / data.count };
}

/** Mean softmax cross-entropy and accuracy of `model` on `data`. */
export async function evaluate(model: Model, data: Dataset, batchSize = 1000): Promise<{ loss: number; accuracy: number }> {
  checkShape(model, data);
  const tensors = toTensors(data);
  try {
    return await evaluateTensors(model, tensors, batchSize);
  } finally {
    disposeData(tensors);
  }
}

/** Lets heartbeats, IPC messages and cancellation through during long epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Trains `model` in place and returns the metrics of every epoch.
 * Throws TrialMathError when a loss becomes NaN/infinite or diverges.
 */
export async function train(model: Model, trainSet: Dataset, testSet: Dataset, options: TrainOptions): Promise<EpochMetrics[]> {
  const { epochs, batchSize, seed, onEpoch, regularizer, evalBatchSize = 1000 } = options;
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new TrialInputError(`epochs must be a positive integer, got ${epochs}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new TrialInputError(`batchSize must be a positive integer, got ${batchSize}`);
  checkShape(model, trainSet);
  checkShape(model, testSet);
  const divergenceLoss = options.divergenceLoss ?? 10 * Math.log(model.numClasses);
  const trainable = options.trainable ?? variablesOf(model);

  const optimizer = makeOptimizer(options.optimizer, options.learningRate);
  const trainData = toTensors(trainSet);
  const testData = toTensors(testSet);
  const rng = new Rng(seed);
  const history: EpochMetrics[] = [];
  let lastYield = performance.now();
  // Per-epoch sums; at function scope so that an error mid-epoch still frees them.
  let lossSum: tf.Scalar = tf.scalar(0);
  let correctSum: tf.Scalar = tf.scalar(0);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = permutation(trainData.count, rng);
      tf.dispose([lossSum, correctSum]);
      lossSum = tf.scalar(0);
      correctSum = tf.scalar(0);
      for (let start = 0; start < trainData.count; start += batchSize) {
        const indices = order.subarray(start, Math.min(start + batchSize, trainData.count));
        const size = indices.length;
        let batchLoss: tf.Scalar | undefined;
        let batchCorrect: tf.Scalar | undefined;
        tf.tidy(() => {
          const idx = tf.tensor1d(indices, 'int32');
          const x = tf.gather(trainData.x, idx);
          const y = tf.gather(trainData.y, idx);
          const labels = tf.gather(trainData.labels, idx);
          const undo = options.perturb?.(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)) as tf.Scalar);
          optimizer.minimize(
            () => {
              const logits = model.apply(x);
              const loss = tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
              // Kept past the gradient scope: summed below, disposed by hand.
              batchLoss = tf.keep(tf.mul(loss, size)) as tf.Scalar;
              batchCorrect = tf.keep(countCorrect(logits, labels));
              return regularizer ? tf.add(loss, regularizer()) : loss;
            },
            false,
            trainable,
          );
          undo?.();
        });
        const nextLoss = tf.add(lossSum, batchLoss!) as tf.Scalar;
        const nextCorrect = tf.add(correctSum, batchCorrect!) as tf.Scalar;
        tf.dispose([lossSum, correctSum, batchLoss!, batchCorrect!]);
        lossSum = nextLoss;
        correctSum = nextCorrect;
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const [lossTotal, correctTotal] = await Promise.all([lossSum.data(), correctSum.data()]);
      tf.dispose([lossSum, correctSum]);
      const loss = lossTotal[0]! / trainData.count;
      const where = `epoch ${epoch} (${options.optimizer}, learning rate ${options.learningRate})`;
      if (!Number.isFinite(loss)) throw new TrialMathError(`${where}: training loss is ${loss}`);
      if (loss > divergenceLoss) {
        throw new TrialMathError(`${where}: training diverged, mean loss ${loss.toPrecision(4)} > ${divergenceLoss.toPrecision(4)}`);
      }
      const test = await evaluateTensors(model, testData, evalBatchSize);
      const metrics: EpochMetrics = {
        epoch,
        loss,
        accuracy: correctTotal[0]! / trainData.count,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
      };
      assertFinite({ ...metrics }, where);
      history.push(metrics);
      await onEpoch?.(metrics);
      lastYield = performance.now();
    }
    return history;
  } finally {
    tf.dispose([lossSum, correctSum]);
    disposeData(trainData);
    disposeData(testData);
    optimizer.dispose();
  }
}
