/**
 * The supervised training loop every study reuses: seeded minibatch order,
 * softmax cross-entropy, one of four optimizers, a test evaluation after each
 * epoch. Loss and accuracy are summed on the backend and read once per epoch,
 * so a GPU backend is not stalled by a read after every batch.
 *
 * The reported training loss/accuracy are the running means over the epoch's
 * minibatches (computed with the weights as they were at each batch, as
 * Keras reports them), not a second pass over the training set.
 *
 * Per-step cost: on the native (TensorFlow) backend every kernel is a call
 * into the binding, ~20–60 µs each, so a small model's step is mostly kernel
 * count. The loop keeps it low: the epoch's order is gathered once per chunk
 * of examples and each batch is a slice of it (no index upload and three
 * gathers per batch), the loss is written out with a short gradient
 * (`crossEntropy`), and each batch's loss and correct-prediction mask are kept
 * as they are and reduced once at the end of the epoch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './data/dataset';
import { assertFinite, TrialInputError, TrialMathError } from './errors';
import { crossEntropyKernel, nativeKernels } from './kernels/native-dense';
import { NativeOptimizer } from './kernels/native-optimizer';
import { variablesOf, type Model } from './models/model';
import { permutation, Rng } from './rng';

export type { OptimizerName } from './optimizer-names';
import type { OptimizerName } from './optimizer-names';

/** Momentum coefficient of the 'momentum' optimizer (the usual 0.9). */
export const MOMENTUM = 0.9;

/**
 * Adam (Kingma & Ba 2015) with tf.train.adam's defaults (β1 0.9, β2 0.999,
 * ε = the backend's epsilon, 1e-7 in float32) in 10 kernels per variable
 * rather than its 14 plus 6 scalar uploads. It keeps the moments scaled,
 * m̃ = m/(1−β1) and ṽ = v/(1−β2), which drops two multiplications, and folds
 * the bias corrections and those scales into two per-step scalars computed in
 * JavaScript from the step count:
 *
 *   m̃ ← β1·m̃ + g,   ṽ ← β2·ṽ + g²,   w ← w − s_t · m̃ / (√ṽ + e_t),
 *   s_t = α·(1−β1)/(1−β1^t) · √((1−β2^t)/(1−β2)),   e_t = ε·√((1−β2^t)/(1−β2)),
 *
 * which is tf.train.adam's w − α·m̂/(√v̂ + ε) exactly in real arithmetic (m̂, v̂
 * the bias-corrected moments; it differs by float rounding only). β1 and β2
 * are uploaded once. On the native backend each kernel is a call into
 * TensorFlow, and updating the MLP's 270k parameters was a third of its step.
 */
