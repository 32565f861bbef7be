/**
 * A LossProbe over a classifier and a fixed evaluation set: mean softmax
 * cross-entropy and accuracy over all of it, computed in batches (memory only:
 * the value does not depend on the batch size), and the exact gradient of that
 * mean as the size-weighted sum of the batch gradients.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import type { Model } from '../models/model';
import type { Evaluation, LossProbe } from './probe';

export interface ModelProbe extends LossProbe {
  /** Frees the evaluation tensors (not the model). */
  dispose(): void;
}

export function modelProbe(model: Model, data: Dataset, variables: readonly tf.Variable[], batchSize = 500): ModelProbe {
  const { x, y, labels } = tf.tidy(() => {
    const labels = tf.tensor1d(data.labels, 'int32');
    return {
      x: tf.tensor2d(data.images, [data.count, data.features]),
      y: tf.cast(tf.oneHot(labels, data.numClasses), 'float32'),
      labels,
    };
  });
  const batches: { start: number; size: number }[] = [];
  for (let start = 0; start < data.count; start += batchSize) batches.push({ start, size: Math.min(batchSize, data.count - start) });
  const slice = (start: number, size: number) => ({
    bx: tf.slice(x, [start, 0], [size, -1]) as tf.Tensor2D,
    by: tf.slice(y, [start, 0], [size, -1]) as tf.Tensor2D,
    bl: tf.slice(labels, [start], [size]),
  });
  /** Sum (not mean) of the batch's losses, so that batches add up. */
  const batchLossSum = (bx: tf.Tensor2D, by: tf.Tensor2D, logits = model.apply(bx)) =>
    tf.mul(tf.losses.softmaxCrossEntropy(by, logits), bx.shape[0]) as tf.Scalar;

  return {
    variables,
    async evaluate(): Promise<Evaluation> {
      const [loss, correct] = tf.tidy(() => {
        let lossSum: tf.Scalar = tf.scalar(0);
        let correctSum: tf.Scalar = tf.scalar(0);
        for (const { start, size } of batches) {
          const { bx, by, bl } = slice(start, size);
          const logits = model.apply(bx);
          lossSum = tf.add(lossSum, batchLossSum(bx, by, logits));
          correctSum = tf.add(correctSum, tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), bl), 'float32')));
        }
        return [lossSum, correctSum];
      });
      const [l, c] = await Promise.all([loss.data(), correct.data()]);
      tf.dispose([loss, correct]);
      return { loss: l[0]! / data.count, accuracy: c[0]! / data.count };
    },
    gradient(): tf.Tensor[] {
      return tf.tidy(() => {
        let sums: tf.Tensor[] | undefined;
        for (const { start, size } of batches) {
          const { bx, by } = slice(start, size);
          const { grads } = tf.variableGrads(() => batchLossSum(bx, by), [...variables]);
          const parts = variables.map((v) => grads[v.name]!);
          sums = sums ? sums.map((s, i) => tf.add(s, parts[i]!)) : parts;
        }
        return sums!.map((s) => tf.div(s, data.count));
      });
    },
    dispose() {
      tf.dispose([x, y, labels]);
    },
  };
}
