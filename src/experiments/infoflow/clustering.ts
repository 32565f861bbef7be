/**
 * Clustering of a representation by class, the mechanism Goldfeld et al. show
 * behind the fall of I(X; T_ℓ): over all ordered pairs of distinct inputs,
 *
 *   sameClassClose  the fraction of same-class pairs whose representations are
 *                   closer than `radius` (run.ts: 2β, the scale below which the
 *                   noise cannot tell two points apart);
 *   clusterRatio    the mean distance between same-class pairs over the mean
 *                   distance between different-class pairs (below 1: classes
 *                   gather; near 0: each class collapses to a point).
 *
 * Distances are Euclidean, computed on the backend in blocks of rows from
 * ‖a‖² + ‖b‖² − 2 a·b around the rows' mean (float32 rounding ~1e-7 · ‖a‖²,
 * clamped at 0), the rows sorted by class so that same- and different-class
 * pairs are whole sub-matrices; three sums are read once at the end.
 */
import * as tf from '@tensorflow/tfjs';

export interface ClusterMeasures {
  readonly sameClassClose: number;
  readonly clusterRatio: number;
}

export async function clusterMeasures(representation: tf.Tensor2D, labels: Int32Array, radius: number, blockElements = 2 ** 22): Promise<ClusterMeasures> {
  const [n, d] = representation.shape;
  if (labels.length !== n) throw new RangeError(`clusterMeasures: ${labels.length} labels for ${n} rows`);
  // Rows sorted by class, so that each class is a contiguous range of columns and no pair needs a mask.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]! || a - b);
  const ranges: { start: number; end: number }[] = [];
  order.forEach((row, k) => {
    if (k === 0 || labels[row] !== labels[order[k - 1]!]) ranges.push({ start: k, end: k + 1 });
    else ranges[ranges.length - 1]!.end = k + 1;
  });
  let samePairs = 0;
  for (const { start, end } of ranges) samePairs += (end - start) * (end - start - 1);
  const differentPairs = n * n - ranges.reduce((total, { start, end }) => total + (end - start) ** 2, 0);
  if (samePairs === 0 || differentPairs === 0) {
    throw new RangeError(`clusterMeasures: needs two inputs of one class and two classes (class sizes ${ranges.map((r) => r.end - r.start).join(', ')})`);
  }
  const [left, right] = tf.tidy(() => {
    const sorted = tf.gather(representation, tf.tensor1d(order, 'int32'));
    const centred = tf.sub(sorted, tf.mean(sorted, 0, true)) as tf.Tensor2D;
    const squares = tf.expandDims(tf.sum(tf.square(centred), 1), 1);
    const ones = tf.ones([n, 1]);
    // [a, ‖a‖², 1] · [−2b, 1, ‖b‖²] = ‖a − b‖²: the squared distances in one product.
    return [tf.concat([centred, squares, ones], 1) as tf.Tensor2D, tf.concat([tf.mul(centred, -2), ones, squares], 1) as tf.Tensor2D];
  });
  const radiusSq = radius * radius;
  let sums = tf.zeros([3]); // [close same-class pairs, Σ same-class distance, Σ different-class distance]
  try {
    const block = Math.max(1, Math.floor(blockElements / n));
    for (const { start: classStart, end: classEnd } of ranges) {
      for (let start = classStart; start < classEnd; start += block) {
        const size = Math.min(block, classEnd - start);
        const next = tf.tidy(() => {
          const rows = tf.slice(left, [start, 0], [size, d + 2]);
          const squaredTo = (from: number, to: number) => tf.relu(tf.matMul(rows, tf.slice(right, [from, 0], [to - from, d + 2]), false, true));
          const within = squaredTo(classStart, classEnd);
          // The block's own pairs (i, i) sit on a diagonal of `within`: taken out of both sums.
          const diagonal = tf.gather(within, tf.tensor2d(Int32Array.from({ length: size }, (_, i) => start - classStart + i), [size, 1], 'int32'), 1, 1);
          const closeCount = (x: tf.Tensor) => tf.sum(tf.cast(tf.less(x, radiusSq), 'float32'));
          const sameClose = tf.sub(closeCount(within), closeCount(diagonal));
          const sameDistance = tf.sub(tf.sum(tf.sqrt(within)), tf.sum(tf.sqrt(diagonal)));
          const others = [
            [0, classStart],
            [classEnd, n],
          ].filter(([from, to]) => to! > from!);
          const differentDistance = others.reduce<tf.Tensor>((total, [from, to]) => tf.add(total, tf.sum(tf.sqrt(squaredTo(from!, to!)))), tf.scalar(0));
          return tf.add(sums, tf.stack([sameClose, sameDistance, differentDistance]));
        });
        sums.dispose();
        sums = next;
      }
    }
    const [close, sameDistance, differentDistance] = await sums.data();
    return {
      sameClassClose: close! / samePairs,
      clusterRatio: differentDistance! > 0 ? sameDistance! / samePairs / (differentDistance! / differentPairs) : 1,
    };
  } finally {
    tf.dispose([sums, left, right]);
  }
}