export class LeanAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'LeanAdam';
  }

  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private constants: { beta1: tf.Scalar; beta2: tf.Scalar } | undefined;
  private readonly epsilon: number;

  constructor(
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    epsilon?: number,
  ) {
    super();
    this.epsilon = epsilon ?? tf.backend().epsilon();
  }

  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    const root = Math.sqrt((1 - this.beta2 ** t) / (1 - this.beta2));
    const stepSize = (this.learningRate * (1 - this.beta1) * root) / (1 - this.beta1 ** t);
    this.constants ??= tf.tidy(() => ({ beta1: tf.keep(tf.scalar(this.beta1)), beta2: tf.keep(tf.scalar(this.beta2)) }));
    const { beta1, beta2 } = this.constants;
    tf.tidy(() => {
      const negativeStep = tf.scalar(-stepSize);
      const epsilonHat = tf.scalar(this.epsilon * root);
      for (const [name, gradient] of entries) {
        if (gradient == null) continue;
        const value = tf.engine().registeredVariables[name]!;
        let state = this.moments.get(name);
        if (!state) {
          state = tf.tidy(() => ({ m: tf.zerosLike(value).variable(false), v: tf.zerosLike(value).variable(false) }));
          this.moments.set(name, state);
        }
        const m = tf.add(tf.mul(state.m, beta1), gradient);
        const v = tf.add(tf.mul(state.v, beta2), tf.square(gradient));
        state.m.assign(m);
        state.v.assign(v);
        value.assign(tf.add(value, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilonHat)), negativeStep)));
      }
    });
    this.incrementIterations();
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
    if (this.constants) tf.dispose(Object.values(this.constants));
    this.constants = undefined;
  }

  override async getWeights(): ReturnType<tf.Optimizer['getWeights']> {
    // Unscaled, as tf.train.adam names and holds them.
    const moments = [...this.moments].flatMap(([name, { m, v }]) => [
      { name: `${name}/m`, tensor: tf.mul(m, 1 - this.beta1) },
      { name: `${name}/v`, tensor: tf.mul(v, 1 - this.beta2) },
    ]);
    return [await this.saveIterations(), ...moments];
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * tfjs's MomentumOptimizer.dispose frees its accumulators but not the
 * learning-rate scalar its SGD base class keeps (it does not call the base
 * dispose): one leaked tensor per training run. This one frees both.
 */
function momentumOptimizer(learningRate: number): tf.Optimizer {
  const optimizer = tf.train.momentum(learningRate, MOMENTUM);
  const disposeOwn = optimizer.dispose.bind(optimizer);
  optimizer.dispose = () => {
    disposeOwn();
    tf.SGDOptimizer.prototype.dispose.call(optimizer);
  };
  return optimizer;
}

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  if (NativeOptimizer.available()) return new NativeOptimizer(name, { learningRate, momentum: name === 'momentum' ? MOMENTUM : undefined });
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return momentumOptimizer(learningRate);
    case 'adam':
      return new LeanAdamOptimizer(learningRate);
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

/** The four curves every supervised trial reports per epoch (TrialContext.report). */
export function epochCurves(m: EpochMetrics): Record<'loss' | 'accuracy' | 'testLoss' | 'testAccuracy', number> {
  return { loss: m.loss, accuracy: m.accuracy, testLoss: m.testLoss, testAccuracy: m.testAccuracy };
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
  /**
   * Adversarial training: `examples` makes each batch's adversarial inputs at
   * the current weights (FGSM, PGD…), and the objective becomes
   * (1 − weight)·L(x) + weight·L(x_adv). The reported loss and accuracy stay
   * those of the clean batch.
   */
  adversarial?: { examples: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D; weight: number };
  /**
   * Called after each minibatch update (after `perturb`'s undo), inside that
   * step's tf.tidy: a projection of the weights applied by assigning the
   * variables, e.g. the infoflow family's orthonormality step W ← W − α(W Wᵀ W − W).
   */
  afterStep?: () => void;
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

/** log softmax over the last axis of [n, k] logits: x − max − log Σ exp(x − max). */
function logSoftmaxRows(logits: tf.Tensor): tf.Tensor {
  const shifted = tf.sub(logits, tf.max(logits, -1, true));
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), -1, true)));
}

/** Σ over the batch of the softmax cross-entropy (no gradient needed: evaluation). */
function crossEntropySum(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.neg(tf.sum(tf.mul(labels, logSoftmaxRows(logits)))) as tf.Scalar;
}

/**
 * Mean softmax cross-entropy of `logits` [n, k] against one-hot `labels`
 * [n, k], −(1/n) Σ labels · log softmax(logits): the value of
 * tf.losses.softmaxCrossEntropy with its default reduction, up to float
 * rounding. Written out because that one costs about 30 kernels forward and
 * backward (a log-sum-exp, a weighted-loss reduction, their gradients), each a
 * native call on the TensorFlow backend; this costs 9 forward and 4 backward,
 * with the gradient (softmax − labels)/n. The gradient is with respect to the
 * logits only: the labels are data.
 */
export function crossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  // TensorFlow's SoftmaxCrossEntropyWithLogits in one kernel on the native backend.
  if (nativeKernels()) return crossEntropyKernel(labels, logits);
  const n = logits.shape[0]!;
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const logProbabilities = logSoftmaxRows(z);
    save([logProbabilities]);
    return {
      value: tf.div(tf.neg(tf.sum(tf.mul(labels, logProbabilities))), n),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.sub(tf.exp(saved[0]!), labels), tf.div(dy, n)),
    };
  });
  return loss(logits) as tf.Scalar;
}

/**
 * Examples gathered at once in an epoch's order, each batch then being a
 * slice: a bounded copy (25 MB of MNIST-sized float32 inputs) rather than an
 * index upload and three gathers per batch. Batches are unchanged by it.
 */
const GATHER_EXAMPLES = 8192;

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
      return [tf.add(lossSum, crossEntropySum(y, logits)), tf.add(correctSum, countCorrect(logits, labels))];
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
  const { epochs, batchSize, seed, onEpoch, regularizer, adversarial, evalBatchSize = 1000 } = options;
  if (adversarial && !(adversarial.weight >= 0 && adversarial.weight <= 1)) {
    throw new TrialInputError(`the adversarial weight must be in [0, 1], got ${adversarial.weight}`);
  }
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
  // A whole number of batches per gathered chunk, so the batches are those of the epoch's order.
  const chunkExamples = batchSize * Math.max(1, Math.floor(GATHER_EXAMPLES / batchSize));
  // Per batch of the epoch: its mean loss and its correct-prediction mask (kept,
  // reduced and read once per epoch); at function scope so that an error
  // mid-epoch still frees them, and the current chunk with them.
  let batchLosses: tf.Scalar[] = [];
  let batchCorrect: tf.Tensor[] = [];
  let chunk: TensorData | undefined;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = permutation(trainData.count, rng);
      const batchSizes: number[] = [];
      for (let chunkStart = 0; chunkStart < trainData.count; chunkStart += chunkExamples) {
        const chunkCount = Math.min(chunkExamples, trainData.count - chunkStart);
        chunk = tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(chunkStart, chunkStart + chunkCount), 'int32');
          return {
            x: tf.gather(trainData.x, idx),
            y: tf.gather(trainData.y, idx),
            labels: tf.gather(trainData.labels, idx),
            count: chunkCount,
          };
        });
        const { x: chunkX, y: chunkY, labels: chunkLabels } = chunk;
        for (let offset = 0; offset < chunkCount; offset += batchSize) {
          const size = Math.min(batchSize, chunkCount - offset);
          tf.tidy(() => {
            const x = tf.slice(chunkX, [offset, 0], [size, -1]);
            const y = tf.slice(chunkY, [offset, 0], [size, -1]);
            const labels = tf.slice(chunkLabels, [offset], [size]);
            const undo = options.perturb?.(() => crossEntropy(y, model.apply(x)));
            // Made before the update's gradient scope: its own gradient is with respect to x.
            const xAdversarial = adversarial?.examples(x, y);
            optimizer.minimize(
              () => {
                const logits = model.apply(x);
                const loss = crossEntropy(y, logits);
                // Kept past the gradient scope: reduced at the end of the epoch, disposed by hand.
                batchLosses.push(tf.keep(loss));
                batchCorrect.push(tf.keep(tf.equal(tf.argMax(logits, 1), labels)));
                const data: tf.Scalar = xAdversarial
                  ? tf.add(tf.mul(loss, 1 - adversarial!.weight), tf.mul(crossEntropy(y, model.apply(xAdversarial)), adversarial!.weight))
                  : loss;
                return regularizer ? (tf.add(data, regularizer()) as tf.Scalar) : data;
              },
              // Return the cost (to this tidy, which frees it unless it is the kept loss):
              // with false, minimize would dispose it, kept or not.
              true,
              trainable,
            );
            undo?.();
            options.afterStep?.();
          });
          batchSizes.push(size);
          if (performance.now() - lastYield > 50) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
        }
        tf.dispose([chunk.x, chunk.y, chunk.labels]);
        chunk = undefined;
      }
      const [lossTensor, correctTensor] = tf.tidy(() => [tf.stack(batchLosses), tf.sum(tf.concat(batchCorrect))]);
      tf.dispose([...batchLosses, ...batchCorrect]);
      batchLosses = [];
      batchCorrect = [];
      const [batchMeans, correctTotal] = await Promise.all([lossTensor!.data(), correctTensor!.data()]);
      tf.dispose([lossTensor!, correctTensor!]);
      let lossTotal = 0;
      batchSizes.forEach((size, i) => (lossTotal += batchMeans[i]! * size));
      const loss = lossTotal / trainData.count;
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
    tf.dispose([...batchLosses, ...batchCorrect]);
    if (chunk) disposeData(chunk);
    disposeData(trainData);
    disposeData(testData);
    optimizer.dispose();
  }
}
